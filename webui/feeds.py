"""The Atom feed of a saved search, built as an XML tree so every text is escaped."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from corpus.model import Document
from indexer.results import Hit, SearchRequest

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all, even escaped: left out rather than breaking the feed.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: object) -> str:
    return NOT_XML.sub("", str(value))


def _add(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def feed_title(request: SearchRequest) -> str:
    title = "treatysearch"
    if request.q:
        title += ": " + request.q
    if request.parties:
        title += " (" + ", ".join(request.parties) + ")"
    return title


def _entry(feed: ET.Element, hit: Hit, doc: Document | None, page: str) -> None:
    entry = _add(feed, "entry")
    _add(entry, "title", hit.title)
    _add(entry, "id", "tag:treatysearch,2026:" + hit.id)
    _add(entry, "link", rel="alternate", type="text/html", href=page)
    if doc and doc.first_seen and doc.last_seen:
        _add(entry, "published", doc.first_seen.isoformat())
        _add(entry, "updated", doc.last_seen.isoformat())
    _add(_add(entry, "author"), "name", hit.source)
    _add(entry, "summary", f"{hit.date or 'undated'} · {', '.join(hit.parties)} · {hit.doc_type}")
    for party in hit.parties:
        _add(entry, "category", term=party)


def atom_feed(
    request: SearchRequest, hits: tuple[Hit, ...], docs: Mapping[str, Document], links: Mapping[str, str]
) -> bytes:
    """The feed as UTF-8 XML; links holds "self", "alternate" and each hit's page by its id."""
    feed = ET.Element("feed", xmlns=ATOM)
    _add(feed, "title", feed_title(request))
    _add(feed, "id", links["self"])
    _add(feed, "link", rel="self", href=links["self"])
    _add(feed, "link", rel="alternate", type="text/html", href=links["alternate"])
    updated = max((d.last_seen for d in docs.values() if d.last_seen), default=dt.datetime.now(dt.UTC))
    _add(feed, "updated", updated.isoformat())
    _add(feed, "generator", "treatysearch")
    for hit in hits:
        _entry(feed, hit, docs.get(hit.id), links[hit.id])
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
