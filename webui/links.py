"""Addresses the app gives out: absolute links from the configured base URL, and only web links made clickable."""

from __future__ import annotations

from flask import current_app, url_for

from corpus.model import is_web_url


def external(endpoint: str, **values: object) -> str:
    """The absolute URL of an endpoint under BASE_URL; never from the request's Host header."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def document_link(doc_id: str) -> str:
    return external("documents.document_page", doc_id=doc_id)


def web_url(url: str) -> str:
    """The URL when it is an http(s) address, else "" (so javascript: or data: is never a link)."""
    return url if is_web_url(url or "") else ""
