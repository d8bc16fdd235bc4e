"""Searching the PostgreSQL index (indexer/postgres.py builds it), with the Whoosh index's API.

User queries are read by our own parser (indexer/query.py); each word or phrase goes through
websearch_to_tsquery in every configuration present. Ranking is ts_rank, snippets come from
ts_headline, "did you mean" from pg_trgm over the corpus's words, and the best clause of a hit from
per-clause tsvectors. Filters and disjunctive facet counts are SQL, so a web process keeps no
per-index state beyond a cache of recent results.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg

from corpus.model import Document
from indexer.analysis import CYRILLIC, correct_spelling, name_forms
from indexer.names import Widening, explain, query_tree
from indexer.postgres import migrate, search_connection, searchable
from indexer.query import (
    MAX_PREFIX_WORDS,
    And,
    Field,
    Names,
    Node,
    Not,
    Or,
    Words,
    YearRange,
    relaxed,
    too_many,
)
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
    check_request,
    facet_values,
    honest_suggestion,
    selected_values,
    text_start,
)

START, STOP, SEP = "\x02", "\x03", "\x1f"  # ts_headline's marks, replaced after escaping


@dataclass
class Sql:
    """A piece of SQL with its parameters, in order."""

    text: str = "TRUE"
    params: list[Any] = field(default_factory=list)


@dataclass
class Compiled:
    """A parsed query, ready for SQL: the matching documents as a FROM item and, per configuration, the
    tsquery to rank by."""

    source: Sql  # the matching documents, a FROM item without its alias
    ranking: dict[str, str]  # configuration -> tsquery text (the positive words and phrases)
    widenings: tuple[Widening, ...] = ()
    about: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # config -> (party, its names' tsquery)

    def matched_as(self, alias: str) -> Sql:
        return Sql(f"{self.source.text} AS {alias}", self.source.params)

    @property
    def matched(self) -> Sql:
        """The matching documents as the FROM item `d`."""
        return self.matched_as("d")

    @property
    def lexemes(self) -> list[str]:
        return sorted({m.replace("''", "'") for q in self.ranking.values() for m in re.findall(r"'((?:[^']|'')*)'", q)})


class PostgresIndex:
    """Search in the PostgreSQL tables update_index() fills. Safe to share between threads."""

    def __init__(self, url: str, documents: Callable[[str], Document | None], cache_size: int = 256) -> None:
        self.url = url
        self.documents = documents
        self._local = threading.local()
        self._connections: list[psycopg.Connection] = []
        self._lock = threading.Lock()
        self._cache: Recent[SearchResult] = Recent(cache_size)  # pages by (search generation, request)
        self._configs: tuple[int, tuple[str, ...]] = (-1, ())
        migrate(self._con())

    def _con(self) -> psycopg.Connection:
        con = getattr(self._local, "con", None)
        if con is None or con.closed:
            con = self._local.con = search_connection(self.url)
            with self._lock:
                self._connections.append(con)
        return con

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._con().execute(sql, params).fetchall()

    def _state(self) -> tuple[int, int, dt.datetime | None]:
        return self._rows("SELECT generation, last_change, updated_at FROM search_state")[0]

    def indexed_change(self) -> int:
        return int(self._state()[1])

    def updated_at(self) -> str | None:
        updated = self._state()[2]
        return updated.astimezone(dt.UTC).replace(microsecond=0).isoformat() if updated else None

    def count(self) -> int:
        return int(self._rows("SELECT count(*) FROM search_documents")[0][0])

    def document_frequencies(self, words: Iterable[str]) -> tuple[int, dict[str, int]]:
        """(documents indexed, {word: documents holding it}) for the words of a text: the rarity of each word."""
        wanted = sorted(set(words))
        config = "russian" if CYRILLIC.search(" ".join(wanted)) else "english"
        rows = self._rows(
            "SELECT w, (tsvector_to_array(to_tsvector(%s::regconfig, w)))[1] AS lexeme FROM unnest(%s::text[]) w",
            (config, wanted),
        )
        lexemes = {word: lexeme for word, lexeme in rows}
        counts = dict(
            self._rows(
                "SELECT lexeme, documents FROM search_lexemes WHERE lexeme = ANY(%s)",
                ([x for x in lexemes.values() if x],),
            )
        )
        total = self.count()
        # a stop word has no lexeme: it counts as standing everywhere
        return total, {word: int(counts.get(lexeme, 0)) if lexeme else total for word, lexeme in lexemes.items()}

    def close(self) -> None:
        with self._lock:
            for con in self._connections:
                con.close()
            self._connections.clear()

    def configs(self, generation: int) -> tuple[str, ...]:
        """The text search configurations the indexed documents use."""
        if self._configs[0] != generation:
            found = tuple(r[0] for r in self._rows("SELECT DISTINCT config FROM search_documents ORDER BY 1"))
            self._configs = (generation, found or ("english",))
        return self._configs[1]

    def brief(self, ids: Iterable[str]) -> list[Hit]:
        ids = list(ids)
        rows = {r[0]: r for r in self._rows(f"SELECT {HIT_COLUMNS} FROM search_documents WHERE id = ANY(%s)", (ids,))}
        return [_hit(rows[i]) for i in ids if i in rows]

    def search(self, request: SearchRequest) -> SearchResult:
        """One page of hits with snippets, facet counts and a suggestion; QueryError for a bad query."""
        generation = self._state()[0]
        return self._cache.get((generation, request), lambda: self._search(request, generation))

    def matching_ids(self, request: SearchRequest) -> list[str]:
        check_request(request)
        compiled = self.found(request.q, self._state()[0])[0]
        where = _one_reading(compiled, _and([f for f in request_filters(request).values() if f]))
        rows = self._rows(
            f"SELECT id, {_score(compiled)} AS score FROM {compiled.matched.text} WHERE {where.text} "
            + _order(compiled, request.sort),
            [*_score_params(compiled), *compiled.matched.params, *where.params],
        )
        return [r[0] for r in rows]

    def compile(self, text: str, generation: int) -> Compiled:
        """The SQL of a query: each word or phrase through websearch_to_tsquery in every configuration."""
        tree, widenings = self.tree(text)
        if tree is None:
            return Compiled(Sql("search_documents"), {})
        return self._compiled(tree, widenings, generation)

    def tree(self, text: str) -> tuple[Node | None, tuple[Widening, ...]]:
        """A query text as our query tree (names widened, prefixes expanded), and the names it widened."""
        return query_tree(text, self._prefix_words)

    def found(self, text: str, generation: int) -> tuple[Compiled, bool]:
        """The compiled query; when no document holds all its words, the first relaxed form (most of the
        words) that finds some, marked partial (True)."""
        compiled = self.compile(text, generation)
        if not compiled.ranking or self._any(compiled):
            return compiled, False
        tree, widenings = self.tree(text)
        for weaker in relaxed(tree):
            loose = self._compiled(weaker, widenings, generation)
            if self._any(loose):
                return loose, True
        return compiled, False

    def _any(self, compiled: Compiled) -> bool:
        return bool(self._rows(f"SELECT 1 FROM {compiled.matched.text} LIMIT 1", compiled.matched.params))

    def _compiled(self, tree: Node, widenings: tuple[Widening, ...], generation: int) -> Compiled:
        leaves = list(dict.fromkeys(_leaves(tree)))
        if not leaves:
            condition = _condition(tree, {})
            return Compiled(Sql(f"(SELECT * FROM search_documents WHERE {condition.text})", condition.params), {})
        configs = self.configs(generation)
        tsqueries = self._tsqueries(leaves, configs)
        # One SELECT per configuration, not one OR'ed condition: each then reads the GIN index alone, where
        # an OR makes PostgreSQL unpack and test every matching document's tsvector again.
        parts, params, ranking, about = [], [], {}, {}
        for config in configs:
            own = {leaf: tsqueries[leaf, config] for leaf in leaves}
            condition = _condition(tree, own)
            parts.append(f"SELECT * FROM search_documents WHERE config = %s AND ({condition.text})")
            params += [config, *condition.params]
            rank = _ranking(tree, own)
            if rank:
                ranking[config] = rank
                about[config] = [(n.code, r) for n in _names(tree) if n.code and (r := _ranking(n, own))]
        return Compiled(Sql(f"({' UNION ALL '.join(parts)})", params), ranking, widenings, about)

    def _prefix_words(self, prefix: str) -> list[str]:
        """The corpus's words that start with a prefix; QueryError when there are more than MAX_PREFIX_WORDS."""
        pattern = re.sub(r"([\\%_])", r"\\\1", prefix) + "%"
        rows = self._rows(
            "SELECT word FROM search_words WHERE word LIKE %s ORDER BY word LIMIT %s", (pattern, MAX_PREFIX_WORDS + 1)
        )
        if len(rows) > MAX_PREFIX_WORDS:
            raise too_many(prefix)
        return [r[0] for r in rows]

    def _tsqueries(self, leaves: list[Words], configs: tuple[str, ...]) -> dict[tuple[Words, str], str]:
        """Every leaf's tsquery text in every configuration, in one round trip ('' for stop words only)."""
        texts = [_leaf_text(leaf) for leaf in leaves]
        kinds = ["prefix" if leaf.prefix else "words" for leaf in leaves]
        rows = self._rows(
            """
            SELECT v.n, c.config, CASE v.kind
                WHEN 'prefix' THEN to_tsquery(c.config::regconfig, quote_literal(v.text) || ':*')
                ELSE websearch_to_tsquery(c.config::regconfig, v.text) END::text
            FROM unnest(%s::int[], %s::text[], %s::text[]) AS v(n, kind, text), unnest(%s::text[]) AS c(config)
            """,
            (list(range(len(leaves))), kinds, texts, list(configs)),
        )
        return {(leaves[n], config): tsquery for n, config, tsquery in rows}

    def _search(self, request: SearchRequest, generation: int) -> SearchResult:
        check_request(request)
        compiled, partial = self.found(request.q, generation)
        filters = request_filters(request)
        facets, total = self._facets(compiled, filters, request)
        where = _one_reading(compiled, _and([f for f in filters.values() if f]))
        start = (request.page - 1) * request.page_size
        rows = self._rows(
            f"SELECT {HIT_COLUMNS}, {_score(compiled)} AS score FROM {compiled.matched.text} WHERE {where.text} "
            f"{_order(compiled, request.sort)} LIMIT %s OFFSET %s",
            [*_score_params(compiled), *compiled.matched.params, *where.params, request.page_size, start],
        )
        hits = self._hits(rows, compiled, request)
        suggestion = self.suggest(request.q) if request.q.strip() else None
        # a partial answer holds not all the words: a suggestion that finds them all is worth offering
        strict = 0 if partial else total
        suggestion = honest_suggestion(request, strict, suggestion, lambda r: self._total(r, strict=True))
        found = alternatives(request, suggestion, self._total) if not total else ()
        return SearchResult(request, total, tuple(hits), facets, suggestion, found, partial)

    def _total(self, request: SearchRequest, strict: bool = False) -> int:
        """How many documents a search finds (for suggestions and alternatives); `strict`: only documents
        holding all its words."""
        try:
            generation = self._state()[0]
            compiled = self.compile(request.q, generation) if strict else self.found(request.q, generation)[0]
        except QueryError:
            return 0
        where = _one_reading(compiled, _and([f for f in request_filters(request).values() if f]))
        sql = f"SELECT count(*) FROM {compiled.matched.text} WHERE {where.text}"
        rows = self._rows(sql, [*compiled.matched.params, *where.params])
        return int(rows[0][0])

    def _facets(
        self, compiled: Compiled, filters: dict[str, Sql | None], request: SearchRequest
    ) -> tuple[dict[str, tuple[FacetValue, ...]], int]:
        """Counts per facet value, each facet counted without its own filter (disjunctive facets), and the total.

        In "between" (all) mode the party facet keeps its own filter: it counts the parties that appear
        together with all those selected."""
        parts, params = [], list(compiled.matched.params)
        value_of = {"parties": "unnest(parties)", "mentions": "unnest(mentions)", "year": "year::text"}
        for name in (*FACETS, "total"):
            own = name == "parties" and request.party_mode == "all"
            where = _and([f for other, f in filters.items() if f and (other != name or own)])
            if name == "total":
                parts.append(f"SELECT 'total', '', count(DISTINCT {TEXT_KEY}) FROM matched WHERE {where.text}")
            else:
                value = value_of.get(name, name)
                parts.append(
                    f"SELECT '{name}', value, count(DISTINCT text) FROM (SELECT {value} AS value, {TEXT_KEY} AS text "
                    f"FROM matched WHERE {where.text}) v WHERE value NOT IN ('', '0') GROUP BY value"
                )
            params += where.params
        rows = self._rows(
            "WITH matched AS MATERIALIZED (SELECT id, parties, mentions, year, doc_type, language, source, reading "
            f"FROM {compiled.matched.text}) " + " UNION ALL ".join(parts),
            params,
        )
        counts: dict[str, Counter[str]] = {name: Counter() for name in (*FACETS, "total")}
        for name, value, count in rows:
            counts[name][value] = count
        selected = selected_values(request)
        facets = {name: facet_values(name, counts[name], selected[name]) for name in FACETS}
        return facets, counts["total"][""]

    def _hits(self, rows: list[tuple[Any, ...]], compiled: Compiled, request: SearchRequest) -> list[Hit]:
        """Hits with ts_headline's title and snippets and the clause holding most of the query's words."""
        texts = {row[0]: doc.text if (doc := self.documents(row[0])) else "" for row in rows}
        marked = [row for row in rows if row[9] in compiled.ranking]
        headlines: dict[str, tuple[str, str]] = {}
        if marked:
            found = self._rows(
                """
                SELECT v.id, ts_headline(v.config::regconfig, v.title, v.q::tsquery, %s),
                       CASE WHEN %s > 0 THEN ts_headline(v.config::regconfig, v.text, v.q::tsquery, %s) ELSE '' END
                FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) AS v(id, config, q, title, text)
                """,
                (
                    f"HighlightAll=true, StartSel={START}, StopSel={STOP}",
                    request.snippets,
                    f"MaxFragments={max(request.snippets, 1)}, MaxWords=40, MinWords=15, ShortWord=2, "
                    f"FragmentDelimiter={SEP}, StartSel={START}, StopSel={STOP}",
                    [r[0] for r in marked],
                    [r[9] for r in marked],
                    [compiled.ranking[r[9]] for r in marked],
                    [_clean(r[1]) for r in marked],
                    [_clean(texts[r[0]]) for r in marked],
                ),
            )
            headlines = {i: (title, text) for i, title, text in found}
        clauses = self._best_clauses([r[0] for r in marked], compiled.lexemes) if marked else {}
        hits = []
        for row in rows:
            title, text = headlines.get(row[0], ("", ""))
            snippets = tuple(s for s in map(_marks, text.split(SEP)) if "<mark>" in s)[: request.snippets]
            if not snippets and texts[row[0]] and request.snippets:
                snippets = (html.escape(text_start(texts[row[0]]), quote=False),)
            names = explain(compiled.widenings, f"{row[1]}\n{texts[row[0]]}") if compiled.widenings else ()
            hits.append(_hit(row, _marks(title) if title else "", row[10], snippets, clauses.get(row[0]), names))
        return hits

    def _best_clauses(self, ids: list[str], lexemes: list[str]) -> dict[str, int]:
        rows = self._rows(
            """
            SELECT DISTINCT ON (doc_id) doc_id, number FROM (
                SELECT doc_id, number,
                       (SELECT count(*) FROM unnest(tsvector_to_array(tsv)) AS w WHERE w = ANY(%s)) AS found
                FROM search_clauses WHERE doc_id = ANY(%s)) c
            WHERE found > 0 ORDER BY doc_id, found DESC, number
            """,
            (lexemes, ids),
        )
        return dict(rows)

    def similar(self, text: str, limit: int = 30, terms: int = 12) -> list[str]:
        """Ids of the documents sharing the rarest words of a text (a clause): candidates to align."""
        config = "russian" if CYRILLIC.search(text) else "english"
        rarest = [
            r[0]
            for r in self._rows(
                "SELECT lexeme FROM search_lexemes "
                "WHERE lexeme = ANY(tsvector_to_array(to_tsvector(%s::regconfig, %s))) "
                "ORDER BY documents, lexeme LIMIT %s",
                (config, searchable(text), terms),
            )
        ]
        if not rarest:
            return []
        tsquery = " | ".join("'" + w.replace("'", "''") + "'" for w in rarest)
        rows = self._rows(
            "SELECT id FROM search_documents WHERE tsv @@ %s::tsquery "
            "ORDER BY ts_rank(tsv, %s::tsquery) DESC, id LIMIT %s",
            (tsquery, tsquery, limit),
        )
        return [r[0] for r in rows]

    def suggest(self, text: str) -> str | None:
        """The query with unknown words replaced by the closest known ones (pg_trgm finds the candidates)."""

        configs = self.configs(self._state()[0])

        def known(words: set[str]) -> set[str]:
            """Words the index knows, as they are or by their stem in any configuration."""
            rows = self._rows(
                "SELECT w FROM unnest(%s::text[]) AS w WHERE EXISTS (SELECT 1 FROM search_words WHERE word = w) "
                "OR EXISTS (SELECT 1 FROM unnest(%s::text[]) AS c(config), search_lexemes l "
                "WHERE l.lexeme = ANY(tsvector_to_array(to_tsvector(c.config::regconfig, w))))",
                (list(words), list(configs)),
            )
            return {r[0] for r in rows}

        def candidates(word: str) -> tuple[list[str], dict[str, int]]:
            counts = dict(
                self._rows(
                    "SELECT word, documents FROM search_words WHERE word %% %s AND left(word, 1) = left(%s, 1) "
                    "ORDER BY similarity(word, %s) DESC, documents DESC LIMIT 50",
                    (word, word, word),
                )
            )
            return list(counts), counts

        return correct_spelling(text, known, candidates)


