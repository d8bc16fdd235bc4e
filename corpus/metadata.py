"""Metadata from titles and texts: parties, document type, dates and language. Pure functions."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from corpus.countries import is_state

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
    shared: bool = False  # the name alone may mean another party too ("Korea"): a query widens to it only as typed


def normalize(text: str) -> str:
    """Fold ё, drop stress marks, turn non-breaking spaces and dashes into plain ones."""
    text = unicodedata.normalize("NFD", text).replace("\u0301", "")
    text = unicodedata.normalize("NFC", text)
    text = text.replace("ё", "е").replace("Ё", "Е").replace("\u00a0", " ").replace("’", "'")
    return re.sub(r"[\u2010-\u2015\u2212]", "-", text)


@cache
def gazetteer() -> tuple[GazetteerEntry, ...]:
    """The party gazetteer shipped as data in corpus/data/gazetteer.tsv."""
    lines = resources.files("corpus").joinpath("data/gazetteer.tsv").read_text("utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return tuple(GazetteerEntry(code, lang, pattern, flags == ["shared"]) for code, lang, pattern, *flags in rows)


def _entry_regex(entry: GazetteerEntry) -> str:
    endings = RU_ENDINGS if entry.language == "ru" else EN_ENDINGS
    ending = "(?:" + "|".join(endings) + ")?"
    pattern = entry.pattern.lstrip("=")
    words = [re.escape(w[:-1]) + ending if w.endswith("*") else re.escape(w) for w in pattern.split()]
    body = r"[\s-]+".join(words)
    return body if entry.pattern.startswith("=") else f"(?i:{body})"


@cache
def _party_regexes() -> tuple[dict[str, re.Pattern[str]], tuple[str, ...]]:
    """One regex per first letter (longest names first), tried only where a word starts with that letter."""
    entries = sorted(gazetteer(), key=lambda e: len(e.pattern), reverse=True)
    buckets: dict[str, list[str]] = {}
    for i, entry in enumerate(entries):
        first = entry.pattern.lstrip("=")[0].lower()
        buckets.setdefault(first, []).append(f"(?P<g{i}>{_entry_regex(entry)})")
    # a name ends a word, and is no currency's prefix ("US$1,000")
    regexes = {first: re.compile(f"(?:{'|'.join(alts)})(?![\\w$])") for first, alts in buckets.items()}
    return regexes, tuple(e.code for e in entries)


WORD_START = re.compile(r"(?<!\w)\w")


def party_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of every party name in a (normalized) text, in order."""
    regexes, codes = _party_regexes()
    spans: list[tuple[int, int, str]] = []
    end = 0
    for word in WORD_START.finditer(text):
        regex = regexes.get(word.group().lower())
        if word.start() < end or regex is None:
            continue
        match = regex.match(text, word.start())
        if match:
            end = match.end()
            code = codes[int(match.lastgroup[1:])]  # type: ignore[index]
            if code != "-":
                spans.append((match.start(), match.end(), code))
    return spans


def find_parties(text: str) -> list[str]:
    """Every party named in a text, in order of first mention (countries and organisations)."""
    return list(dict.fromkeys(code for _, _, code in party_spans(normalize(text))))


# A party's adjective that names a language, not the party: "the English and French texts", «на русском и
# английском языках» (every bilingual treaty had mentioned France).
AS_LANGUAGE = re.compile(
    r"(?:\s*(?:,|and|or|и|или)\s*[^\W\d_]+)*\s+(?:languages?|texts?|versions?|языках|языке|текстах|тексте)\b",
    re.IGNORECASE,
)


def count_mentions(text: str) -> Counter[str]:
    """How often each party is named in a text (a language named after it aside)."""
    text = normalize(text)
    return Counter(code for _, end, code in party_spans(text) if not AS_LANGUAGE.match(text, end))


def is_country(code: str) -> bool:
    """A state's code, not a group's ("EU", "G20", "PIF")."""
    return is_state(code)


