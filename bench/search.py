"""Search benchmark: treatysearch against tantivy and SQLite FTS5, on the same documents and queries.

    python bench/search.py latency [--work /tmp/treatysearch-bench] [--ours PATH] [--runs 3]
                                   [--hits FILE] [--profile N]
    python bench/search.py recall [--store PATH] [--ours PATH]
    python bench/search.py hits --hits FILE [--work /tmp/treatysearch-bench] [--ours PATH]

`latency` uses bench/index.py's imported store and our index built from it (`--ours`, default
<work>/treatysearch; both imported or built when missing, from bench/index.py's SOURCES, and reused);
tantivy and FTS5 indexes are built once into <work> and reused. Each query (bench/index.py's 200 plus
the known-item set) is timed --runs times and its median kept, the engines taking turns query by query
(a change of load on a shared machine then weighs on all alike): ours is the whole search (top 10, five
facets, snippets, clause, suggestion); tantivy is top 10 plus five facet counts (terms aggregations);
FTS5 is top 10 by bm25 with one snippet, plus five facet counts in SQL. Prints p50/p95 and the ratios
to tantivy.

`hits` (or `latency --hits FILE`) writes each query's top-10 ids, total and facet counts to FILE, or,
when FILE exists, compares them with it and prints every query that differs (an index or search change
must keep the hits). `--profile N` runs the N slowest of our queries under cProfile.

`recall` runs the known-item sets (tests/golden/known_items.json, and the readers' readers_gold.json) on
their documents (a store and index as tests/test_indexer_known_items.py builds them: --store, --ours) with
ours and an FTS5 BM25 baseline over the same documents, and prints recall@10 per kind of each set.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import json
import os
import pstats
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

KNOWN = json.loads((ROOT / "tests" / "golden" / "known_items.json").read_text("utf-8"))
SETS = ("known_items", "readers_gold")  # the generated known-item set, and the readers' one
MISSPELT = ("misspelling", "typo")
FACET_COLUMNS = ("year", "doc_type", "language", "source")


def rows(store_file: Path) -> list[tuple]:
    """(id, title, text, parties, year, doc_type, language, source) of every document, through the store."""
    from corpus.sqlite_store import SQLiteStore

    docs = SQLiteStore(store_file).iter_documents()
    return [(d.id, d.title, d.text, d.parties, d.year, d.doc_type, d.language, d.source) for d in docs]


# tantivy


def build_tantivy(store_file: Path, path: Path):
    import tantivy

    schema = tantivy.SchemaBuilder()
    schema.add_text_field("id", stored=True, tokenizer_name="raw")
    schema.add_text_field("title", stored=True, tokenizer_name="en_stem")
    schema.add_text_field("text", tokenizer_name="en_stem")
    for name in ("parties", "doc_type", "language", "source"):
        schema.add_text_field(name, tokenizer_name="raw", fast=True)
    schema.add_integer_field("year", fast=True, indexed=True)
    built = schema.build()
    if (path / "meta.json").exists():
        return tantivy.Index(built, path=str(path))
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(built, path=str(path))
    writer = index.writer(heap_size=200_000_000)
    for doc_id, title, text, parties, year, doc_type, language, source in rows(store_file):
        doc = tantivy.Document(id=doc_id, title=title, text=f"{title}\n{text}", doc_type=doc_type)
        doc.add_text("language", language)
        doc.add_text("source", source)
        for party in parties:
            doc.add_text("parties", party)
        doc.add_integer("year", year or 0)
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def tantivy_query(spec: dict) -> str:
    q = str(spec["q"])
    words = q if q.startswith('"') else " ".join(f"+{w}" for w in q.split() if w.isalnum())
    filters = [f"+parties:{p}" for p in spec.get("parties", ())]
    if spec.get("year_from"):
        filters.append(f"+year:[{spec['year_from']} TO {spec['year_to']}]")
    return " ".join([words, *filters]).strip() or "*"


def time_tantivy(index, specs: list[dict]) -> list[float]:
    searcher = index.searcher()
    aggs = {name: {"terms": {"field": name, "size": 1000}} for name in ("parties", "doc_type", "language", "source")}
    aggs["year"] = {"terms": {"field": "year", "size": 200}}
    times = []
    for spec in specs:
        started = time.perf_counter()
        try:
            query = index.parse_query(tantivy_query(spec), ["title", "text"])
        except ValueError:
            times.append(time.perf_counter() - started)
            continue
        hits = searcher.search(query, 10).hits
        [searcher.doc(address)["id"] for _, address in hits]
        searcher.aggregate(query, aggs)
        times.append(time.perf_counter() - started)
    return times


# SQLite FTS5


def build_fts5(store_file: Path, path: Path) -> sqlite3.Connection:
    if (path / "fts.sqlite3").exists():
        return sqlite3.connect(path / "fts.sqlite3")
    path.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path / "fts.sqlite3")
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, tokenize='porter unicode61')")
    con.execute("CREATE TABLE meta (rowid INTEGER PRIMARY KEY, year INT, doc_type, language, source)")
    con.execute("CREATE TABLE parties (rowid INT, party TEXT)")
    with con:
        for n, (doc_id, title, text, parties, year, doc_type, language, source) in enumerate(rows(store_file), 1):
            con.execute("INSERT INTO docs (rowid, id, title, text) VALUES (?, ?, ?, ?)", (n, doc_id, title, text))
            con.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?)", (n, year, doc_type, language, source))
            con.executemany("INSERT INTO parties VALUES (?, ?)", [(n, p) for p in parties])
        con.execute("CREATE INDEX parties_rowid ON parties (rowid, party)")
    return con


def fts5_match(q: str) -> str:
    if q.startswith('"'):
        return q
    return " AND ".join(_fts5_word(w) for w in q.split() if w.strip('"()*'))


def _fts5_word(word: str) -> str:
    """A query word as an FTS5 string; a prefix (cooperat*) as FTS5's prefix query."""
    return f'"{word.rstrip("*")}"*' if word.endswith("*") else f'"{word}"'


