"""Index benchmark: treatysearch's index against a bare-Whoosh and an SQLite FTS5 baseline.

    python bench/index.py [--corpus ../shared/corpus] [--work /tmp/treatysearch-bench] [--queries 200]

Imports all of ../shared/corpus that the importers load (once; kept in --work), then builds each
index in a child process (so peak memory is that build's own), times 200 fixed queries on each,
compares Whoosh's overlapping facet counts with ours, and times adding 10 documents. Prints tables.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SOURCES = [
    "seed",
    "whitehouse_joint_statements",
    "tota/ToTA_xml_all.tar.xz",
    "manytreaties/GGO_treaty_texts.tar.xz",
    "kremlin_ru_2025",
    "kremlin_en_html/en.kremlin.ru_news_mirror_2020-08.tar.xz",
    "ungdc/UNGDC_1946-2024_TXT.tar.xz",
]


def prepare(corpus: Path, work: Path) -> Path:
    """The benchmark store, imported once."""
    from corpus.importers import import_paths
    from corpus.sqlite_store import SQLiteStore
    from treatysearch.cli import readers

    data = work / "data"
    done = data / "imported"
    if not done.exists():
        data.mkdir(parents=True, exist_ok=True)
        store = SQLiteStore(data / "corpus.sqlite3")
        started = time.perf_counter()
        report = import_paths(store, [corpus / s for s in SOURCES], readers())
        print(f"imported in {time.perf_counter() - started:.0f} s: {report.counts}", file=sys.stderr)
        done.write_text(json.dumps(report.counts))
    return data


def texts(data: Path) -> list[tuple[str, str, str]]:
    con = sqlite3.connect(data / "corpus.sqlite3")
    return con.execute("SELECT id, title, text FROM documents ORDER BY id").fetchall()


# children: each build runs alone in its own process


def build_ours(data: Path, path: Path) -> int:
    from corpus.sqlite_store import SQLiteStore
    from indexer.build import update_index

    return update_index(SQLiteStore(data / "corpus.sqlite3"), path, rebuild=True).updated


def build_bare(data: Path, path: Path) -> int:
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    path.mkdir(parents=True)
    ix = index.create_in(str(path), Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=StemmingAnalyzer())))
    rows = texts(data)
    with ix.writer(limitmb=256) as writer:
        for doc_id, title, text in rows:
            writer.add_document(id=doc_id, text=f"{title}\n{text}")
    return len(rows)


def build_fts5(data: Path, path: Path) -> int:
    path.mkdir(parents=True)
    con = sqlite3.connect(path / "fts.sqlite3")
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, tokenize='porter unicode61')")
    rows = texts(data)
    with con:
        con.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    con.close()
    return len(rows)


BUILDERS = {"treatysearch": build_ours, "bare-whoosh": build_bare, "sqlite-fts5": build_fts5}


def peak_mb() -> float:
    """This process's peak memory since it started. Not getrusage's ru_maxrss: Linux carries that across
    exec, so a child would report the parent's peak at the fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(kind: str, data: Path, path: Path) -> None:
    started = time.perf_counter()
    count = BUILDERS[kind](data, path)
    print(json.dumps({"docs": count, "seconds": time.perf_counter() - started, "peak_mb": peak_mb()}))


def run_build(kind: str, data: Path, path: Path) -> dict[str, float]:
    shutil.rmtree(path, ignore_errors=True)
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, str(data), str(path)], stdout=subprocess.PIPE, text=True
    )
    out = process.stdout.read()  # type: ignore[union-attr]
    if process.wait():
        raise SystemExit(f"{kind} build failed")
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return {**json.loads(out), "size_mb": size / 2**20}


# queries


def make_queries(data: Path, n: int) -> list[dict[str, object]]:
    """A fixed mix: single words, two words, phrases and filtered queries, drawn with a fixed seed."""
    rng = random.Random(42)
    rows = texts(data)
    sample = rng.sample(rows, 300)
    words = [w for _, _, t in sample for w in re.findall(r"[A-Za-z]{6,}|[А-Яа-я]{6,}", t[:3000])]
    queries: list[dict[str, object]] = []
    for i in range(n):
        kind = ("word", "two", "phrase", "filtered")[i % 4]
        if kind == "word":
            queries.append({"q": rng.choice(words)})
        elif kind == "two":
            queries.append({"q": f"{rng.choice(words)} {rng.choice(words)}"})
        elif kind == "phrase":
            text = rng.choice(sample)[2]
            tokens = re.findall(r"[A-Za-zА-Яа-я]{4,}", text)
            start = rng.randrange(max(1, len(tokens) - 2))
            queries.append({"q": '"' + " ".join(tokens[start : start + 2]) + '"', "phrase": True})
        else:
            queries.append({"q": rng.choice(words), "parties": ("RUS",), "year_from": 1990, "year_to": 2024})
    return queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_ours(data: Path, path: Path, queries: list[dict[str, object]]) -> list[float]:
    from corpus.sqlite_store import SQLiteStore
    from indexer.results import SearchRequest
    from indexer.search import Index

    store = SQLiteStore(data / "corpus.sqlite3")
    index = Index(path, store.get, texts=store.text_of)
    index.search(SearchRequest(q="warm up"))
    times = []
    for spec in queries:
        request = SearchRequest(page_size=10, **{k: v for k, v in spec.items() if k != "phrase"})
        started = time.perf_counter()
        index.search(request)
        times.append(time.perf_counter() - started)
    return times


