"""Crawls of local sites: mid.ru and aggregator fixtures, a site that fails in every way, JavaScript pages."""

import dataclasses

import pytest

from corpus.sqlite_store import SQLiteStore
from crawler.archive import WarcArchive
from crawler.crawl import Crawler, CrawlOptions, crawl_key
from crawler.fetch import Fetcher, Response
from crawler.profiles import Language, load_profiles
from tests.site import FAULTS, FIXTURES, Reply, Site, aggregator_routes, article, faults_routes, midru_routes
from webui.captures import read_capture

PROFILES = load_profiles()


def crawl(profile, store, data_dir, **options):
    fetcher = Fetcher("treatysearch-test", delay=0, timeout=2, tries=3, backoff_base=0.05)
    with WarcArchive(data_dir) as archive:
        return Crawler(profile, store, fetcher, archive, CrawlOptions(**options)).run()


def test_midru_crawl_reads_feeds_first_pages_on_and_links_translations(store, tmp_path):
    with Site(midru_routes()) as mid:
        report = crawl(PROFILES["mid"].with_base_url(mid.url), store, tmp_path)
        paths = mid.paths()
    assert report.finished and report.errors == []
    assert paths.index("/ru/rss.php") < paths.index("/ru/foreign_policy/news/")
    assert "/ru/foreign_policy/news/?PAGEN_1=2" in paths
    assert "/ru/foreign_policy/news/1803100/" not in paths  # a telephone call is not a document type we take
    docs = {d.url.removeprefix(mid.url): d for d in store.iter_documents()}
    assert set(docs) == {  # canonical URLs (corpus/urls.py): no trailing slash
        "/ru/foreign_policy/news/1803158",
        "/en/foreign_policy/news/1803158",
        "/ru/foreign_policy/news/1803050",
        "/ru/foreign_policy/news/1760000",
    }
    ru = docs["/ru/foreign_policy/news/1803158"]
    assert [t.language for t in store.translations(ru.id)] == ["en"]
    assert docs["/ru/foreign_policy/news/1760000"].title.startswith("Меморандум")  # cp1251, no declared charset
    content_type, body = read_capture(tmp_path, ru.capture)
    assert content_type.startswith("text/html") and "photo-content__title" in body.decode("utf-8")
    assert report.counts["new"] == 4 and paths.count("/ru/foreign_policy/news/1803158/") == 1


def test_second_crawl_sends_only_conditional_requests_and_fetches_no_article(store, tmp_path):
    with Site(midru_routes()) as mid:
        profile = PROFILES["mid"].with_base_url(mid.url)
        crawl(profile, store, tmp_path)
        before = len(mid.log)
        report = crawl(profile, store, tmp_path)
        again = mid.log[before:]
    fetched = [r for r in again if r.path != "/robots.txt"]
    assert {r.path for r in fetched} == {
        "/ru/rss.php",
        "/en/foreign_policy/news/rss/",
        "/ru/foreign_policy/news/",
        "/en/foreign_policy/news/",
    }
    assert all("if-none-match" in r.headers and "if-modified-since" in r.headers for r in fetched)
    assert report.counts["not_modified"] == 4 and report.counts["new"] == 0


def test_a_changed_text_becomes_a_revision_and_an_unchanged_one_only_updates_last_seen(store, tmp_path):
    text = {"body": "<p>The Sides agree on cooperation in trade.</p>"}

    def routes(path, site):
        if path == "/en/foreign_policy/news/":
            return Reply(
                body=b'<ul><li class="announce__item"><a class="announce__link" '
                b'href="/en/foreign_policy/news/2000001/">Joint statement of Russia and Kyrgyzstan</a>'
                b"</li></ul>"
            )
        if path == "/en/foreign_policy/news/2000001/":
            return Reply(body=article("Joint statement of Russia and Kyrgyzstan", text["body"]).encode())
        return None

    with Site(routes) as site:
        profile = dataclasses.replace(
            PROFILES["mid"], languages={"en": Language("en", site.url, ("/en/foreign_policy/news/",))}
        )
        crawl(profile, store, tmp_path)
        (doc,) = store.iter_documents()
        assert crawl(profile, store, tmp_path, revisit=True).counts["not_modified"] >= 1  # nothing new: 304s
        text["body"] += "<p>They also agree on energy.</p>"
        report = crawl(profile, store, tmp_path, revisit=True)
    assert report.counts["changed"] == 1
    changed = store.get(doc.id)
    assert changed.revision == 2 and "energy" in changed.text and store.revisions(doc.id)[0].text == doc.text
    assert changed.first_seen == doc.first_seen


