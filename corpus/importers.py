"""Importers: real corpora from files (Markdown + YAML, ToTA XML, plain text, JSON), without crawling."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tarfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import urlparse

import charset_normalizer
import yaml

from corpus.clauses import is_boilerplate, segment, split_paragraphs
from corpus.countries import is_state
from corpus.documents import build_document
from corpus.metadata import (
    detect_language,
    document_type,
    find_dates,
    find_parties,
    first_signing_date,
    mentions_of,
    parse_date,
    signing_dates,
)
from corpus.model import SOURCE_HASH, Clause, Document, read_from, text_hash
from corpus.mojibake import repair_mojibake
from corpus.readings import readings_checked
from corpus.store import RejectedDocument, Store


class ImportFailed(Exception):
    """A file could not be read as a document; the message says why."""


Reader = Callable[[str, bytes], list[Document]]  # (file name, its bytes) -> documents

# Which party a publishing host speaks for, and the source name its documents get.
HOSTS: dict[str, tuple[str, str]] = {
    "whitehouse.gov": ("whitehouse", "USA"),
    "bidenwhitehouse.archives.gov": ("whitehouse", "USA"),
    "trumpwhitehouse.archives.gov": ("whitehouse", "USA"),
    "kremlin.ru": ("kremlin", "RUS"),
    "mid.ru": ("mid", "RUS"),
    "state.gov": ("state", "USA"),
}
NOT_DOCUMENTS = {"readme.md", "source.md", "license", "license.md", "changelog.md", "index.csv", "robots.txt"}
UNGDC_NAME = re.compile(r"^(?P<code>[A-Z]{3})_(?P<session>\d{1,2})_(?P<year>\d{4})\.txt$")
# manytreaties' manyID: the parties and a topic ("KAZ-RUS[ENP]") or a code ("AA08PS", "GATT", "CBD"), the year,
# the kind and its number ("A", "P6", "O1"); then maybe the treaty it amends ("(colon)MARPOL_1973A"), or words
# ("_Title_…", " 2", " (May)")
MANYID_NAME = re.compile(
    r"^(?:(?P<parties>[A-Z]{2,3}(?:-[A-Z]{2,3})*)\[[A-Z]*\]|(?=[A-Z0-9]{3,10}_\d{4}[A-Z])[A-Z0-9]{3,10})"
    r"_(?P<year>\d{4})[A-Z]?\d*(?:\(colon\).*|[ _].*)?\.txt$"
)
# the collections' own codes (manytreaties' and ToTA's), and a typo, as ours
OWN_CODES = {"EC": "EU", "EUE": "EU", "EUU": "EU", "KOS": "XKX", "RKS": "XKX", "ALG": "DZA", "BR": "GBR"}
SECTION_LABEL = re.compile(r"^(?:Main|Annex|Appendix|Title)Text:\s*", re.MULTILINE)  # manytreaties "Formatted"
SOURCE_LINE = re.compile(r"^(?:source|источник)\s*:\s*(https?://\S+)\s*$", re.IGNORECASE | re.MULTILINE)


def host_source(url: str) -> tuple[str, str]:
    """(source name, home party) for a URL's host; the bare host and no party when unknown."""
    host = (urlparse(url).hostname or "").removeprefix("www.").removeprefix("en.")
    for suffix, known in HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return known
    return host or "file", ""


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM) when it is, else the charset the bytes show."""
    if not data.strip():
        raise ImportFailed("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _textual(data.decode("utf-16"), spaced=True)
        except UnicodeDecodeError:
            raise ImportFailed("binary data, not text: a UTF-16 byte order mark, then no UTF-16") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ImportFailed("not text in any encoding we can tell")
    return _textual(str(best))


NOT_TEXT = frozenset({"Cc", "Cn", "Co", "Cs"})  # controls, unassigned, private use, surrogates


def _textual(text: str, spaced: bool = False) -> str:
    """The text, unless it reads as bytes that are not text: controls, unassigned or private characters
    among it, or (`spaced`, after a UTF-16 byte order mark, where random bytes decode to a few CJK
    characters) no space or line break anywhere."""
    body = text.strip()
    odd = sum(unicodedata.category(c) in NOT_TEXT for c in body if not c.isspace())
    if odd > 0.02 * len(body) or (spaced and len(body) > 3 and not any(c.isspace() for c in body)):
        raise ImportFailed("binary data, not text: it decodes to no words")
    return text


# Markdown with YAML front matter (the White House set)

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


class _PlainYaml(yaml.SafeLoader):
    """YAML without aliases: front matter never needs them, and a few hundred bytes of nested aliases
    expand to billions of values (an "alias bomb")."""

    def compose_node(self, parent: object, index: object) -> object:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not accepted in front matter")
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def read_markdown(name: str, data: bytes) -> list[Document]:
    text = decode(data)
    match = FRONT_MATTER.match(text)
    if not match:
        raise ImportFailed("no YAML front matter")
    try:
        meta = yaml.load(match.group(1), Loader=_PlainYaml)
    except yaml.YAMLError as exc:
        raise ImportFailed(f"bad YAML front matter: {str(exc).splitlines()[0]}") from exc
    if not isinstance(meta, dict) or not meta.get("title"):
        raise ImportFailed("front matter has no title")
    body = markdown_to_text(text[match.end() :])
    url = str(meta.get("source_url") or meta.get("url") or "")
    return [
        _document(
            str(meta["title"]),
            body,
            url=url,
            source_id=url or name,  # the path under the import root: a/x.md and b/x.md are two documents
            date=_as_date(meta.get("date")),
            canonical_url=str(meta.get("canonical_url") or ""),
        )
    ]


BOLD_LINE = re.compile(r"^[ \t]*(\*\*|__)([^*_\n]+?)\1[ \t]*\n(?=[ \t]*\S)", re.MULTILINE)


def markdown_to_text(markdown: str) -> str:
    """Plain text with paragraphs kept: links become their text, escapes and emphasis marks go."""
    text = re.sub(r"<!--.*?-->|</?[A-Za-z][^<>]*>", "", markdown, flags=re.DOTALL)  # HTML converters leave behind
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>])", r"\1", text)
    text = BOLD_LINE.sub(r"\n\2\n\n", text)  # a line all in bold over its paragraph is its heading
    text = re.sub(r"(?<!\w)(\*\*|__)(\S.*?\S|\S)\1(?!\w)", r"\2", text)
    return text.replace("\u00a0", " ").strip()


# ToTA XML


def read_tota(name: str, data: bytes) -> list[Document]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ImportFailed(f"malformed XML: {exc}") from exc
    meta = root.find("meta")
    body = root.find("body")
    if root.tag != "treaty" or meta is None or body is None:
        raise ImportFailed("not a ToTA treaty (no <treaty><meta>…<body>)")
    clauses = tuple(_tota_clauses(body))
    if not clauses:
        raise ImportFailed("treaty has no article text")
    ident = meta.findtext("treaty_identifier") or PurePosixPath(name).stem
    parties = _tota_parties(meta)
    url = next((s.text for s in meta.iterfind("source") if s.get("type") == "full text" and s.text), "")
    text = "\n\n".join(c.text for c in clauses)
    return [
        Document(
            source="tota",
            source_id=ident,
            url=url or f"https://github.com/mappingtreaties/tota#pta_{ident}",
            language=meta.findtext("language") or detect_language(clauses[0].text),
            title=repair_mojibake(meta.findtext("name") or f"ToTA agreement {ident}"),
            text=text,
            date=first_signing_date(text) or _as_date(meta.findtext("date_signed")),
            doc_type="treaty",
            parties=parties,
            mentions=mentions_of("", text, parties),
            clauses=clauses,
            extra={k: v for k in ("type", "status", "region") if (v := meta.findtext(k) or "")},
        )
    ]


TOTA_SIDES = re.compile(r"\s+[-–]\s+")  # "EU - Korea, Republic of"


def _tota_parties(meta: ET.Element) -> tuple[str, ...]:
    """Its signatories: ToTA's parties at signing (its "parties" are today's members: the Eurasian Economic Union's
    treaty of three states listed five), with a bloc that signed as one side of its name ("EU - Korea", "EFTA -
    Chile": ToTA lists the EU's member states alone), ToTA's own codes read as ours."""
    codes = [p.text for p in meta.iterfind("parties_original/partyisocode") if p.text] or [
        p.text for p in meta.iterfind("parties/partyisocode") if p.text
    ]
    sides = TOTA_SIDES.split(meta.findtext("name") or "")
    blocs = [p for side in sides for p in ([OWN_CODES[side]] if side in OWN_CODES else find_parties(side))]
    blocs = [p for p in blocs if not is_state(p)]
    return tuple(sorted({OWN_CODES.get(c, c) for c in [*codes, *(blocs if len(sides) > 1 else [])]}))


def _tota_clauses(body: ET.Element) -> Iterator[Clause]:
    number = 0
    for chapter in body.iterfind("chapter"):
        heading = chapter.get("name", "")
        for article in chapter.iterfind("article"):
            text = " ".join(repair_mojibake("".join(article.itertext())).split())  # before "\xa0" is a space
            if text:
                number += 1
                yield Clause(number, text, label=article.get("number", "").title(), heading=heading)


# Plain text


def read_text(name: str, data: bytes) -> list[Document]:
    text = SECTION_LABEL.sub("", repair_mojibake(decode(data)).replace("\r\n", "\n"))
    # the title and body as the first imports cut them: a stored text must not change with the clause rules
    paragraphs = [p for p in split_paragraphs(text, reflow=False) if not is_boilerplate(p)]
    if not paragraphs:
        raise ImportFailed("no text")
    filename = PurePosixPath(name).name
    source_id = name  # the path under the import root: Raw/X.txt and Formatted/X.txt are two texts
    source_link = SOURCE_LINE.search(text)
    if m := UNGDC_NAME.match(filename):
        return [_ungdc(filename, m, text)]
    title = _title_from(paragraphs[0]) or filename
    body = text.split(title, 1)[-1] if title in text else text
    if not body.strip():  # one short paragraph (an amendment of two lines): the text, titled by its start
        title, body = opening(paragraphs[0]), text
    doc = _document(
        title,
        body,
        url=f"file:{filename}",
        source_id=source_id,
        canonical_url=source_link.group(1) if source_link else "",
    )
    if m := MANYID_NAME.match(filename):
        doc = _manytreaties(name, doc, m, text)
    elif source_link:
        doc = doc.replace(source="aggregator")
    return [doc]


TITLE_WORDS = 12  # words of a one-paragraph text that title it


def opening(paragraph: str) -> str:
    """The first words of a paragraph, as the title of a text that has none of its own."""
    words = paragraph.split()
    return " ".join(words[:TITLE_WORDS]) + (" …" if len(words) > TITLE_WORDS else "")


def _title_from(paragraph: str) -> str:
    """A first paragraph as title when short; else the capitalised heading it starts with."""
    if len(paragraph) <= 400:
        return paragraph
    caps = re.match(r"^(?:[A-ZА-Я][A-ZА-Я'’,.()-]*\s+){3,40}", paragraph)
    return caps.group(0).strip() if caps else ""


def _ungdc(filename: str, match: re.Match[str], text: str) -> Document:
    code, session, year = match.group("code"), int(match.group("session")), int(match.group("year"))
    return Document(
        source="ungdc",
        source_id=filename,
        url=f"https://doi.org/10.7910/DVN/0TJX8Y#{filename}",
        language="en",
        title=f"General Debate, session {session} ({year}): statement by {code}",
        text=text.strip(),
        date=dt.date(year, 1, 1),
        doc_type="speech",
        parties=(code,),
        mentions=mentions_of("", text, (code,)),
        clauses=segment(text),
        date_precision="year",
        extra={"date_precision": "year", "session": str(session)},
    )


# JSON records (e.g. kremlin.ru supplements: {id: {title, date, content, url}})


def read_json(name: str, data: bytes) -> list[Document]:
    try:
        records = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"malformed JSON: {exc}") from exc
    if isinstance(records, list) and records and all(_exported(r) for r in records):
        return [exported_document(r) for r in records]  # our own export, as one JSON array
    items = records.items() if isinstance(records, dict) else enumerate(records if isinstance(records, list) else [])
    docs = [_json_document(str(key), rec) for key, rec in items if isinstance(rec, dict)]
    docs = [d for d in docs if d is not None]
    if not docs:
        raise ImportFailed("no records with a text (content or text) and a URL")
    return docs