HIT_COLUMNS = "id, title, url, date, year, parties, doc_type, language, source, config"
# what facets count: texts, a text read twice in one language (its readings share `reading`) once
TEXT_KEY = "CASE WHEN reading <> '' THEN reading ELSE id END"


def _one_reading(compiled: Compiled, where: Sql) -> Sql:
    """`where`, and no reading of the same text in the same language with a smaller id among the documents found
    that `where` lets through too: a text read twice is listed once (Whoosh's FacetTable.one_reading)."""
    found = compiled.matched_as("o")
    earlier = f"SELECT 1 FROM {found.text} WHERE o.reading = d.reading AND o.id < d.id AND ({where.text})"
    return Sql(
        f"({where.text}) AND (d.reading = '' OR NOT EXISTS ({earlier}))", [*where.params, *found.params, *where.params]
    )


def request_filters(request: SearchRequest) -> dict[str, Sql | None]:
    """For each facet, the SQL condition of its filter (None: no filter on that facet)."""
    parties = None
    if request.parties:
        operator = "@>" if request.party_mode == "all" else "&&"
        parties = Sql(f"parties {operator} %s::text[]", [list(request.parties)])
    years = None
    if request.year_from is not None or request.year_to is not None:
        years = Sql("year > 0 AND year BETWEEN %s AND %s", [request.year_from or 0, request.year_to or 9999])

    def any_of(column: str, values: tuple[str, ...]) -> Sql | None:
        return Sql(f"{column} = ANY(%s)", [list(values)]) if values else None

    chosen = {name: any_of(name, getattr(request, arg)) for name, arg in VALUE_FILTERS.items()}
    mentions = Sql("mentions && %s::text[]", [list(request.mentions)]) if request.mentions else None
    return {"parties": parties, "mentions": mentions, "year": years, **chosen}