# A party right after one of these is what a text is about, not who made it ("G7 Statement on Ukraine").
TOPIC_BEFORE = re.compile(
    r"(?:^|\s)(?:on|about|regarding|concerning|against|in|into|at|to|toward|towards|for|over|"
    r"о|об|обо|по|в|во|на|против|для|из)\s+(?:the\s+|the\s+people\s+of\s+)?$",
    re.IGNORECASE,
)
JOINED = re.compile(r"^\s*[-–—/]\s*$")  # "U.S.-China", "United States – Switzerland": a compound of parties
LIST_AFTER = re.compile(r"\s*(?:,|,?\s*(?:and|и))\s*(?:the\s+)?", re.IGNORECASE)  # ", ", " and the ", ", и "
# Documents a source issues alone: their party is the publisher (news items, speeches, unilateral statements).
UNILATERAL_TYPES = frozenset({"news", "speech", "press_release", "other"})
JOINS_AS_MEMBER = frozenset({"EU"})  # a union that is a member of a group of states beside them
MEMBER_LIST = 10  # states a first paragraph names when it lists a group's members
SIGN_AS_MEMBERS = frozenset({"EFTA"})  # "the EFTA States": each member signs the association's agreements
SPEAK_AS_MEMBERS = frozenset({"QUAD", "G7", "G8", "G20", "BRICS", "PIF", "APEC", "CELAC"})  # fora whose members speak
UNINHABITED = frozenset({"ATA", "BVT", "HMD"})  # Antarctica, Bouvet, Heard and McDonald: named, never a maker


def makers_in(text: str, title: bool = False) -> list[str]:
    """The parties a title or an opening names as its makers: all but those it is about ("… on Russia"; in a
    title, the whole list that begins: "… on Support for Angola, Zambia, and the DRC")."""
    text = normalize(text)
    spans = party_spans(text)
    makers, topic = [], False
    for i, (start, _, code) in enumerate(spans):
        # a topic: after "on", "for" … or, in a title, further on in a list that one began; not in a compound of
        # parties ("U.S.-China")
        goes_on = title and topic and LIST_AFTER.fullmatch(text[spans[i - 1][1] : start])
        topic = not _joined(text, spans, i) and bool(goes_on or TOPIC_BEFORE.search(text[max(0, start - 40) : start]))
        if not topic:
            makers.append(code)
    return list(dict.fromkeys(makers))


def _joined(text: str, spans: list[tuple[int, int, str]], i: int) -> bool:
    """True when a party name is part of a compound with the one before or after it."""
    before = i > 0 and JOINED.match(text[spans[i - 1][1] : spans[i][0]])
    after = i + 1 < len(spans) and JOINED.match(text[spans[i][1] : spans[i + 1][0]])
    return bool(before or after)


# Where an opening names its makers: "We, the Leaders of A, B and C, …", "A and B, hereinafter the Parties",
# "cooperation between A, B and C".
WE_CUE = re.compile(r"(?:^|[\s,;])(?:we|мы)\b", re.IGNORECASE)
HEREINAFTER = re.compile(r"hereinafter|далее именуем|далее - |далее – ", re.IGNORECASE)
BETWEEN = re.compile(r"\b(?:between|among|между)\s+", re.IGNORECASE)
# Lower-case words that may stand inside a list of makers; any other lower-case word ends the list.
LIST_WORDS = frozenset(
    "we the and of leaders heads head state states government governments ministers minister foreign affairs "
    "representatives president presidents prime chancellor partners countries member members republic kingdom "
    "federal federation people's democratic islamic united on behalf as well co-hosts & "
    "мы и главы глава государств государства правительства правительство министры министр иностранных дел "
    "президент президенты премьер-министр республика республики федерация королевство лидеры".split()
)


def opening_makers(text: str) -> list[str]:
    """The makers an opening sentence lists ("We, the Leaders of A, B and C, …"; "A and B, hereinafter …")."""
    for sentence in _sentences(text)[:3]:
        listed = [
            makers_in(named) if (named := _named_before_hereinafter(sentence)) else [],
            makers_in(_list_part(sentence[cue.start() :])) if (cue := WE_CUE.search(sentence)) else [],
            makers_in(_list_part(sentence[cue.end() :])) if (cue := BETWEEN.search(sentence)) else [],
        ]
        if found := next((makers for makers in listed if makers), None):
            return found
    return []


