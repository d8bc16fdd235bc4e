"""The web UI: create_app() builds the Flask app; the store and the index are opened once and shared."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, request

from corpus import DOC_TYPES, open_store
from corpus.countries import language_name, language_names, party_label, party_labels
from indexer.backends import open_search
from webui.errors import error_page
from webui.links import web_url
from webui.params import MAX_QUERY_STRING

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
DEFAULTS = {
    "STORE_LOCATION": "./data",
    "INDEX_PATH": "./data/index",
    "PAGE_SIZE": 20,
    "FEED_SIZE": 50,
    "SEARCH_CACHE": 256,
    "BASE_URL": "http://127.0.0.1:8000",  # what absolute links start with; never taken from the Host header
    "STATUS_DETAILS": False,  # show run commands and error texts on /status (they hold paths)
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """An app for the store at STORE_LOCATION and the index at INDEX_PATH (or given STORE and INDEX)."""
    app = Flask(__name__)
    # No redirects from routing: their absolute Location would be built from the request's Host header.
    app.url_map.merge_slashes = False
    app.url_map.strict_slashes = False
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(config or {})
    store = app.config.get("STORE") or open_store(app.config["STORE_LOCATION"])
    index = app.config.get("INDEX") or open_search(store, Path(app.config["INDEX_PATH"]), app.config["SEARCH_CACHE"])
    app.extensions["treatysearch"] = {"store": store, "index": index}

    from webui import compare, documents, search, status

    app.register_blueprint(search.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(status.bp)
    app.jinja_env.globals["doc_types"] = DOC_TYPES
    app.jinja_env.globals["party_names"] = party_labels()
    app.jinja_env.filters["party_label"] = party_label
    app.jinja_env.globals["language_labels"] = {c: f"{n} ({c})" for c, n in language_names().items()}
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.globals["blueprints"] = app.blueprints
    app.jinja_env.filters["web_url"] = web_url
    app.before_request(_check_address)
    app.after_request(_security_headers)
    for code in (400, 404, 405, 500):
        app.register_error_handler(code, _error_page)
    return app


def _check_address():
    """Addresses no page can answer, refused before any page runs: too long, or with a NUL character."""
    if len(request.query_string) > MAX_QUERY_STRING:
        return error_page(400, f"The address is too long (more than {MAX_QUERY_STRING} bytes of query).")
    # No id, query or name holds a NUL, and PostgreSQL refuses one in any text it is asked about.
    if "\x00" in request.path or any("\x00" in v for _, v in request.args.items(multi=True)):
        return error_page(400, "The address holds a NUL character (%00), which no search or id can contain.")
    return None


def _security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    message = getattr(error, "description", "") if code != 500 else "Something went wrong on our side."
    return error_page(code, message)
