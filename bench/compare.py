"""Comparison benchmark on real documents of ../shared/corpus: alignment of pairs of about 50 and 200 clauses,
and the genealogy of a 30-clause statement over 20 earlier documents, against a plain difflib paragraph diff
of the same units in the same run.

    python bench/compare.py [--corpus ../shared/corpus] [--repeat 5]

Prints median and p95 times as a table; the targets (issue 13) are 100 ms p95 for 50×50, 1 s p95 for 200×200
and 2 s for the genealogy.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = {50: (45, 56), 200: (180, 240)}
FOLDERS = ("tota/xml/*.xml", "manytreaties/treaty texts/*/*.txt", "whitehouse_joint_statements/*/*/*.md")
TARGETS = {50: 100.0, 200: 1000.0, "genealogy": 2000.0}  # ms


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def corpus_documents(corpus: Path) -> list:
    """Every readable document of the unpacked corpus folders, with its number of units."""
    from compare.units import units
    from corpus.importers import read_file
    from treatysearch.cli import readers

    found = []
    for pattern in FOLDERS:
        for path in sorted(corpus.glob(pattern)):
            try:
                docs = read_file(str(path), path.read_bytes(), readers())
            except Exception:  # a file the importers refuse is simply not part of the benchmark
                continue
            found += [(len(units(d)), d) for d in docs if d.clauses]
    return found


def pairs_of_size(found: list, low: int, high: int) -> list[tuple]:
    """Neighbouring documents of one language whose unit counts lie in [low, high)."""
    sized = sorted(((d.language, n, d.id), d) for n, d in found if low <= n < high)
    docs = [d for _, d in sized]
    return [(a, b) for a, b in itertools.pairwise(docs) if a.language == b.language]


def timed(work: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return times


def difflib_diff(a, b) -> list:
    """The baseline: a plain paragraph diff of the same units (autojunk off)."""
    from compare.units import units

    ta, tb = [u.text for u in units(a)], [u.text for u in units(b)]
    return difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes()


def row(name: str, count: int, ours: list[float], base: list[float], target: float) -> str:
    ratio = statistics.median(ours) / max(statistics.median(base), 1e-6)
    verdict = "yes" if p95(ours) < target else "NO"
    return (
        f"| {name} | {count} | {statistics.median(ours):.1f} | {p95(ours):.1f} | {statistics.median(base):.2f} | "
        f"{ratio:.0f}× | {target:.0f} | {verdict} |"
    )


def main() -> None:
    from compare.align import align
    from compare.series import trace

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each pair")
    args = parser.parse_args()
    found = corpus_documents(args.corpus)
    print("\n| work | cases | median ms | p95 ms | difflib median ms | ratio | target p95 ms | within |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for size, (low, high) in SIZES.items():
        pairs = pairs_of_size(found, low, high)
        ours = [t for a, b in pairs for t in timed(lambda a=a, b=b: align(a, b), args.repeat)]
        base = [t for a, b in pairs for t in timed(lambda a=a, b=b: difflib_diff(a, b), args.repeat)]
        print(row(f"align {size}×{size} ({low}–{high - 1} clauses)", len(pairs), ours, base, TARGETS[size]))
    english = sorted((d for n, d in found if d.language == "en" and d.date), key=lambda d: d.date)
    target = next(d for d in reversed(english) if 28 <= len(d.clauses) <= 32)
    earlier = [d for d in english if d.date < target.date][-20:]
    ours = timed(lambda: trace(target, earlier), args.repeat)
    base = timed(lambda: [difflib_diff(e, target) for e in earlier], args.repeat)
    print(row(f"genealogy of {len(target.clauses)} clauses over {len(earlier)} documents", 1, ours, base, 2000.0))


if __name__ == "__main__":
    main()
