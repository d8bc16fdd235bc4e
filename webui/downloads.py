"""CSV downloads: every search result with its best snippet and clause, safe to open in a spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from html import unescape

from flask import Response, stream_with_context
from markupsafe import Markup

from corpus.model import Document
from corpus.spreadsheets import BOM, SafeWriter
from indexer.results import MAX_PAGE, Hit, SearchRequest

SEARCH_COLUMNS = [
    "id",
    "title",
    "date",
    "parties",
    "doc_type",
    "language",
    "source",
    "url",
    "page",
    "snippet",
    "best_clause",
    "best_clause_text",
]
BATCH = 200  # results fetched (with snippets) per index request


def plain(snippet_html: str) -> str:
    """A snippet's escaped HTML with <mark>s as plain text on one line."""
    return " ".join(unescape(Markup(snippet_html).striptags()).split())


def clause_text(doc: Document, number: int | None) -> str:
    return next((c.text for c in doc.clauses if c.number == number), "") if number else ""


def search_row(hit: Hit, doc: Document, page: str) -> list[object]:
    """One CSV row: the document's metadata, its web address, our page, and where the query matched best."""
    return [
        doc.id,
        doc.title,
        doc.date.isoformat() if doc.date else "",
        ";".join(doc.parties),
        doc.doc_type,
        doc.language,
        doc.source,
        doc.link,
        page,
        plain(hit.snippets[0]) if hit.snippets else "",
        hit.clause or "",
        clause_text(doc, hit.clause),
    ]


def result_batches(index: object, request: SearchRequest) -> Iterator[tuple[Hit, ...]]:
    """Every hit of a search in its order, a batch at a time, each with one snippet."""
    for page in range(1, MAX_PAGE + 1):
        hits = index.search(request.with_(page=page, page_size=BATCH, snippets=1)).hits  # type: ignore[attr-defined]
        if not hits:
            return
        yield hits
        if len(hits) < BATCH:
            return


def csv_rows(index: object, store: object, request: SearchRequest, page_of: Callable[[str], str]) -> Iterator[list]:
    """The header, then a row for every result of the search."""
    yield SEARCH_COLUMNS
    for hits in result_batches(index, request):
        docs = {d.id: d for d in store.iter_documents([h.id for h in hits])}  # type: ignore[attr-defined]
        for hit in hits:
            if hit.id in docs:
                yield search_row(hit, docs[hit.id], page_of(hit.id))


def csv_text(rows: Iterable[Iterable[object]], bom: bool = True) -> Iterator[str]:
    """CSV text row by row (for streaming), a byte-order mark first unless told not to."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    if bom:
        buffer.write(BOM)
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_response(rows: Iterable[Iterable[object]], filename: str, bom: bool = True) -> Response:
    """A CSV download; with bom=True (the default) Excel reads its Cyrillic right."""
    return Response(
        stream_with_context(csv_text(rows, bom)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
