"""Metadata from titles and texts: parties, document type, dates and language. Pure functions."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Inflection endings a "*" in the gazetteer stands for; longest first so the regex takes the whole ending.
RU_ENDINGS = sorted(
    "а я у ю е и ы о ь й ой ей ом ем ам ям ах ях ами ями ию ии ия ией ий ая ое ие ые ого его ому ему "
    "ую юю им ым их ых ими ыми ов ев ою ею".split(),
    key=len,
    reverse=True,
)
EN_ENDINGS = ["'s", "ns", "an", "s", "n"]
OPENING_CHARS = 1500  # how far into a text the parties of an agreement are named


@dataclass(frozen=True)
class GazetteerEntry:
    code: str
    language: str
    pattern: str


def normalize(text: str) -> str:
    """Fold ё, drop stress marks, turn non-breaking spaces and dashes into plain ones."""
    text = unicodedata.normalize("NFD", text).replace("\u0301", "")
    text = unicodedata.normalize("NFC", text)
    text = text.replace("ё", "е").replace("Ё", "Е").replace("\u00a0", " ")
    return re.sub(r"[\u2010-\u2015\u2212]", "-", text)


@cache
def gazetteer() -> tuple[GazetteerEntry, ...]:
    """The party gazetteer shipped as data in corpus/data/gazetteer.tsv."""
    lines = resources.files("corpus").joinpath("data/gazetteer.tsv").read_text("utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return tuple(GazetteerEntry(code, lang, pattern) for code, lang, pattern in rows)


def _entry_regex(entry: GazetteerEntry) -> str:
    endings = RU_ENDINGS if entry.language == "ru" else EN_ENDINGS
    ending = "(?:" + "|".join(endings) + ")?"
    pattern = entry.pattern.lstrip("=")
    words = [re.escape(w[:-1]) + ending if w.endswith("*") else re.escape(w) for w in pattern.split()]
    body = r"[\s-]+".join(words)
    return body if entry.pattern.startswith("=") else f"(?i:{body})"


@cache
def _party_regex() -> tuple[re.Pattern[str], tuple[str, ...]]:
    entries = sorted(gazetteer(), key=lambda e: len(e.pattern), reverse=True)
    buckets: dict[str, list[str]] = {}
    for i, entry in enumerate(entries):  # one bucket per first letter keeps the scan fast
        first = entry.pattern.lstrip("=")[0].lower()
        buckets.setdefault(first, []).append(f"(?P<g{i}>{_entry_regex(entry)})")
    branches = [
        f"(?={re.escape(first)}|{re.escape(first.upper())})(?:{'|'.join(alts)})" for first, alts in buckets.items()
    ]
    regex = re.compile(r"(?<!\w)(?:" + "|".join(branches) + r")(?!\w)")
    return regex, tuple(e.code for e in entries)


def find_parties(text: str) -> list[str]:
    """Every party named in a text, in order of first mention (countries and organisations)."""
    regex, codes = _party_regex()
    found: dict[str, None] = {}
    for match in regex.finditer(normalize(text)):
        code = codes[int(match.lastgroup[1:])]  # type: ignore[index]
        if code != "-":
            found.setdefault(code, None)
    return list(found)


def is_country(code: str) -> bool:
    return len(code) == 3 and code.isupper() and code not in ORGANISATIONS


ORGANISATIONS = frozenset({"CIS", "SCO", "EAEU", "CSTO", "ASEAN", "NATO", "BRICS", "QUAD", "EFTA", "OSCE", "GCC"})


def extract_parties(title: str, text: str = "", home: str = "") -> tuple[str, ...]:
    """The parties of a document: those its title names, else the countries its opening names.

    A title that names two parties is trusted alone: texts mention many countries that are not parties.

    `home` is the party a source speaks for (USA for the White House, RUS for mid.ru); it is
    added when the title names a party, since titles often name only the other side.
    """
    parties = find_parties(title)
    if home and home not in parties and parties:
        parties.append(home)
    if len(parties) < 2 and text:
        parties += [p for p in find_parties(text[:OPENING_CHARS]) if is_country(p) and p not in parties]
    return tuple(sorted(parties))


DOC_TYPE_RULES: tuple[tuple[str, str], ...] = (
    ("joint_statement", r"joint\b.*\bstatement|(leaders|ministers|trilateral|quadrilateral)['’]?s?\b.*\bstatement"),
    ("joint_statement", r"совместн\w* заявлени|совместн\w* \w+ заявлени"),
    ("joint_declaration", r"declaration|декларац"),
    ("communique", r"communiqu|коммюнике"),
    ("memorandum", r"memorandum|меморандум"),
    ("treaty", r"treaty|agreement|convention|protocol|accord\b|charter|договор|соглашени|конвенц|протокол|хартия"),
    ("joint_statement", r"joint (vision|fact sheet)|statement of the (leaders|presidents|heads)"),
    ("speech", r"speech|address\b|remarks|general debate|выступлени|речь"),
    ("press_release", r"press release|пресс-релиз|statement|заявлени"),
)


# Titles of news items about a document, not the document itself ("… was signed", "Greetings on …").
NEWS_ABOUT = re.compile(
    r"\b(was|were|has been|have been) (signed|adopted|issued|published)|\badopted\b|^greetings|congratulat|"
    r"^(telephone conversation|meeting|talks) with|подписан[аоы]?\b|подписанн|^поздравлени|^телефонный разговор",
)


def document_type(title: str) -> str:
    """The document type a title announces, in English or Russian; "other" when none."""
    lowered = normalize(title).lower()
    if NEWS_ABOUT.search(lowered):
        return "other"
    for doc_type, pattern in DOC_TYPE_RULES:
        if re.search(pattern, lowered):
            return doc_type
    return "other"


MONTH_NAMES = (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
)
MONTHS: dict[str, int] = {name: i for names in MONTH_NAMES for i, name in enumerate(names.split(), 1)} | {"sept": 9}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:\s*(?:-|–|—)\s*\d{1,2})?"
_YEAR = r"(?P<year>1[789]\d\d|20\d\d)"
DATE_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"(?<!\d){_YEAR}-(?P<nmonth>\d\d)-(?P<nday>\d\d)(?!\d)",
        rf"(?<![\w]){_MONTH}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}",
        rf"(?<!\d){_DAY}(?:st|nd|rd|th)?(?:\s+de)?\s+{_MONTH}(?:\s+de)?,?\s+{_YEAR}",
        rf"(?<![\d.])(?P<nday>\d{{1,2}})\.(?P<nmonth>\d\d)\.{_YEAR}(?!\d)",
    )
]


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every calendar date written in a text, with its position; the first day of a range."""
    found: list[tuple[int, dt.date]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(normalize(text)):
            date = _to_date(match)
            if date:
                found.append((match.start(), date))
    return sorted(found)


def _to_date(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    month = int(groups["nmonth"]) if groups.get("nmonth") else MONTHS[groups["month"].lower()]
    day = int(groups.get("nday") or groups["day"])
    try:
        return dt.date(int(groups["year"]), month, day)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """The first date written in a text ("March 3-5, 2022", "24 апреля 2022 г.", "05.03.2022")."""
    dates = find_dates(text)
    return dates[0][1] if dates else None


SIGNED_AT = re.compile(r"\b(done|signed|made|совершено|подписано|учинено)\b", re.IGNORECASE)


def signing_date(text: str) -> dt.date | None:
    """The date in a treaty's closing formula ("Done at Beijing on 18 July 2000", "Совершено в …")."""
    tail = text[-3000:]
    for match in reversed(list(SIGNED_AT.finditer(tail))):
        dates = find_dates(tail[match.start() : match.start() + 250])
        if dates:
            return dates[0][1]
    return None


STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to in is that for on with as by are this be will",
        "es": "el la de que y en los las del por con una para es se",
        "fr": "le la les de des et en du un une est pour dans que sur",
        "de": "der die das und den von zu mit ist des auf für im dem",
        "pt": "o os da das do dos e em para com uma um que pela pelo não",
        "ru": "и в на с по не что о к для из от как их это",
        "uk": "і та у в на з що до для це як від його їх",
    }.items()
}


def detect_language(text: str) -> str:
    """ISO 639-1 code of a text's language (ru, uk, en, es, fr, de, pt), "und" when it cannot tell."""
    letters = [c for c in text[:20000] if c.isalpha()]
    if not letters:
        return "und"
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters)
    candidates = ("ru", "uk") if cyrillic > 0.5 else ("en", "es", "fr", "de", "pt")
    words = Counter(re.findall(r"\w+", text[:20000].lower()))
    scores = {lang: sum(words[w] for w in STOPWORDS[lang]) for lang in candidates}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] == 0:
        return "ru" if cyrillic > 0.5 else "und"
    return best
