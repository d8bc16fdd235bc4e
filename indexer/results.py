"""What a search asks and answers: plain dataclasses shared by the web UI and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

SORTS = ("relevance", "newest", "oldest")
PARTY_MODES = ("any", "all")  # "all": documents between all the selected parties
FACETS = ("parties", "year", "doc_type", "language", "source")


class QueryError(ValueError):
    """A query that cannot be run; the message says what is wrong, in words a user understands."""


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    parties: tuple[str, ...] = ()
    party_mode: str = "all"
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


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]] = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.page_size))