# After one side's "(hereinafter called the EFTA States)", the list goes on: "and the State of Israel (hereinafter …)".
LIST_GOES_ON = re.compile(r"[^()]*\)\s*,?\s*(?:and|и)\s", re.IGNORECASE)  # from the cue to its ")", then "and"


def _named_before_hereinafter(sentence: str) -> str:
    """The start of a sentence that names its makers before "hereinafter …", each side's own included: "A, B and C
    (hereinafter called the EFTA States) and D (hereinafter called D)" (else "" when it says no "hereinafter")."""
    cues = list(HEREINAFTER.finditer(sentence))
    end = cues[0].start() if cues else 0
    for before, cue in itertools.pairwise(cues):
        if not LIST_GOES_ON.match(sentence, before.end(), cue.start()):
            break
        end = cue.start()
    return sentence[:end]


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;:])\s+", normalize(text[:OPENING_CHARS]))


def _list_part(sentence: str) -> str:
    """The start of a sentence up to the first word that cannot be part of a list of names."""
    words = sentence.split()
    for i, word in enumerate(words[1:], start=1):
        bare = word.strip(",.;:()–—-")
        if bare and bare[0].islower() and bare.lower() not in LIST_WORDS and not re.match(r"^\w{1,2}['’]", bare):
            return " ".join(words[:i])
    return sentence


def _leading_list(text: str) -> list[str]:
    """The parties a text's first sentence starts with ("Canada, Mexico, and the United States condemn …")."""
    sentences = _sentences(text)
    first = re.sub(r"^[\s\d.()*#-]+", "", sentences[0]) if sentences else ""
    spans = party_spans(first)
    return makers_in(_list_part(first)) if spans and spans[0][0] <= 4 else []


SIGNATURE_LINE = re.compile(r"^(?:for|on behalf of|за|от имени)\s+(?:the\s+)?\S.{0,150}$", re.IGNORECASE)
# "For the Government of …" right before a party's name: a signature block, also when the text is one line.
SIGNS_FOR = re.compile(
    r"(?:^|[\s.;:,)])(?:for|on behalf of|за|от имени)\s+(?:the\s+)?(?:(?:government|cabinet of ministers|"
    r"правительство|кабинет министров)\s+(?:of\s+)?(?:the\s+)?)?$",
    re.IGNORECASE,
)
SIGNATURE_GAP = 600  # characters between the blocks of one run of signatures


SIGNS_AS = re.compile(r"^(?:for|on behalf of|за|от имени)\s+", re.IGNORECASE)
WRAPPED_NAME = re.compile(r"^(?:and|и)\s", re.IGNORECASE)  # "For the United Kingdom of Great Britain / and …"


def signatory_makers(text: str, runs: bool = False) -> list[str]:
    """The parties of signature blocks ("For the Government of …", «За Правительство …»): the signature lines at
    the end of a text; with `runs` (treaty texts flattened onto one line), else the first run of two or more
    "For …" blocks, where the main text ends."""
    lines = [line.strip(" *_:") for line in text[-4000:].splitlines()]
    signed = [line for line, after in zip(lines, [*lines[1:], ""], strict=False) if _signature(line, after)]
    found = list(dict.fromkeys(p for line in signed for p in find_parties(line)))
    return found if len(found) >= 2 or not runs else _signature_run(normalize(text)) or found


def _signature(line: str, after: str) -> bool:
    """Whether a line (read with the one after it) is a signature line: "For" and the party, with only the words of
    an official name between them, not a wrapped line of prose that starts with "for" ("for the people of
    Ukraine, …", "For the purposes of interpretation … the Russian text", "on behalf of the G7 and …" going
    on in lower case on the next line)."""
    if not SIGNATURE_LINE.match(line) or _goes_on(after):
        return False
    line = normalize(line)
    cue, spans = SIGNS_AS.match(line), party_spans(line)
    return bool(cue and spans) and not _prose_words(line[cue.end() : spans[0][0]])


def _goes_on(line: str) -> bool:
    """Whether a line carries on the sentence of the line before (lower case, not a signature, not the rest of a
    party's name)."""
    return line[:1].islower() and not SIGNATURE_LINE.match(line) and not WRAPPED_NAME.match(line)


