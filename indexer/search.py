"""Searching: query parsing and checks, filters, disjunctive facets, snippets, suggestions."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from whoosh import highlight, query
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser, QueryParser
from whoosh.searching import Hit as WhooshHit
from whoosh.searching import Searcher

from corpus.model import Document
from indexer.analysis import STOPWORDS, stemming_analyzer
from indexer.build import STATE_FILE, open_indexes, read_state
from indexer.results import (
    FACETS,
    PARTY_MODES,
    SORTS,
    FacetValue,
    Hit,
    QueryError,
    SearchRequest,
    SearchResult,
)
from indexer.schema import FIELD_ALIASES

MAX_QUERY = 1000
MAX_PAGE = 1000
SNIPPET_SEP = "\x1f"
DocumentSource = Callable[[str], Document | None]


@dataclass(frozen=True)
class Row:
    """What filters, facets and sorting need of one indexed document, kept in memory per index version."""

    docnum: int
    id: str
    parties: frozenset[str]
    year: int | None
    date: str
    doc_type: str
    language: str
    source: str


class FacetTable:
    """Every live document's facet values, read once per index generation."""

    def __init__(self, searcher: Searcher) -> None:
        reader = searcher.reader()
        self.rows: dict[int, Row] = {}
        for docnum, fields in reader.iter_docs():
            self.rows[docnum] = Row(
                docnum,
                fields["id"],
                frozenset(fields.get("parties", "").split()),
                fields.get("year") or None,
                fields.get("date", ""),
                fields.get("doc_type", ""),
                fields.get("language", ""),
                fields.get("source", ""),
            )


def check_query(text: str) -> str:
    """The query with year ranges rewritten, or QueryError saying what is wrong with it."""
    if len(text) > MAX_QUERY:
        raise QueryError(f"the query is too long ({len(text)} characters; at most {MAX_QUERY})")
    if text.count('"') % 2:
        raise QueryError('a quotation mark is not closed: a "phrase" needs a quote at each end')
    unquoted = re.sub(r'"[^"]*"', " ", text)
    for opening, closing, name in (("(", ")", "parenthesis"), ("[", "]", "bracket")):
        depth = 0
        for char in unquoted:
            depth += (char == opening) - (char == closing)
            if depth < 0:
                raise QueryError(f"a closing {name} '{closing}' has no opening '{opening}'")
        if depth:
            raise QueryError(f"an opening {name} '{opening}' is not closed")
    for name in re.findall(r"(?<![\w:/])(\w+):", unquoted):
        if name.lower() not in FIELD_ALIASES:
            raise QueryError(f'unknown field "{name}:"; use one of {", ".join(sorted(set(FIELD_ALIASES)))}')
    if re.search(r"(?<![\w:/])\w+:(\s|$)", unquoted):
        raise QueryError("a field needs a value right after the colon, e.g. party:RUS or year:2015")
    if re.search(r"(^|[\s(:])[*?]", unquoted):
        raise QueryError("a word cannot start with * or ?; put the wildcard at the end, e.g. cooperat*")
    words = unquoted.split()
    if words and (words[0] in ("AND", "OR") or words[-1] in ("AND", "OR", "NOT")):
        raise QueryError("AND, OR and NOT need a word on each side (AND/OR) or after them (NOT)")
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


