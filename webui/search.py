"""The search page and its twins: /search.json, /search.csv (all results, streamed), /search.atom."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from markupsafe import Markup

from indexer.results import QueryError, SearchRequest, SearchResult
from webui.downloads import csv_response, csv_rows
from webui.feeds import atom_feed
from webui.links import document_link, external
from webui.params import BadRequest, query_string, request_from_args, toggle, year_link

bp = Blueprint("search", __name__)
FACET_TOP = 12  # values a facet shows before "show all"


def services() -> dict:
    return current_app.extensions["treatysearch"]


def run_search(page_size: int | None = None) -> tuple[SearchRequest, SearchResult]:
    """The search the URL describes, or a 400 that says what is wrong with it."""
    try:
        search_request = request_from_args(request.args, page_size or current_app.config["PAGE_SIZE"])
        result = services()["index"].search(search_request)
    except (QueryError, BadRequest) as exc:
        abort(400, description=str(exc))
    if search_request.page > result.pages:
        abort(400, description=f"no page {search_request.page}: this search has {result.pages} page(s)")
    return search_request, result


@bp.route("/")
@bp.route("/search")
def search_page() -> str:
    search_request, result = run_search()
    here = url_for("search.search_page")
    return render_template(
        "search.html",
        r=search_request,
        result=result,
        histogram=histogram(result),
        qs=lambda r, **changes: here + query_string(r, **changes),
        toggle=lambda r, field, value: here + toggle(r, field, value),
        year_link=lambda r, year: here + year_link(r, year),
        twin=query_string,
        markup=Markup,
        facet_top=FACET_TOP,
    )


@bp.route("/search.json")
def search_json() -> Response:
    _, result = run_search()
    data = dataclasses.asdict(result)
    data["pages"] = result.pages
    for hit in data["hits"]:
        hit["page"] = document_link(hit["id"])
    return data


@bp.route("/search.csv")
def search_csv() -> Response:
    """Every result, not one page, streamed row by row in the order of the search."""
    search_request, _ = run_search(page_size=1)
    index, store = services()["index"], services()["store"]
    rows = csv_rows(index, store, search_request, document_link)
    return csv_response(rows, "treatysearch.csv", bom=request.args.get("bom") != "0")


@bp.route("/search.atom")
def search_atom() -> Response:
    """A feed of the newest documents matching a saved search, for any feed reader."""
    search_request, _ = run_search()
    feed_request = search_request.with_(sort="newest", page=1, page_size=current_app.config["FEED_SIZE"])
    result = services()["index"].search(feed_request)
    docs = {d.id: d for d in services()["store"].iter_documents([h.id for h in result.hits])}
    args = query_string(search_request, page=1)
    links = {
        "self": external("search.search_atom") + args,
        "alternate": external("search.search_page") + args,
        **{hit.id: document_link(hit.id) for hit in result.hits},
    }
    return Response(atom_feed(search_request, result.hits, docs, links), mimetype="application/atom+xml")


def histogram(result: SearchResult) -> list[dict[str, object]]:
    """Bars for the year facet: every year from the first to the last, empty years included."""
    years = {int(v.value): v.count for v in result.facets.get("year", ())}
    if not years:
        return []
    top = max(years.values()) or 1
    return [
        {"year": y, "count": years.get(y, 0), "height": round(100 * years.get(y, 0) / top)}
        for y in range(min(years), max(years) + 1)
    ]
