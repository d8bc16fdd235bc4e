"""Citations of a document in BibTeX, RIS and CSL-JSON: the issuing body as author, the original's URL."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote, urlsplit

import pycountry

from corpus.model import DOC_TYPES, Document

# Who issues what a site publishes: by the host of the original, then by our source name.
PUBLISHERS = {
    "mid.ru": "Ministry of Foreign Affairs of the Russian Federation",
    "kremlin.ru": "President of the Russian Federation",
    "whitehouse.gov": "The White House",
    "state.gov": "U.S. Department of State",
}
SOURCE_HOSTS = {"mid": "mid.ru", "kremlin": "kremlin.ru", "whitehouse": "whitehouse.gov"}
CSL_TYPES = {"treaty": "treaty", "speech": "speech", "press_release": "article"}


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    return next((known for known in PUBLISHERS if host == known or host.endswith("." + known)), "")


def government(party: str) -> str:
    """ "Government of Kyrgyzstan" for a country code; a group (EU, SCO …) stands as its acronym."""
    country = pycountry.countries.get(alpha_3=party) if len(party) == 3 else None
    return f"Government of {getattr(country, 'common_name', None) or country.name}" if country else party


def authors(doc: Document) -> list[str]:
    """The issuing body: the ministry or presidency that published it, else the signatory governments."""
    host = _host(doc.link) or SOURCE_HOSTS.get(doc.source, "")
    if host:
        return [PUBLISHERS[host]]
    if doc.parties:
        return [government(p) for p in doc.parties]
    return [doc.source]


def cited_url(doc: Document, page_url: str) -> str:
    """The original's web address (canonical when the text is a copy), else our page of it."""
    return doc.link or page_url


def _exact_date(doc: Document) -> dt.date | None:
    return doc.date if doc.date and not doc.extra.get("date_precision") else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _bibtex_text(text: str) -> str:
    escaped = re.sub(r"([{}&%$#_^~])", r"\\\1", _one_line(text).replace("\\", "\0"))
    return escaped.replace("\0", "\\textbackslash{}")


def _bibtex_url(url: str) -> str:
    return quote(_one_line(url), safe=":/?#[]@!$&'()*+,;=%~-._")


def bibtex(doc: Document, retrieved: dt.date, page_url: str) -> str:
    date = _exact_date(doc)
    fields = {
        "title": _bibtex_text(doc.title),
        # Corporate authors in double braces, so BibTeX does not split them into given and family names.
        "author": " and ".join(f"{{{_bibtex_text(a)}}}" for a in authors(doc)),
        "year": str(doc.year or ""),
        "date": date.isoformat() if date else "",
        "type": DOC_TYPES.get(doc.doc_type, doc.doc_type),
        "language": _bibtex_text(doc.language),
        "url": _bibtex_url(cited_url(doc, page_url)),
        "howpublished": f"\\url{{{_bibtex_url(page_url)}}}",
        "urldate": retrieved.isoformat(),
        "note": f"Retrieved {retrieved.isoformat()}",
    }
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    return f"@misc{{ts_{doc.id},\n{body}\n}}\n"


def ris(doc: Document, retrieved: dt.date, page_url: str) -> str:
    date = _exact_date(doc)
    lines = [
        ("TY", "GOVDOC"),
        ("TI", doc.title),
        *(("AU", a) for a in authors(doc)),
        ("PY", str(doc.year or "")),
        ("DA", date.strftime("%Y/%m/%d") if date else ""),
        ("LA", doc.language),
        ("M3", DOC_TYPES.get(doc.doc_type, doc.doc_type)),
        ("UR", cited_url(doc, page_url)),
        ("L2", page_url),
        ("Y2", retrieved.strftime("%Y/%m/%d")),
        ("ID", doc.id),
        *(("KW", party) for party in doc.parties),
    ]
    # One line per tag: a newline inside a value would start a forged tag or record.
    body = "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines if _one_line(value))
    return body + "ER  - \r\n"


def csl_json(doc: Document, retrieved: dt.date, page_url: str) -> list[dict[str, object]]:
    """The document as CSL-JSON (an array of one item), which Zotero, Pandoc and citeproc read."""
    date = _exact_date(doc)
    item: dict[str, object] = {
        "id": doc.id,
        "type": CSL_TYPES.get(doc.doc_type, "document"),
        "title": _one_line(doc.title),
        "author": [{"literal": a} for a in authors(doc)],
        "genre": DOC_TYPES.get(doc.doc_type, doc.doc_type),
        "language": doc.language,
        "URL": cited_url(doc, page_url),
        "accessed": {"date-parts": [[retrieved.year, retrieved.month, retrieved.day]]},
        "keyword": ", ".join(doc.parties),
        "note": f"Also at {page_url}",
    }
    if date:
        item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    elif doc.year:
        item["issued"] = {"date-parts": [[doc.year]]}
    if doc.document_number:
        item["number"] = doc.document_number
    return [item]