class Index:
    """A read view of the index: search with facets and snippets. Safe to share between threads."""

    def __init__(self, path: Path, documents: DocumentSource) -> None:
        self.path = path
        self.documents = documents
        self.docs_ix, self.clauses_ix = open_indexes(path)
        self._local = threading.local()
        self._tables: dict[int, FacetTable] = {}
        self._lock = threading.Lock()
        schema = self.docs_ix.schema
        self.parser = MultifieldParser(["title", "text"], schema, group=AndGroup)
        self.parser.add_plugin(FieldAliasPlugin({"parties": ["party"], "doc_type": ["type"], "language": ["lang"]}))
        self.clause_parser = QueryParser("text", self.clauses_ix.schema, group=AndGroup)

    # searchers: one per thread, refreshed when an update has committed

    def _searcher(self) -> Searcher:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None and not searcher.up_to_date():
            # A fresh searcher, not refresh(): reused segment readers can keep stale deletions.
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = self._local.searcher = self.docs_ix.searcher()
        return searcher

    def _table(self, searcher: Searcher) -> FacetTable:
        generation = searcher.reader().generation()
        with self._lock:
            table = self._tables.get(generation)
            if table is None:
                table = FacetTable(searcher)
                self._tables = {generation: table}
            return table

    @property
    def generation(self) -> int:
        return self._searcher().reader().generation()

    def indexed_change(self) -> int:
        """The last change of the store this index has taken in."""
        return int(read_state(self.path).get("last_change", 0))

    def updated_at(self) -> str | None:
        state = self.path / STATE_FILE
        if not state.exists():
            return None
        return dt.datetime.fromtimestamp(state.stat().st_mtime, dt.UTC).replace(microsecond=0).isoformat()

    def count(self) -> int:
        return self._searcher().doc_count()

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None

    # searching

    def parse(self, text: str) -> query.Query | None:
        text = check_query(text).strip()
        if not text:
            return None
        try:
            parsed = self.parser.parse(text)
        except Exception as exc:  # Whoosh's parser raises assorted errors on odd input
            raise QueryError(f"the query cannot be read: {exc}") from None
        return None if parsed is query.NullQuery else parsed

    def search(self, request: SearchRequest) -> SearchResult:
        check_request(request)
        parsed = self.parse(request.q)
        searcher = self._searcher()
        table = self._table(searcher)
        scores, results = self._scores(searcher, parsed, table)
        passing = {docnum: _passes(table.rows[docnum], request) for docnum in scores}
        facets = _facets(table, scores, passing, request)
        matching = [d for d, flags in passing.items() if all(flags.values())]
        ordered = _order(matching, scores, table, request.sort)
        start = (request.page - 1) * request.page_size
        page = ordered[start : start + request.page_size]
        hits = tuple(self._hit(searcher, results, parsed, table.rows[d], scores[d], request) for d in page)
        suggestion = self.suggest(request.q) if request.q.strip() else None
        return SearchResult(request, len(matching), hits, facets, suggestion)

    def matching_ids(self, request: SearchRequest) -> list[str]:
        """The ids of every document the search matches, in its order (for exports)."""
        check_request(request)
        parsed = self.parse(request.q)
        searcher = self._searcher()
        table = self._table(searcher)
        scores, _ = self._scores(searcher, parsed, table)
        matching = [d for d in scores if all(_passes(table.rows[d], request).values())]
        return [table.rows[d].id for d in _order(matching, scores, table, request.sort)]

    def _scores(self, searcher: Searcher, parsed: query.Query | None, table: FacetTable):
        if parsed is None:
            return {docnum: 0.0 for docnum in table.rows}, None
        results = searcher.search(parsed, limit=None, terms=True)
        return {docnum: score for docnum, score in results.items()}, results

    def _hit(
        self,
        searcher: Searcher,
        results,
        parsed: query.Query | None,
        row: Row,
        score: float,
        request: SearchRequest,
    ) -> Hit:
        fields = searcher.stored_fields(row.docnum)
        doc = self.documents(row.id)
        text = doc.text if doc else ""
        snippets: tuple[str, ...] = ()
        title_html = highlight.htmlescape(fields["title"])
        clause = None
        if parsed is not None and results is not None:
            words = _query_words(parsed)
            title_html = _highlight_title(fields["title"], words) or title_html
            snippets = _snippets(WhooshHit(results, row.docnum, 0, score), text, request.snippets)
            clause = self._best_clause(row.id, words)
        if not snippets and text:
            snippets = (highlight.htmlescape(_opening(text)),)
        return Hit(
            id=row.id,
            title=fields["title"],
            title_html=title_html,
            url=fields.get("url", ""),
            date=row.date,
            year=row.year,
            parties=tuple(sorted(row.parties)),
            doc_type=row.doc_type,
            language=row.language,
            source=row.source,
            score=round(score, 4),
            snippets=snippets,
            clause=clause,
        )

    def _best_clause(self, doc_id: str, words: set[str]) -> int | None:
        if not words:
            return None
        wanted = query.And([query.Term("doc_id", doc_id), query.Or([query.Term("text", w) for w in words])])
        with self.clauses_ix.searcher() as searcher:
            found = searcher.search(wanted, limit=50, terms=True)
            if not found:
                return None
            # The clause with the most distinct query words wins; BM25 breaks ties.
            best = max(found, key=lambda hit: (len({t for f, t in hit.matched_terms() if f == "text"}), hit.score))
            return best["number"]

    # "did you mean"

    def suggest(self, text: str) -> str | None:
        """The query with unknown words replaced by the closest known ones; None when all are known."""
        searcher = self._searcher()
        corrector = searcher.corrector("exact")
        changed = False

        def fix(match: re.Match[str]) -> str:
            nonlocal changed
            word = match.group(0)
            folded = word.lower().replace("ё", "е")
            if (
                len(folded) < 3
                or folded in STOPWORDS
                or word in ("AND", "OR", "NOT")
                or not folded.isalpha()
                or searcher.doc_frequency("exact", folded)
            ):
                return word
            candidates = corrector.suggest(folded, limit=10, maxdist=2, prefix=1)
            if not candidates:
                return word
            changed = True
            # The nearest word first, the most frequent among equally near ones.
            return min(
                candidates, key=lambda c: (Levenshtein.distance(folded, c), -searcher.doc_frequency("exact", c), c)
            )

        fixed = re.sub(r"(?<![\w:])[^\W\d_]+(?![\w:*])", fix, text)
        return fixed if changed else None


