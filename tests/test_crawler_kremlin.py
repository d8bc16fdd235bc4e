"""Crawls of the real kremlin.ru mirror (../shared/corpus/kremlin_en_html) served on 127.0.0.1 in the site's own
URL shapes: numbered pages, by-date pages, and the texts news items announce. A subset of the mirror is served
(pages 2-8 of the numbered listing, the calendar from 10 August 2020) so that a test crawl takes seconds."""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import PurePosixPath
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from corpus.sqlite_store import SQLiteStore
from corpus.store import StoreError
from crawler.archive import WarcArchive
from crawler.crawl import Crawler, CrawlOptions
from crawler.fetch import Fetcher
from crawler.profiles import load_profiles
from tests.site import NEWS, Site, failing, kremlin_routes, restore_links

LAST_PAGE, FIRST_DAY = 8, "2020-08-10"


def listing_files(root, last_page=LAST_PAGE, first_day=FIRST_DAY):
    """(path, file) of every listing page the served subset offers that the mirror holds."""
    news = root / "en.kremlin.ru" / NEWS.lstrip("/")
    pages = [(f"{NEWS}/page/{n}", news / "page" / f"{n}.html") for n in range(2, last_page + 1)]
    day, days = dt.date.fromisoformat(first_day), []
    while day <= dt.date(2020, 8, 28):
        stamp = day.strftime("%d.%m.%Y")
        days.append((f"{NEWS}/by-date/{stamp}", news / "by-date" / f"{stamp}.html"))
        day += dt.timedelta(days=1)
    return [(path, file) for path, file in pages + days if file.is_file()]


def listed(root, **subset):
    """Article paths the served listing pages link, read straight from the files."""
    paths = set()
    for path, file in listing_files(root, **subset):
        soup = BeautifulSoup(restore_links(file.read_text("utf-8", "replace"), PurePosixPath(path)), "lxml")
        paths |= {a["href"] for a in soup.select("div.hentry h3.hentry__title a")}
    return paths


def present(root, paths):
    return {p for p in paths if (root / "en.kremlin.ru" / (p.lstrip("/") + ".html")).is_file()}


def announced(root, articles):
    """The /supplement/ texts the given article files link."""
    found = set()
    for path in present(root, articles):
        html = restore_links(
            (root / "en.kremlin.ru" / (path.lstrip("/") + ".html")).read_text("utf-8", "replace"), PurePosixPath(path)
        )
        found |= {a["href"] for a in BeautifulSoup(html, "lxml").select("a[href^='/supplement/']")}
    return found


def crawl(site, store, data_dir, **options):
    fetcher = Fetcher("treatysearch-test", delay=0, timeout=10, tries=2, backoff_base=0.05)
    profile = load_profiles()["kremlin"].with_base_url(site.url)
    with WarcArchive(data_dir) as archive:
        return Crawler(profile, store, fetcher, archive, CrawlOptions(language="en", take_all=True, **options)).run()


def paths_of(store):
    return sorted(urlparse(d.url).path for d in store.iter_documents())


def subset_site(mirror):
    return Site(kremlin_routes(mirror, last_page=LAST_PAGE, first_day=FIRST_DAY))


@pytest.fixture(scope="module")
def full_crawl(mirror, tmp_path_factory):
    folder = tmp_path_factory.mktemp("full")
    store = SQLiteStore(folder / "corpus.sqlite3")
    with subset_site(mirror) as site:
        report = crawl(site, store, folder)
        first = list(site.log)
        again = crawl(site, store, folder)
        second = site.log[len(first) :]
    return store, report, first, again, second, mirror


def test_a_crawl_reaches_every_listed_article_and_the_texts_they_announce(full_crawl):
    store, report, log, *_ = full_crawl
    mirror = full_crawl[-1]
    expected = listed(mirror)
    assert len(expected) > 150
    requested = {r.path for r in log}
    assert {p for p, _ in listing_files(mirror)} <= requested  # numbered pages past a missing one, and by-date pages
    stored = set(paths_of(store))
    articles = {p for p in stored if p.startswith(f"{NEWS}/")}
    failed = {urlparse(e.split(": ", 1)[0]).path for e in report.errors if "stored without a date" not in e}
    assert articles | failed == expected and not articles & failed  # every listed article: stored, or said why not
    assert len(articles) >= 0.99 * len(present(mirror, expected))
    supplements = announced(mirror, present(mirror, expected))  # from text-less news items too
    assert supplements and supplements <= stored  # every announced /supplement/ text followed
    assert report.finished and report.counts["followed"] >= len(supplements)