def _and(parts: Iterable[Sql]) -> Sql:
    parts = list(parts)
    if not parts:
        return Sql()
    return Sql(" AND ".join(f"({p.text})" for p in parts), [x for p in parts for x in p.params])


def _or(parts: list[Sql]) -> Sql:
    return Sql(" OR ".join(f"({p.text})" for p in parts), [x for p in parts for x in p.params])


def _leaves(node: Node) -> Iterator[Words]:
    if isinstance(node, Words):
        yield node
    elif isinstance(node, Not):
        yield from _leaves(node.node)
    elif isinstance(node, And | Or):
        for child in node.nodes:
            yield from _leaves(child)


def _leaf_text(leaf: Words) -> str:
    """What websearch_to_tsquery reads for a leaf; a Russian country name with all its case forms."""
    text = searchable(leaf.text)
    if leaf.phrase:
        return f'"{text}"'
    forms = [] if leaf.prefix else name_forms(text)
    return " or ".join(forms) if forms else re.sub(r"[\"()]|\bor\b|^-", " ", text, flags=re.IGNORECASE)


def _condition(node: Node, tsqueries: dict[Words, str]) -> Sql:
    """The SQL condition of a query tree in one configuration; words that are all stop words match anything."""
    return _condition_or_none(node, tsqueries) or Sql()


