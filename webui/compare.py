"""The comparison views: two documents clause by clause, a series across years, and "where else"."""

from __future__ import annotations

import dataclasses
import io
from collections import Counter

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for

from compare.align import Alignment, AlignmentError, Options, align, corpus_frequencies, older_first
from compare.redline import block_label, column, inline, redline_docx, redline_html, row_label
from compare.series import MAX_PARTIES, Series, by_date, default_start, series, trace, where_else
from compare.units import label
from corpus.model import Document
from corpus.spreadsheets import BOM, SafeWriter
from indexer.results import SearchRequest

bp = Blueprint("compare", __name__)
SERIES_SIZE = 25  # the newest documents of a party set that a series reads
GENEALOGY_SIZE = 20  # the earlier documents a genealogy traces a document through
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
        rarity="corpus" if request.args.get("rarity") == "corpus" else "pair",
    )


def frequencies(chosen: Options, *docs: Document):
    """Stem frequencies of the whole index when the options ask for them (rarity=corpus), else None."""
    return corpus_frequencies(services()["index"], chosen, *docs) if chosen.rarity == "corpus" else None


def in_order(a: Document, b: Document) -> tuple[Document, Document]:
    """The older document on the left, unless the address asks for the order given (order=given)."""
    return (a, b) if request.args.get("order") == "given" else older_first(a, b)


def aligned(a: Document, b: Document) -> Alignment:
    """The alignment, with stem rarity from the index; a bad pair or a blown budget is a 400 with its reason."""
    try:
        chosen = options()
        return align(a, b, chosen, frequencies(chosen, a, b))
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
    """Side by side (or mode=inline, one redline), with the change list, moved blocks and the map."""
    alignment = current_alignment()
    return render_template(
        "compare.html",
        al=alignment,
        only_changes=request.args.get("changes") == "1",
        mode="inline" if request.args.get("mode") == "inline" else "side",
        column=column,
        inline=inline,
        row_label=row_label,
        block_label=block_label,
        label=label,
        address=address,
        swap=url_for("compare.compare_page", a=alignment.b.id, b=alignment.a.id, order="given"),
    )


@bp.route("/compare/picks")
def compare_picks() -> Response:
    """The two documents picked on a results page, compared (older on the left)."""
    picked = list(dict.fromkeys(request.args.getlist("pick")))[:3]
    if len(picked) != 2:
        abort(400, description=f"pick exactly two documents to compare ({len(picked)} picked)")
    return redirect(url_for("compare.compare_page", a=picked[0], b=picked[1]))


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
    writer = SafeWriter(out)
    writer.writerow(CSV_COLUMNS)
    for n, p in enumerate(alignment.pairs, start=1):
        numbers_a = ";".join(label(alignment.units_a[k - 1]) for k in p.a)
        numbers_b = ";".join(label(alignment.units_b[k - 1]) for k in p.b)
        text_a, text_b = texts(alignment, "a", p.a), texts(alignment, "b", p.b)
        writer.writerow(
            [n, p.kind, numbers_a, numbers_b, p.score, p.shared_words, int(p.moved), p.confidence, text_a, text_b]
        )
    return download((BOM if request.args.get("bom") != "0" else "") + out.getvalue(), "text/csv", "comparison.csv")


@bp.route("/compare.html")
def compare_redline_html() -> Response:
    return download(redline_html(current_alignment()), "text/html", "redline.html")


@bp.route("/compare.docx")
def compare_redline_docx() -> Response:
    mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return download(redline_docx(current_alignment()), mimetype, "redline.docx")


