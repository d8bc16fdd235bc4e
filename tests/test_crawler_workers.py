"""Several crawler worker processes sharing one frontier in PostgreSQL, against the kremlin.ru mirror."""

import os
import signal
import socket
import subprocess
import sys
import time

import psycopg

from corpus.sqlite_store import SQLiteStore
from crawler.archive import WarcArchive
from crawler.crawl import Crawler, CrawlOptions
from crawler.fetch import Fetcher
from crawler.profiles import load_profiles
from tests.conftest import DATABASE_URL, empty_postgres_store
from tests.site import Site, kremlin_routes

START = "/events/president/news/page/43"  # pages 43-45 (the pager offers no more, the calendar no day): 60 articles
DELAY = 0.25
LATE = 1.0  # seconds a request of a loaded machine may go out after its slot


def corpus(store):
    return sorted((d.url, d.content_hash, d.date, d.parties) for d in store.iter_documents())


def single_worker_crawl(site, data_dir):
    store = SQLiteStore(data_dir / "corpus.sqlite3")
    profile = load_profiles()["kremlin"].with_base_url(site.url).with_start((START,))
    with WarcArchive(data_dir) as archive:
        fetcher = Fetcher("treatysearch-test", delay=0, timeout=10)
        assert Crawler(profile, store, fetcher, archive, CrawlOptions(language="en", take_all=True)).run().finished
    return store


def worker(site, data_dir):
    command = [sys.executable, "-m", "treatysearch", "--data-dir", str(data_dir), "--database", DATABASE_URL]
    command += ["crawl", "kremlin", "--base-url", site.url, "--start", START, "--lang", "en", "--all"]
    command += ["--delay", str(DELAY), "--quiet"]
    # A lease no loaded machine runs out of: the killed worker's URL is taken over because its process is gone.
    env = {**os.environ, "TREATYSEARCH_CRAWL_LEASE": "600"}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)


def leased_by(pid):
    with psycopg.connect(DATABASE_URL) as con:
        row = con.execute(
            "SELECT url FROM frontier WHERE state = 'pending' AND leased_by = %s", (f"{socket.gethostname()}:{pid}",)
        ).fetchone()
        return row[0] if row else None


def held_when_stopped(process):
    """The URL a worker holds, stopped (so it holds it until killed); None, and running on, when it holds none."""
    process.send_signal(signal.SIGSTOP)
    url = leased_by(process.pid)
    if url is None:
        process.send_signal(signal.SIGCONT)
    return url


def state_of(url):
    with psycopg.connect(DATABASE_URL) as con:
        return con.execute("SELECT state FROM frontier WHERE url = %s", (url,)).fetchone()[0]


def burst(times):
    """For each request, how much sooner it came than the host's rate allows after some earlier request (by the
    rate, the k requests after one take k delays)."""
    latest = -float("inf")  # the largest times[i] - i * DELAY of the requests before
    for n, at in enumerate(times):
        yield max(0.0, latest - (at - n * DELAY))
        latest = max(latest, at - n * DELAY)


def test_three_workers_one_killed_give_the_single_worker_corpus_at_the_hosts_rate(mirror, tmp_path):
    store = empty_postgres_store()
    with Site(kremlin_routes(mirror, last_page=45, first_day="2100-01-01")) as site:
        single = single_worker_crawl(site, tmp_path / "single")
        start = len(site.log)
        workers = [worker(site, tmp_path / f"worker{n}") for n in range(3)]
        killed_url = None
        while killed_url is None and workers[0].poll() is None:  # kill worker 0 while it holds a URL
            time.sleep(0.02)
            if store.stats().documents >= 10:
                killed_url = held_when_stopped(workers[0])
        assert killed_url, "worker 0 ended before it held a lease after 10 documents"
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait()  # reaped: its process is gone, as a killed crawl's is
        workers[0].stdout.close()
        outputs = [w.communicate(timeout=600)[0] for w in workers[1:]]
        log = site.log[start:]
    try:
        assert [w.returncode for w in workers[1:]] == [0, 0]
        assert all(int(out.split(" fetched")[0].split()[-1]) > 0 for out in outputs)  # both did a share
        assert sum(" 1 released" in out for out in outputs) == 1  # one saw the killed worker gone, took its URL
        assert corpus(store) == corpus(single) and len(corpus(single)) >= 40
        assert state_of(killed_url) != "pending"  # another worker saw its holder gone and took the URL
        with psycopg.connect(DATABASE_URL) as con:
            assert con.execute("SELECT count(*) FROM frontier WHERE state = 'pending'").fetchone()[0] == 0
        articles = [r.path for r in log if r.path.rsplit("/", 1)[-1].isdigit() and "/page/" not in r.path]
        assert len(articles) - len(set(articles)) <= 1  # at most the killed worker's URL was fetched twice
        # The host's rate held across the three workers: each request has its own slot a delay after the one
        # before, and none goes out before its slot, so the k requests after any request take (k - 1) delays
        # at least; a loaded machine may send a request late, and its successor on time, by up to LATE.
        assert max(burst(sorted(r.at for r in log))) <= LATE
    finally:
        store.close()
        single.close()
