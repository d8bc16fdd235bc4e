"""The comparison views: two documents clause by clause, a series across years, and "where else"."""

from __future__ import annotations

import csv
import dataclasses
import io

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from compare.align import Alignment, AlignmentError, Options, align, corpus_frequencies
from compare.redline import column, inline, redline_docx, redline_html, row_label
from compare.series import series, where_else
from compare.units import label
from corpus.model import Document
from indexer.results import SearchRequest

bp = Blueprint("compare", __name__)
CSV_COLUMNS = [
    "row",
    "kind",
    "clauses_a",
    "clauses_b",
    "score",
    "shared_words",
    "moved",
    "confidence",
    "text_a",
    "text_b",
]


def services() -> dict:
    return current_app.extensions["treatysearch"]


def document(arg: str) -> Document:
    doc_id = request.args.get(arg, "")
    if not doc_id:
        abort(400, description=f"say which documents to compare: /compare?a=<id>&b=<id> ({arg} is missing)")
    doc = services()["store"].get(doc_id) if len(doc_id) <= 64 else None
    if doc is None:
        abort(404, description=f"No document {doc_id!r}.")
    return doc


def options() -> Options:
    return Options(
        ignore_case=request.args.get("case") != "1",
        ignore_punctuation=request.args.get("punct") != "1",
        stems=request.args.get("stems") != "0",
    )


def in_order(a: Document, b: Document) -> tuple[Document, Document]:
    """The older document on the left, unless the address asks for the order given (order=given)."""
    if request.args.get("order") != "given" and a.date and b.date and a.date > b.date:
        return b, a
    return a, b


def aligned(a: Document, b: Document) -> Alignment:
    """The alignment, with stem rarity from the index; a bad pair or a blown budget is a 400 with its reason."""
    try:
        chosen = options()
        return align(a, b, chosen, corpus_frequencies(services()["index"], chosen, a, b))
    except AlignmentError as exc:
        abort(400, description=str(exc))


def current_alignment() -> Alignment:
    return aligned(*in_order(document("a"), document("b")))


def texts(alignment: Alignment, side: str, numbers: tuple[int, ...]) -> str:
    found = alignment.units_a if side == "a" else alignment.units_b
    return " ".join(found[n - 1].text for n in numbers)


def address(alignment: Alignment, endpoint: str = "compare.compare_page", **extra: str) -> str:
    """The same comparison (same documents, order and options) at another view or format."""
    args = {k: v for k, v in request.args.items() if k not in ("a", "b", "order", *extra)}
    return url_for(endpoint, a=alignment.a.id, b=alignment.b.id, order="given", **args, **extra)


@bp.route("/compare")
def compare_page() -> str:
    alignment = current_alignment()
    return render_template(
        "compare.html",
        al=alignment,
        only_changes=request.args.get("changes") == "1",
        mode="inline" if request.args.get("mode") == "inline" else "side",
        column=column,
        inline=inline,
        row_label=row_label,
        label=label,
        address=address,
        swap=url_for("compare.compare_page", a=alignment.b.id, b=alignment.a.id, order="given"),
    )


@bp.route("/compare.json")
def compare_json() -> dict:
    alignment = current_alignment()
    return {
        "a": {"id": alignment.a.id, "title": alignment.a.title, "date": str(alignment.a.date or "")},
        "b": {"id": alignment.b.id, "title": alignment.b.title, "date": str(alignment.b.date or "")},
        "summary": dataclasses.asdict(alignment.summary),
        "options": dataclasses.asdict(alignment.options),
        "units_a": [dataclasses.asdict(u) for u in alignment.units_a],
        "units_b": [dataclasses.asdict(u) for u in alignment.units_b],
        "pairs": [dataclasses.asdict(p) for p in alignment.pairs],
    }


@bp.route("/compare.csv")
def compare_csv() -> Response:
    alignment = current_alignment()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for n, p in enumerate(alignment.pairs, start=1):
        numbers_a = ";".join(label(alignment.units_a[k - 1]) for k in p.a)
        numbers_b = ";".join(label(alignment.units_b[k - 1]) for k in p.b)
        text_a, text_b = texts(alignment, "a", p.a), texts(alignment, "b", p.b)
        writer.writerow(
            [n, p.kind, numbers_a, numbers_b, p.score, p.shared_words, int(p.moved), p.confidence, text_a, text_b]
        )
    return download(out.getvalue(), "text/csv", "comparison.csv")


@bp.route("/compare.html")
def compare_redline_html() -> Response:
    return download(redline_html(current_alignment()), "text/html", "redline.html")


@bp.route("/compare.docx")
def compare_redline_docx() -> Response:
    mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return download(redline_docx(current_alignment()), mimetype, "redline.docx")


def download(body: str | bytes, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def current_series():
    parties = tuple(dict.fromkeys(p.upper() for p in request.args.getlist("party") if p.strip()))[:10]
    if len(parties) < 2:
        abort(400, description="a series needs two or more parties: /series?party=RUS&party=KGZ")
    languages = tuple(request.args.getlist("lang")[:3])
    types = tuple(request.args.getlist("type")[:8])
    ids = services()["index"].matching_ids(
        SearchRequest(parties=parties, party_mode="all", languages=languages, types=types, sort="oldest")
    )[-25:]  # the newest 25 of the series
    docs = list(services()["store"].iter_documents(ids))
    language = languages[0] if languages else (docs[-1].language if docs else "")
    return parties, series([d for d in docs if d.language == language], options())


@bp.route("/series")
def series_page() -> str:
    parties, result = current_series()
    return render_template("series.html", parties=parties, s=result)


@bp.route("/series.json")
def series_json() -> dict:
    parties, result = current_series()
    return {
        "parties": list(parties),
        "documents": [{"id": d.id, "title": d.title, "date": str(d.date or "")} for d in result.documents],
        "skipped": list(result.skipped),
        "clauses": [
            {
                "number": c.number,
                "text": c.text,
                "first_seen": dataclasses.asdict(c.first_seen) if c.first_seen else None,
                "reworded_in": [dataclasses.asdict(a) for a in c.reworded_in],
                "appearances": [dataclasses.asdict(a) for a in c.appearances],
            }
            for c in result.clauses
        ],
    }


def current_elsewhere(doc_id: str, number: int):
    store, index = services()["store"], services()["index"]
    doc = store.get(doc_id) if len(doc_id) <= 64 else None
    clause = next((c for c in doc.clauses if c.number == number), None) if doc else None
    if clause is None:
        abort(404, description=f"No clause {number} in document {doc_id!r}.")
    candidates = store.iter_documents(index.similar(clause.text, limit=40))
    return doc, clause, where_else(clause.text, candidates, exclude=doc.id, options=options())


@bp.route("/documents/<doc_id>/clauses/<int:number>/elsewhere")
def elsewhere_page(doc_id: str, number: int) -> str:
    doc, clause, found = current_elsewhere(doc_id, number)
    return render_template("elsewhere.html", doc=doc, clause=clause, found=found)


@bp.route("/documents/<doc_id>/clauses/<int:number>/elsewhere.json")
def elsewhere_json(doc_id: str, number: int) -> dict:
    doc, clause, found = current_elsewhere(doc_id, number)
    return {
        "document": doc.id,
        "clause": clause.number,
        "text": clause.text,
        "found": [dataclasses.asdict(e) for e in found],
    }