def _passes(row: Row, request: SearchRequest) -> dict[str, bool]:
    """For each facet, whether a document passes that facet's filter."""
    if not request.parties:
        party = True
    elif request.party_mode == "all":
        party = set(request.parties) <= row.parties
    else:
        party = bool(row.parties & set(request.parties))
    year = (request.year_from is None or (row.year or 0) >= request.year_from) and (
        request.year_to is None or (row.year or 9999) <= request.year_to
    )
    return {
        "parties": party,
        "year": year,
        "doc_type": not request.types or row.doc_type in request.types,
        "language": not request.languages or row.language in request.languages,
        "source": not request.sources or row.source in request.sources,
    }


def _facets(
    table: FacetTable, scores: dict[int, float], passing: dict[int, dict[str, bool]], request: SearchRequest
) -> dict[str, tuple[FacetValue, ...]]:
    """Counts per facet value, each facet counted without its own filter (disjunctive facets).

    The party facet in "between" (all) mode is the exception: it counts the parties that appear
    together with all those selected, so its own filter applies.
    """
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for docnum in scores:
        flags = passing[docnum]
        failing = [name for name, ok in flags.items() if not ok]
        if len(failing) > 1:
            continue
        row = table.rows[docnum]
        for name in FACETS:
            if failing and failing != [name]:
                continue
            if name == "parties" and request.party_mode == "all" and request.parties and not flags["parties"]:
                continue
            counters[name].update(_values(row, name))
    selected = {
        "parties": set(request.parties),
        "doc_type": set(request.types),
        "language": set(request.languages),
        "source": set(request.sources),
        "year": set(),
    }
    facets = {}
    for name, counter in counters.items():
        for value in selected[name] - set(counter):
            counter[value] = 0
        order = sorted(counter.items()) if name == "year" else sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        facets[name] = tuple(FacetValue(v, c, v in selected[name]) for v, c in order)
    return facets


def _values(row: Row, name: str) -> Iterable[str]:
    if name == "parties":
        return row.parties
    if name == "year":
        return [str(row.year)] if row.year else []
    return [getattr(row, name)] if getattr(row, name) else []


def _order(docnums: list[int], scores: dict[int, float], table: FacetTable, sort: str) -> list[int]:
    rows = table.rows
    if sort == "newest":
        return sorted(docnums, key=lambda d: (rows[d].date or "0", rows[d].id), reverse=True)
    if sort == "oldest":
        return sorted(docnums, key=lambda d: (rows[d].date or "9999", rows[d].id))
    return sorted(docnums, key=lambda d: (-scores[d], "" if not rows[d].date else _neg(rows[d].date), rows[d].id))


def _neg(date: str) -> str:
    """A key that sorts later dates first among equal scores."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date)


def _query_words(parsed: query.Query) -> set[str]:
    return {
        text.decode() if isinstance(text, bytes) else text
        for field, text in parsed.iter_all_terms()
        if field in ("text", "title")
    }


def _highlight_title(title: str, words: set[str]) -> str:
    if not words:
        return ""
    return highlight.highlight(
        title,
        frozenset(words),
        stemming_analyzer(),
        highlight.WholeFragmenter(),
        highlight.HtmlFormatter(tagname="mark"),
        top=1,
        minscore=1,
    )


def _snippets(hit: WhooshHit, text: str, top: int) -> tuple[str, ...]:
    """Several highlighted passages from anywhere in the text (no 32K limit: character offsets are indexed)."""
    if not text or top <= 0:
        return ()
    results = hit.results
    results.fragmenter = highlight.PinpointFragmenter(maxchars=260, surround=90, autotrim=True, charlimit=None)
    results.formatter = highlight.HtmlFormatter(tagname="mark", between=SNIPPET_SEP)
    html = hit.highlights("text", text=text, top=top, minscore=1)
    return tuple(s.strip() for s in html.split(SNIPPET_SEP) if s.strip())


def _opening(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


__all__ = ["Index", "QueryError", "SearchRequest", "SearchResult", "check_query"]
