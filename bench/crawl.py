"""Crawl benchmark: the whole local kremlin.ru mirror at zero delay from the news start page, then a recrawl with
nothing changed; coverage of what the mirror's listing pages (numbered and by-date) link.

    python bench/crawl.py [--corpus ../shared/corpus] [--work /tmp/treatysearch-crawl-bench]

The mirror is served by the tests' local site in its own process (so it does not share the crawler's
interpreter), in the site's URL shapes, with hand-made pages for the /supplement/ texts the news items link;
the crawl runs as `treatysearch crawl` in a child process, whose peak memory is read from the operating system.
Coverage counts the articles the 2,222 listing files link, read straight from the files: those the crawl fetched
(reach) and those it stored (a document or a location of one), and the same for the /supplement/ texts these
articles link; the commonest reasons a present article was not stored close the table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NEWS = "/events/president/news"
ARCHIVE = "kremlin_en_html/en.kremlin.ru_news_mirror_2020-08.tar.xz"


def unpack(corpus: Path, work: Path) -> Path:
    root = work / "mirror"
    if not (root / "en.kremlin.ru" / "robots.txt").exists():
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(corpus / ARCHIVE) as archive:
            archive.extractall(root, filter="data")
    return root


def serve(root: Path, port: multiprocessing.Value, requests: multiprocessing.Value, stop: multiprocessing.Event):
    from tests.site import Site, kremlin_routes

    routes = kremlin_routes(root)

    def counted(path, site):
        with requests.get_lock():
            requests.value += 1
        return routes(path, site)

    with Site(counted) as site:
        port.value = int(site.url.rsplit(":", 1)[1])
        stop.wait()


def crawl_command(data: Path, url: str, *options: str) -> list[str]:
    """`treatysearch crawl kremlin` of the local mirror, whole and at zero delay (the benches' one crawl)."""
    where = ["--data-dir", str(data), "crawl", "kremlin", "--base-url", url, *options]
    return [sys.executable, "-m", "treatysearch", *where, "--lang", "en", "--all", "--delay", "0", "--quiet"]


def crawl(url: str, data: Path) -> tuple[float, float, dict]:
    command = crawl_command(data, url)
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    runs = subprocess.run(
        [sys.executable, "-m", "treatysearch", "--data-dir", str(data), "stats", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return seconds, usage.ru_maxrss / 1024, json.loads(runs.stdout)


def extraction_times(root: Path) -> list[float]:
    from crawler.extract import ExtractionError, decode_html, extract_article
    from crawler.profiles import load_profiles
    from tests.site import restore_links

    profile = load_profiles()["kremlin"]
    times = []
    for file in sorted((root / "en.kremlin.ru" / "events" / "president" / "news").glob("*.html"))[:2000]:
        html = restore_links(decode_html(file.read_bytes()), PurePosixPath("/events/president/news/" + file.stem))
        started = time.perf_counter()
        with contextlib.suppress(ExtractionError):
            extract_article(html, "http://en.kremlin.ru/events/president/news/" + file.stem, profile)
        times.append(time.perf_counter() - started)
    return times


def listed_and_announced(root: Path) -> tuple[set[str], set[str]]:
    """Article paths the mirror's listing pages link, and the /supplement/ paths those articles link."""
    from bs4 import BeautifulSoup

    from tests.site import restore_links

    news = root / "en.kremlin.ru" / NEWS.lstrip("/")
    articles: set[str] = set()
    for folder in ("page", "by-date"):
        for file in (news / folder).glob("*.html"):
            html = restore_links(file.read_text("utf-8", "replace"), PurePosixPath(f"{NEWS}/{folder}/{file.stem}"))
            articles |= {a["href"] for a in BeautifulSoup(html, "lxml").select("div.hentry h3.hentry__title a")}
    supplements: set[str] = set()
    for path in articles:
        file = root / "en.kremlin.ru" / (path.lstrip("/") + ".html")
        if file.is_file():
            html = restore_links(file.read_text("utf-8", "replace"), PurePosixPath(path))
            supplements |= set(re.findall(r'href="(/supplement/\d+)"', html))
    return articles, supplements


def stored_paths(data: Path, title_only: bool = False) -> set[str]:
    """Paths of the stored documents and their locations (title_only: documents whose text is their title)."""
    from urllib.parse import urlparse

    from corpus.sqlite_store import SQLiteStore

    query = (
        "SELECT url FROM documents WHERE text = title"
        if title_only
        else ("SELECT url FROM documents UNION SELECT url FROM locations")
    )
    return {urlparse(r[0]).path for r in SQLiteStore(data / "corpus.sqlite3")._con.execute(query)}


def unstored_reasons(data: Path, paths: set[str]) -> Counter[str]:
    """Why the crawl left these paths unstored: the frontier's error for each, or its state."""
    from urllib.parse import urlparse

    from corpus.sqlite_store import SQLiteStore

    rows = SQLiteStore(data / "corpus.sqlite3")._con.execute("SELECT url, state, error FROM frontier")
    reasons = {urlparse(url).path: error or state for url, state, error in rows}
    return Counter(reasons.get(p, "never queued") for p in paths)


def fetched_paths(data: Path) -> set[str]:
    """Paths the crawl fetched and read (stored, or refused for what the page holds), not the ones that were 404."""
    from urllib.parse import urlparse

    from corpus.sqlite_store import SQLiteStore

    rows = SQLiteStore(data / "corpus.sqlite3")._con.execute(
        "SELECT url FROM frontier WHERE state = 'done' OR (state = 'failed' AND error NOT LIKE 'HTTP %')"
    )
    return {urlparse(r[0]).path for r in rows}


def last_crawl(data: Path) -> dict:
    from corpus.sqlite_store import SQLiteStore

    return next(r for r in SQLiteStore(data / "corpus.sqlite3").runs() if r.job.startswith("crawl")).counts


def ratio(part: set[str], whole: set[str]) -> str:
    return f"{len(part)} / {len(whole)} ({len(part) / max(1, len(whole)):.2%})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("TREATYSEARCH_CORPUS", ROOT.parent / "shared" / "corpus"))
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/treatysearch-crawl-bench"))
    args = parser.parse_args()
    root = unpack(args.corpus, args.work)
    data = args.work / "data"
    shutil.rmtree(data, ignore_errors=True)
    port, requests, stop = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(root, port, requests, stop), daemon=True)
    server.start()
    while not port.value:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port.value}"
    seconds, peak_mb, stats = crawl(url, data)
    first = last_crawl(data)
    first_requests = requests.value
    again_seconds, _, _ = crawl(url, data)
    again = last_crawl(data)
    again_requests = requests.value - first_requests
    stop.set()
    server.join(5)
    times = extraction_times(root)
    pages = first.get("fetched", 0)
    listed, supplements = listed_and_announced(root)
    present = {p for p in listed if (root / "en.kremlin.ru" / (p.lstrip("/") + ".html")).is_file()}
    stored = stored_paths(data)
    print(f"\nlocal kremlin.ru mirror, zero delay, start {NEWS}\n")
    print("| measure | value |")
    print("| --- | ---: |")
    print(f"| articles the listing pages link / present in the mirror | {len(listed)} / {len(present)} |")
    fetched = fetched_paths(data)
    print(f"| present articles fetched (reach) | {ratio(present & fetched, present)} |")
    print(f"| present articles stored (coverage) | {ratio(present & stored, present)} |")
    title_only = present & stored_paths(data, title_only=True)
    print(f"| of them stored as their title alone (no lead, text or captions) | {len(title_only)} |")
    print(f"| linked /supplement/ texts fetched | {ratio(supplements & fetched, supplements)} |")
    print(f"| linked /supplement/ texts stored | {ratio(supplements & stored, supplements)} |")
    print(f"| pages fetched (listing + articles + announced texts) | {pages} |")
    print(f"| documents stored / failed with a reason | {stats['documents']} / {first.get('failed', 0)} |")
    print(f"| crawl wall time | {seconds:.1f} s |")
    print(f"| pages per second | {pages / seconds:.1f} |")
    print(
        f"| extraction per page, median / p95 ({len(times)} pages) | {statistics.median(times) * 1000:.1f} ms / "
        f"{sorted(times)[int(0.95 * (len(times) - 1))] * 1000:.1f} ms |"
    )
    print(f"| crawler peak memory (RSS) | {peak_mb:.0f} MB |")
    for reason, count in unstored_reasons(data, present - stored).most_common(5):
        print(f"| present, not stored: {reason} | {count} |")
    print(f"| requests of the first crawl (incl. robots.txt) | {first_requests} |")
    print(
        f"| requests of the no-change recrawl | {again_requests} ({again.get('not_modified', 0)} answered 304; "
        f"{again_seconds:.1f} s) |"
    )


if __name__ == "__main__":
    main()
