"""Searching: query parsing and checks, filters, disjunctive facets, snippets, suggestions."""

from __future__ import annotations

import datetime as dt
import operator
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, reduce
from pathlib import Path

import numpy as np
from whoosh import highlight, query
from whoosh.searching import Searcher

from corpus.model import Document
from indexer.analysis import correct_spelling
from indexer.build import STATE_FILE, open_index, read_state, read_vocabulary
from indexer.names import Widening, explain, query_tree
from indexer.postings import Matches, Unsupported, evaluate, seek, unfiltered
from indexer.query import Node, relaxed, words_with_prefix
from indexer.recent import Recent
from indexer.results import (
    FACETS,
    VALUE_FILTERS,
    FacetValue,
    Hit,
    QueryError,
    SearchRequest,
    SearchResult,
    alternatives,
    check_query,
    check_request,
    facet_values,
    honest_suggestion,
    selected_values,
    text_start,
)
from indexer.schema import POSITIONS, offsets_field, positions_field
from indexer.schema import analyzer as shared_analyzer
from indexer.snippets import marked_title
from indexer.snippets import snippets as snippets_of
from indexer.spans import best_clause, clause_spans, unpacked
from indexer.whoosh_query import text_words, to_whoosh

FEW_WORDS = 6  # a query of more words has its page's offsets read where the words stand (see _page_chars)
HIT_TEXTS = 512  # the hits' texts kept, with their clause spans (see Index._hit_text)
DocumentSource = Callable[[str], Document | None]
TextSource = Callable[[str], tuple[str, str] | None]  # a document's text and content hash


@dataclass(frozen=True)
class Row:
    """What filters, facets and sorting need of one indexed document, kept in memory per index version."""

    docnum: int
    id: str
    parties: frozenset[str]
    mentions: frozenset[str]
    year: int | None
    date: str
    doc_type: str
    language: str
    source: str


