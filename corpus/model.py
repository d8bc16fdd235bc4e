"""The data model: documents, their clauses, revisions and other locations."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DOC_TYPES: dict[str, str] = {
    "joint_statement": "Joint statement",
    "joint_declaration": "Joint declaration",
    "communique": "Communiqué",
    "treaty": "Treaty / agreement",
    "memorandum": "Memorandum",
    "resolution": "Resolution / general comment",
    "speech": "Speech",
    "press_release": "Press release",
    "news": "News item",
    "other": "Other",
}
CLAUSE_KINDS = ("content", "formal")  # formal: signature blocks, places and dates of signing
DATE_PRECISIONS = ("day", "month", "year")


def make_id(source: str, language: str, source_id: str) -> str:
    """A stable document id from source, language and the source's own id or URL."""
    key = f"{source}|{language}|{source_id}".encode()
    return hashlib.sha1(key).hexdigest()[:16]


def is_web_url(url: str) -> bool:
    """An http(s) address with a host: the only kind that can name the same page twice (not "", not file:)."""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed address (an unclosed IPv6 bracket, a bad port) is no web address
        return False


SOURCE_HASH = "source_sha256"  # extra key: the hash of the bytes a document was read from (a file, a response)


def source_hash(data: bytes) -> str:
    """What a document was read from, fingerprinted: the same bytes read again by a better reader give a new
    reading of the same text, not a new revision of it."""
    return hashlib.sha256(data).hexdigest()[:32]


def read_from(doc: Document, data: bytes) -> Document:
    """The document marked with the fingerprint of the bytes it was read from (unless it brings its own: a
    record of our export keeps the fingerprint of what the exported document was read from)."""
    return doc.replace(extra={SOURCE_HASH: source_hash(data), **doc.extra})


def text_hash(title: str, text: str) -> str:
    """The content hash: what makes a new revision when it changes."""
    return hashlib.sha256(f"{title}\n\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class Clause:
    """One numbered paragraph or item of a document."""

    number: int  # position in the document, 1-based: the anchor #c<number>
    text: str
    label: str = ""  # the numbering a reader sees in the original ("1", "a)", "Article 5")
    heading: str = ""  # the section heading the clause stands under
    kind: str = "content"  # "formal" for signature blocks, places and dates of signing

    @property
    def is_content(self) -> bool:
        return self.kind == "content"


@dataclass(frozen=True)
class Document:
    """A diplomatic text with its metadata, as the store keeps it."""

    source: str
    url: str
    language: str
    title: str
    text: str
    source_id: str = ""  # the source's own id; the URL when it has none
    canonical_url: str = ""  # the original, when this page republishes another site's text
    date: dt.date | None = None
    doc_type: str = "other"
    parties: tuple[str, ...] = ()  # the states and organisations that issued or signed the text
    clauses: tuple[Clause, ...] = ()
    translation_key: str = ""  # documents sharing it are translations of each other
    document_number: str = ""  # e.g. mid.ru's "1345-28-06-2022"
    capture: str = ""  # where the archived response lies, e.g. "file.warc.gz#offset"
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    revision: int = 1
    extra: dict[str, str] = field(default_factory=dict, compare=False)
    mentions: tuple[tuple[str, int], ...] = ()  # the other parties the text names, with how often: (code, count)
    date_precision: str = "day"  # "day", "month" or "year": how much of `date` the source gives

    @property
    def id(self) -> str:
        return make_id(self.source, self.language, self.source_id or self.url)

    @property
    def content_hash(self) -> str:
        return text_hash(self.title, self.text)

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None

    @property
    def reading_of(self) -> str:
        """What its readings in its language share: documents with the same translation key and language are
        one text read twice (manytreaties' Raw/ and Formatted/ copies of an English treaty); "" for none."""
        return f"{self.translation_key} {self.language}" if self.translation_key else ""

    @property
    def link(self) -> str:
        """The web address to open and cite: the original (canonical) one, else this copy's, if on the web."""
        return next((u for u in (self.canonical_url, self.url) if is_web_url(u)), "")

    @property
    def date_shown(self) -> str:
        """The date as far as it is known: "2022-03-05", "2022-03" or "2022"."""
        if self.date is None:
            return ""
        return self.date.isoformat()[: {"year": 4, "month": 7}.get(self.date_precision, 10)]

    def replace(self, **changes: object) -> Document:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Revision:
    """An earlier version of a document's text, kept when the text changed."""

    doc_id: str
    revision: int
    title: str
    text: str
    content_hash: str
    clauses: tuple[Clause, ...]
    saved_at: dt.datetime
    capture: str = ""


@dataclass(frozen=True)
class Location:
    """Another URL where the same text was found (an aggregator's copy, a mirror)."""

    doc_id: str
    url: str
    source: str
    seen_at: dt.datetime


@dataclass(frozen=True)
class Change:
    """One entry of the store's change log, which the indexer follows."""

    seq: int
    doc_id: str
    op: str  # "upsert" or "delete"


@dataclass(frozen=True)
class SaveResult:
    """What one save did: its status, and the copies it merged into the document (each kept as a location)."""

    doc_id: str
    status: str  # "new", "changed", "updated" (metadata only), "unchanged", "duplicate"
    revision: int
    merged: tuple[str, ...] = ()  # ids of stored copies of this original, now its locations
