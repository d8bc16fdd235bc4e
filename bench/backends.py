"""The two backends side by side: SQLite + Whoosh against PostgreSQL, on the benchmark corpus.

    runuser -u postgres -- createdb -O treatysearch treatysearch_bench   # once, as .ci/run made the role
    python bench/backends.py [--database postgresql://treatysearch:treatysearch@127.0.0.1:5432/treatysearch_bench]
                             [--work /tmp/treatysearch-bench] [--queries 200] [--clients 8] [--seconds 30]

Takes the store bench/index.py imports (importing it first if missing) and copies it into the
PostgreSQL database (once; `treatysearch copy`). Then, for each backend: a full index build in a
child process (documents per second, the child's peak memory, the index's size on disk), the 200
fixed queries of bench/index.py through the same search API (10 hits, 5 facets, 3 snippets, best
clause, suggestion; p50/p95), how often both backends count the same number of hits, and a load test
of the web UI with 2 web worker processes. Prints the tables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.index import make_queries, peak_mb, percentile, prepare  # noqa: E402
from bench.serve import load_test, paths, table  # noqa: E402

DEFAULT_DATABASE = "postgresql://treatysearch:treatysearch@127.0.0.1:5432/treatysearch_bench"


def location(backend: str, data: Path, database: str) -> str:
    return database if backend == "postgresql" else str(data)


def child(backend: str, store_location: str, index: Path) -> None:
    """One full build, alone in this process."""
    from corpus.store import open_store
    from indexer.backends import update_search

    store = open_store(store_location)
    started = time.perf_counter()
    report = update_search(store, index, rebuild=True, lock_timeout=60)
    seconds = time.perf_counter() - started
    peak = peak_mb()
    print(json.dumps({"docs": report.updated, "seconds": seconds, "peak_mb": peak}))


def build(backend: str, store_location: str, index: Path, database: str) -> dict[str, float]:
    if backend == "whoosh":
        shutil.rmtree(index, ignore_errors=True)
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", backend, store_location, str(index)], stdout=subprocess.PIPE, text=True
    )
    out = process.stdout.read()  # type: ignore[union-attr]
    if process.wait():
        raise SystemExit(f"the {backend} build failed")
    return {**json.loads(out), "size_mb": index_size(backend, index, database)}


def index_size(backend: str, index: Path, database: str) -> float:
    if backend == "whoosh":
        return sum(f.stat().st_size for f in index.rglob("*") if f.is_file()) / 2**20
    import psycopg

    with psycopg.connect(database) as con:
        size = con.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "WHERE c.relkind = 'r' AND c.relname LIKE 'search\\_%'"
        ).fetchone()[0]
    return float(size) / 2**20


def ensure_copy(data: Path, database: str) -> None:
    """The benchmark corpus in PostgreSQL too: copied once, with `treatysearch copy`."""
    from corpus.store import open_store

    target = open_store(database)
    count = target.stats().documents
    target.close()
    if count:
        return
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "treatysearch", "--data-dir", str(data), "copy", "--to", database],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"copied the corpus to PostgreSQL in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def time_queries(store_location: str, index: Path, queries: list[dict[str, object]]) -> tuple[list[float], list[int]]:
    from corpus.store import open_store
    from indexer.backends import open_search
    from indexer.results import SearchRequest

    store = open_store(store_location)
    search = open_search(store, index, cache_size=0)
    search.search(SearchRequest(q="warm up"))
    times, totals = [], []
    for spec in queries:
        request = SearchRequest(page_size=10, **{k: v for k, v in spec.items() if k != "phrase"})
        started = time.perf_counter()
        result = search.search(request)
        times.append(time.perf_counter() - started)
        totals.append(result.total)
    search.close()
    store.close()
    return times, totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("TREATYSEARCH_CORPUS", ROOT.parent / "shared" / "corpus"))
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/treatysearch-bench"))
    parser.add_argument("--database", default=os.environ.get("TREATYSEARCH_BENCH_DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--child", nargs=3, metavar=("BACKEND", "STORE", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], Path(args.child[2]))
        return
    data = prepare(args.corpus, args.work)
    ensure_copy(data, args.database)
    queries = make_queries(data, args.queries)
    index = args.work / "backends-whoosh"
    backends = ("whoosh", "postgresql")
    # Both builds before any query: a child forked from a parent holding index readers would count
    # the parent's pages in its peak memory.
    results: dict[str, dict] = {b: build(b, location(b, data, args.database), index, args.database) for b in backends}
    for backend in backends:
        times, totals = time_queries(location(backend, data, args.database), index, queries)
        results[backend].update(times=times, totals=totals)
    same = sum(a == b for a, b in zip(results["whoosh"]["totals"], results["postgresql"]["totals"], strict=True))
    base = results["whoosh"]["docs"] / results["whoosh"]["seconds"]
    print(f"\n{results['whoosh']['docs']:.0f} documents, {args.queries} queries (10 hits, 5 facets, 3 snippets)\n")
    print("| backend | build docs/s | × Whoosh | build s | peak MB | index MB | query p50 ms | query p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for backend, r in results.items():
        rate = r["docs"] / r["seconds"]
        print(
            f"| {backend} | {rate:.0f} | {rate / base:.2f} | {r['seconds']:.0f} | {r['peak_mb']:.0f} | "
            f"{r['size_mb']:.0f} | {percentile(r['times'], 50) * 1000:.1f} | {percentile(r['times'], 95) * 1000:.1f} |"
        )
    near = sum(
        abs(a - b) <= 0.01 * max(a, b)
        for a, b in zip(results["whoosh"]["totals"], results["postgresql"]["totals"], strict=True)
    )
    print(f"\nthe same number of hits on both backends: {same} of {len(queries)} queries; within 1%: {near}")
    urls = paths(data)
    cli = [sys.executable, "-m", "treatysearch"]
    stores = {"whoosh": ["--data-dir", str(data)], "postgresql": ["--database", args.database]}
    for backend in backends:  # the data folder's own Whoosh index (bench/index.py built it), brought up to date
        subprocess.run([*cli, *stores[backend], "index", "--quiet"], check=True, stdout=subprocess.DEVNULL)
    loads = {b: load_test([*cli, *stores[b]], urls, args.clients, args.seconds, workers=2, cache=256) for b in backends}
    print(f"\nweb UI, 2 web worker processes, {args.clients} clients for {args.seconds:g} s, the same URLs\n")
    print(table(loads))
    for loaded in loads.values():
        for error in loaded["errors"][:10]:
            print("error:", error)


if __name__ == "__main__":
    main()