def test_an_aggregator_copy_of_a_crawled_original_is_another_location(store, tmp_path):
    with Site(midru_routes()) as mid, Site(aggregator_routes(mid.url)) as agg:
        crawl(PROFILES["mid"].with_base_url(mid.url), store, tmp_path)
        count = store.stats().documents
        report = crawl(PROFILES["aggregator"].with_base_url(agg.url), store, tmp_path)
        original = store.find_by_url(mid.url + "/en/foreign_policy/news/1803158")
        copy_url = agg.url + "/2024/04/24/joint-statement-russia-kyrgyzstan"
        assert report.counts["duplicate"] == 1 and store.stats().documents == count
        assert [loc.url for loc in store.locations(original.id)] == [copy_url]
        assert "/2024/04/23/weather-in-bishkek/" not in agg.paths()


def test_every_failure_is_reported_with_its_reason_and_the_crawl_goes_on(store, tmp_path):
    """Permanent failures are recorded and left; transient ones (5xx, timeouts, cut bodies, bot checks) wait."""
    with Site(faults_routes(slow_seconds=3)) as site:
        mid = PROFILES["mid"]
        profile = dataclasses.replace(
            mid,
            languages={"ru": Language("ru", site.url, ("/ru/foreign_policy/news/",))},
            article={**mid.article, "url_pattern": r"/ru/foreign_policy/news/\w+/$"},
        )
        report = crawl(profile, store, tmp_path)
    errors = {e.split("/news/")[1].split("/")[0]: e.split(": ", 1)[1] for e in report.errors}
    later = "; tried again in a later run"
    assert not report.finished and report.status == "incomplete" and report.waiting == 4
    assert errors == {
        "gone404": "HTTP 404 Not Found",
        "gone410": "HTTP 410 Gone",
        "error500": "HTTP 500 Internal Server Error" + later,
        "truncated": errors["truncated"],
        "loop": "redirect loop (too many redirects)",
        "pdf": "not an HTML page (Content-Type application/pdf)",
        "nodate": "no date found; stored without a date",
        "nobody": "no body text found",
        "antibot": errors["antibot"],
        "slow": "network: timed out after 2 s" + later,
    }
    assert errors["truncated"].startswith("network: the body was cut short") and errors["truncated"].endswith(later)
    assert errors["antibot"].startswith("anti-bot page") and errors["antibot"].endswith(later)
    stored = {d.url.rsplit("/", 1)[1]: d for d in store.iter_documents()}
    assert set(stored) == {"ok", "flaky503", "busy429", "cp1251", "wrongcharset", "nodate"}
    assert stored["cp1251"].title == stored["wrongcharset"].title == "Совместное заявление России и Киргизии"
    assert stored["nodate"].date is None
    assert report.counts["disallowed"] == 1 and report.counts["anti_bot"] == 1
    assert set(FAULTS) == set(errors) | set(stored) | {"private", "flaky503", "busy429", "ok"}


def test_max_pages_stops_and_the_next_run_resumes_without_loss_or_duplicates(tmp_path):
    with Site(midru_routes()) as mid:
        profile = PROFILES["mid"].with_base_url(mid.url)
        whole = SQLiteStore(tmp_path / "whole.sqlite3")
        crawl(profile, whole, tmp_path)
        parts = SQLiteStore(tmp_path / "parts.sqlite3")
        runs = []
        while True:
            report = crawl(profile, parts, tmp_path, max_pages=3)
            runs.append(report.counts["fetched"])
            if report.finished:
                break
    assert len(runs) > 2 and report.counts["resumed"] > 0
    assert sorted(parts.ids()) == sorted(whole.ids())