def fts5_filter(spec: dict) -> tuple[str, list]:
    where, params = [], []
    for party in spec.get("parties", ()):
        where.append("d.rowid IN (SELECT rowid FROM parties WHERE party = ?)")
        params.append(party)
    if spec.get("year_from"):
        where.append("d.rowid IN (SELECT rowid FROM meta WHERE year BETWEEN ? AND ?)")
        params += [spec["year_from"], spec["year_to"]]
    return " AND ".join(["docs MATCH ?", *where]), params


def fts5_top(con: sqlite3.Connection, spec: dict, limit: int = 10) -> list[str]:
    where, params = fts5_filter(spec)
    snippet = "snippet(docs, 2, '<mark>', '</mark>', '…', 20)"
    sql = f"SELECT id, {snippet} FROM docs d WHERE {where} ORDER BY bm25(docs) LIMIT ?"
    try:
        return [r[0] for r in con.execute(sql, [fts5_match(str(spec["q"])), *params, limit])]
    except sqlite3.OperationalError:
        return []


def time_fts5(con: sqlite3.Connection, specs: list[dict]) -> list[float]:
    times = []
    for spec in specs:
        started = time.perf_counter()
        fts5_top(con, spec)
        where, params = fts5_filter(spec)
        matched = f"SELECT rowid FROM docs d WHERE {where}"
        args = [fts5_match(str(spec["q"])), *params]
        try:
            con.execute(
                f"SELECT party, count(*) FROM parties WHERE rowid IN ({matched}) GROUP BY party", args
            ).fetchall()
            for column in FACET_COLUMNS:
                con.execute(
                    f"SELECT {column}, count(*) FROM meta WHERE rowid IN ({matched}) GROUP BY 1", args
                ).fetchall()
        except sqlite3.OperationalError:
            pass
        times.append(time.perf_counter() - started)
    return times


# ours


def request_of(spec: dict):
    from indexer.results import SearchRequest

    keys = ("q", "parties", "mentions", "year_from", "year_to")
    lists = ("parties", "mentions")
    return SearchRequest(page_size=10, **{k: tuple(v) if k in lists else v for k, v in spec.items() if k in keys})


def time_ours(index, specs: list[dict]) -> list[float]:
    from indexer.results import QueryError

    times = []
    for spec in specs:
        index._cache.clear()
        index._match_cache.clear()
        started = time.perf_counter()
        with contextlib.suppress(QueryError):
            index.search(request_of(spec))
        times.append(time.perf_counter() - started)
    return times


def hits_of(index, specs: list[dict]) -> list[dict]:
    """What a search shows of each query that must not change with its speed: top 10, total, facet counts."""
    from indexer.results import QueryError

    out = []
    for spec in specs:
        try:
            result = index.search(request_of(spec))
        except QueryError as error:
            out.append({"q": spec["q"], "error": str(error)})
            continue
        facets = {name: [[v.value, v.count] for v in values] for name, values in result.facets.items()}
        out.append({"q": spec["q"], "ids": [h.id for h in result.hits], "total": result.total, "facets": facets})
    return out