def _json_document(key: str, rec: dict[str, object]) -> Document | None:
    text = str(rec.get("content") or rec.get("text") or "").strip()
    url = str(rec.get("url") or "")
    if not text or not url:
        return None
    title = str(rec.get("title") or "")
    if not title or title.lower() == "no title":
        title = re.split(r"\s{2,}|\n", text, maxsplit=1)[0]
        title = re.sub(r"\s+\d{1,2}\s+\w+\s+\d{4}\s+(года|г\.)$", "", title)
        text = text[len(title) :].strip() if text.startswith(title) else text
    return _document(title, _reflow(text), url=url, source_id=url, date=_as_date(rec.get("date")))


# JSON Lines: our own export (corpus/export.py), read back as it was written


def read_jsonl(name: str, data: bytes) -> list[Document]:
    docs = []
    for number, line in enumerate(decode(data).split("\n"), start=1):  # not splitlines(): U+2028 is text
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportFailed(f"line {number}: malformed JSON: {exc}") from exc
        if not _exported(record):
            raise ImportFailed(f"line {number}: not a document of `treatysearch export` (id, source, text, clauses)")
        docs.append(exported_document(record, f"line {number}: "))
    if not docs:
        raise ImportFailed("no records")
    return docs


def _exported(record: object) -> bool:
    return isinstance(record, dict) and {"id", "source", "language", "text", "clauses"} <= record.keys()