def _prose_words(text: str) -> list[str]:
    """The words of a text that cannot stand in an official name: lower case, not a list word, longer than three
    letters (a typo's «thr», «its» aside)."""
    words = (w.strip(",.;:()") for w in text.split())
    return [w for w in words if w[:1].islower() and len(w) > 3 and w.lower() not in LIST_WORDS]


def _signature_run(text: str) -> list[str]:
    run: list[tuple[int, str]] = []
    for start, end, code in party_spans(text):
        if not SIGNS_FOR.search(text[max(0, start - 60) : start]):
            continue
        if run and start - run[-1][0] > SIGNATURE_GAP:
            if len({c for _, c in run}) >= 2:
                break
            run = []
        run.append((end, code))
    codes = list(dict.fromkeys(c for _, c in run))
    return codes if len(codes) >= 2 else []


def extract_parties(title: str, text: str = "", home: str = "", doc_type: str = "") -> tuple[str, ...]:
    """The makers of a document: the states and organisations that issued or signed it.

    From the title (all but the parties it is about), the opening sentence that lists the makers, and the
    signature blocks. `home` is the party a source speaks for (USA for the White House, RUS for kremlin.ru
    and mid.ru): it is a maker of everything the source publishes, and the only one of the texts it issues
    alone (news items, speeches, unilateral statements). Sources without a home party (treaty collections)
    fall back on the countries of the opening when the title names fewer than two.
    """
    if home and doc_type in UNILATERAL_TYPES:
        return (home,)
    makers = makers_in(title, title=True)
    others = [m for m in makers if m != home]
    if not others or (home and all(m in SPEAK_AS_MEMBERS for m in others)) or SIGN_AS_MEMBERS & set(others):
        # a group named by a publisher ("Quad Leaders") is read as its members; a title that names states or a
        # union (the United States, …, the European Union) has named its makers, and the opening may be its topic
        # ("The situation between Lebanon and Israel", "a rail line between Zambia and Angola")
        makers += opening_makers(text)
    makers += signatory_makers(text)
    if home:
        makers.append(home)
    if len(set(makers)) < 2 and text:  # a joint text or a treaty has two makers at least: read the opening
        makers += _leading_list(text) or _first_paragraph_makers(text)
    return tuple(sorted(set(makers) - UNINHABITED))


def _first_paragraph_makers(text: str) -> list[str]:
    """The states a first paragraph names; and the European Union where it names many, as a list of members
    does ("The 50 members of the CRI — Albania, …, the European Union, France, …"): else a union it names is
    taken to be its topic."""
    named = makers_in(_first_paragraph(text))
    states = [p for p in named if is_country(p)]
    return [p for p in named if p in JOINS_AS_MEMBER] + states if len(states) >= MEMBER_LIST else states


def _first_paragraph(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text[:OPENING_CHARS]) if len(p.strip()) > 40]
    return paragraphs[0] if paragraphs else text[:OPENING_CHARS]