def _condition_or_none(node: Node, tsqueries: dict[Words, str]) -> Sql | None:
    if isinstance(node, Words):
        tsquery = tsqueries.get(node, "")
        column = "title_tsv" if node.field == "title" else "tsv"
        if not tsquery:  # stop words only: no condition; but a prefix that stands for no word matches nothing
            return Sql("FALSE") if node.prefix else None
        return Sql(f"{column} @@ %s::tsquery", [tsquery])
    if isinstance(node, Field):
        return _field_condition(node)
    if isinstance(node, YearRange):
        return Sql("year > 0 AND year BETWEEN %s AND %s", [node.low or 0, node.high or 9999])
    if isinstance(node, Not):
        inner = _condition_or_none(node.node, tsqueries)
        return Sql(f"NOT ({inner.text})", inner.params) if inner else None
    children = [c for c in (_condition_or_none(n, tsqueries) for n in node.nodes) if c]
    if not children:
        return None
    return _and(children) if isinstance(node, And) else _or(children)


def _field_condition(node: Field) -> Sql:
    if node.field == "parties":
        return Sql("parties @> %s::text[]", [[node.value.upper()]])
    if node.field == "year":
        return Sql("year = %s", [int(node.value)]) if node.value.isdigit() else Sql("FALSE")
    column = {"doc_type": "doc_type", "language": "language", "source": "source", "id": "id"}[node.field]
    return Sql(f"{column} = %s", [node.value if column == "id" else node.value.lower()])