def exported_document(rec: dict, where: str = "") -> Document:
    """A document exactly as export wrote it: same id, source, metadata, clauses and hash."""
    try:
        doc = Document(
            source=rec["source"],
            url=rec.get("url") or "",
            language=rec["language"],
            title=rec.get("title") or "",
            text=rec["text"],
            source_id=rec.get("source_id") or "",
            canonical_url=rec.get("canonical_url") or "",
            date=dt.date.fromisoformat(rec["date"]) if rec.get("date") else None,
            doc_type=rec.get("doc_type") or "other",
            parties=tuple(rec.get("parties") or ()),
            mentions=tuple((str(code), int(n)) for code, n in (rec.get("mentions") or {}).items()),
            date_precision=rec.get("date_precision") or "day",
            clauses=tuple(
                Clause(c["number"], c["text"], c.get("label", ""), c.get("heading", ""), c.get("kind", "content"))
                for c in rec["clauses"]
            ),
            translation_key=rec.get("translation_key") or "",
            document_number=rec.get("document_number") or "",
            capture=rec.get("capture") or "",
            first_seen=dt.datetime.fromisoformat(rec["first_seen"]) if rec.get("first_seen") else None,
            extra={str(k): str(v) for k, v in (rec.get("extra") or {}).items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFailed(f"{where}a malformed record: {type(exc).__name__}: {exc}") from exc
    if doc.id != rec["id"] or doc.content_hash != rec.get("content_hash", doc.content_hash):
        raise ImportFailed(f"{where}record {rec['id']}: its id or hash does not match its fields (edited?)")
    return doc


def _reflow(text: str) -> str:
    """Texts scraped without paragraph marks: a sentence end glued to a capital starts a paragraph."""
    text = text.replace("\u00a0", " ")
    text = re.split(r"\s(?:Смотрите также|See also)\s", text)[0]  # the page's "see also" box follows the text
    text = re.sub(r"(?<=[а-яa-z]{2}[.!?»])(?=[А-ЯA-Z])", "\n\n", text)  # not after initials ("В.В.Путин")
    text = re.sub(r"(?<=[а-яё]{3})(?=[А-ЯЁ]{2})", "\n", text)  # list items glued: "сотрудничествуСИЛУАНОВ"
    return re.sub(r"(?<![.!?:;»\n])\n(?!\n)", " ", text)


# shared


def _document(
    title: str, text: str, *, url: str, source_id: str, date: dt.date | None = None, canonical_url: str = ""
) -> Document:
    source, home = host_source(url)
    return build_document(
        title, text, url=url, source=source, source_id=source_id, date=date, canonical_url=canonical_url, home=home
    )


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return parse_date(value)
    return None


# CSV: one document per row (the kremlin_ru_2025 file's columns, or any columns given as a mapping)

CSV_FIELDS = ("title", "text", "date", "url", "language")
CSV_DEFAULTS: dict[str, tuple[str, ...]] = {  # the column names each field is read from when no mapping is given
    "title": ("title", "name", "headline"),
    "text": ("text", "content", "body", "full_text", "article_full_text_*"),
    "date": ("date", "published", "signature"),
    "url": ("url", "link", "source_url"),
    "language": ("language", "lang"),
}
KREMLIN_HEADER = re.compile(r"^События\s+")  # the page's section name, then title, lead, date, time and place
KREMLIN_TAIL = re.compile(r"\s(?:География|Темы|Лица|Статус материала)\s.*$", re.DOTALL)
KREMLIN_SEE_ALSO = re.compile(r"\sСмотрите также\s.{0,300}?\d{1,2}\s+[а-я]+\s+\d{4}\s+года")
# A transcript's next speaker after a sentence's end: "В.Путин:", or as the scraper saved the name's tooltip,
# "А.Беглов Беглов Александр Дмитриевич губернатор Санкт-Петербурга :" – each turn is a paragraph.
KREMLIN_TURN = re.compile(
    r"(?<=[.!?…»)])\s+(?=[А-ЯЁ]\.(?:[А-ЯЁ]\.)?(?P<name>[А-ЯЁ][а-яё-]+)(?::|\s+(?P=name)\s[^:]{1,200}?\s:))"
)


class NotDocuments(ImportFailed):
    """A file no importer reads as documents (a metadata table, an image): listed, not counted as failed."""


def parse_columns(spec: str) -> dict[str, str]:
    """A `--columns` mapping "title=Headline,text=Body,date=Published" as {field: column}."""
    mapping = dict(part.split("=", 1) for part in spec.split(",") if "=" in part)
    unknown = sorted(set(mapping) - set(CSV_FIELDS))
    if unknown or "text" not in mapping:
        raise ValueError(f"--columns maps {', '.join(CSV_FIELDS)} to CSV columns and needs text (got {spec!r})")
    return {field: column.strip() for field, column in mapping.items()}


def csv_reader(columns: dict[str, str] | None = None) -> Reader:
    """A reader of CSV files, one document per row, with the given {field: column} mapping or the defaults."""

    def read_csv(name: str, data: bytes) -> list[Document]:
        rows = list(csv.DictReader(io.StringIO(decode(data))))
        header = list(rows[0]) if rows else []
        fields = {f: _columns_for(f, header, columns) for f in CSV_FIELDS}
        if not fields["text"]:
            raise NotDocuments("a table without a text column (give --columns text=… to read it)")
        docs = [d for d in (_csv_document(name, i, row, fields) for i, row in enumerate(rows, 1)) if d]
        if not docs:
            raise ImportFailed("no row has a text")
        return docs

    return read_csv


def _columns_for(field: str, header: list[str], columns: dict[str, str] | None) -> list[str]:
    """The columns a field is read from: the mapped one, or the defaults present (numbered parts in order)."""
    if columns is not None:
        return [columns[field]] if columns.get(field) in header else []
    lowered = {h.lower().strip(): h for h in header}
    for wanted in CSV_DEFAULTS[field]:
        if wanted.endswith("*"):
            parts = sorted((h for k, h in lowered.items() if k.startswith(wanted[:-1])), key=_part_number)
            if parts:
                return parts
        elif wanted in lowered:
            return [lowered[wanted]]
    return []


def _part_number(column: str) -> int:
    digits = re.findall(r"\d+", column)
    return int(digits[-1]) if digits else 0


def _csv_document(name: str, number: int, row: dict[str, str], fields: dict[str, list[str]]) -> Document | None:
    def value(field: str) -> str:
        return "".join(row.get(c) or "" for c in fields[field]).strip()

    text, title, url = value("text"), value("title"), value("url")
    if not text:
        return None
    if KREMLIN_HEADER.match(text):
        text = _kremlin_row_text(text, row)
    date = _as_date(value("date"))
    precision = "day"
    if date is None and "kremlin.ru" in url:  # an announcement without its publication date: the month of its event
        date, precision = parse_date(text[:500]), "month"
    title = title or text.split("\n", 1)[0][:200]
    doc = _document(
        title, text, url=url or f"file:{PurePosixPath(name).name}#{number}", source_id=url or f"{name}#{number}"
    )
    language = value("language")
    return doc.replace(
        date=date or doc.date,
        date_precision=precision if date else doc.date_precision,
        language=language or doc.language,
    )


def _kremlin_row_text(text: str, row: dict[str, str]) -> str:
    """A kremlin.ru page's text as the scraper saved it: section, title, lead, date and place before the body;
    tags and the publication status after it; "see also" boxes inside."""
    text = KREMLIN_TAIL.sub("", text)
    raw_date, place = (row.get("raw_date") or "").strip(), (row.get("place") or "").strip()
    if raw_date and raw_date in text[:2000]:
        start = text.index(raw_date) + len(raw_date)
        text = re.sub(r"^\s*\d{1,2}:\d{2}\s*", "", text[start:])
        if place and text.startswith(place):
            text = text[len(place) :]
    text = KREMLIN_TURN.sub("\n\n", KREMLIN_SEE_ALSO.sub("", text))
    return _reflow(text.strip())


# manytreaties: titles and signature dates from the collection's own metadata tables (HUGGO_*.csv)

HUGGO_GLOB = ("HUGGO_*.csv", "manyID_updatedlist.csv")
READING: ContextVar[str] = ContextVar("reading", default="")  # where the file being imported lies


class Huggo(NamedTuple):
    """What HUGGO says of a text: its title, signature date ("08.10.1992") and parties ("CHN-PRK"), or ""."""

    title: str
    signature: str = ""
    parties: str = ""


@cache
def huggo_metadata(folder: Path) -> dict[str, tuple[Huggo, ...]]:
    """manyID -> what HUGGO's rows say of it, from the HUGGO tables of a folder; empty when there are none. An id
    may have two rows: EFTLTV_1995O's are the EFTA agreements with Latvia and with Slovenia."""
    found: dict[str, tuple[Huggo, ...]] = {}
    for pattern in HUGGO_GLOB:
        for path in sorted(folder.glob(pattern)):
            for row in csv.DictReader(io.StringIO(decode(path.read_bytes()))):
                key = (row.get("manyID") or row.get("manyID_new") or "").strip()
                title, signature, parties = (_known(row.get(column)) for column in ("Title", "Signature", "Parties"))
                huggo = Huggo(title, signature, parties)
                if key and title and huggo not in found.get(key, ()):
                    found[key] = (*found.get(key, ()), huggo)
    return found


def fitting(rows: tuple[Huggo, ...], text: str) -> Huggo:
    """Of HUGGO's rows of one text, the one whose signature date the text gives, then whose title's words its
    opening holds the greatest share of (the first among equals): an id's second row is often another treaty's."""
    if len(rows) < 2:
        return rows[0] if rows else Huggo("")
    opening = set(_title_words(text[:OPENING_READ]))
    dates = {date for _, date in find_dates(text)}

    def fit(row: Huggo) -> tuple[bool, float]:
        words = set(_title_words(row.title))
        return huggo_date(row.signature) in dates, len(words & opening) / max(1, len(words))

    return max(rows, key=fit)


OPENING_READ = 3000  # characters of a text whose words a title is looked for in


def _title_words(text: str) -> list[str]:
    """A text's words of four letters or more, lower case and cut to five letters (plurals and endings aside)."""
    return [w[:5] for w in re.findall(r"[^\W\d_]{4,}", text.lower())]


def _known(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value == "NA" else value


def huggo_for(name: str) -> tuple[Huggo, ...]:
    """What HUGGO's rows say of a manytreaties text, from the tables beside it (an archive member's or a file's
    folders, upwards), found from where the file lies (READING, set by import, whose names are paths under the
    import root). "X(colon)Y.txt" is the protocol X to treaty Y, which HUGGO calls "X:Y"."""
    where = READING.get() or name
    path = Path(where.split(":", 1)[0] if ".tar" in where or ".zip" in where else where)
    stem = PurePosixPath(name).stem
    for folder in list(path.parents)[:4]:
        if any(folder.glob("HUGGO_*.csv")):
            found = huggo_metadata(folder)
            return found.get(stem.replace("(colon)", ":")) or found.get(stem.split("(colon)")[0]) or ()
    return ()


def huggo_date(value: str) -> dt.date | None:
    """HUGGO's dates: "06.05.1935" or "1935-05-06"."""
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


TREATY_HEADING_WORDS = 60  # how much of a text's opening lines can be its own title


TREATY_WORDS = re.compile(
    r"^(?:the\s+)?(?:agreement|treaty|convention|protocol|memorandum|accord|charter|exchange of notes|"
    r"соглашение|договор|конвенция|протокол|меморандум|угода|договір|acuerdo|tratado|convenio|accord)\b",
    re.IGNORECASE,
)


# a heading line ending so goes on in the next line, capitalised or not: «… между Республикой Казахстан,» /
# «… Правительством Эстонской» / «… Азербайджанської Республіки та» / "… between the Government of"
GOES_ON = re.compile(
    r"(?:[,\-–—]|\b(?:и|или|а|между|о|об|в|во|на|по|с|со|у|к|при|для|та|і|й|між|про|з|із|зі|and|or|of|between|"
    r"on|the|in|for|concerning|regarding|[а-яёіїє]+(?:ской|цкой|ной|ского|ного|ских|ных|ської|ної|ською|ною|ських|"
    r"них)))$",
    re.IGNORECASE,
)


# what stands before a title on its first page: a page number, the label "Main Text:", the crest and the series
# number of a United Kingdom treaty print ("Royal Crest", "Ghana No.1 (2021)")
TITLE_FURNITURE = re.compile(
    r"^(?:\d{1,4}|(?:Main|Annex|Appendix|Title) ?Text:?|Royal Crest)$|^(?:[\w ]{0,40}\bNo\. ?\d+ \(\d{4}\) ?)",
    re.IGNORECASE,
)


def is_furniture(line: str) -> bool:
    return TITLE_FURNITURE.fullmatch(line.strip()) is not None


def without_furniture(text: str) -> str:
    """A text without the lines of furniture before its title."""
    lines = text.strip().splitlines()
    start = next((n for n, line in enumerate(lines) if line.strip() and not is_furniture(line)), 0)
    return "\n".join(lines[start:])


def own_title(text: str) -> str:
    """A treaty's own title: its opening lines («СОГЛАШЕНИЕ / между … о …») or the capitalised words it
    starts with, when they name a kind of treaty; "" otherwise. The heading ends at a blank line, a line of
    place or date ("(Москва, 4 мая 1994 г.)", "10 января 1997 года"), or a capitalised line that does not
    go on from the one before (the preamble's «Правительство … именуемые …»), or after a line that ends with
    the place and date. Furniture before it (a page number, "Main Text:", "Royal Crest") is skipped."""
    lines = [" ".join(line.split()) for line in text.strip().splitlines()[:16]]
    lines = [TITLE_FURNITURE.sub("", line) for line in lines if not (line and is_furniture(line))][:8]
    title: list[str] = []
    for line in lines:
        if not line:
            if title:
                break
            continue
        if len(line) > 300 or (title and _ends_heading(title, line)):
            break
        title.append(line)
    heading = " ".join(title) if title else _title_from(lines[0] if lines else "")
    if not title and lines and len(lines[0]) > 300:
        heading = _title_from(lines[0])
    words = heading.split()
    return heading if TREATY_WORDS.match(heading) and len(words) <= TREATY_HEADING_WORDS else ""


PLACE_AND_DATE_AFTER = re.compile(r"\([^()]*\d{4}[^()]*\)$")  # "… о нефти (Москва, 12 марта 1993 г.)"


def _ends_heading(title: list[str], line: str) -> bool:
    if PLACE_AND_DATE_AFTER.search(title[-1]):
        return True  # the heading's last line ends with where and when it was signed
    if GOES_ON.search(title[-1]):
        return False  # "DONE AT GENEVA, ON / 29 APRIL 1958", "AGREEMENT BETWEEN / THE GOVERNMENT OF …"
    if line[:1] == "(" or line[:1].isdigit() or BODY_OPENING.match(line):
        return True  # "(Москва, 4 мая 1994 г.)", "10 января 1997 года", "The States Parties to this Convention,"
    return line[:1].isupper() and not line.isupper() and len(title) > 1


BODY_OPENING = re.compile(  # who agrees, opening the preamble; the preamble's or the first article's heading
    r"(?:THE|The)\s+(?:STATES|States|SIGNATORIES|Signatories|CONTRACTING|Contracting|two|TWO|Government|"
    r"GOVERNMENT|Governments|GOVERNMENTS|High|HIGH|Parties|PARTIES)\b"
    r"|(?:PREAMBLE|Preamble|ПРЕАМБУЛА|Преамбула|ARTICLE|Article|СТАТЬЯ|Статья|СТАТТЯ|Стаття)\b"
)


def _manytreaties(name: str, doc: Document, match: re.Match[str], text: str) -> Document:
    """A manytreaties text with its title and date from HUGGO, else from its own formulas, else the id's year. Its
    readings (Raw/ and Formatted/: often an original and its English translation) share a translation key."""
    huggo = fitting(huggo_for(name), text)
    # else titled by its file name, an identifier, or by furniture ("Royal Crest", "1"): not a title
    named = doc.title != PurePosixPath(name).name and not is_furniture(doc.title.strip(": "))
    # the text's own heading over HUGGO's short, title-cased ones (but a bare "PROTOCOL" is no title); the text's
    # first words over its file's name
    own = own_title(text)
    own = "" if len(own.split()) < 3 and huggo.title else own
    title = before_source(own or huggo.title or (doc.title if named else opening(without_furniture(doc.text))))
    date, precision = _manytreaties_date(doc, int(match.group("year")), text, huggo)
    parties = _manytreaties_parties(match.group("parties") or huggo.parties, doc)
    doc_type = document_type(title)
    return doc.replace(
        source="manytreaties",
        title=title,
        parties=parties,
        mentions=mentions_of(title, doc.text, parties),
        doc_type=doc_type if doc_type not in ("other", "news", "press_release", "speech") else "treaty",
        date=date,
        date_precision=precision,
        translation_key=f"manytreaties:{PurePosixPath(name).stem}",
        extra={"date_precision": "year"} if precision == "year" else {},
    )


# the collection's note of where a text was found, run into its first line ("…the antarctic treatysrc: the governments
# of", "…of the north pacific oceansource: …"), not "resource:"
SOURCE_NOTE = re.compile(r"(?<!\bre)(?:source|src)\s*:", re.IGNORECASE)


def before_source(title: str) -> str:
    """A title without the source note run into it, begun with a capital when the text is all lower case."""
    head, *note = SOURCE_NOTE.split(title, maxsplit=1)
    title = head.strip(" ,;:…") if note and len(head.split()) >= 2 else title
    return title[:1].upper() + title[1:] if title.islower() else title


def _manytreaties_date(doc: Document, year: int, text: str, huggo: Huggo) -> tuple[dt.date, str]:
    """Its own "Done at …" of the id's year first (one of another year cites another treaty: a 2009 trade agreement
    quotes the WTO's, done at Marrakesh in 1994), then HUGGO's signature date, then a date of the id's year it
    gives, or the year."""
    date = next((d for d in signing_dates(text) if d.year == year), None) or huggo_date(huggo.signature)
    if date:
        return date, "day"
    return (doc.date, "day") if doc.date and doc.date.year == year else (dt.date(year, 1, 1), "year")


def _manytreaties_parties(codes: str, doc: Document) -> tuple[str, ...]:
    """The parties its id ("KAZ-RUS[ENP]") or HUGGO ("CHN-PRK") names, else those its text lists. A treaty has two
    at least: one state found in the text of a multilateral treaty is one it names, not its only party."""
    if codes:
        return tuple(sorted({OWN_CODES.get(code, code) for code in codes.split("-")}))
    return doc.parties if len(doc.parties) > 1 else ()


# One text at two URLs of one source is one document with two locations


def same_text_as_locations(docs: list[Document], seen: dict[tuple[str, str], str]) -> list[Document]:
    """Documents whose text this import already read at another http(s) URL of the same source point to it
    (their canonical URL), so the store keeps them as another location of that document."""
    linked = []
    for doc in docs:
        if not doc.url.startswith(("http://", "https://")) or doc.canonical_url:
            linked.append(doc)
            continue
        key = (doc.source, text_hash(doc.title, " ".join(doc.text.split())))  # title too: short news bodies repeat
        first = seen.setdefault(key, doc.url)
        linked.append(doc if first == doc.url else doc.replace(canonical_url=first))
    return linked


READERS: dict[str, Reader] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".xml": read_tota,
    ".txt": read_text,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".csv": csv_reader(),
}
ARCHIVES = (".tar.xz", ".tar.gz", ".tgz", ".tar", ".zip")


@dataclass
class ImportReport:
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "files": 0,
            "new": 0,
            "changed": 0,
            "updated": 0,
            "unchanged": 0,
            "duplicate": 0,
            "merged": 0,
            "failed": 0,
            "unread": 0,
        }
    )
    problems: list[tuple[str, str]] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)  # files no importer reads, with why


