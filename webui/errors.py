"""Error pages that help: what went wrong on which kind of page, and for a search, where and what would run."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for

from indexer.results import QueryError, SearchRequest
from webui.params import MAX_QUERY_STRING, BadRequest, query_string, request_from_args
from webui.query_help import first_repair, nearest_valid

HEADINGS = {  # (endpoint prefix, status) → heading; the first prefix that matches wins
    ("search.", 400): "This search cannot be run",
    ("compare.compare", 400): "These documents cannot be compared",
    ("compare.compare", 404): "A document to compare is not there",
    ("compare.series", 400): "This series cannot be traced",
    ("compare.elsewhere", 404): "This clause is not there",
    ("documents.", 400): "This document cannot be shown",
    ("documents.", 404): "No such document",
}
BY_CODE = {400: "This address cannot be read", 404: "No page at this address", 405: "Not allowed", 500: "Server error"}


def heading(endpoint: str, code: int) -> str:
    matches = (text for (prefix, status), text in HEADINGS.items() if status == code and endpoint.startswith(prefix))
    return next(matches, BY_CODE.get(code, "Error"))


def query_help(q: str) -> dict[str, object]:
    """Where the query goes wrong (1-based character position) and the nearest search that runs."""
    repair = first_repair(q)
    suggestion = nearest_valid(q, runs_on_index)
    help: dict[str, object] = {"position": repair.position + 1 if repair else None}
    if repair and repair.position < len(q):
        help["before"], help["at"], help["after"] = q[: repair.position], q[repair.position], q[repair.position + 1 :]
    if suggestion and suggestion != q:
        help["suggestion"], help["suggestion_url"] = suggestion, search_url(suggestion)
    return help


def runs_on_index(q: str) -> bool:
    """Whether the index answers the query (the cheapest way: one hit, no snippets) rather than refusing it."""
    try:
        current_app.extensions["treatysearch"]["index"].search(SearchRequest(q=q, page_size=1, snippets=0))
    except QueryError:
        return False
    return True


def search_url(q: str) -> str:
    """The current search (its filters kept when they can be read) with another query."""
    try:
        search = request_from_args(request.args)
    except BadRequest:
        search = SearchRequest()
    return url_for("search.search_page") + query_string(search.with_(q=q, page=1))


def error_page(code: int, message: str):
    """The error as JSON for a twin, else as a page that keeps what was typed."""
    if request.path.endswith((".json", ".csv", ".atom", ".bib", ".ris")):
        return {"error": message, "status": code}, code
    endpoint = request.endpoint or ""
    typed = request.args.get("q", "")[:MAX_QUERY_STRING].replace("\x00", "") if endpoint.startswith("search.") else ""
    help = query_help(typed) if typed and code == 400 else {}
    page = render_template(
        "error.html", code=code, heading=heading(endpoint, code), message=message, typed=typed, help=help
    )
    return page, code
