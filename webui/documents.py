"""Document pages: metadata, numbered clauses, revisions, locations, translations, citations."""

from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, Response, abort, current_app, render_template, request
from werkzeug.routing import BaseConverter

from compare.series import MAX_PARTIES
from corpus.countries import language_name
from corpus.export import as_dict
from corpus.model import Document
from indexer.results import SearchRequest
from webui.captures import CaptureMissing, read_capture
from webui.citations import bibtex, csl_json, ris
from webui.links import document_link
from webui.params import is_whole_number


class DocumentId(BaseConverter):
    """A document id in a URL: no dots, so that /documents/<id>.csl.json is not the id "<id>.csl"."""

    regex = r"[^/.]+"


bp = Blueprint("documents", __name__)
bp.record_once(lambda state: state.app.url_map.converters.update(docid=DocumentId))
MAX_REVISION_DIGITS = 9


def services() -> dict:
    return current_app.extensions["treatysearch"]


def load(doc_id: str) -> Document:
    """The document (or the revision ?rev=N of it), or a 404."""
    if len(doc_id) > 64:
        abort(404, description="No document has that id.")
    store = services()["store"]
    rev = request.args.get("rev", "").strip()
    if rev and not is_whole_number(rev):
        abort(400, description=f"rev must be a revision number, not {rev[:20]!r}")
    # A number past any revision a document can have is simply not there (and would overflow the database).
    doc = (
        (store.get_revision(doc_id, int(rev)) if len(rev) <= MAX_REVISION_DIGITS else None)
        if rev
        else store.get(doc_id)
    )
    if doc is None:
        abort(404, description=f"No document {doc_id!r}" + (f" with revision {rev}" if rev else "") + ".")
    return doc


def compare_candidates(doc: Document, limit: int = 15) -> list:
    """Documents to compare with, in the same language: the same signatories' earlier texts ranked by how similar
    they are, then similar texts of anyone (the index ranks by the text's rarest words)."""
    index = services()["index"]
    sample = " ".join([doc.title, *(c.text for c in doc.clauses[:8])])
    similar = index.similar(sample, limit=limit * 4)
    same_parties: dict[str, int] = {}  # id -> position, newest first
    if len(doc.parties) > 1:
        request = SearchRequest(parties=doc.parties, party_mode="all", languages=(doc.language,), sort="newest")
        same_parties = {doc_id: n for n, doc_id in enumerate(index.matching_ids(request)[:400])}
    rank = {doc_id: n for n, doc_id in enumerate(similar)}
    ids = sorted(
        {*same_parties, *similar},
        key=lambda i: (i not in same_parties, rank.get(i, len(rank)), same_parties.get(i, 0), i),
    )
    found = {h.id: h for h in index.brief(ids[: limit * 4]) if h.id != doc.id and h.language == doc.language}
    date = doc.date.isoformat() if doc.date else ""
    earlier = [
        found[i] for i in ids if i in found and i in same_parties and (not date or (found[i].date or "") <= date)
    ]
    return (earlier + [found[i] for i in ids if i in found and found[i] not in earlier])[:limit]


@bp.route("/documents/<doc_id>")
def document_page(doc_id: str) -> str:
    doc = load(doc_id)
    store = services()["store"]
    current = store.get(doc_id)
    translations = store.translations(doc_id)
    return render_template(
        "document.html",
        doc=doc,
        current=current,
        revisions=store.revisions(doc_id),
        locations=store.locations(doc_id),
        translations=[t for t in translations if t.language != doc.language],
        other_readings=[t for t in translations if t.language == doc.language],  # the same text read another way
        other_languages=other_languages(doc, translations),
        candidates=compare_candidates(doc),
        series_parties=MAX_PARTIES,
    )


# translations: "also in Russian / English", and the two side by side


def other_languages(doc: Document, translations: list[Document]) -> list[tuple[str, Document]]:
    """The document's translations into other languages than its own: (language name, document), one each."""
    seen: dict[str, Document] = {}
    for t in translations:
        if t.language != doc.language:
            seen.setdefault(t.language, t)
    return [(language_name(lang), t) for lang, t in sorted(seen.items())]


def clause_pairs(a: Document, b: Document) -> list[tuple[object, object]]:
    """The clauses of a text and its translation in order, side by side (a missing one is None)."""
    pairs = []
    for n in range(max(len(a.clauses), len(b.clauses))):
        pairs.append((a.clauses[n] if n < len(a.clauses) else None, b.clauses[n] if n < len(b.clauses) else None))
    return pairs


@bp.route("/documents/<docid:doc_id>/translation/<docid:other_id>")
def translation_page(doc_id: str, other_id: str) -> str:
    """A text and its translation side by side, clause by clause in order."""
    doc, store = load(doc_id), services()["store"]
    other = next((t for t in store.translations(doc_id) if t.id == other_id), None)
    if other is None:
        abort(404, description=f"{other_id!r} is not a translation of {doc_id!r}.")
    return render_template(
        "translation.html",
        doc=doc,
        other=other,
        names=(language_name(doc.language), language_name(other.language)),
        pairs=clause_pairs(doc, other),
    )


@bp.route("/documents/<docid:doc_id>.json")
def document_json(doc_id: str) -> dict:
    doc = load(doc_id)
    store = services()["store"]
    data = as_dict(doc)
    data["link"] = doc.link  # the address every twin gives: the CSV's url, the citations' URL
    data["page"] = document_link(doc.id)
    data["revisions"] = [
        {"revision": r.revision, "saved_at": r.saved_at.isoformat(), "content_hash": r.content_hash}
        for r in store.revisions(doc_id)
    ]
    data["locations"] = [
        {"url": loc.url, "source": loc.source, "seen_at": loc.seen_at.isoformat()} for loc in store.locations(doc_id)
    ]
    data["translations"] = [{"id": t.id, "language": t.language, "title": t.title} for t in store.translations(doc_id)]
    return data


CITATIONS = {
    "bib": (bibtex, "application/x-bibtex"),
    "ris": (ris, "application/x-research-info-systems"),
    "csl.json": (
        lambda *args: json.dumps(csl_json(*args), ensure_ascii=False, indent=2),
        "application/vnd.citationstyles.csl+json",
    ),
}


@bp.route("/documents/<doc_id>.<any(bib, ris, 'csl.json'):fmt>")
def document_citation(doc_id: str, fmt: str) -> Response:
    """A citation of the document (BibTeX, RIS or CSL-JSON) with today's date as the date it was retrieved."""
    doc = load(doc_id)
    write, mimetype = CITATIONS[fmt]
    return Response(
        write(doc, dt.date.today(), document_link(doc.id)),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{doc.id}.{fmt}"'},
    )


@bp.route("/documents/<doc_id>/capture")
def document_capture(doc_id: str) -> Response:
    """The archived response the document was extracted from, as it was served."""
    doc = load(doc_id)
    try:
        content_type, body = read_capture(current_app.config.get("DATA_DIR", "./data"), doc.capture)
    except CaptureMissing as exc:
        abort(404, description=str(exc))
    # Shown as text: archived pages are untrusted, and the CSP forbids their scripts anyway.
    return Response(
        body,
        mimetype="text/plain" if "html" in content_type else content_type,
        headers={"Content-Disposition": "inline", "X-Archived-Content-Type": content_type},
    )
