"""Load with an index update and a hostile client: do ordinary readers still get quick answers?

    python bench/load.py [--corpus ../shared/corpus] [--work /tmp/treatysearch-load] [--clients 8] [--seconds 60]

Builds a store and index of the corpus without the UN speeches (once; kept in --work). Then runs
the same load twice on a fresh copy of it, served by `treatysearch serve`: N ordinary clients for
the given time (bench/serve.py's mix of searches, facets, JSON twins and document pages) while an
index update adds 3,000 UN General Debate speeches (`import` then `index`, started 3 s in). The
second run adds one hostile client that sends, one after another, the pathological requests of
issue 11 (point 8): a query of 20 prefixes, a comparison of the largest treaty with itself, the
GBR–CMR series and 450 nested parentheses. Prints, for the ordinary clients, requests, errors and
p50/p95 in both runs, the ratio of the p95s, and what the hostile requests and the update did.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.index import SOURCES  # noqa: E402
from bench.serve import client, free_port, paths  # noqa: E402

BASE_SOURCES = [s for s in SOURCES if not s.startswith("ungdc/")]  # the speeches are what the update adds
ADDED = 3000


def cli(data: Path) -> list[str]:
    return [sys.executable, "-m", "treatysearch", "--data-dir", str(data)]


def prepare(corpus: Path, work: Path) -> tuple[Path, Path]:
    """The base data folder (imported and indexed once) and a folder of 3,000 speeches to add."""
    base, speeches = work / "base", work / "speeches"
    if not (base / "ready").exists():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        subprocess.run([*cli(base), "import", "--quiet", *(str(corpus / s) for s in BASE_SOURCES)], check=True)
        subprocess.run([*cli(base), "index", "--quiet"], check=True, stdout=subprocess.DEVNULL)
        (base / "ready").write_text("")
    if len(list(speeches.glob("*.txt"))) < ADDED:
        extract_speeches(corpus / "ungdc" / "UNGDC_1946-2024_TXT.tar.xz", speeches)
    return base, speeches


def extract_speeches(archive: Path, folder: Path) -> None:
    """The first 3,000 speeches of the archive (the corpus's TXT folder holds only a sample) as plain files."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = 0
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".txt"):
                (folder / Path(member.name).name).write_bytes(tar.extractfile(member).read())
                taken += 1
            if taken == ADDED:
                return


def largest_treaty(data: Path) -> str:
    con = sqlite3.connect(data / "corpus.sqlite3")
    row = con.execute(
        "SELECT id FROM documents WHERE doc_type = 'treaty' ORDER BY length(text) DESC LIMIT 1"
    ).fetchone()
    return row[0]


def hostile_urls(data: Path) -> list[str]:
    """The pathological requests of issue 11, point 8."""
    prefixes = " ".join(f"{letter}*" for letter in "abcdefghijklmnopqrst")
    treaty = largest_treaty(data)
    return [
        "/search?q=" + quote(prefixes),
        f"/compare?a={treaty}&b={treaty}",
        "/series?party=GBR&party=CMR",
        "/search?q=" + quote("(" * 450 + "cooperation" + ")" * 450),
    ]


def hostile(base: str, urls: list[str], until: float, seen: list[str]) -> None:
    """One client sending the pathological requests in turn, each waited for (up to 120 s)."""
    session = requests.Session()
    while time.monotonic() < until:
        for url in urls:
            started = time.perf_counter()
            try:
                status = str(session.get(base + url, timeout=120).status_code)
            except requests.RequestException as exc:
                status = type(exc).__name__
            seen.append(f"{status} {time.perf_counter() - started:.1f}s {url[:40]}")
            if time.monotonic() >= until:
                return


def update(data: Path, speeches: Path, report: dict) -> None:
    """Import the speeches and update the index, as an operator would beside the running server."""
    started = time.monotonic()
    imported = subprocess.run([*cli(data), "import", "--quiet", str(speeches)], capture_output=True, text=True)
    indexed = subprocess.run([*cli(data), "index", "--quiet"], capture_output=True, text=True)
    report["update"] = f"{time.monotonic() - started:.0f} s, exit {imported.returncode}/{indexed.returncode}"
    report["update_output"] = (imported.stdout + indexed.stdout).strip().splitlines()[-2:]


def wait_for(base: str) -> None:
    for _ in range(300):
        try:
            requests.get(base + "/status.json", timeout=5)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def documents_indexed(base: str) -> int | str:
    """What the server says its index holds; a server still busy with hostile requests may not say."""
    try:
        return requests.get(base + "/status.json", timeout=300).json()["index"]["documents"]
    except requests.RequestException as exc:
        return type(exc).__name__


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else float("nan")


def run(base_data: Path, speeches: Path, work: Path, args: argparse.Namespace, with_hostile: bool) -> dict:
    """One run on a fresh copy of the base data: ordinary clients, the update, and maybe the hostile client."""
    data = work / ("run-hostile" if with_hostile else "run-plain")
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(base_data, data)
    port = free_port()
    server = subprocess.Popen(
        [*cli(data), "serve", "--port", str(port), "--threads", str(args.clients + 2)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    report: dict = {}
    try:
        wait_for(base)
        urls = paths(data)
        for url in urls[:20]:  # warm up
            requests.get(base + url, timeout=60)
        latencies: list[float] = []
        errors: list[str] = []
        seen: list[str] = []
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client, args=(base, urls, until, latencies, errors, random.Random(n)))
            for n in range(args.clients)
        ]
        if with_hostile:
            threads.append(threading.Thread(target=hostile, args=(base, hostile_urls(data), until, seen)))
        updater = threading.Timer(3, update, args=(data, speeches, report))
        for thread in threads:
            thread.start()
        updater.start()
        for thread in threads:
            thread.join()
        updater.join()
        indexed = documents_indexed(base)
    finally:
        server.terminate()
        server.wait(30)
    report.update(requests=len(latencies), errors=errors, p50=percentile(latencies, 50), p95=percentile(latencies, 95))
    report.update(hostile=seen, indexed=indexed)
    return report


def table(results: dict[str, dict]) -> str:
    columns = ("requests", "errors", "p50 ms", "p95 ms", "hostile requests", "index update", "documents indexed")
    lines = ["| ordinary clients | " + " | ".join(columns) + " |", "| --- |" + " ---: |" * len(columns)]
    for label, r in results.items():
        cells = [r["requests"], len(r["errors"]), f"{r['p50']:.0f}", f"{r['p95']:.0f}", len(r["hostile"])]
        cells += [r.get("update", "not finished"), r["indexed"]]
        lines.append(f"| {label} | " + " | ".join(map(str, cells)) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--work", type=Path, default=Path("/tmp/treatysearch-load"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    base, speeches = prepare(args.corpus, args.work)
    results = {}
    for label, with_hostile in (("alone (with the update)", False), ("beside the hostile client", True)):
        results[label] = run(base, speeches, args.work, args, with_hostile)
        print(table({label: results[label]}), flush=True)  # each run as soon as it is measured
    plain, attacked = results.values()
    print(f"\n{args.clients} clients for {args.seconds:g} s; an update adds {ADDED} speeches from 3 s on\n")
    print(table(results))
    print(f"\np95 beside the hostile client / p95 alone: {attacked['p95'] / plain['p95']:.2f} (want at most 2)")
    for label, r in results.items():
        for error in r["errors"][:5]:
            print(f"{label}: error {error}")
        print(f"{label}: update {r.get('update')}: {r.get('update_output')}")
    print("hostile requests (status, time, URL):", *attacked["hostile"], sep="\n  ")


if __name__ == "__main__":
    main()
