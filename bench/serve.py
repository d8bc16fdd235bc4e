"""Load test of `treatysearch serve` on loopback with the benchmark corpus.

    python bench/serve.py [--data /tmp/treatysearch-bench/data] [--clients 8] [--seconds 30]

Needs the benchmark store of bench/index.py (run it first); builds the data folder's index if it
is missing. Starts the server as a child process, sends a fixed mix of requests (searches with and
without filters, facet toggles, JSON twins, document pages) from N concurrent clients for a fixed
time, and prints requests per second, latency p50/p95/p99, errors and the server's peak memory.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def paths(data: Path, n: int = 400) -> list[str]:
    """A fixed mix of URLs a reader would open."""
    from bench.index import make_queries
    from corpus.sqlite_store import SQLiteStore

    rng = random.Random(7)
    ids = SQLiteStore(data / "corpus.sqlite3").ids()
    out = []
    for i, spec in enumerate(make_queries(data, n)):
        q = quote(str(spec["q"]))
        kind = i % 5
        if kind == 0:
            out.append(f"/search?q={q}")
        elif kind == 1:
            out.append(f"/search?q={q}&party=RUS&from=1990&to=2024")
        elif kind == 2:
            out.append(f"/search.json?q={q}&type=speech&sort=newest")
        elif kind == 3:
            out.append(f"/documents/{rng.choice(ids)}")
        else:
            out.append(f"/search?party={rng.choice(['RUS', 'USA', 'KGZ', 'CHN', 'KAZ'])}&page={rng.randint(1, 5)}")
    return out


def client(
    base: str, urls: list[str], until: float, latencies: list[float], errors: list[str], rng: random.Random
) -> None:
    session = requests.Session()
    while time.monotonic() < until:
        url = rng.choice(urls)
        started = time.perf_counter()
        try:
            response = session.get(base + url, timeout=30)
            if response.status_code != 200:
                errors.append(f"{response.status_code} {url}")
        except requests.RequestException as exc:
            errors.append(f"{type(exc).__name__} {url}")
        latencies.append(time.perf_counter() - started)


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of the server and its worker processes, added up."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0.0
    for process in [pid, *map(int, children)]:
        for line in Path(f"/proc/{process}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def load_test(cli: list[str], urls: list[str], clients: int, seconds: float, workers: int, cache: int) -> dict:
    """Serve with `cli` (the treatysearch command and its store options), load it, and measure."""
    port = free_port()
    env = {**os.environ, "TREATYSEARCH_SEARCH_CACHE": str(cache)}
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--threads", str(max(4, clients)), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(base + "/status.json", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        for url in urls[:20]:  # warm up the searchers and caches of the worker threads
            requests.get(base + url, timeout=60)
        latencies: list[float] = []
        errors: list[str] = []
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(target=client, args=(base, urls, until, latencies, errors, random.Random(n)))
            for n in range(clients)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        peak = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    return {
        "requests": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "mean": statistics.mean(latencies) * 1000,
        "errors": errors,
        "peak_mb": peak,
    }


COLUMNS = ("requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "mean ms", "errors", "server peak RSS MB")


def table(results: dict[str, dict]) -> str:
    """A Markdown table of load test results, a row per label."""
    lines = ["| | " + " | ".join(COLUMNS) + " |", "| --- |" + " ---: |" * len(COLUMNS)]
    for label, r in results.items():
        cells = [r["requests"], f"{r['rate']:.1f}", *(f"{r[k]:.0f}" for k in ("p50", "p95", "p99", "mean"))]
        cells += [len(r["errors"]), f"{r['peak_mb']:.0f}"]
        lines.append(f"| {label} | " + " | ".join(map(str, cells)) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("/tmp/treatysearch-bench/data"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--cache", type=int, default=256, help="the server's search_cache setting (0: no cache)")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "treatysearch", "--data-dir", str(args.data)]
    subprocess.run([*cli, "index", "--quiet"], check=True, stdout=subprocess.DEVNULL)
    urls = paths(args.data)
    result = load_test(cli, urls, args.clients, args.seconds, args.workers, args.cache)
    print(
        f"\n{args.clients} concurrent clients for {args.seconds:g} s against `treatysearch serve` "
        f"(waitress, {args.workers} × {max(4, args.clients)} threads, search_cache {args.cache}), "
        f"{len(set(urls))} distinct URLs\n"
    )
    print(table({f"{args.workers} × {max(4, args.clients)} threads": result}))
    for error in result["errors"][:10]:
        print("error:", error)


if __name__ == "__main__":
    main()