def test_browser_fetch_mode_renders_pages_that_need_javascript(store, tmp_path):
    pytest.importorskip("playwright")
    import os

    from crawler.browser import CHROMIUM

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from crawler.browser import BrowserFetcher

    script = (
        "<html><head><meta charset='utf-8'><script src='/render.js'></script></head><body>"
        "<div class='photo-content'><h1 class='photo-content__title'>Loading…</h1>"
        "<div class='photo-content__date'>7 May 2024</div>"
        "<div class='text article-content'></div></div></body></html>"
    )
    render = (
        b"document.addEventListener('DOMContentLoaded', function () {"
        b"document.querySelector('h1').textContent = 'Joint statement of Russia and Kyrgyzstan';"
        b"document.querySelector('.article-content').innerHTML = "
        b"'<p>The Sides agree on cooperation in culture.</p><p>They will meet in Bishkek.</p>'; });"
    )
    listing = (
        b'<ul><li class="announce__item"><a class="announce__link" href="/en/foreign_policy/news/3000001/">'
        b"Joint statement of Russia and Kyrgyzstan</a></li></ul>"
    )
    pages = {
        "/en/foreign_policy/news/": Reply(body=listing),
        "/en/foreign_policy/news/3000001/": Reply(body=script.encode()),
        "/render.js": Reply(body=render, content_type="application/javascript"),
    }
    with Site(lambda path, site: pages.get(path)) as site:
        profile = dataclasses.replace(
            PROFILES["mid"], fetch="browser", languages={"en": Language("en", site.url, ("/en/foreign_policy/news/",))}
        )
        fetcher = Fetcher("treatysearch-test", delay=0)
        browser = BrowserFetcher("treatysearch-test")
        try:
            with WarcArchive(tmp_path) as archive:
                report = Crawler(profile, store, fetcher, archive, browser=browser).run()
        finally:
            browser.close()
    (doc,) = store.iter_documents()
    assert report.errors == [] and doc.title == "Joint statement of Russia and Kyrgyzstan"
    assert [c.text for c in doc.clauses] == ["The Sides agree on cooperation in culture.", "They will meet in Bishkek."]


def test_since_skips_older_documents_and_stops_paging(store, tmp_path):
    import datetime as dt

    with Site(midru_routes()) as mid:
        report = crawl(PROFILES["mid"].with_base_url(mid.url), store, tmp_path, since=dt.date(2022, 3, 4))
        paths = mid.paths()
    assert {d.url.removeprefix(mid.url) for d in store.iter_documents()} == {
        "/ru/foreign_policy/news/1803158",
        "/en/foreign_policy/news/1803158",
    }
    assert "/ru/foreign_policy/news/1803050/" not in paths and "/ru/foreign_policy/news/1760000/" not in paths
    assert "/ru/foreign_policy/news/?PAGEN_1=3" not in paths  # page 2 holds only older items
    assert report.counts["deferred"] >= 2  # older than --since: left for a later crawl without it


def test_dead_workers_are_this_machines_gone_processes_only():
    import socket
    import subprocess
    import sys

    from crawler.crawl import dead_workers

    here = socket.gethostname()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        workers = {f"{here}:{gone.pid}", f"{here}:{alive.pid}", f"elsewhere:{gone.pid}", "odd"}
        assert dead_workers(workers) == {f"{here}:{gone.pid}"}
    finally:
        alive.kill()
        alive.wait()


def one_language(profile, site, start="/en/foreign_policy/news/", feeds=()):
    return dataclasses.replace(profile, languages={"en": Language("en", site.url, (start,), feeds)})


JOINT = article("Joint statement of Russia and Kyrgyzstan", "<p>The Sides agree on cooperation.</p><p>Done.</p>")
LISTING = (
    b'<ul><li class="announce__item"><a class="announce__link" href="/en/foreign_policy/news/2000002/">'
    b"Joint statement of Russia and Kyrgyzstan</a></li></ul>"
)


def test_a_transient_failure_waits_for_later_runs_with_growing_delays_then_is_given_up(store, tmp_path):
    pages = {"/en/foreign_policy/news/": Reply(body=LISTING), "/en/foreign_policy/news/2000002/": Reply(503, b"busy")}
    with Site(lambda path, site: pages.get(path)) as site:
        profile = one_language(PROFILES["mid"], site)
        key = crawl_key(profile, None)
        gaps, reports = [], []
        for _ in range(3):
            reports.append(crawl(profile, store, tmp_path, retry_delay=0.2, retry_runs=3))
            row = store._con.execute("SELECT * FROM frontier WHERE kind = 'article'").fetchone()
            state, tries = row["state"], row["tries"]
            gaps.append(round(row["next_at"] - row["failed_at"], 1))
        tried = site.paths().count("/en/foreign_policy/news/2000002/")
    assert [r.status for r in reports] == ["incomplete", "incomplete", "partial"]
    assert gaps[:2] == [0.2, 0.4] and state == "failed" and tries == 2  # the delay doubled; the third run gave up
    assert reports[2].errors == [
        f"{site.url}/en/foreign_policy/news/2000002/: HTTP 503 Service Unavailable (given up after 3 runs)"
    ]
    assert tried == 3 * 3  # one run = the fetcher's three tries, once
    assert store.frontier_counts(key) == {"done": 1, "failed": 1}


