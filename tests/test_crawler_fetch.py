"""The polite fetcher against local sites: robots.txt, delays, retries, conditional requests, limits."""

import itertools
import random

from crawler.fetch import Fetcher, backoff, parse_robots, retry_after
from tests.site import Reply, Site


def make_site(pages: dict[str, Reply]) -> Site:
    return Site(lambda path, site: pages.get(path))


def recorder():
    waits = []
    return waits, waits.append


def test_robots_txt_is_obeyed_and_its_crawl_delay_kept():
    robots = Reply(body=b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.3\n", content_type="text/plain")
    with make_site({"/robots.txt": robots, "/a": Reply(body=b"a"), "/b": Reply(body=b"b")}) as site:
        fetcher = Fetcher("treatysearch-test/1.0", delay=0)
        assert fetcher.fetch(site.url + "/private/x").error == "disallowed by robots.txt"
        assert fetcher.fetch(site.url + "/a").ok and fetcher.fetch(site.url + "/b").ok
        assert "/private/x" not in site.paths()
        times = [r.at for r in site.log if r.path in ("/a", "/b")]
        assert times[1] - times[0] >= 0.29  # a new connection may reach the server a little later than a reused one
        assert {r.headers["user-agent"] for r in site.log} == {"treatysearch-test/1.0"}


def test_one_request_at_a_time_per_host_with_the_configured_delay():
    with make_site({"/x": Reply(body=b"x")}) as site:
        fetcher = Fetcher("t", delay=0.2)
        for _ in range(3):
            fetcher.fetch(site.url + "/x")
        times = [r.at for r in site.log if r.path == "/x"]
        assert all(b - a >= 0.19 for a, b in itertools.pairwise(times))


def test_retry_after_is_honoured_on_429_and_503():
    calls = {"n": 0}

    def routes(path, site):
        if path != "/busy":
            return None
        calls["n"] += 1
        return Reply(429, b"", headers={"Retry-After": "7"}) if calls["n"] == 1 else Reply(body=b"ok")

    waits, sleep = recorder()
    with Site(routes) as site:
        response = Fetcher("t", delay=0, sleep=sleep).fetch(site.url + "/busy")
    assert response.ok and response.tries == 2 and 7.0 in waits


def test_server_errors_are_retried_with_bounded_exponential_backoff():
    waits, sleep = recorder()
    with make_site({"/down": Reply(500, b"no")}) as site:
        response = Fetcher("t", delay=0, tries=4, backoff_base=1.0, sleep=sleep, rng=random.Random(1)).fetch(
            site.url + "/down"
        )
        assert site.paths().count("/down") == 4
    assert response.error == "HTTP 500 Internal Server Error" and response.tries == 4
    assert len(waits) == 3 and all(1.0 <= w <= 2**n for n, w in enumerate(waits, start=1))


def test_a_long_retry_after_is_not_waited_for():
    waits, sleep = recorder()
    with make_site({"/later": Reply(503, b"", headers={"Retry-After": "86400"})}) as site:
        response = Fetcher("t", delay=0, sleep=sleep).fetch(site.url + "/later")
    assert "retry after 86400 s" in response.error and 86400 not in waits


def test_conditional_get_returns_not_modified():
    with make_site({"/page": Reply(body=b"<html>same</html>")}) as site:
        fetcher = Fetcher("t", delay=0)
        first = fetcher.fetch(site.url + "/page")
        again = fetcher.fetch(
            site.url + "/page", etag=first.headers["etag"], last_modified=first.headers["last-modified"]
        )
        assert again.not_modified and not again.body
        assert site.log[-1].headers["if-none-match"] == first.headers["etag"]


def test_size_cap_redirect_loop_timeout_and_dead_host():
    routes = {
        "/big": Reply(body=b"x" * 5000),
        "/loop": Reply(302, headers={"Location": "/loop"}),
        "/slow": Reply(body=b"late", delay=1.5),
    }
    with make_site(routes) as site:
        fetcher = Fetcher("t", delay=0, max_bytes=1000, timeout=0.5, tries=1)
        big = fetcher.fetch(site.url + "/big")
        assert "larger than 1000 bytes" in big.error and len(big.body) == 1000
        assert fetcher.fetch(site.url + "/loop").error == "redirect loop (too many redirects)"
        assert fetcher.fetch(site.url + "/slow").error == "network: timed out after 0.5 s"
    dead = Fetcher("t", delay=0, tries=2, sleep=lambda s: None).fetch("http://127.0.0.1:9/nothing")
    assert dead.error.startswith("network: cannot connect") and dead.tries == 2


def test_pure_helpers():
    robots = parse_robots("User-agent: *\nDisallow: /search\nCrawl-delay: 2\n")
    assert not robots.can_fetch("x", "http://h/search?q=1") and robots.can_fetch("x", "http://h/news")
    assert robots.crawl_delay("x") == 2
    assert retry_after("120", 0) == 120.0
    assert retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40.0) == 60.0
    assert retry_after("soon", 0) is None
    rng = random.Random(0)
    assert all(2.0 <= backoff(3, 2.0, rng) <= 16.0 for _ in range(100))


