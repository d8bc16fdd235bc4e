"""Crawls of the real kremlin.ru mirror (../shared/corpus/kremlin_en_html) served on 127.0.0.1."""

import os
import signal
import subprocess
import sys
import time
from pathlib import PurePosixPath
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from corpus.sqlite_store import SQLiteStore
from crawler.archive import WarcArchive
from crawler.crawl import Crawler, CrawlOptions
from crawler.fetch import Fetcher
from crawler.profiles import load_profiles
from tests.site import Site, kremlin_routes, restore_links

START = "/events/president/news/page/2"


def reachable(root):
    """Article paths the listing pages reach from page 2 by their "next" links, read straight from the files."""
    articles, path = [], START
    while (root / "en.kremlin.ru" / (path.lstrip("/") + ".html")).is_file():
        html = restore_links(
            (root / "en.kremlin.ru" / (path.lstrip("/") + ".html")).read_text("utf-8", "replace"), PurePosixPath(path)
        )
        soup = BeautifulSoup(html, "lxml")
        articles += [a["href"] for a in soup.select("div.hentry h3.hentry__title a")]
        nxt = soup.select_one("a.more-next")
        if not nxt:
            break
        path = nxt["href"]
    return articles


def profile(site):
    return load_profiles()["kremlin"].with_base_url(site.url).with_start((START,))


def crawl(site, store, data_dir, **options):
    fetcher = Fetcher("treatysearch-test", delay=0, timeout=10, tries=2, backoff_base=0.05)
    with WarcArchive(data_dir) as archive:
        return Crawler(
            profile(site), store, fetcher, archive, CrawlOptions(language="en", take_all=True, **options)
        ).run()


@pytest.fixture(scope="module")
def full_crawl(mirror, tmp_path_factory):
    folder = tmp_path_factory.mktemp("full")
    store = SQLiteStore(folder / "corpus.sqlite3")
    with Site(kremlin_routes(mirror)) as site:
        report = crawl(site, store, folder)
        first = list(site.log)
        again = crawl(site, store, folder)
        second = site.log[len(first) :]
    return store, report, first, again, second, mirror


def test_a_full_crawl_finds_every_article_the_listing_pages_reach(full_crawl):
    store, report, log, *_ = full_crawl
    mirror = full_crawl[-1]
    expected = reachable(mirror)
    assert len(expected) > 800
    fetched = {r.path for r in log if r.path.rsplit("/", 1)[-1].isdigit() and "/page/" not in r.path}
    assert fetched == set(expected)
    on_disk = {p for p in expected if (mirror / "en.kremlin.ru" / (p.lstrip("/") + ".html")).is_file()}
    stored = {urlparse(d.url).path for d in store.iter_documents()}
    failed = {urlparse(e.split(": ", 1)[0]).path for e in report.errors if "stored without a date" not in e}
    assert stored <= on_disk and len(stored) == report.counts["new"] > 700
    assert stored | failed == set(expected) and not stored & failed  # every reached article: stored, or said why not
    assert report.finished


def test_a_second_crawl_with_nothing_changed_sends_only_a_conditional_request(full_crawl):
    store, first_report, _first, report, second, _ = full_crawl
    paths = [r.path for r in second if r.path != "/robots.txt"]
    assert paths == [START]
    assert "if-none-match" in second[-1].headers
    assert report.counts["not_modified"] == 1 and report.counts["new"] == 0
    assert store.stats().documents == first_report.counts["new"]


def test_a_killed_crawl_resumes_to_the_same_documents(full_crawl, tmp_path):
    store, *_, mirror = full_crawl
    data = tmp_path / "data"
    with Site(kremlin_routes(mirror)) as site:
        command = [
            sys.executable,
            "-m",
            "treatysearch",
            "--data-dir",
            str(data),
            "crawl",
            "kremlin",
            "--base-url",
            site.url,
            "--start",
            START,
            "--lang",
            "en",
            "--all",
            "--delay",
            "0",
            "--quiet",
        ]
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and child.poll() is None:
            if (data / "corpus.sqlite3").exists() and SQLiteStore(data / "corpus.sqlite3").stats().documents >= 100:
                break
            time.sleep(0.1)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        resumed = SQLiteStore(data / "corpus.sqlite3")
        assert 0 < resumed.stats().documents < store.stats().documents  # killed half-way
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    paths = [urlparse(d.url).path for d in resumed.iter_documents()]  # this site runs on another port
    assert sorted(paths) == sorted(urlparse(d.url).path for d in store.iter_documents())
    assert len(paths) == len(set(paths))
    (latest, *_) = resumed.runs()
    assert latest.status == "partial" and latest.counts.get("resumed", 0) > 0