def time_bare(path: Path, queries: list[dict[str, object]]) -> list[float]:
    from whoosh import index
    from whoosh.qparser import QueryParser

    ix = index.open_dir(str(path))
    parser = QueryParser("text", ix.schema)
    times = []
    with ix.searcher() as searcher:
        for spec in queries:
            started = time.perf_counter()
            results = searcher.search(parser.parse(str(spec["q"])), limit=10)
            [hit["id"] for hit in results]
            times.append(time.perf_counter() - started)
    return times


def time_fts5(path: Path, queries: list[dict[str, object]]) -> list[float]:
    con = sqlite3.connect(path / "fts.sqlite3")
    times = []
    for spec in queries:
        q = str(spec["q"])
        match = q if spec.get("phrase") else " AND ".join(f'"{w}"' for w in q.split())
        started = time.perf_counter()
        con.execute(
            "SELECT id, snippet(docs, 2, '<mark>', '</mark>', '…', 20) FROM docs WHERE docs MATCH ? "
            "ORDER BY bm25(docs) LIMIT 10",
            (match,),
        ).fetchall()
        times.append(time.perf_counter() - started)
    return times


def facet_comparison(data: Path, path: Path, queries: list[dict[str, object]]) -> tuple[float, float]:
    """Median ms to count the parties facet: Whoosh's allow_overlap FieldFacet against our table."""
    from whoosh.sorting import FieldFacet

    from corpus.sqlite_store import SQLiteStore
    from indexer.results import SearchRequest
    from indexer.search import Index

    store = SQLiteStore(data / "corpus.sqlite3")
    index = Index(path, store.get, texts=store.text_of)
    searcher = index._searcher()
    whoosh_times, ours = [], []
    for spec in queries[:50]:
        parsed = index.parse(str(spec["q"]))
        if parsed is None:
            continue
        started = time.perf_counter()
        results = searcher.search(parsed, limit=None, groupedby=FieldFacet("parties", allow_overlap=True))
        {k: len(v) for k, v in results.groups("parties").items()}
        whoosh_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        index.search(SearchRequest(q=str(spec["q"]), page_size=1, snippets=0))
        ours.append(time.perf_counter() - started)
    return statistics.median(whoosh_times) * 1000, statistics.median(ours) * 1000


def time_add_ten(data: Path, path: Path) -> float:
    """Seconds to bring the built index up to date after 10 new documents arrive."""
    from corpus.sqlite_store import SQLiteStore
    from indexer.build import update_index

    store = SQLiteStore(data / "corpus.sqlite3")
    update_index(store, path)  # settle anything pending
    base = next(iter(store.iter_documents(store.ids()[:1])))
    new = [
        base.replace(source="bench", source_id=f"bench-{time.time_ns()}-{n}", text=f"{base.text}\n\nBench {n}.")
        for n in range(10)
    ]
    store.save_many(new)
    started = time.perf_counter()
    report = update_index(store, path)
    elapsed = time.perf_counter() - started
    for doc in new:
        store.delete(doc.id)
    update_index(store, path)
    assert report.updated == 10
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("TREATYSEARCH_CORPUS", ROOT.parent / "shared" / "corpus"))
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/treatysearch-bench"))
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DATA", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    data = prepare(args.corpus, args.work)
    queries = make_queries(data, args.queries)
    builds = {kind: run_build(kind, data, args.work / kind) for kind in BUILDERS}
    latency = {
        "treatysearch": time_ours(data, args.work / "treatysearch", queries),
        "bare-whoosh": time_bare(args.work / "bare-whoosh", queries),
        "sqlite-fts5": time_fts5(args.work / "sqlite-fts5", queries),
    }
    base = builds["bare-whoosh"]["docs"] / builds["bare-whoosh"]["seconds"]
    print(f"\n{builds['treatysearch']['docs']:.0f} documents, {args.queries} queries\n")
    print("| index | docs/s | × bare | size MB | peak MB | query p50 ms | query p95 ms | what a query does |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    does = {
        "treatysearch": "top 10 + 5 facets + 3 snippets + clause + suggestion",
        "bare-whoosh": "top 10 ids",
        "sqlite-fts5": "top 10 ids + 1 snippet",
    }
    for kind, b in builds.items():
        rate = b["docs"] / b["seconds"]
        times = latency[kind]
        print(
            f"| {kind} | {rate:.0f} | {rate / base:.2f} | {b['size_mb']:.0f} | {b['peak_mb']:.0f} | "
            f"{percentile(times, 50) * 1000:.1f} | {percentile(times, 95) * 1000:.1f} | {does[kind]} |"
        )
    whoosh_ms, ours_ms = facet_comparison(data, args.work / "treatysearch", queries)
    print(
        f"\nparties facet, median of 50 queries: Whoosh FieldFacet(allow_overlap=True) {whoosh_ms:.1f} ms; "
        f"our whole search with all facets and no snippets {ours_ms:.1f} ms"
    )
    print(f"adding 10 new documents to the built index: {time_add_ten(data, args.work / 'treatysearch'):.2f} s")


if __name__ == "__main__":
    main()