def test_shared_pacing_books_each_request_and_waits_what_it_is_told():
    booked, (waits, sleep) = [], recorder()

    def pace(host, interval):
        booked.append((host, interval))
        return 0.5 * (len(booked) - 1)  # as if other workers had booked the slots before

    with make_site({"/x": Reply(body=b"x")}) as site:
        fetcher = Fetcher("t", delay=0.2, sleep=sleep, pace=pace)
        fetcher.fetch(site.url + "/x")
        fetcher.fetch(site.url + "/x")
    host = site.url.split("//")[1]
    assert booked == [(host, 0.2)] * 3  # robots.txt, then the page twice: every request booked
    assert waits == [0.0, 0.5, 1.0]


MIDRU_STYLE_ROBOTS = """
User-agent: Yandex
Disallow: /

User-agent: *
Disallow: /*?PAGEN_1=
Disallow: /*print=Y$
Disallow: /ru/search/
Allow: /ru/search/help$
Crawl-delay: 0.5
Sitemap: https://mid.ru/sitemap.xml
"""


def test_robots_txt_wildcards_end_anchors_and_longest_match_as_rfc_9309_reads_them():
    robots = parse_robots(MIDRU_STYLE_ROBOTS)
    agent = "treatysearch/0.1 (+https://github.com/treatysearch; research crawler)"
    assert not robots.can_fetch(agent, "https://mid.ru/ru/foreign_policy/news/?PAGEN_1=2")
    assert robots.can_fetch(agent, "https://mid.ru/ru/foreign_policy/news/")
    assert not robots.can_fetch(agent, "https://mid.ru/ru/foreign_policy/news/1803158/?print=Y")
    assert robots.can_fetch(agent, "https://mid.ru/ru/foreign_policy/news/1803158/?print=Y&x=1")  # $ ends the rule
    assert not robots.can_fetch(agent, "https://mid.ru/ru/search/?q=x")
    assert robots.can_fetch(agent, "https://mid.ru/ru/search/help")  # the longer Allow wins
    assert not robots.can_fetch("Yandex", "https://mid.ru/ru/foreign_policy/news/")
    assert robots.crawl_delay(agent) == 0.5 and robots.sitemaps == ["https://mid.ru/sitemap.xml"]


def test_a_wildcard_rule_keeps_the_fetcher_off_paged_listings():
    robots = Reply(body=b"User-agent: *\nDisallow: /*?PAGEN_1=\n", content_type="text/plain")
    with Site(lambda path, site: robots if path == "/robots.txt" else Reply(body=b"x")) as site:
        fetcher = Fetcher("treatysearch-test", delay=0)
        assert fetcher.fetch(site.url + "/ru/news/?PAGEN_1=2").error == "disallowed by robots.txt"
        assert fetcher.fetch(site.url + "/ru/news/").ok
    assert site.paths() == ["/robots.txt", "/ru/news/"]