def mentions_of(title: str, text: str, parties: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """The parties a document names that are not its makers, with how often, most frequent first."""
    counts = count_mentions(f"{title}\n{text}")
    return tuple(sorted(((c, n) for c, n in counts.items() if c not in parties), key=lambda cn: (-cn[1], cn[0])))


@dataclass(frozen=True)
class TypeRule:
    """One rule of document typing: a type, the pattern that decides it, and a title it is written for."""

    doc_type: str
    title: str  # regex on the lower-cased, normalized title
    example: str  # a real-looking title this rule decides (the test of each rule reads it)
    url: str = ""  # the rule holds only for pages whose URL matches this regex
    earliest: bool = False  # among "earliest" rules the one matching first in the title wins


KREMLIN_NEWS = r"kremlin\.ru/events/president/(news|transcripts)/"
# In order: the first rule that matches decides, except that "earliest" rules compete by position.
TYPE_RULES: tuple[TypeRule, ...] = (
    # kremlin.ru news pages are news items, unless they are a transcript or the text of a statement
    TypeRule(
        "speech",
        r"^(joint )?(press|news) (statements?|conference)|^statements? for the press|"
        r"\b(interview|address|speech|remarks|answers to)\b",
        "Press statements following Russian-Kyrgyzstani talks",
        KREMLIN_NEWS,
    ),
    TypeRule(
        "speech",
        r"^(совместн\w+ )?пресс-конференц|заявлени\w* для (прессы|сми)|^заявления по итогам|"
        r"^ответы на вопросы|интервью|^(видео)?обращение|^выступлени|^послание|^речь",
        "Ответы на вопросы журналистов",
        KREMLIN_NEWS,
    ),
    TypeRule(
        "joint_statement",
        r"^(joint statement|совместное заявление)\b(?!.*\b(was|were) (signed|adopted))",
        "Joint statement by President of the Russian Federation and President of the United States",
        KREMLIN_NEWS,
    ),
    TypeRule(
        "press_release",
        r"^(statement by|message from|заявление президента|обращение президента)",
        "Statement by President of Russia Vladimir Putin",
        KREMLIN_NEWS,
    ),
    TypeRule("press_release", r"^основные итоги", "Основные итоги встречи экспертных групп России и США", KREMLIN_NEWS),
    TypeRule("news", r"", "Russian-Chinese talks", KREMLIN_NEWS),
    # lists that name documents or people are not the documents (kremlin.ru supplements)
    TypeRule(
        "other",
        r"^(список|перечень|документы, подписанные|участники|о лауреатах|list of (documents|participants))",
        "Список документов, подписанных по итогам российско-мьянманских переговоров",
    ),
    # a title that tells of a document ("… was signed", "… submitted for ratification") is news about it
    TypeRule(
        "news",
        r"\b(was|were|has been|have been) (signed|adopted|issued|published|submitted)|\bsubmitted\b|"
        r"\bratif|\bappointed\b|^greetings|congratulat|condolences|^(telephone conversation|meeting|talks) with|"
        r"подписан[аоы]?\b|подписанн|ратифик|назначен|^поздравлени|^телефонный разговор",
        "The Presidents of Russia and Turkmenistan signed a Treaty; the treaty was signed in Moscow",
    ),
    # the document's own name, wherever it stands first in the title
    TypeRule(
        "joint_statement",
        r"joint\b.*\bstatement|(leaders|ministers|trilateral|quadrilateral)['’]?s?\b.*\bstatement|"
        r"joint (vision|fact sheet)|statement of the (leaders|presidents|heads)",
        "United States-Japan Joint Leaders’ Statement",
        earliest=True,
    ),
    TypeRule(
        "joint_statement",
        r"совместн\w* заявлени|совместн\w* \w+ заявлени",
        "Совместное заявление Президента Российской Федерации и Президента Республики Беларусь",
        earliest=True,
    ),
    TypeRule(
        "joint_declaration", r"declaration|декларац", "Joint Declaration on the international order", earliest=True
    ),
    TypeRule("communique", r"communiqu|коммюнике", "The Jeddah Communique: A Joint Statement", earliest=True),
    TypeRule("memorandum", r"memorandum|меморандум", "Memorandum of Understanding on biosafety", earliest=True),
    TypeRule(  # an organ's resolution (the World Health Assembly's "WHA72.6") or a treaty body's general comment
        "resolution",
        r"\bresolution\b|general comment|резолюци|^wha\s?\d\d",
        "Resolution CD43R10 Mental Health",
        earliest=True,
    ),
    TypeRule(
        "treaty",
        r"treaty|agreement|convention|protocol|accord\b|charter|договор|соглашени|конвенц|протокол|хартия",
        "Treaty on a Free Trade Area",
        earliest=True,
    ),
    TypeRule(
        "speech", r"speech|address\b|remarks|general debate|выступлени|речь", "Remarks by the President", earliest=True
    ),
    TypeRule(
        "press_release",
        r"press release|пресс-релиз|statement|заявлени",
        "Statement by the Press Secretary",
        earliest=True,
    ),
)


def type_rule(title: str, url: str = "") -> TypeRule | None:
    """The rule that types a document with this title and URL; None when no rule does."""
    lowered = normalize(title).lower()
    rules = [r for r in TYPE_RULES if not r.url or re.search(r.url, url)]
    for i, rule in enumerate(rules):
        if rule.earliest:
            return _earliest(rules[i:], lowered)
        if re.search(rule.title, lowered):
            return rule
    return None


def _earliest(rules: list[TypeRule], lowered: str) -> TypeRule | None:
    found = [(m.start(), i, rule) for i, rule in enumerate(rules) if (m := re.search(rule.title, lowered))]
    return min(found)[2] if found else None


def document_type(title: str, url: str = "") -> str:
    """The document type a title (and for kremlin.ru, the page's URL) shows; "other" when none.

    A "statement by" two or more makers is their joint statement."""
    rule = type_rule(title, url)
    doc_type = rule.doc_type if rule else "other"
    lowered = normalize(title).lower()
    if doc_type == "press_release" and lowered.startswith("statement by") and len(makers_in(_by_part(title))) >= 2:
        return "joint_statement"
    return doc_type


def _by_part(title: str) -> str:
    """Who a "Statement by … on …" is by: the title before what it is about."""
    return re.split(r"\s(?:on|about|regarding|concerning|о|об)\s", title, maxsplit=1)[0]


MONTH_NAMES = (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
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


# The closing formula of a treaty: "Done at Moscow on …", «Совершено в г. Москве …», "Hecho en Madrid, a …".
CLOSING = re.compile(  # at the start of a sentence: "done at Vienna" inside a preamble cites another treaty
    r"(?:^|[.;:\n])\s*(?:(?:done|signed|performed)\s+(?:in|at|on)\b|совершено\s+в|учинено\s+в|подписано\s+в|hecho\s+en|"
    r"fait\s+[àa]|вчинено\s+в|здійснено\s+[ву])",
    re.IGNORECASE,
)


COPIES = re.compile(r"duplicate|triplicate|two|three|originals|copies|экземпляр|примірник|ejemplar|exemplaire", re.I)


def first_signing_date(text: str) -> dt.date | None:
    """The date of a treaty's first closing formula: the main text's, before any protocol appended to it."""
    return next(signing_dates(text), None)


def signing_dates(text: str) -> Iterator[dt.date]:
    """The dates of a text's closing formulas ("Done at … in duplicate"), in order."""
    text = normalize(text)
    for match in CLOSING.finditer(text):
        formula = text[match.start() : match.start() + 400]
        dates = find_dates(formula[:250])
        if dates and COPIES.search(formula):
            yield dates[0][1]


# The languages most of the corpus is in. Another is told only when the model is sure of it (English news
# items read as Nigerian Pidgin at 0.3-0.5, a US-Polish fisheries note as Polish at 0.7; the Finnish,
# Hungarian, Italian, Lithuanian and Norwegian treaties at 1.0), and never of a short text in Latin or
# Cyrillic letters (a title: «Заявление» reads as Bulgarian).
MAIN_LANGUAGES = frozenset({"en", "ru", "uk", "es", "fr", "de", "pt"})
SURE = 0.9  # the model's probability from which a language other than those is told
NAMES_ONLY = frozenset({"la"})  # never a text's language: the Latin read is species lists in English annexes
SHORT = 60  # letters, below which a text is short
SAMPLE = 5000  # characters of a text read to judge it


def detect_language(text: str) -> str:
    """ISO 639-1 code of a text's language ("und" when it holds no letters), by langid.py's model of 97
    languages (py3langid): Hungarian, Italian or Lithuanian treaties are no longer told as Spanish."""
    sample = text[:SAMPLE]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "und"
    ranked = [(language, p) for language, p in _language_model().rank(sample) if language not in NAMES_ONLY]
    best, probability = ranked[0]
    latin_or_cyrillic = all(c <= "\u024f" or "\u0400" <= c <= "\u04ff" for c in letters)
    if best in MAIN_LANGUAGES or not latin_or_cyrillic or (probability >= SURE and len(letters) >= SHORT):
        return best
    return next(language for language, _ in ranked if language in MAIN_LANGUAGES)


@cache
def _language_model():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # its model loads in a moment: when first needed

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