def test_a_url_waiting_for_its_retry_never_keeps_a_crawl_from_what_is_new(store, tmp_path):
    newer = LISTING.replace(
        b"</ul>",
        b'<li class="announce__item"><a class="announce__link" '
        b'href="/en/foreign_policy/news/2000009/">Joint declaration of Russia and China</a></li></ul>',
    )
    pages = {
        "/en/foreign_policy/news/": Reply(body=LISTING),
        "/en/foreign_policy/news/2000002/": Reply(503, b"busy"),
        "/en/foreign_policy/news/2000009/": Reply(body=JOINT.replace("Kyrgyzstan", "China").encode()),
    }
    with Site(lambda path, site: pages.get(path)) as site:
        profile = one_language(PROFILES["mid"], site)
        crawl(profile, store, tmp_path, retry_delay=3600)
        pages["/en/foreign_policy/news/"] = Reply(body=newer)
        before = len(site.log)
        report = crawl(profile, store, tmp_path, retry_delay=3600)
        paths = [p for p in site.paths()[before:] if p != "/robots.txt"]
    assert paths == ["/en/foreign_policy/news/", "/en/foreign_policy/news/2000009/"]  # the waiting one is not due
    assert report.status == "incomplete" and report.waiting == 1 and report.counts["new"] == 1


ANTI_BOT = b"<html><body><p>Data processing... Please, wait.</p><script>location.reload()</script></body></html>"


def feed_site(feed_reply):
    feed = (FIXTURES / "midru" / "rss_en.xml").read_text("utf-8")

    def routes(path, site):
        if path == "/en/rss/":
            return feed_reply
        if path == "/en/foreign_policy/news/":
            return Reply(body=b"<ul></ul>")  # the start page lists nothing yet
        if path.startswith("/en/foreign_policy/news/"):
            return Reply(body=(FIXTURES / "midru" / "article_1803158_en.html").read_bytes())
        return None

    return Site(routes), feed


def test_a_bot_check_in_place_of_the_feed_is_reported_and_the_browser_fallback_reads_the_feed(store, tmp_path):
    site, feed = feed_site(Reply(body=ANTI_BOT))
    with site:
        profile = dataclasses.replace(one_language(PROFILES["mid"], site, feeds=("/en/rss/",)), browser_fallback=())
        report = crawl(profile, store, tmp_path, retry_delay=0)
        assert report.counts["anti_bot"] == 1 and report.status == "incomplete"
        assert any("anti-bot page instead of the feed" in e for e in report.errors)
        assert store.stats().documents == 0  # not read as an empty feed and forgotten: it waits for a retry
        rendered = []

        def browser(url):
            rendered.append(url)
            body = feed.replace("{MID}", site.url).encode()
            return Response(url, url, 200, {"content-type": "application/rss+xml"}, body)

        profile = dataclasses.replace(profile, browser_fallback=("feed",))
        with WarcArchive(tmp_path) as archive:
            fetcher = Fetcher("treatysearch-test", delay=0, timeout=2, tries=1)
            again = Crawler(profile, store, fetcher, archive, CrawlOptions(retry_delay=0), browser=browser).run()
    assert rendered == [site.url + "/en/rss/"] and again.counts["browser_fallback"] == 1
    assert again.status == "ok" and store.stats().documents == 1