def _ranking(node: Node, tsqueries: dict[Words, str]) -> str:
    """The tsquery to rank and highlight by: the query's positive words and phrases."""
    if isinstance(node, Words):
        tsquery = tsqueries.get(node, "")
        return f"({tsquery})" if tsquery else ""
    if isinstance(node, And | Or):
        parts = [p for p in (_ranking(n, tsqueries) for n in node.nodes) if p]
        return f"({(' & ' if isinstance(node, And) else ' | ').join(parts)})" if parts else ""
    return ""  # NOT and metadata conditions do not rank


def _score(compiled: Compiled) -> str:
    if not compiled.ranking:
        return "0.0::real"
    cases = " ".join(
        "WHEN %s THEN ts_rank(tsv, %s::tsquery, 1)" + _ABOUT * len(compiled.about.get(config, []))
        for config in compiled.ranking
    )
    return f"CASE config {cases} ELSE 0.0 END"


# A widened name counts twice in a text its party made or whose title names it (Whoosh adds a fixed bonus).
_ABOUT = " + CASE WHEN parties @> %s::text[] OR title_tsv @@ %s::tsquery THEN ts_rank(tsv, %s::tsquery, 1) ELSE 0 END"


def _score_params(compiled: Compiled) -> list[Any]:
    params: list[Any] = []
    for config, tsquery in compiled.ranking.items():
        params += [config, tsquery]
        for code, names in compiled.about.get(config, []):
            params += [[code], names, names]
    return params


