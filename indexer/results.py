"""What a search asks and answers: plain dataclasses shared by the web UI and the CLI."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

SORTS = ("relevance", "newest", "oldest")
PARTY_MODES = ("any", "all")  # "all": documents between all the selected parties
FACETS = ("parties", "mentions", "year", "doc_type", "language", "source")
# Facets filtered by "any of the selected values", with the request field that holds those values.
VALUE_FILTERS = {"doc_type": "types", "language": "languages", "source": "sources"}
# Query-syntax field names a user may type, and the schema fields they mean.
FIELD_ALIASES = {
    "title": "title",
    "text": "text",
    "party": "parties",
    "parties": "parties",
    "mentions": "mentions",
    "type": "doc_type",
    "lang": "language",
    "language": "language",
    "source": "source",
    "year": "year",
    "id": "id",
}
MAX_QUERY = 1000
TYPOGRAPHIC_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]")  # “ ” „ ‟ « » ″, read as "
MAX_PAGE = 1000


class IndexBusy(Exception):
    """Another process holds the index's write lock."""


@dataclass
class BuildReport:
    """What an index update did."""

    updated: int = 0
    deleted: int = 0
    last_change: int = 0
    rebuilt: bool = False
    errors: list[str] = field(default_factory=list)


class QueryError(ValueError):
    """A query that cannot be run; the message says what is wrong, in words a user understands."""


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    parties: tuple[str, ...] = ()
    party_mode: str = "all"
    mentions: tuple[str, ...] = ()  # documents that name any of these (other than as a party)
    year_from: int | None = None
    year_to: int | None = None
    types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    snippets: int = 3

    def with_(self, **changes: object) -> SearchRequest:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    title_html: str  # escaped, with <mark> around matched words
    url: str
    date: str
    year: int | None
    parties: tuple[str, ...]
    doc_type: str
    language: str
    source: str
    score: float
    snippets: tuple[str, ...] = ()  # escaped HTML with <mark> around matched words
    clause: int | None = None  # the number of the clause that matches best
    names: tuple[str, ...] = ()  # the other names of a widened name that the document holds: "Белоруссия → Беларусь"


@dataclass(slots=True)  # not frozen: made by the hundred per search, and a frozen one is made three times slower
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Alternative:
    """A search worth trying when one finds nothing: its kind ("spelling", "no filters", "words"), and hits."""

    kind: str
    request: SearchRequest
    total: int


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    suggestion: str | None = None
    alternatives: tuple[Alternative, ...] = ()  # only for a search with no hits
    partial: bool = False  # no document holds all the words: the hits hold the most of them

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.page_size))


# Checks and orderings every backend shares, so that they answer alike.


MAX_DEPTH = 10  # parentheses nested this deep are plenty for any real query
MAX_TERMS = 64  # words, phrases and conditions in one query
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tabs and line breaks are white space


def check_query(text: str) -> str:
    """The query with year ranges rewritten, or QueryError saying what is wrong with it."""
    if len(text) > MAX_QUERY:
        raise QueryError(f"the query is too long ({len(text)} characters; at most {MAX_QUERY})")
    text = TYPOGRAPHIC_QUOTES.sub('"', text)  # “strategic stability”, «стратегическая стабильность»: phrases too
    if CONTROL.search(text):
        raise QueryError("the query holds a control character; type words, quotes and operators only")
    if text.count('"') % 2:
        raise QueryError('a quotation mark is not closed: a "phrase" needs a quote at each end')
    unquoted = re.sub(r'"[^"]*"', "PHRASE", text)  # a phrase counts as one word in the checks below
    for opening, closing, name in (("(", ")", "parenthesis"), ("[", "]", "bracket")):
        depth = deepest = 0
        for char in unquoted:
            depth += (char == opening) - (char == closing)
            deepest = max(deepest, depth)
            if depth < 0:
                raise QueryError(f"a closing {name} '{closing}' has no opening '{opening}'")
        if depth:
            raise QueryError(f"an opening {name} '{opening}' is not closed")
        if deepest > MAX_DEPTH:
            raise QueryError(f"parentheses nest {deepest} deep; at most {MAX_DEPTH}")
    for name in re.findall(r"(?<![\w:/])(\w+):", unquoted):
        if name.lower() not in FIELD_ALIASES:
            raise QueryError(f'unknown field "{name}:"; use one of {", ".join(sorted(set(FIELD_ALIASES)))}')
    if re.search(r"(?<![\w:/])\w+:(\s|$)", unquoted):
        raise QueryError("a field needs a value right after the colon, e.g. party:RUS or year:2015")
    ranges_aside = re.sub(r"(?<=:)\[[^\]]*\]", "RANGE", unquoted)  # a field's range may be open: year:[1990 TO *]
    if re.search(r"(^|[\s(:])[-+]?[*?]", ranges_aside):  # "-*" too: a NOT of nothing but a wildcard
        raise QueryError("a word cannot start with * or ?; put the wildcard at the end, e.g. cooperat*")
    words = re.sub(r"\[[^\]]*\]", "RANGE", unquoted).replace("(", " ").replace(")", " ").split()
    if len(words) > MAX_TERMS:
        raise QueryError(f"the query has {len(words)} words and operators; at most {MAX_TERMS}")
    if words and (words[0] in ("AND", "OR") or words[-1] in ("AND", "OR", "NOT")):
        raise QueryError("AND, OR and NOT need a word on each side (AND/OR) or after them (NOT)")
    if any(a in ("AND", "OR", "NOT") and b in ("AND", "OR") for a, b in itertools.pairwise(words)):
        raise QueryError("two operators stand together (free AND OR trade): keep one of them")
    return re.sub(r"\byear:(\d{4})-(\d{4})\b", r"year:[\1 TO \2]", text)