@dataclass(frozen=True)
class SourceFile:
    """One file to import: how reports name it, the path its documents are named by, and its bytes."""

    name: str  # the path as given (an archive's member: "archive.zip:member"), for reports
    key: str  # the path under the import root ("a/statement.html"): what a file's document id is made of
    load: Callable[[], bytes]
    modified: dt.datetime | None = None  # when the file (an archive's member: the archive) last changed

    @property
    def earlier_keys(self) -> tuple[str, str]:
        """What an earlier version named a file's document by: the last one or two parts of its path."""
        parts = PurePosixPath(self.name).parts
        return parts[-1], "/".join(parts[-2:])


def iter_files(
    paths: Iterable[Path], readers: dict[str, Reader], unread: list[str] | None = None
) -> Iterator[SourceFile]:
    """Every importable file under the paths, archives' members included. A path that cannot be read,
    and a symbolic link out of its folder, are files whose load() raises ImportFailed with the reason; the
    names of files no reader takes are added to `unread`."""
    for path in paths:
        if path.is_dir():
            yield from _folder(path, readers, unread)
        else:
            yield from _file(path, path.name, readers, unread)


def _folder(root: Path, readers: dict[str, Reader], unread: list[str] | None) -> Iterator[SourceFile]:
    inside = root.resolve()
    unreadable: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=unreadable.append):  # links to folders are not walked into
        here = Path(folder)
        for name in sorted(dirs):
            if (here / name).is_symlink() and not _within((here / name).resolve(), inside):
                yield _failing(here / name, name, "a symbolic link to a folder outside the imported one; not followed")
        dirs.sort()
        for name in sorted(files):
            path = here / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink() and not _within(path.resolve(), inside):
                if _wanted(name, readers) or name.lower().endswith(ARCHIVES):
                    yield _failing(path, key, "a symbolic link to a file outside the imported folder; not read")
                continue
            yield from _file(path, key, readers, unread)
    for error in unreadable:
        yield _failing(error.filename, Path(error.filename).name, f"cannot read the folder: {error.strerror}")


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _file(path: Path, key: str, readers: dict[str, Reader], unread: list[str] | None) -> Iterator[SourceFile]:
    if path.name.lower().endswith(ARCHIVES):
        yield from _archive_members(path, key, readers, unread)
    elif _wanted(path.name, readers):
        yield SourceFile(str(path), key, path.read_bytes, _modified(path))
    elif not path.exists():
        yield _failing(path, key, "no such file or folder")
    elif unread is not None:
        unread.append(str(path))


