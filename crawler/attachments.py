"""The text of files an article links (mid.ru attachments): PDF through pypdf, Word (.docx) through python-docx.

Pure functions from bytes to a title and paragraphs; the kind of file is told by its first bytes, not by what
the server calls it. An old binary Word file (.doc) has no reader here and is refused with that reason.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import docx
import pypdf
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf.errors import PyPdfError


class AttachmentError(ValueError):
    """A linked file whose text cannot be read; the message says why."""


@dataclass(frozen=True)
class AttachmentText:
    title: str  # the file's own title (its metadata), else its first line
    text: str  # paragraphs apart by blank lines, headings marked "## "


# a line that opens a new paragraph of a PDF: a numbered point, an article or a dated place line
NEW_PARAGRAPH = re.compile(r"^(?:\d{1,3}[.)]\s|[IVX]{1,5}\.\s|[а-яa-z]\)\s|(?:Article|Статья)\s+\d|[-–•]\s)")
OFFICE_TITLE = re.compile(r"^(?:Microsoft Word - |Документ Microsoft Word)|\.docx?$", re.IGNORECASE)


def attachment_kind(body: bytes) -> str:
    """ "pdf", "docx" or "doc" by the file's first bytes; "" for anything else (an HTML page, say)."""
    if body.startswith(b"%PDF-"):
        return "pdf"
    if body.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # an OLE compound file: Word 97-2003
    if body.startswith(b"PK\x03\x04") and b"word/" in body[:2000]:
        return "docx"
    return ""


def read_attachment(body: bytes) -> AttachmentText:
    """The title and text of a PDF or .docx file, or AttachmentError saying why there is none."""
    kind = attachment_kind(body)
    if kind == "pdf":
        return _pdf(body)
    if kind == "docx":
        return _docx(body)
    if kind == "doc":
        raise AttachmentError("a Word 97-2003 (.doc) file: no reader for its text")
    raise AttachmentError("not a PDF or Word (.docx) file")


def _pdf(body: bytes) -> AttachmentText:
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str((reader.metadata or {}).get("/Title") or "")
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise AttachmentError(f"not a readable PDF ({exc})") from None
    paragraphs = reflow("\n".join(pages).splitlines())
    if not paragraphs:
        raise AttachmentError("a PDF without a text layer (a scan?)")
    return AttachmentText(_title(title, paragraphs), "\n\n".join(paragraphs))


def reflow(lines: list[str]) -> list[str]:
    """A PDF's lines as paragraphs: a paragraph ends at a blank line, after a line that ends a sentence, or
    before a numbered point; a word broken by a hyphen at a line's end is joined again."""
    paragraphs: list[str] = []
    current = ""
    for raw in lines:
        line = " ".join(raw.split())
        if current and (not line or NEW_PARAGRAPH.match(line)):
            paragraphs.append(current)
            current = ""
        if not line:
            continue
        current = current[:-1] + line if re.search(r"\w-$", current) and line[:1].islower() else f"{current} {line}"
        current = current.strip()
        if current.endswith((".", ";", "!", "?", ":")):
            paragraphs.append(current)
            current = ""
    return paragraphs + ([current] if current else [])


def _docx(body: bytes) -> AttachmentText:
    try:
        document = docx.Document(io.BytesIO(body))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise AttachmentError(f"not a readable Word file ({exc})") from None
    paragraphs = [p for block in document.iter_inner_content() for p in _block_text(block)]
    if not paragraphs:
        raise AttachmentError("a Word file without text")
    return AttachmentText(_title(document.core_properties.title or "", paragraphs), "\n\n".join(paragraphs))


def _block_text(block: Paragraph | Table) -> list[str]:
    """A paragraph's text (a heading marked "## "), or a table's rows, cells apart by " | "."""
    if isinstance(block, Table):
        rows = (" | ".join(dict.fromkeys(" ".join(c.text.split()) for c in row.cells)) for row in block.rows)
        return [row for row in rows if row.strip(" |")]
    text = " ".join(block.text.split())
    heading = block.style is not None and (block.style.name or "").lower().startswith(("heading", "title"))
    return [f"## {text}" if heading else text] if text else []


def _title(metadata: str, paragraphs: list[str]) -> str:
    """The file's own title, unless it is only the name of the file it was made from; else its first line."""
    metadata = " ".join(metadata.split())
    if metadata and not OFFICE_TITLE.search(metadata):
        return metadata
    return paragraphs[0].removeprefix("## ")[:300]
