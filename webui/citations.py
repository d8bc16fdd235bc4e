"""Citations of a document: BibTeX and RIS, with the date it was retrieved."""

from __future__ import annotations

import datetime as dt
import re

from corpus.model import DOC_TYPES, Document

AUTHORS = {
    "mid": "Ministry of Foreign Affairs of the Russian Federation",
    "kremlin": "President of Russia",
    "whitehouse": "The White House",
    "tota": "Texts of Trade Agreements (ToTA)",
    "ungdc": "United Nations General Debate Corpus",
    "manytreaties": "manytreaties (GGO)",
}


def _author(doc: Document) -> str:
    return AUTHORS.get(doc.source, doc.source)


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def bibtex(doc: Document, retrieved: dt.date, page_url: str) -> str:
    fields = {
        "title": doc.title,
        "author": f"{{{_author(doc)}}}",
        "year": str(doc.year or ""),
        "date": doc.date.isoformat() if doc.date and not doc.extra.get("date_precision") else "",
        "type": DOC_TYPES.get(doc.doc_type, doc.doc_type),
        "language": doc.language,
        "url": doc.canonical_url or doc.url,
        "howpublished": f"\\url{{{page_url}}}",
        "urldate": retrieved.isoformat(),
        "note": f"Retrieved {retrieved.isoformat()}",
    }
    body = ",\n".join(
        f"  {k} = {{{_bibtex_escape(v) if k not in ('url', 'howpublished', 'author') else v}}}"
        for k, v in fields.items()
        if v
    )
    return f"@misc{{ts_{doc.id},\n{body}\n}}\n"


def ris(doc: Document, retrieved: dt.date, page_url: str) -> str:
    lines = [
        ("TY", "GOVDOC"),
        ("TI", doc.title),
        ("AU", _author(doc)),
        ("PY", str(doc.year or "")),
        ("DA", doc.date.strftime("%Y/%m/%d") if doc.date and not doc.extra.get("date_precision") else ""),
        ("LA", doc.language),
        ("M3", DOC_TYPES.get(doc.doc_type, doc.doc_type)),
        ("UR", doc.canonical_url or doc.url),
        ("L2", page_url),
        ("Y2", retrieved.strftime("%Y/%m/%d")),
        ("ID", doc.id),
        *(("KW", party) for party in doc.parties),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value or tag == "ER")