def _modified(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    except OSError:
        return None  # unreadable: its load() says why


def _failing(path: Path | str, key: str, reason: str) -> SourceFile:
    def load() -> bytes:
        raise ImportFailed(reason)

    return SourceFile(str(path), key, load)


def _wanted(name: str, readers: dict[str, Reader]) -> bool:
    lower = PurePosixPath(name).name.lower()
    return lower not in NOT_DOCUMENTS and not lower.startswith("._") and PurePosixPath(lower).suffix in readers


def _archive_members(
    path: Path, key: str, readers: dict[str, Reader], unread: list[str] | None = None
) -> Iterator[SourceFile]:
    """An archive's members as files under it ("corpus.zip/x/a.md"); a corrupt or cut-off archive is a
    failing file, after the members read before the damage."""
    read, modified = 0, _modified(path)
    try:
        for member, load in _members(path):
            if _wanted(member, readers):
                read += 1
                yield SourceFile(f"{path}:{member}", f"{key}/{member}", load, modified)
            elif unread is not None:
                unread.append(f"{path}:{member}")
    except Exception as exc:  # zipfile, tarfile, lzma, zlib: whatever breaks in the archive is its problem
        where = f"after {read} members" if read else "unreadable"
        yield _failing(path, key, f"a damaged archive ({where}): {_one_line(exc)}")


def _members(path: Path) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """(member name, its bytes) of a zip or tar archive, read one at a time."""
    if path.name.lower().endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, (lambda info=info: archive.read(info))
        return
    with tarfile.open(path) as archive:
        for member in archive:
            if member.isfile():  # links, devices and folders are not documents
                data = archive.extractfile(member).read()  # type: ignore[union-attr]
                yield member.name, (lambda data=data: data)
        # tarfile ends quietly at the first header it cannot read; what follows must be the end's zero blocks
        # (reading it also makes the decompressor check the stream)
        if archive.fileobj.read().strip(b"\0"):  # type: ignore[union-attr]
            raise tarfile.ReadError("unreadable data after the last member read")


def read_file(name: str, data: bytes, readers: dict[str, Reader]) -> list[Document]:
    return readers[PurePosixPath(name.lower()).suffix](name, data)


def read_source(file: SourceFile, readers: dict[str, Reader]) -> list[Document]:
    """The documents of one file. Whatever is wrong with the file – unreadable, malformed, nested too deeply
    for the parser – raises ImportFailed with the reason, so that one bad file never stops an import."""
    reading = READING.set(file.name)
    try:
        data = file.load()
        return [read_from(doc, data) for doc in read_file(file.key, data, readers)]
    except ImportFailed:
        raise
    except RecursionError:
        raise ImportFailed("nested too deeply to read") from None
    except MemoryError:
        raise ImportFailed("too large to read") from None
    except Exception as exc:
        raise ImportFailed(_one_line(exc)) from exc
    finally:
        READING.reset(reading)


def _one_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def import_paths(
    store: Store,
    paths: Iterable[Path],
    readers: dict[str, Reader] | None = None,
    progress: Callable[[str], None] | None = None,
    batch: int = 200,
) -> ImportReport:
    """Load every document under the paths into the store; report, and skip, files that fail."""
    readers = readers or READERS
    report = ImportReport()
    pending: list[tuple[SourceFile, list[Document]]] = []
    claimed: set[str] = set()
    unread: list[str] = []
    seen: dict[tuple[str, str], str] = {}
    for file in iter_files(paths, readers, unread):
        report.counts["files"] += 1
        try:
            pending.append((file, same_text_as_locations(read_source(file, readers), seen)))
        except NotDocuments as exc:
            report.counts["files"] -= 1
            unread.append(file.name)
            report.unread.append((file.name, str(exc)))
        except ImportFailed as exc:
            report.counts["failed"] += 1
            report.problems.append((file.name, str(exc)))
        if progress:
            progress(file.name)
        if sum(len(docs) for _, docs in pending) >= batch:
            _flush(store, pending, report, claimed)
    _flush(store, pending, report, claimed)
    report.unread += [(name, _unread_reason(name)) for name in unread if name not in dict(report.unread)]
    report.counts["unread"] = len(unread)
    return report


def _unread_reason(name: str) -> str:
    lower = PurePosixPath(name).name.lower()
    if lower in NOT_DOCUMENTS or lower.startswith("._"):
        return "not a document (licence, readme, index)"
    return f"no importer reads {PurePosixPath(lower).suffix or 'files without a suffix'}"


def _flush(
    store: Store, pending: list[tuple[SourceFile, list[Document]]], report: ImportReport, claimed: set[str]
) -> None:
    """Save the pending files' documents in one transaction; when the store refuses something in it, file by
    file, so that only the file it refused is lost (and reported)."""
    files = _keep_earlier_ids(store, pending, claimed)
    unsaved: dict[str, list[tuple[str, str]]] = {}  # readings of this batch, which the store does not hold yet
    files = [(file, readings_checked(docs, store.readings, unsaved)) for file, docs in files]
    store.adopt_fingerprints(_unchanged_since(files))
    try:
        _count(report, store.save_many([doc for _, docs in files for doc in docs]))
    except RejectedDocument:
        for file, docs in files:
            try:
                _count(report, store.save_many(docs))
            except RejectedDocument as exc:
                report.counts["failed"] += 1
                report.problems.append((file.name, str(exc)))
    pending.clear()


def _unchanged_since(files: list[tuple[SourceFile, list[Document]]]) -> dict[str, tuple[str, dt.datetime]]:
    """Each document's fingerprint and when its file last changed: a document stored since then by a version
    that kept no fingerprint was read from these very bytes."""
    return {
        doc.id: (doc.extra[SOURCE_HASH], file.modified)
        for file, docs in files
        if file.modified
        for doc in docs
        if SOURCE_HASH in doc.extra
    }


def _count(report: ImportReport, results: Iterable[object]) -> None:
    for result in results:
        report.counts[result.status] += 1  # type: ignore[attr-defined]
        report.counts["merged"] += len(result.merged)  # type: ignore[attr-defined]


def _keep_earlier_ids(
    store: Store, pending: list[tuple[SourceFile, list[Document]]], claimed: set[str]
) -> list[tuple[SourceFile, list[Document]]]:
    """Documents named by their file's path are marked with it (extra["path"]), and keep the id an earlier
    version gave them – from the last one or two parts of the path, and unmarked – so that re-importing a
    corpus imported then neither duplicates it nor changes its permalinks. The first file to answer to such
    an id takes it; other files that had the same id (a/statement.html, b/statement.html) get their own."""
    earlier = {
        (file.key, doc.id): [doc.replace(source_id=doc.source_id[: -len(file.key)] + k) for k in file.earlier_keys]
        for file, docs in pending
        for doc in docs
        if doc.source_id.endswith(file.key)
    }
    wanted = {doc.id for docs in earlier.values() for doc in docs} | {doc_id for _, doc_id in earlier}
    present = store.existing(wanted) if earlier else set()
    return [
        (file, [_earlier(store, file, doc, earlier.get((file.key, doc.id)), present, claimed) for doc in docs])
        for file, docs in pending
    ]


def _earlier(
    store: Store, file: SourceFile, doc: Document, earlier: list[Document] | None, present: set[str], claimed: set[str]
) -> Document:
    if earlier is None:
        return doc  # named by its URL or its own identifier, not by its path
    marked = {**doc.extra, "path": file.key}
    if doc.id not in present:
        for old in earlier:
            if old.id != doc.id and old.id in present and old.id not in claimed:
                stored = store.get(old.id)
                if stored is not None and stored.extra.get("path", file.key) == file.key:  # unmarked, or this file's
                    claimed.add(old.id)
                    return old.replace(extra=marked)
    return doc.replace(extra=marked)