def check_hits(found: list[dict], path: Path) -> None:
    """Write the hits to path, or compare them with those written there before."""
    if not path.exists():
        path.write_text(json.dumps(found, ensure_ascii=False, indent=0), "utf-8")
        print(f"\nhits of {len(found)} queries written to {path}")
        return
    print_differences("identical hits", json.loads(path.read_text("utf-8")), found)


def compare_hits(found: list[dict], walked: list[dict]) -> None:
    """Whether the one pass shows what Whoosh's walks show, query by query."""
    print_differences("same hits as Whoosh's walks", walked, found)


def print_differences(label: str, before: list[dict], found: list[dict]) -> None:
    """How many queries show the same hits in both, and the first queries that do not, with what differs."""
    differ = [(a, b) for a, b in zip(before, found, strict=True) if a != b]
    print(f"\n{label} (top-10 ids, total, facet counts): {len(found) - len(differ)} of {len(found)} queries")
    for a, b in differ[:20]:
        keys = [k for k in ("ids", "total", "facets", "error") if a.get(k) != b.get(k)]
        print(f"  differs: {a['q']!r} in {', '.join(keys)}")


def profile_slowest(index, specs: list[dict], times: list[float], n: int) -> None:
    """cProfile of our n slowest queries, by cumulative time."""
    from indexer.results import QueryError

    slowest = sorted(range(len(specs)), key=lambda i: -times[i])[:n]
    print(f"\nour {n} slowest queries: " + ", ".join(f"{specs[i]['q']!r} {times[i] * 1000:.0f} ms" for i in slowest))
    profiler = cProfile.Profile()
    for i in slowest:
        index._cache.clear()
        index._match_cache.clear()
        profiler.enable()
        with contextlib.suppress(QueryError):
            index.search(request_of(specs[i]))
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def ensure_ours(data: Path, path: Path) -> None:
    """Our index of the bench store, built in a child process when missing."""
    from index import run_build

    if not (path / "state.json").exists():
        built = run_build("treatysearch", data, path)
        print(f"built our index: {built['docs']} documents in {built['seconds']:.0f} s, {built['size_mb']:.0f} MB")


def interleaved(engines: dict, specs: list[dict], runs: int) -> dict[str, list[float]]:
    """Each query's median time per engine over `runs` runs (after one to warm up), the engines taking
    turns query by query: on a shared machine a change of load then weighs on all of them alike. Their order
    turns by one from query to query, so that each runs as often as the others just after another engine,
    whose traces in the CPU's caches it pays for (in a fixed order ours always ran just after FTS5's query:
    4.7 ms p50, against 4.3 turning; alone, with no other engine between its queries, it takes 2.4 ms)."""
    times: dict[str, list[list[float]]] = {name: [[] for _ in specs] for name in engines}
    names = list(engines)
    for run in range(runs + 1):
        for i, spec in enumerate(specs):
            turn = (i + run) % len(names)
            for name in names[turn:] + names[:turn]:
                timed = engines[name]
                gc.disable()  # no engine pays for collecting the garbage another left
                try:
                    elapsed = timed([spec])[0]
                finally:
                    gc.enable()
                if run:
                    times[name][i].append(elapsed)
    return {name: [statistics.median(t) for t in per_query] for name, per_query in times.items()}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def known_specs(name: str = "known_items") -> list[dict]:
    """A known-item set's queries as specs (those marked invalid, whose target does not answer them, left out)."""
    out = []
    for query in json.loads((ROOT / "tests" / "golden" / f"{name}.json").read_text("utf-8"))["queries"]:
        if "invalid" in query:
            continue
        spec = {"q": query["q"], "kind": query["kind"], "targets": query["targets"]}
        for key in ("parties", "mentions"):
            if query.get(key):
                spec[key] = query[key]
        if query.get("year"):
            spec["year_from"] = spec["year_to"] = query["year"]
        spec.update({k: query[k] for k in ("year_from", "year_to") if k in query})
        out.append(spec)
    return out


def bench_queries(data: Path) -> list[dict]:
    """bench/index.py's 200 queries and the known-item set."""
    from index import make_queries

    return [{k: v for k, v in s.items() if k != "phrase"} for s in make_queries(data, 200)] + known_specs()


def open_ours(args: argparse.Namespace):
    """(the bench store's folder, our index of it), imported and built when missing."""
    from index import prepare

    from corpus.sqlite_store import SQLiteStore
    from indexer.search import Index

    data = prepare(args.corpus, args.work)
    ours_path = args.ours or args.work / "treatysearch"
    ensure_ours(data, ours_path)
    store = SQLiteStore(data / "corpus.sqlite3")
    return data, Index(ours_path, store.get, texts=store.text_of)


def hits(args: argparse.Namespace) -> None:
    data, ours = open_ours(args)
    check_hits(hits_of(ours, bench_queries(data)), args.hits)