def check_request(request: SearchRequest) -> None:
    if request.sort not in SORTS:
        raise QueryError(f"unknown sort {request.sort!r}; use one of {', '.join(SORTS)}")
    if request.party_mode not in PARTY_MODES:
        raise QueryError(f"unknown party mode {request.party_mode!r}; use one of {', '.join(PARTY_MODES)}")
    if not 1 <= request.page <= MAX_PAGE:
        raise QueryError(f"page must be between 1 and {MAX_PAGE}")
    if not 1 <= request.page_size <= 1000:
        raise QueryError("page size must be between 1 and 1000")
    if request.year_from and request.year_to and request.year_from > request.year_to:
        raise QueryError(f"the year range {request.year_from}–{request.year_to} is empty")


def text_start(text: str, limit: int = 300) -> str:
    """The start of a text on one line, cut at a word: the snippet of a hit that matched no words."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def selected_values(request: SearchRequest) -> dict[str, set[str]]:
    """The facet values a request has selected, by facet."""
    chosen = {name: set(getattr(request, arg)) for name, arg in VALUE_FILTERS.items()}
    return {"parties": set(request.parties), "mentions": set(request.mentions), "year": set(), **chosen}


def facet_values(name: str, counts: Counter[str], selected: set[str]) -> tuple[FacetValue, ...]:
    """A facet's values: years in order, the others selected first, then most frequent first."""
    shown = {**counts, **{value: 0 for value in selected if value not in counts}}
    order = sorted(shown)
    if name != "year":  # most frequent first, names in order among equals (a reversed sort keeps ties in order)
        order.sort(key=shown.__getitem__, reverse=True)
        # selected values first, so that they are always on show and can be taken off again
        order = [v for v in order if v in selected] + [v for v in order if v not in selected] if selected else order
    return tuple(FacetValue(v, shown[v], v in selected) for v in order)


def without_filters(request: SearchRequest) -> SearchRequest:
    return request.with_(parties=(), year_from=None, year_to=None, types=(), languages=(), sources=(), page=1)


def honest_suggestion(
    request: SearchRequest, total: int, suggestion: str | None, count: Callable[[SearchRequest], int]
) -> str | None:
    """A spelling suggestion only when it finds clearly more (at least twice as many, and some) than the query."""
    if suggestion is None or suggestion == request.q:
        return None
    return suggestion if count(request.with_(q=suggestion, page=1)) > 2 * total else None


def alternatives(
    request: SearchRequest, suggestion: str | None, count: Callable[[SearchRequest], int]
) -> tuple[Alternative, ...]:
    """For a search that found nothing: the suggestion, the same search without its filters, phrases as words."""
    tries = []
    if suggestion:
        tries.append(("spelling", request.with_(q=suggestion, page=1)))
    if without_filters(request) != request.with_(page=1):
        tries.append(("no filters", without_filters(request)))
    if '"' in request.q:
        tries.append(("words", request.with_(q=request.q.replace('"', "").strip(), page=1)))
    found = [Alternative(kind, r, count(r)) for kind, r in tries]
    return tuple(a for a in found if a.total)