class FacetTable:
    """Every live document's facet values, and the documents of each value, read once per index generation."""

    def __init__(self, searcher: Searcher) -> None:
        self.rows: dict[int, Row] = {}
        docs: dict[str, dict[str, list[int]]] = {name: {} for name in FACETS}
        readings: dict[str, list[int]] = {}
        for docnum, fields in searcher.reader().iter_docs():
            row = Row(
                docnum,
                fields["id"],
                frozenset(fields.get("parties", "").split()),
                frozenset(fields.get("mentions", "").split()),
                fields.get("year") or None,
                fields.get("date", ""),
                fields.get("doc_type", ""),
                fields.get("language", ""),
                fields.get("source", ""),
            )
            self.rows[docnum] = row
            if fields.get("reading"):
                readings.setdefault(fields["reading"], []).append(docnum)
            for name in FACETS:
                for value in _values(row, name):
                    docs[name].setdefault(value, []).append(docnum)
        # Each value's documents as a bitset (a Python int, bit n for document n): filters are ORs and ANDs of
        # a few ints, and a facet's counts are popcounts, however many documents match.
        self.bits = {name: {v: to_bits(d) for v, d in values.items()} for name, values in docs.items()}
        self.all = to_bits(self.rows)
        self.by_id = {row.id: docnum for docnum, row in self.rows.items()}
        self.size = max(self.rows, default=-1) + 1
        # readings of one text in one language (manytreaties' Raw/ and Formatted/ copies of an English treaty),
        # each group in order of id: a search lists only the first it finds
        groups = [sorted(g, key=lambda d: self.rows[d].id) for g in readings.values() if len(g) > 1]
        self.reading_docs = np.array([d for g in groups for d in g], dtype=np.int64)
        self.reading_group = np.array([n for n, g in enumerate(groups) for _ in g], dtype=np.int64)
        self.in_readings = bits_of(self.reading_docs)
        # For counting: each facet's values in order, and their bitsets as rows of 64-bit words: a facet's
        # counts over a set of documents are the popcounts of one AND of all its rows with the set.
        self.values = {name: np.array(sorted(values), dtype=object) for name, values in self.bits.items()}
        self.words = {
            name: np.stack([self._words(self.bits[name][v]) for v in names])
            for name, names in self.values.items()
            if len(names)
        }

    def with_value(self, name: str, value: str) -> int:
        return self.bits[name].get(value, 0)

    def one_reading(self, docs: int) -> int:
        """A set of documents with only the first (by id) of each text's readings in one language among them."""
        held, groups = self._readings_in(docs)
        first = np.unique(groups, return_index=True)[1]  # each group's first reading among those found
        later = np.delete(held, first)
        return docs & ~bits_of(later) if len(later) else docs

    def text_counts(self, name: str, docs: int) -> Counter[str]:
        """How many texts of a set of documents have each value of the facet, a text read twice counting once:
        what a filter on the value then finds (the values none has left out)."""
        if name not in self.words:
            return Counter()
        found = self._counts(name, docs) - self._repeats(name, docs)
        kept = np.flatnonzero(found)
        return Counter(dict(zip(self.values[name][kept].tolist(), found[kept].tolist(), strict=True)))

    def _held(self, docs: int) -> np.ndarray:
        """Which readings of texts read twice (`reading_docs`) a set of documents holds."""
        found = docs & self.in_readings
        if not found:
            return np.zeros(len(self.reading_docs), dtype=bool)
        return mask_of(found, self.size)[self.reading_docs]

    def _readings_in(self, docs: int) -> tuple[np.ndarray, np.ndarray]:
        """The documents of a set that are readings of a text read twice, and their groups."""
        held = self._held(docs)
        return self.reading_docs[held], self.reading_group[held]

    def _words(self, bits: int) -> np.ndarray:
        """A bitset as 64-bit words, as many as the index's documents need."""
        return np.frombuffer(bits.to_bytes((self.size + 63) // 64 * 8, "little"), dtype=np.uint64)

    def _counts(self, name: str, docs: int) -> np.ndarray:
        """How many of a set of documents have each value of the facet (in the order of `values`)."""
        rows, words = self.words[name], self._words(docs)
        held = np.flatnonzero(words)
        if len(held) < len(words) // 2:  # a few documents (a filter, a rare word): only their words
            rows, words = rows[:, held], words[held]
        return np.bitwise_count(rows & words).sum(axis=1, dtype=np.int64)

    def _repeats(self, name: str, docs: int) -> np.ndarray:
        """For each value of the facet, how many of a set's documents hold it beyond the first reading of
        each text: the counts of documents less these are the counts of texts."""
        size = len(self.values[name])
        readings, values = self._reading_values[name]
        chosen = self._held(docs)[readings]
        if not chosen.any():
            return np.zeros(size, dtype=np.int64)
        keys = self.reading_group[readings[chosen]] * size + values[chosen]
        found, times = np.unique(keys, return_counts=True)
        return np.bincount(found % size, weights=times - 1, minlength=size).astype(np.int64)

    @cached_property
    def _reading_values(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """For each facet, (a place in `reading_docs`, a value's place in `values`) for every value each reading
        of a text read twice has."""
        found = {}
        for name, names in self.values.items():
            place = {value: n for n, value in enumerate(names.tolist())}
            docs = self.reading_docs.tolist()
            pairs = [(k, place[v]) for k, d in enumerate(docs) for v in _values(self.rows[d], name)]
            readings, values = np.array(pairs, dtype=np.int64).reshape(-1, 2).T
            found[name] = readings, values
        return found

    def in_date_order(self, docs: int, sort: str, start: int, size: int) -> list[int]:
        """Ranks start .. start + size of a set of documents by date ("oldest" first, or newest)."""
        order = self.oldest if sort == "oldest" else self.newest
        return order[mask_of(docs, self.size)[order]][start : start + size].tolist()

    @cached_property
    def newest(self) -> np.ndarray:
        """Every document, newest first (the id breaks ties), sorted once, when a search first asks."""
        rows = self.rows
        return np.array(sorted(rows, key=lambda d: (rows[d].date or "0", rows[d].id), reverse=True), dtype=np.int64)

    @cached_property
    def oldest(self) -> np.ndarray:
        """Every document, oldest first (undated last), sorted once, when a search first asks."""
        rows = self.rows
        return np.array(sorted(rows, key=lambda d: (rows[d].date or "9999", rows[d].id)), dtype=np.int64)


def to_bits(docnums: Iterable[int]) -> int:
    """A set of document numbers as a bitset."""
    return bits_of(np.fromiter(docnums, dtype=np.int64))


def from_bits(bits: int) -> set[int]:
    """The document numbers of a bitset."""
    found, base = set(), 0
    for byte in bits.to_bytes((bits.bit_length() + 7) // 8, "little"):
        if byte:
            found.update(base + i for i in range(8) if byte >> i & 1)
        base += 8
    return found


def bits_of(ids: np.ndarray) -> int:
    """An array of document numbers as a bitset."""
    if not len(ids):
        return 0
    mask = np.zeros(int(ids.max()) + 1, dtype=bool)
    mask[ids] = True
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def mask_of(bits: int, size: int) -> np.ndarray:
    """A bitset as booleans for document numbers 0 .. size - 1."""
    raw = np.frombuffer(bits.to_bytes(max(1, (size + 7) // 8), "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].astype(bool)


@dataclass(frozen=True)
class Ranking:
    """Every match of a query with its score: the facets' bitset and any page, ranked, come from it."""

    ids: np.ndarray  # ascending document numbers
    scores: np.ndarray

    @staticmethod
    def of(matches: Matches) -> Ranking:
        return Ranking(matches.ids, matches.scores)

    @staticmethod
    def of_scores(scores: dict[int, float]) -> Ranking:
        ids = np.array(sorted(scores), dtype=np.int64)
        return Ranking(ids, np.array([scores[d] for d in ids.tolist()], dtype=np.float64))

    def bits(self) -> int:
        return bits_of(self.ids)

    def score_of(self, docnum: int) -> float:
        at = int(np.searchsorted(self.ids, docnum))
        return float(self.scores[at]) if at < len(self.ids) and self.ids[at] == docnum else 0.0

    def best(self, allowed: int | None, start: int, size: int) -> list[tuple[int, float]]:
        """(docnum, score) of ranks start .. start + size among the allowed documents (all when None): by
        score, the lower document number first among equals, as Whoosh ranks them."""
        ids, scores = self.ids, self.scores
        if allowed is not None and len(ids):
            keep = mask_of(allowed, int(ids[-1]) + 1)[ids]
            ids, scores = ids[keep], scores[keep]
        wanted = start + size
        if len(ids) > wanted:  # only the documents scoring at least the wanted-th best need sorting
            threshold = np.partition(scores, len(scores) - wanted)[len(scores) - wanted]
            keep = scores >= threshold
            ids, scores = ids[keep], scores[keep]
        order = np.lexsort((ids, -scores))[start:wanted]
        return list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))


class Index:
    """A read view of the index: search with facets and snippets. Safe to share between threads."""

    def __init__(
        self,
        path: Path,
        documents: DocumentSource,
        cache_size: int = 256,
        one_pass: bool = True,
        texts: TextSource | None = None,
    ) -> None:
        self.path = path
        self.one_pass = one_pass  # False: Whoosh's own walks only (what bench/search.py compares with)
        self.documents = documents
        self.texts = texts  # a hit's text alone, where the index holds its clauses' places
        self.docs_ix = open_index(path)
        # One searcher per thread (a Whoosh searcher is not safe across threads), so that a long query holds
        # up no other: the index files are memory-mapped, and the mapping is shared between them.
        self._local = threading.local()
        self._searchers: list[Searcher] = []
        self._cache: Recent[SearchResult] = Recent(cache_size)  # pages by (index generation, request)
        self._match_cache: Recent[tuple[int, Ranking | None]] = Recent(max(8, cache_size // 4) if cache_size else 0)
        self._texts: Recent[tuple[str, list[tuple[int, int]] | None]] = Recent(HIT_TEXTS)
        self._tables: dict[int, FacetTable] = {}
        self._vocabulary: tuple[float, Counter[str], dict[str, list[str]], list[str]] | None = None
        self._lock = threading.Lock()

    # searchers: one per thread, refreshed when an update has committed

    def _searcher(self) -> Searcher:
        """This thread's searcher, fresh."""
        searcher: Searcher | None = getattr(self._local, "searcher", None)
        if searcher is not None and not searcher.up_to_date():
            # A fresh searcher, not refresh(): reused segment readers can keep stale deletions.
            self._drop(searcher)
            searcher = None
        if searcher is None:
            searcher = self._local.searcher = self.docs_ix.searcher()
            with self._lock:
                self._searchers.append(searcher)
        return searcher

    def _drop(self, searcher: Searcher) -> None:
        searcher.close()
        with self._lock:
            self._searchers.remove(searcher)

    def _table(self, searcher: Searcher) -> FacetTable:
        generation = searcher.reader().generation()
        with self._lock:
            table = self._tables.get(generation)
            if table is None:
                table = FacetTable(searcher)
                self._tables = {generation: table}
            return table

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

    def document_frequencies(self, words: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(documents indexed, {word: documents holding it}) for the words of a text: the rarity of each word."""
        analyzer = shared_analyzer()
        reader = self._searcher().reader()
        total, found = reader.doc_count(), {}
        for word in set(words):
            terms = [t.text for t in analyzer(word)]
            # a stop word is not indexed: it counts as standing everywhere
            found[word] = reader.doc_frequency("text", terms[0]) if terms else total
        return total, found

    def brief(self, ids: Iterable[str]) -> list[Hit]:
        """Title, date, parties, type and language of documents by id, from the index alone (no snippets)."""
        searcher = self._searcher()
        table = self._table(searcher)
        hits = []
        for doc_id in ids:
            docnum = table.by_id.get(doc_id)
            if docnum is None:
                continue
            row, title = table.rows[docnum], searcher.stored_fields(docnum)["title"]
            hits.append(_hit(row, title))
        return hits

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of hits with snippets, facet counts and a suggestion; QueryError for a bad query."""
        # the same page again (back, reload, a feed reader's poll) is kept until the index changes
        key = (self._searcher().reader().generation(), request)
        return self._cache.get(key, lambda: self._search(request))

    def matching_ids(self, request: SearchRequest) -> list[str]:
        """The ids of every document the search matches, in its order (for exports)."""
        return self._matching_ids(request)

    def similar(self, text: str, limit: int = 30, terms: int = 12) -> list[str]:
        """Ids of the documents sharing the most distinctive words of a text (a clause): candidates to align."""
        return self._similar(text, limit, terms)

    def close(self) -> None:
        with self._lock:
            searchers, self._searchers = self._searchers, []
        for searcher in searchers:
            searcher.close()

    # searching

    def parse(self, text: str) -> query.Query | None:
        """The Whoosh query of a query text; None when it puts no condition on the text."""
        return self.read(text, self._searcher())[0]

    def read(self, text: str, searcher: Searcher) -> tuple[query.Query | None, tuple[Widening, ...]]:
        """A query text as a Whoosh query, with names widened and prefixes expanded, and the names widened."""
        tree, widenings = self.tree(text)
        return (self._whoosh(tree, searcher) if tree is not None else None), widenings

    def tree(self, text: str) -> tuple[Node | None, tuple[Widening, ...]]:
        """A query text as our query tree (names widened, prefixes expanded), and the names it widened."""
        words = self.vocabulary()[2]
        return query_tree(text, lambda prefix: words_with_prefix(words, prefix))

    def _whoosh(self, tree: Node, searcher: Searcher) -> query.Query | None:
        years = {int(y) for y in self._table(searcher).bits["year"]}
        return to_whoosh(tree, searcher.reader(), years)

    def _found(
        self, searcher: Searcher, parsed: query.Query | None, table: FacetTable, text: str
    ) -> tuple[query.Query | None, int, Ranking | None, bool]:
        """The query, its matches and their ranking; when no document holds all its words, those of the first
        relaxed form (most of the words) that finds some, marked partial."""
        matched, ranking = self._matches(searcher, parsed, table, text)
        if matched or parsed is None:
            return parsed, matched, ranking, False
        for step, weaker in enumerate(relaxed(self.tree(text)[0]), 1):
            loose = self._whoosh(weaker, searcher)
            found, loose_ranking = self._matches(searcher, loose, table, f"{text}\x00{step}") if loose else (0, None)
            if found:
                return loose, found, loose_ranking, True
        return parsed, matched, ranking, False

    def _search(self, request: SearchRequest) -> SearchResult:
        check_request(request)
        searcher = self._searcher()
        parsed, widenings = self.read(request.q, searcher)
        table = self._table(searcher)
        parsed, matched, ranking, partial = self._found(searcher, parsed, table, request.q)
        filters = _filters(table, request)
        final = table.one_reading(_apply(matched, filters.values()))
        facets = _facets(table, matched, filters, request)
        start = (request.page - 1) * request.page_size
        page = self._page(
            searcher, parsed, table, final, request.sort, start, request.page_size, ranking, filtered=final != matched
        )
        chars = _page_chars(searcher, [d for d, _ in page], parsed) if parsed is not None else {}
        hits = tuple(
            self._hit(searcher, parsed, table.rows[d], score, request, widenings, chars.get(d, [])) for d, score in page
        )
        total = final.bit_count()
        suggestion = self.suggest(request.q) if request.q.strip() else None
        # a partial answer holds not all the words: a suggestion that finds them all is worth offering
        strict = 0 if partial else total
        suggestion = honest_suggestion(request, strict, suggestion, lambda r: self._total(r, strict=True))
        found = alternatives(request, suggestion, self._total) if not total else ()
        return SearchResult(request, total, hits, facets, suggestion, found, partial)

    def _total(self, request: SearchRequest, strict: bool = False) -> int:
        """How many documents a search finds, without its page (for suggestions and alternatives); `strict`:
        only documents holding all its words."""
        try:
            searcher = self._searcher()
            parsed, _ = self.read(request.q, searcher)
        except QueryError:
            return 0
        table = self._table(searcher)
        if strict:
            matched, _ = self._matches(searcher, parsed, table, request.q)
        else:
            _, matched, _, _ = self._found(searcher, parsed, table, request.q)
        return table.one_reading(_apply(matched, _filters(table, request).values())).bit_count()

    def _matching_ids(self, request: SearchRequest) -> list[str]:
        check_request(request)
        searcher = self._searcher()
        parsed, _ = self.read(request.q, searcher)
        table = self._table(searcher)
        parsed, matched, ranking, _ = self._found(searcher, parsed, table, request.q)
        final = table.one_reading(_apply(matched, _filters(table, request).values()))
        page = self._page(searcher, parsed, table, final, request.sort, 0, final.bit_count(), ranking)
        return [table.rows[d].id for d, _ in page]

    def _matches(
        self, searcher: Searcher, parsed: query.Query | None, table: FacetTable, text: str
    ) -> tuple[int, Ranking | None]:
        """The documents a query matches, with every match's score where the one-pass evaluation applies, kept
        for the next requests with the same words: toggling a facet, paging or sorting then costs only set
        arithmetic and one page."""
        key = (searcher.reader().generation(), text)
        return self._match_cache.get(key, lambda: self._evaluate(searcher, parsed, table))

    def _evaluate(
        self, searcher: Searcher, parsed: query.Query | None, table: FacetTable
    ) -> tuple[int, Ranking | None]:
        """(bitset of the matches, their ranking): one pass over the postings, or Whoosh's own walks where
        the pass does not reproduce its scores (a ranking then only for phrases, whose matching is costly)."""
        if parsed is None:
            return table.all, None
        searchable = for_layout(parsed, searcher.schema)
        try:
            if not self.one_pass:
                raise Unsupported("the one pass is off")
            ranking = Ranking.of(evaluate(searcher, searchable))
        except Unsupported:
            if not _has_phrase(parsed):
                return to_bits(searcher.docs_for_query(searchable)), None
            ranking = Ranking.of_scores(dict(searcher.search(searchable, limit=None).items()))
        return ranking.bits(), ranking

    def _page(
        self,
        searcher: Searcher,
        parsed: query.Query | None,
        table: FacetTable,
        final: int,
        sort: str,
        start: int,
        size: int,
        ranking: Ranking | None = None,
        filtered: bool = True,
    ) -> list[tuple[int, float]]:
        """(docnum, score) of the page's documents, in the order asked for."""
        if not final or size <= 0:
            return []
        if parsed is not None and sort == "relevance":
            if ranking is None:  # the best few by Whoosh's top-k search, among the filtered documents
                allowed = from_bits(final) if filtered else None  # unfiltered, Whoosh skips blocks that cannot win
                searchable = for_layout(parsed, searcher.schema)
                return list(searcher.search(searchable, filter=allowed, limit=start + size).items())[start:]
            return ranking.best(final if filtered else None, start, size)
        ordered = table.in_date_order(final, sort, start, size)
        return [(d, ranking.score_of(d) if ranking else 0.0) for d in ordered]

    def _hit(
        self,
        searcher: Searcher,
        parsed: query.Query | None,
        row: Row,
        score: float,
        request: SearchRequest,
        widenings: tuple[Widening, ...] = (),
        chars: list[tuple[int, int, str]] | None = None,
    ) -> Hit:
        """A hit with its snippets and best clause; `chars` are where the query's words stand in it."""
        fields = searcher.stored_fields(row.docnum)
        text, spans = self._hit_text(row.id, fields.get("content_hash", ""), fields.get("spans"))
        snippets: tuple[str, ...] = ()
        title_html = highlight.htmlescape(fields["title"])
        clause = None
        if parsed is not None:
            offset = len(fields["title"]) + 1  # the indexed text starts with the title
            if chars is None:
                chars = _page_chars(searcher, [row.docnum], parsed).get(row.docnum, [])
            title_html = marked_title(fields["title"], [c for c in chars if c[1] < offset]) or title_html
            matches = [(a - offset, b - offset, w) for a, b, w in chars if a >= offset]
            snippets = snippets_of(text, matches, request.snippets)
            if spans is not None:
                clause = best_clause([(start, word) for start, _, word in matches], spans)
        if not snippets and text:
            snippets = (highlight.htmlescape(text_start(text)),)
        names = explain(widenings, f"{fields['title']}\n{text}", chars) if widenings else ()
        return _hit(row, fields["title"], title_html, fields.get("url", ""), score, snippets, clause, names)

    def _hit_text(
        self, doc_id: str, content_hash: str, starts: bytes | None = None
    ) -> tuple[str, list[tuple[int, int]] | None]:
        """A hit's text and where each of its clauses stands in it (None: not in the store). The last
        HIT_TEXTS read are kept, by content hash, so that a revised text is read anew: the documents that
        come up again and again (long speeches hold most words) are not read and cut once per search. The
        places come from the index (`starts`) where it holds them for the text the store holds now."""

        def read() -> tuple[str, list[tuple[int, int]] | None]:
            found = self.texts(doc_id) if self.texts is not None and starts is not None else None
            if found is not None and found[1] == content_hash:
                return found[0], unpacked(starts, len(found[0]))
            doc = self.documents(doc_id)
            return (doc.text, clause_spans(doc.text, doc.clauses)) if doc else ("", None)

        return self._texts.get((doc_id, content_hash), read)

    def _similar(self, text: str, limit: int = 30, terms: int = 12) -> list[str]:
        """Ids of the documents sharing the most distinctive words of a text (a clause): candidates to align."""
        searcher = self._searcher()
        reader = searcher.reader()
        words = {t.text for t in shared_analyzer()(text)}
        known = [w for w in words if ("text", w) in reader]
        rarest = sorted(known, key=lambda w: (reader.doc_frequency("text", w), w))[:terms]
        if not rarest:
            return []
        found = searcher.search(query.Or([query.Term("text", w) for w in rarest]), limit=limit)
        return [hit["id"] for hit in found]

    # "did you mean"

    def vocabulary(self) -> tuple[Counter[str], dict[str, list[str]], list[str]]:
        """The index's vocabulary (counts, words by first letter, all sorted), read again after each update."""
        state = self.path / STATE_FILE
        stamp = state.stat().st_mtime if state.exists() else 0.0
        with self._lock:
            if self._vocabulary is None or self._vocabulary[0] != stamp:
                counts = read_vocabulary(self.path)
                buckets: dict[str, list[str]] = {}
                for word in counts:
                    buckets.setdefault(word[0], []).append(word)
                self._vocabulary = (stamp, counts, buckets, sorted(counts))
            return self._vocabulary[1:]

    def suggest(self, text: str) -> str | None:
        """The query with words unknown to the index as stems replaced by the closest known words."""
        counts, buckets, _ = self.vocabulary()
        reader = self._searcher().reader()
        analyzer = shared_analyzer()

        def known(words: set[str]) -> set[str]:
            return {w for w in words if any(("text", t.text) in reader for t in analyzer(w))}

        return correct_spelling(text, known, lambda word: (buckets.get(word[0], []), counts))


def _page_chars(searcher: Searcher, docnums: list[int], parsed: query.Query) -> dict[int, list[tuple[int, int, str]]]:
    """(start, end, word) of every place a query's word stands in each of a page's documents, from the index's
    character offsets: one pass over each word's postings for the whole page, not one per document. For a
    query of many words (a name widened to all its party's names), most stand in few of the page's documents:
    a word's offsets are then read only where its counts, whose posting blocks are small, say it stands. A word
    the query looks for only in phrases counts only where a phrase stands ("Kingdom of Morocco", not the
    "Kingdom" of "United Kingdom")."""
    alone, phrases = text_words(parsed)
    words = alone | {word for phrase in phrases for word in phrase}
    reader = searcher.reader()
    field = offsets_field(searcher.schema)
    found: dict[int, list[tuple[int, int, int, str]]] = {d: [] for d in docnums}
    ordered = sorted(docnums)
    for word in words:
        if (field, word) not in reader:
            continue
        holding = ordered
        if len(words) > FEW_WORDS and field != "text":
            holding = [d for d, _ in _postings_at(unfiltered(reader.postings("text", word)), ordered)]
        for docnum, matcher in _postings_at(unfiltered(reader.postings(field, word)), holding):
            places = matcher.value_as("characters")
            found[docnum].extend((start, end, position, word) for position, start, end in places)
    inside: dict[str, list[tuple[tuple[str, ...], int]]] = {}  # each word's phrases, with its place in each
    for phrase in phrases:
        for n, word in enumerate(phrase):
            inside.setdefault(word, []).append((phrase, n))
    return {d: sorted(in_phrases(places, alone, inside)) for d, places in found.items()}


def in_phrases(
    places: list[tuple[int, int, int, str]], alone: set[str], inside: dict[str, list[tuple[tuple[str, ...], int]]]
) -> list[tuple[int, int, str]]:
    """(start, end, word) of the places (start, end, position, word) of words looked for alone, and of the others
    where one of the phrases holding them (`inside`: each word's phrases, with its place in each) stands whole."""
    if inside.keys() <= alone:  # every word is looked for alone too (no phrase, or only phrases of such words)
        return [(start, end, word) for start, end, _, word in places]
    at: dict[str, set[int]] = {}
    for _, _, position, word in places:
        at.setdefault(word, set()).add(position)

    def stands(word: str, position: int) -> bool:
        starts = [(phrase, position - n) for phrase, n in inside.get(word, ())]
        return any(all(start + i in at.get(w, ()) for i, w in enumerate(phrase)) for phrase, start in starts)

    return [(start, end, word) for start, end, position, word in places if word in alone or stands(word, position)]


def _postings_at(matcher, docnums: list[int]) -> Iterator[tuple[int, object]]:
    """(docnum, the matcher standing on it) for those of the documents (ascending) the postings hold."""
    for docnum in docnums:
        seek(matcher, docnum)
        if not matcher.is_active():
            return
        if matcher.id() == docnum:
            yield docnum, matcher


def _filters(table: FacetTable, request: SearchRequest) -> dict[str, int | None]:
    """For each facet, the bitset of the documents its filter lets through (None: no filter on that facet)."""
    parties: int | None = None
    if request.parties:
        sets = [table.with_value("parties", p) for p in request.parties]
        parties = reduce(operator.and_ if request.party_mode == "all" else operator.or_, sets)
    years: int | None = None
    if request.year_from is not None or request.year_to is not None:
        low, high = request.year_from or 0, request.year_to or 9999
        years = reduce(operator.or_, [b for y, b in table.bits["year"].items() if low <= int(y) <= high], 0)

    def any_of(name: str, values: tuple[str, ...]) -> int | None:
        return reduce(operator.or_, [table.with_value(name, v) for v in values], 0) if values else None

    chosen = {name: any_of(name, getattr(request, arg)) for name, arg in VALUE_FILTERS.items()}
    return {"parties": parties, "mentions": any_of("mentions", request.mentions), "year": years, **chosen}


def _apply(docs: int, filters: Iterable[int | None]) -> int:
    for allowed in filters:
        if allowed is not None:
            docs &= allowed
    return docs


def _facets(
    table: FacetTable, matched: int, filters: dict[str, int | None], request: SearchRequest
) -> dict[str, tuple[FacetValue, ...]]:
    """Counts per facet value, each facet counted without its own filter (disjunctive facets).

    The party facet in "between" (all) mode is the exception: it counts the parties that appear
    together with all those selected, so its own filter applies.
    """
    selected = selected_values(request)
    facets = {}
    for name in FACETS:
        own = name == "parties" and request.party_mode == "all"
        docs = _apply(matched, [f for other, f in filters.items() if other != name or own])
        facets[name] = facet_values(name, table.text_counts(name, docs), selected[name])
    return facets


def _values(row: Row, name: str) -> Iterable[str]:
    if name in ("parties", "mentions"):
        return getattr(row, name)
    if name == "year":
        return [str(row.year)] if row.year else []
    value = getattr(row, name)
    return [value] if value else []


def _hit(
    row: Row,
    title: str,
    title_html: str = "",
    url: str = "",
    score: float = 0.0,
    snippets: tuple[str, ...] = (),
    clause: int | None = None,
    names: tuple[str, ...] = (),
) -> Hit:
    return Hit(
        id=row.id,
        title=title,
        title_html=title_html or highlight.htmlescape(title),
        url=url,
        date=row.date,
        year=row.year,
        parties=tuple(sorted(row.parties)),
        doc_type=row.doc_type,
        language=row.language,
        source=row.source,
        score=round(score, 4),
        snippets=snippets,
        clause=clause,
        names=names,
    )


def for_layout(parsed: query.Query, schema) -> query.Query:
    """The query as the index's layout answers it: phrases on the field that holds positions."""
    if positions_field(schema) == "text":
        return parsed

    def move(q: query.Query) -> query.Query:
        if isinstance(q, query.Phrase) and q.fieldname == "text":
            return query.Phrase(POSITIONS, q.words, slop=q.slop, boost=q.boost)
        return q.apply(move) if q.children() else q

    return move(parsed)


def _has_phrase(parsed: query.Query) -> bool:
    return isinstance(parsed, query.Phrase) or any(_has_phrase(q) for q in parsed.children())


__all__ = ["Index", "QueryError", "SearchRequest", "SearchResult", "check_query"]
