"""Comparison benchmark: aligning real documents of about 10, 50 and 200 clauses, and "where else".

    python bench/compare.py [--data /tmp/treatysearch-bench/data] [--pairs 30] [--clauses 50]

Needs the benchmark store and index of bench/index.py (the index in <data>/index is built if missing).
Prints median and p95 times as a table.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = {10: (8, 12), 50: (45, 55), 200: (180, 220)}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def documents_of_size(data: Path, low: int, high: int) -> list[str]:
    con = sqlite3.connect(data / "corpus.sqlite3")
    rows = con.execute(
        "SELECT d.id FROM documents d JOIN (SELECT doc_id, count(*) n FROM clauses GROUP BY doc_id) c "
        "ON c.doc_id = d.id WHERE d.language = 'en' AND c.n BETWEEN ? AND ? ORDER BY d.source, d.date, d.id",
        (low, high),
    )
    return [r[0] for r in rows]


def main() -> None:
    from compare.align import align
    from compare.series import where_else
    from corpus.sqlite_store import SQLiteStore
    from indexer.search import Index

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/tmp/treatysearch-bench/data"))
    parser.add_argument("--pairs", type=int, default=30)
    parser.add_argument("--clauses", type=int, default=50, help="how many clauses to look up elsewhere")
    args = parser.parse_args()
    store = SQLiteStore(args.data / "corpus.sqlite3")
    print("\n| alignment | pairs | median ms | p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    for size, (low, high) in SIZES.items():
        ids = documents_of_size(args.data, low, high)
        docs = list(store.iter_documents(ids[: 2 * args.pairs]))
        times = []
        for a, b in zip(docs[0::2], docs[1::2], strict=False):  # neighbours: same source, successive dates
            started = time.perf_counter()
            align(a, b)
            times.append(time.perf_counter() - started)
        if times:
            print(
                f"| {size}×{size} clauses ({low}–{high}) | {len(times)} | {statistics.median(times) * 1000:.1f} | "
                f"{p95(times) * 1000:.1f} |"
            )
    subprocess.run(
        [sys.executable, "-m", "treatysearch", "--data-dir", str(args.data), "index", "--quiet"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    index = Index(args.data / "index", store.get)
    rng = random.Random(3)
    sample = rng.sample(store.ids(), args.clauses * 3)
    clauses = [(d.id, c.text) for d in store.iter_documents(sample) for c in d.clauses[:1] if len(c.text) > 80]
    times = []
    for doc_id, text in clauses[: args.clauses]:
        started = time.perf_counter()
        where_else(text, store.iter_documents(index.similar(text, limit=40)), exclude=doc_id)
        times.append(time.perf_counter() - started)
    print("\n| where else (index candidates, then alignment) | queries | median ms | p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    print(
        f"| over {index.count()} documents | {len(times)} | {statistics.median(times) * 1000:.1f} | "
        f"{p95(times) * 1000:.1f} |"
    )


if __name__ == "__main__":
    main()