def test_sitemaps_named_in_robots_txt_are_read_after_the_listings(store, tmp_path):
    index = "<sitemapindex><sitemap><loc>{u}/sitemap-news.xml</loc></sitemap></sitemapindex>"
    urlset = (
        "<urlset><url><loc>{u}/en/foreign_policy/news/2000003/</loc><lastmod>2022-03-05</lastmod></url>"
        "<url><loc>{u}/en/about/</loc></url><url><loc>https://elsewhere.example/en/x/2000004/</loc></url></urlset>"
    )

    def routes(path, site):
        texts = {
            "/robots.txt": (f"User-agent: *\nSitemap: {site.url}/sitemap.xml\n", "text/plain"),
            "/sitemap.xml": (index.format(u=site.url), "application/xml"),
            "/sitemap-news.xml": (urlset.format(u=site.url), "application/xml"),
            "/en/foreign_policy/news/": (LISTING.decode(), "text/html"),
        }
        if path in texts:
            return Reply(body=texts[path][0].encode(), content_type=texts[path][1])
        if path.startswith("/en/foreign_policy/news/200000"):
            return Reply(body=JOINT.replace("Kyrgyzstan", "Kyrgyzstan " + path[-8:-1]).encode())
        return None

    with Site(routes) as site:
        report = crawl(one_language(PROFILES["mid"], site), store, tmp_path)
        paths = site.paths()
    assert paths.index("/en/foreign_policy/news/2000002/") < paths.index("/sitemap.xml")  # listings first
    assert {d.url.removeprefix(site.url) for d in store.iter_documents()} == {
        "/en/foreign_policy/news/2000002",
        "/en/foreign_policy/news/2000003",
    }
    assert report.status == "ok" and "/en/about/" not in paths


def test_a_bot_check_in_front_of_a_listing_is_passed_in_the_browser_when_the_profile_falls_back_to_it(store, tmp_path):
    pytest.importorskip("playwright")
    import os

    from crawler.browser import CHROMIUM, BrowserFetcher

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    check = (
        b"<html><body><p>Data processing... Please, wait.</p>"
        b"<script>document.cookie = 'checked=1; path=/'; location.reload();</script></body></html>"
    )

    def routes(path, site):
        if path == "/en/foreign_policy/news/":
            passed = "checked=1" in site.log[-1].headers.get("cookie", "")
            return Reply(body=LISTING if passed else check)
        if path == "/en/foreign_policy/news/2000002/":
            return Reply(body=JOINT.encode())
        return None

    with Site(routes) as site:
        profile = dataclasses.replace(one_language(PROFILES["mid"], site), browser_fallback=("listing",))
        browser = BrowserFetcher("treatysearch-test")
        try:
            with WarcArchive(tmp_path) as archive:
                fetcher = Fetcher("treatysearch-test", delay=0)
                report = Crawler(profile, store, fetcher, archive, browser=browser).run()
        finally:
            browser.close()
    assert report.counts["browser_fallback"] == 1 and report.status == "ok", report
    assert [d.title for d in store.iter_documents()] == ["Joint statement of Russia and Kyrgyzstan"]


def test_a_filtered_recrawl_stops_at_the_first_listing_page_with_nothing_new(store, tmp_path):
    def listing(*items):
        lis = "".join(
            f'<li class="announce__item"><a class="announce__link" href="/en/foreign_policy/news/{n}/">{t}</a></li>'
            for n, t in items
        )
        return f'<ul>{lis}</ul><a class="pagination__next" href="?PAGEN_1=2">next</a><p>{{stamp}}</p>'

    pages = {
        "/en/foreign_policy/news/": listing(
            (2000011, "Joint statement of Russia and Kyrgyzstan"), (2000012, "Telephone call")
        ),
        "/en/foreign_policy/news/?PAGEN_1=2": listing((2000013, "Joint declaration of Russia and China")),
    }

    def routes(path, site):
        if path in pages:  # a page that changes with every request (a clock on it): never answered 304
            return Reply(body=pages[path].replace("{stamp}", str(len(site.log))).encode())
        if path.startswith("/en/foreign_policy/news/20000"):
            return Reply(body=JOINT.replace("Kyrgyzstan", path[-8:-1]).encode())
        return None

    with Site(routes) as site:
        profile = dataclasses.replace(
            one_language(PROFILES["mid"], site), listing={**PROFILES["mid"].listing, "pager": ""}
        )
        first = crawl(profile, store, tmp_path)
        before = len(site.log)
        again = crawl(profile, store, tmp_path)
        paths = [p for p in site.paths()[before:] if p != "/robots.txt"]
    assert first.counts["new"] == 2 and first.counts["skipped"] == 1
    assert "/en/foreign_policy/news/2000012/" not in site.paths()  # a telephone call: not a type this profile takes
    assert paths == ["/en/foreign_policy/news/"] and again.counts["known"] == 2