def latency(args: argparse.Namespace) -> None:
    from index import SOURCES

    from indexer.search import Index

    data, ours = open_ours(args)
    # the search as it was: Whoosh's own walks
    walks = Index(ours.path, ours.documents, one_pass=False, texts=ours.texts)
    specs = bench_queries(data)
    tantivy_index = build_tantivy(data / "corpus.sqlite3", args.work / "tantivy")
    fts5 = build_fts5(data / "corpus.sqlite3", args.work / "fts5-facets")
    engines = {
        "treatysearch": lambda batch: time_ours(ours, batch),
        "treatysearch, Whoosh walks": lambda batch: time_ours(walks, batch),
        "tantivy": lambda batch: time_tantivy(tantivy_index, batch),
        "sqlite-fts5": lambda batch: time_fts5(fts5, batch),
    }
    medians = interleaved(engines, specs, args.runs)
    base = medians["tantivy"]
    print(f"\n{ours.count()} documents, {len(specs)} queries, median of {args.runs} runs per query\n")
    print("| engine | what a query does | p50 ms | p95 ms | p50 × tantivy | p95 × tantivy |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    does = {
        "treatysearch": "top 10 + 5 facets + 3 snippets + clause + suggestion",
        "treatysearch, Whoosh walks": "the same, matched and scored by Whoosh's walks (as before the one pass)",
        "tantivy": "top 10 + 5 facet counts",
        "sqlite-fts5": "top 10 + 1 snippet + 5 facet counts",
    }
    for name, times in medians.items():
        p50, p95 = percentile(times, 50), percentile(times, 95)
        print(
            f"| {name} | {does[name]} | {p50 * 1000:.1f} | {p95 * 1000:.1f} | "
            f"{p50 / percentile(base, 50):.2f} | {p95 / percentile(base, 95):.2f} |"
        )
    print(f"\nsources: {', '.join(SOURCES)}")
    compare_hits(hits_of(ours, specs), hits_of(walks, specs))
    if args.hits:
        check_hits(hits_of(ours, specs), args.hits)
    if args.profile:
        profile_slowest(ours, specs, medians["treatysearch"], args.profile)


def recall(args: argparse.Namespace) -> None:
    from corpus.sqlite_store import SQLiteStore
    from indexer.search import Index

    store = SQLiteStore(args.store)
    ours = Index(args.ours, store.get, texts=store.text_of)
    con = build_fts5(args.store, args.store.parent / "fts5-known")
    for name in SETS:
        recall_table(name, ours, con)


def recall_table(name: str, ours, con: sqlite3.Connection) -> None:
    """recall@10 per kind of one known-item set, ours against FTS5's BM25, as a Markdown table."""
    found: dict[str, dict[str, list[bool]]] = {"treatysearch": defaultdict(list), "sqlite-fts5": defaultdict(list)}
    specs = known_specs(name)
    for spec in specs:
        result = ours.search(request_of(spec))
        if spec["kind"] in MISSPELT and result.suggestion:
            result = ours.search(request_of({**spec, "q": result.suggestion}))
        found["treatysearch"][spec["kind"]].append(bool({h.id for h in result.hits} & set(spec["targets"])))
        found["sqlite-fts5"][spec["kind"]].append(bool(set(fts5_top(con, spec)) & set(spec["targets"])))
    kinds = list(found["treatysearch"])
    print(f"\n{name}: recall@10 of {len(specs)} known-item queries on {ours.count()} documents\n")
    print("| engine | " + " | ".join(kinds) + " | all |")
    print("| --- |" + " ---: |" * (len(kinds) + 1))
    for name, per_kind in found.items():
        cells = [f"{sum(per_kind[k]) / len(per_kind[k]):.2f}" for k in kinds]
        every = [x for k in kinds for x in per_kind[k]]
        print(f"| {name} | " + " | ".join(cells) + f" | {sum(every) / len(every):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["latency", "recall", "hits"])
    parser.add_argument("--work", type=Path, default=Path("/tmp/treatysearch-bench"))
    parser.add_argument("--ours", type=Path)
    parser.add_argument("--store", type=Path, help="recall: the store of the known-item documents")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("TREATYSEARCH_CORPUS", ROOT.parent / "shared" / "corpus"))
    )
    parser.add_argument("--hits", type=Path, help="latency: write the hits here, or compare with those written")
    parser.add_argument("--profile", type=int, default=0, help="latency: cProfile our N slowest queries")
    args = parser.parse_args()
    {"latency": latency, "recall": recall, "hits": hits}[args.mode](args)


if __name__ == "__main__":
    main()
