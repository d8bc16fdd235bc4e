"""The page state in the URL: query-string arguments to a search request and back, and toggle links."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from indexer.query import field_value
from indexer.results import QueryError, SearchRequest

MAX_QUERY_STRING = 4000  # bytes of a whole query string
MAX_VALUES = 40  # values of one repeated argument (party=…&party=…)
ARG_FOR = {"parties": "party", "mentions": "mention", "types": "type", "languages": "lang", "sources": "source"}


class BadRequest(ValueError):
    """A URL that cannot describe a search: too long, too many values, a number that is not one."""


def is_whole_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes "²" and "９", which int() refuses."""
    return re.fullmatch(r"[0-9]+", text) is not None


def _int(args: MultiDict, name: str, default: int | None) -> int | None:
    value = args.get(name, "").strip()
    if not value:
        return default
    if not is_whole_number(value) or len(value) > 6:
        raise BadRequest(f"{name} must be a whole number, not {value[:20]!r}")
    return int(value)


def _page(args: MultiDict) -> int:
    value = args.get("page", "").strip()
    if value and not (is_whole_number(value) and 1 <= len(value) <= 6 and int(value) >= 1):
        raise BadRequest(f"page must be a page number, 1 or more, not {value[:20]!r}")
    return int(value) if value else 1


def _values(args: MultiDict, name: str) -> tuple[str, ...]:
    values = [v.strip() for v in args.getlist(name) if v.strip()]
    if len(values) > MAX_VALUES:
        raise BadRequest(f"too many {name} values (at most {MAX_VALUES})")
    if any(len(v) > 60 for v in values):
        raise BadRequest(f"a {name} value is too long")
    return tuple(dict.fromkeys(values))


def _filter(args: MultiDict, name: str, field: str) -> tuple[str, ...]:
    """A filter's values, each one the field takes (a party by its code or a name: party=Russia is RUS); a
    BadRequest for one that names nothing (party=XXX, type=foo), which had given an empty page."""
    try:
        return tuple(dict.fromkeys(field_value(field, v) for v in _values(args, name)))
    except QueryError as exc:
        raise BadRequest(str(exc)) from None


def request_from_args(args: MultiDict, page_size: int = 20) -> SearchRequest:
    """The search a URL describes (q, party, mode, from, to, type, lang, source, sort, page)."""
    year_from, year_to = _int(args, "from", None), _int(args, "to", None)
    if args.get("year"):
        year_from = year_to = _int(args, "year", None)
    return SearchRequest(
        q=args.get("q", "").strip(),
        parties=tuple(p.upper() for p in _filter(args, "party", "parties")),
        party_mode="any" if args.get("mode") == "any" else "all",
        mentions=tuple(p.upper() for p in _filter(args, "mention", "mentions")),
        year_from=year_from,
        year_to=year_to,
        types=_filter(args, "type", "doc_type"),
        languages=_filter(args, "lang", "language"),
        sources=_values(args, "source"),
        sort=args.get("sort", "relevance") or "relevance",
        page=_page(args),
        page_size=page_size,
    )


def args_from_request(request: SearchRequest, **changes: object) -> list[tuple[str, str]]:
    """The query-string pairs of a search (defaults left out), after the given changes."""
    r = request.with_(**changes) if changes else request
    pairs: list[tuple[str, str]] = []
    if r.q:
        pairs.append(("q", r.q))
    for field, arg in ARG_FOR.items():
        pairs.extend((arg, v) for v in getattr(r, field))
    if r.party_mode == "any" and r.parties:
        pairs.append(("mode", "any"))
    if r.year_from is not None:
        pairs.append(("from", str(r.year_from)))
    if r.year_to is not None:
        pairs.append(("to", str(r.year_to)))
    if r.sort != "relevance":
        pairs.append(("sort", r.sort))
    if r.page != 1:
        pairs.append(("page", str(r.page)))
    return pairs


def query_string(request: SearchRequest, **changes: object) -> str:
    pairs = args_from_request(request, **changes)
    return "?" + urlencode(pairs) if pairs else "?"


def toggle(request: SearchRequest, field: str, value: str) -> str:
    """The URL of the same search with one facet value switched on or off (back to page 1)."""
    current = getattr(request, field)
    values = tuple(v for v in current if v != value) if value in current else (*current, value)
    return query_string(request, **{field: values, "page": 1})


def year_link(request: SearchRequest, year: int) -> str:
    """The same search narrowed to one year, or widened again when that year is the current range."""
    if request.year_from == year == request.year_to:
        return query_string(request, year_from=None, year_to=None, page=1)
    return query_string(request, year_from=year, year_to=year, page=1)