def test_a_second_crawl_with_nothing_changed_sends_only_a_conditional_request(full_crawl):
    store, first_report, _first, report, second, _ = full_crawl
    paths = [r.path for r in second if r.path != "/robots.txt"]
    assert paths == [NEWS]
    assert "if-none-match" in second[-1].headers
    assert report.counts["not_modified"] == 1 and report.counts["new"] == 0
    assert store.stats().documents == first_report.counts["new"]


def test_a_passing_outage_loses_nothing(full_crawl, tmp_path):
    """A listing page and an article answer 503 for longer than a run's retries: the run says "incomplete", and
    the next run, with the site healthy, ends with exactly the documents of an undisturbed crawl."""
    whole, *_, mirror = full_crawl
    store = SQLiteStore(tmp_path / "corpus.sqlite3")
    article = sorted(listed(mirror, last_page=2, first_day="2020-08-28") & present(mirror, listed(mirror)))[0]
    routes, state = failing(
        kremlin_routes(mirror, last_page=LAST_PAGE, first_day=FIRST_DAY), {f"{NEWS}/page/3", article}
    )
    with Site(routes) as site:
        first = crawl(site, store, tmp_path, retry_delay=0)
        assert first.status == "incomplete" and first.waiting == 2 and not first.finished
        assert set(paths_of(store)) < set(paths_of(whole))
        state["down"] = False
        second = crawl(site, store, tmp_path, retry_delay=0)
    assert second.finished and "resumed" not in second.counts  # a new pass, the two waiting URLs in it
    assert paths_of(store) == paths_of(whole)


def test_a_crash_right_after_a_listing_fetch_resumes_to_every_article(full_crawl, tmp_path, monkeypatch):
    """11.2: a listing page's validators are stored with the links it produced, so a crawl killed (or out of disk)
    before they are stored fetches the page again in full, never answered 304 with its links lost."""
    whole, *_, mirror = full_crawl
    store = SQLiteStore(tmp_path / "corpus.sqlite3")
    real = store._remember_fetch
    crashed = []

    def disk_full(con, fetch):
        if fetch.url.endswith("/page/4") and not crashed:
            crashed.append(fetch.url)
            raise sqlite3.OperationalError("database or disk is full")
        real(con, fetch)

    monkeypatch.setattr(store, "_remember_fetch", disk_full)
    with subset_site(mirror) as site:
        with pytest.raises(StoreError, match="database or disk is full"):  # the store's one-line error
            crawl(site, store, tmp_path, lease=0.5)
        assert crashed and set(paths_of(store)) < set(paths_of(whole))
        time.sleep(0.6)  # the crashed run's lease on page 4 runs out
        report = crawl(site, store, tmp_path, lease=0.5)
    assert report.finished and report.counts["resumed"] > 0
    assert paths_of(store) == paths_of(whole)


def test_max_pages_gives_the_newest_articles_and_since_then_a_full_crawl_backfills(full_crawl, tmp_path):
    whole, *_, mirror = full_crawl
    newest = listed(mirror, last_page=3, first_day="2020-08-24")  # the start page (page 2's), page 3, the last days
    budget = SQLiteStore(tmp_path / "budget.sqlite3")
    since = SQLiteStore(tmp_path / "since.sqlite3")
    with subset_site(mirror) as site:
        report = crawl(site, budget, tmp_path, max_pages=40)
        assert report.stopped and report.counts["fetched"] == 40
        stored = set(paths_of(budget))
        assert len(stored) >= 30 and stored <= newest | {p for p in stored if not p.startswith(NEWS)}
        crawl(site, since, tmp_path, since=dt.date(2020, 8, 20))
        recent = set(paths_of(since))
        assert 0 < len(recent) < len(paths_of(whole))
        dates = [d.date for d in since.iter_documents() if d.url.split("/")[-2] == "news" and d.date]
        assert min(dates) >= dt.date(2020, 8, 20)
        backfill = crawl(site, since, tmp_path)
    assert backfill.counts["backfill"] > 0
    assert paths_of(since) == paths_of(whole)


def test_a_killed_crawl_resumes_to_the_same_documents(full_crawl, tmp_path):
    store, *_, mirror = full_crawl
    data = tmp_path / "data"
    with subset_site(mirror) as site:
        command = [sys.executable, "-m", "treatysearch", "--data-dir", str(data), "crawl", "kremlin"]
        command += ["--base-url", site.url, "--lang", "en", "--all", "--delay", "0", "--quiet"]
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
    paths = paths_of(resumed)  # this site runs on another port
    assert paths == paths_of(store)
    assert len(paths) == len(set(paths))
    (latest, killed, *_) = resumed.runs()
    assert latest.status == "ok" and latest.counts.get("resumed", 0) > 0
    assert killed.status == "interrupted"  # marked when the next run started
