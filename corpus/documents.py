"""Building a document from a title and a text: the metadata both show, derived in one place."""

from __future__ import annotations

import datetime as dt

from corpus.clauses import segment
from corpus.metadata import detect_language, document_type, extract_parties, parse_date, signing_date
from corpus.model import Document


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
) -> Document:
    """A document whose language, date, type, parties and clauses come from its title and text."""
    title = " ".join(title.split())
    text = text.strip()
    doc_type = document_type(title)
    if date is None and doc_type == "treaty":
        date = signing_date(text)
    return Document(
        source=source,
        url=url,
        source_id=source_id or url,
        canonical_url=canonical_url,
        language=language or detect_language(f"{title}\n{text}"),
        title=title,
        text=text,
        date=date or parse_date(f"{title}\n{text[:3000]}"),
        doc_type=doc_type,
        parties=extract_parties(title, text, home=home),
        clauses=segment(text, title),
        document_number=document_number,
        translation_key=translation_key,
    )