def download(body: str | bytes, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def current_series() -> tuple[tuple[str, ...], Series, list[Document]]:
    """(parties, the series from the picked or default document, the documents one may start from)."""
    parties = tuple(dict.fromkeys(p.upper() for p in request.args.getlist("party") if p.strip()))
    if not 2 <= len(parties) <= MAX_PARTIES:
        abort(400, description=f"a series needs 2 to {MAX_PARTIES} parties: /series?party=RUS&party=KGZ")
    languages = tuple(request.args.getlist("lang")[:3])
    every = services()["index"].matching_ids(
        SearchRequest(parties=parties, party_mode="all", languages=languages, types=types(), sort="oldest", **years())
    )
    docs = list(services()["store"].iter_documents(every[-SERIES_SIZE:]))
    start = request.args.get("start", "")
    chosen = next((d for d in docs if d.id == start), None) or default_start(docs)
    same = [d for d in docs if chosen is not None and d.language == chosen.language]
    return parties, with_note(traced(same, start=chosen.id if chosen else ""), series_left_out(len(every), docs)), docs


def series_left_out(found: int, read: list[Document]) -> str:
    """What a series that reads only the newest SERIES_SIZE of the party set's documents says of the others."""
    if found <= SERIES_SIZE:
        return ""
    oldest = min((d.date.year for d in read if d.date), default=None)
    return f"only the newest {SERIES_SIZE} of {found} documents are read" + (
        f"; for older ones, add to={oldest}" if oldest else ""
    )


def with_note(result: Series, note: str) -> Series:
    """A series or genealogy that says what it left out."""
    return dataclasses.replace(result, cut="; ".join(n for n in (note, result.cut) if n)) if note else result


def types() -> tuple[str, ...]:
    return tuple(t for t in request.args.getlist("type")[:8] if t)


def years() -> dict:
    """year_from / year_to from the address (from=, to=), each only when it is a year; 400 for an empty range."""
    found = {}
    for arg, key in (("from", "year_from"), ("to", "year_to")):
        value = request.args.get(arg, "")
        if value.isdigit() and len(value) == 4:
            found[key] = int(value)
    if found.get("year_from", 0) > found.get("year_to", 9999):
        abort(400, description=f"the year range {found['year_from']}–{found['year_to']} is empty")
    return found


def traced(docs: list[Document], start: str = "", target: Document | None = None) -> Series:
    """A series or a genealogy with stem rarity from the index (one look-up for all the documents)."""
    chosen = options()
    counted = frequencies(chosen, *docs, *([target] if target else []))
    if target is not None:
        return trace(target, docs, chosen, counted)
    return series(docs, chosen, start, counted)


@bp.route("/series")
def series_page() -> str:
    parties, result, docs = current_series()
    return render_template("series.html", parties=parties, s=result, choices=docs, genealogy=False)


@bp.route("/series.json")
def series_json() -> dict:
    parties, result, _ = current_series()
    return {"parties": list(parties), **series_dict(result)}


def series_dict(result: Series) -> dict:
    """A series or genealogy as JSON: documents, each clause's appearances, what was dropped or cut."""
    return {
        "documents": [{"id": d.id, "title": d.title, "date": str(d.date or "")} for d in result.documents],
        "skipped": list(result.skipped),
        "cut": result.cut,
        "dropped": [{"label": label, "text": text} for label, text in result.dropped],
        "clauses": [
            {
                "number": c.number,
                "clause": c.clause,
                "label": c.label,
                "text": c.text,
                "first_seen": dataclasses.asdict(c.first_seen) if c.first_seen else None,
                "first_sure": dataclasses.asdict(c.first_sure) if c.first_sure else None,
                "reworded_in": [dataclasses.asdict(a) for a in c.reworded_in],
                "appearances": [dataclasses.asdict(a) for a in c.appearances],
            }
            for c in result.clauses
        ],
    }


def wanted(candidate: Document, doc: Document) -> bool:
    """An earlier document of the same language, of the types and years the address asks for."""
    span = years()
    return (
        candidate.language == doc.language
        and candidate.date is not None
        and doc.date is not None
        and candidate.date <= doc.date
        and (not types() or candidate.doc_type in types())
        and span.get("year_from", 0) <= candidate.date.year <= span.get("year_to", 9999)
    )


def genealogy_candidates(doc: Document) -> tuple[list[Document], int]:
    """Earlier documents to trace `doc` through, and how many there were: those most like it first (its clauses'
    candidates, by votes, of anyone), then the same signatories' newest; the chosen in order of date."""
    index, store = services()["index"], services()["store"]
    request_ = SearchRequest(
        parties=doc.parties, party_mode="all", languages=(doc.language,), types=types(), sort="newest", **years()
    )
    same = index.matching_ids(request_) if len(doc.parties) > 1 else []
    ids = [i for i in dict.fromkeys([*similar_documents(doc), *same]) if i != doc.id]
    found = {d.id: d for d in store.iter_documents(ids) if wanted(d, doc)}
    return by_date([found[i] for i in ids if i in found][:GENEALOGY_SIZE]), len(found)


def similar_documents(doc: Document) -> list[str]:
    """Documents of anyone most like `doc`: the index's candidates for each of its first clauses, by votes."""
    votes: Counter[str] = Counter()
    for clause in doc.clauses[:30]:
        votes.update(services()["index"].similar(clause.text, limit=10))
    votes.pop(doc.id, None)
    return [doc_id for doc_id, _ in votes.most_common(GENEALOGY_SIZE * 2)]


def current_genealogy(doc_id: str) -> tuple[Document, Series]:
    doc = services()["store"].get(doc_id) if len(doc_id) <= 64 else None
    if doc is None:
        abort(404, description=f"No document {doc_id!r}.")
    candidates, found = genealogy_candidates(doc)
    note = f"only the {GENEALOGY_SIZE} of {found} earlier documents most like it are read"
    return doc, with_note(traced(candidates, target=doc), note if found > GENEALOGY_SIZE else "")


@bp.route("/documents/<doc_id>/genealogy")
def genealogy_page(doc_id: str) -> str:
    doc, result = current_genealogy(doc_id)
    return render_template("series.html", parties=doc.parties, s=result, choices=[], genealogy=True, doc=doc)


@bp.route("/documents/<doc_id>/genealogy.json")
def genealogy_json(doc_id: str) -> dict:
    doc, result = current_genealogy(doc_id)
    return {"document": doc.id, **series_dict(result)}


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
