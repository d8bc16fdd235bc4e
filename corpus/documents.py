"""Building a document from a title and a text: the metadata both show, derived in one place."""

from __future__ import annotations

import datetime as dt

from corpus.clauses import segment
from corpus.metadata import (
    detect_language,
    document_type,
    extract_parties,
    mentions_of,
    parse_date,
    signing_date,
)
from corpus.model import Document

OWN_DATE_TYPES = frozenset({"treaty", "memorandum"})  # texts that end with their date of signing


def build_document(
    title: str,
    text: str,
    *,
    url: str,
    source: str,
    source_id: str = "",
    language: str = "",
    date: dt.date | None = None,
    canonical_url: str = "",
    home: str = "",
    document_number: str = "",
    translation_key: str = "",
    date_precision: str = "day",
) -> Document:
    """A document whose language, date, type, parties and clauses come from its title and text."""
    title = " ".join(title.split())
    text = text.strip()
    doc_type = document_type(title, url)
    if doc_type in OWN_DATE_TYPES:  # the text's own date of signing over the page's
        own = signing_date(text)
        date, date_precision = (own, "day") if own else (date, date_precision)
    if date is None:
        date, date_precision = parse_date(f"{title}\n{text[:3000]}"), "day"
    parties = extract_parties(title, text, home=home, doc_type=doc_type)
    return Document(
        source=source,
        url=url,
        source_id=source_id or url,
        canonical_url=canonical_url,
        language=language or detect_language(f"{title}\n{text}"),
        title=title,
        text=text,
        date=date,
        date_precision=date_precision if date else "day",
        doc_type=doc_type,
        parties=parties,
        mentions=mentions_of(title, text, parties),
        clauses=segment(text, title),
        document_number=document_number,
        translation_key=translation_key,
    )