def _names(node: Node) -> Iterator[Names]:
    """The widened names of a tree, outside NOT."""
    if isinstance(node, Names):
        yield node
    elif isinstance(node, And | Or):
        for child in node.nodes:
            yield from _names(child)


def _order(compiled: Compiled, sort: str) -> str:
    if sort == "relevance" and compiled.ranking:
        return "ORDER BY score DESC, id"  # the column: each document's rank is computed once
    if sort == "oldest":
        return "ORDER BY CASE WHEN date = '' THEN '9999' ELSE date END, id"
    return "ORDER BY date DESC, id DESC"


def _clean(text: str) -> str:
    return text.replace(START, " ").replace(STOP, " ").replace(SEP, " ")


def _marks(text: str) -> str:
    """ts_headline's output escaped for HTML, with <mark> around the matched words."""
    escaped = html.escape(text, quote=False).replace(START, "<mark>").replace(STOP, "</mark>")
    return " ".join(escaped.split())


def _hit(
    row: Sequence[Any],
    title_html: str = "",
    score: float = 0.0,
    snippets: tuple[str, ...] = (),
    clause: int | None = None,
    names: tuple[str, ...] = (),
) -> Hit:
    doc_id, title, url, date, year, parties, doc_type, language, source = row[:9]
    return Hit(
        id=doc_id,
        title=title,
        title_html=title_html or html.escape(title, quote=False),
        url=url,
        date=date,
        year=year or None,
        parties=tuple(sorted(parties)),
        doc_type=doc_type,
        language=language,
        source=source,
        score=round(float(score), 4),
        snippets=snippets,
        clause=clause,
        names=names,
    )
