"""The crawl loop: a persistent frontier in the store, listing pages, feeds and articles, resumable."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import feedparser

from corpus.metadata import parse_date
from corpus.store import FrontierItem, Store
from crawler.archive import WarcArchive
from crawler.extract import (
    AntiBotPage,
    ExtractionError,
    Listing,
    ListingItem,
    decode_html,
    extract_article,
    is_anti_bot,
    page_url,
    parse_listing,
)
from crawler.fetch import Fetcher, Response
from crawler.profiles import Profile

HTML_TYPES = ("text/html", "application/xhtml+xml", "")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


@dataclass(frozen=True)
class CrawlOptions:
    language: str | None = None
    max_pages: int | None = None  # fetches in this run; the rest waits for the next run
    since: dt.date | None = None
    take_all: bool = False  # every article, not only the document types the profile selects
    revisit: bool = False  # fetch known articles again (conditionally) to find changed texts
    lease: float = 300.0  # seconds a worker holds a URL; a killed worker's URLs go to others after this


@dataclass
class CrawlReport:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    finished: bool = False

    def fail(self, url: str, reason: str) -> None:
        self.counts["failed"] += 1
        self.errors.append(f"{url}: {reason}")


def crawl_key(profile: Profile, language: str | None) -> str:
    bases = ",".join(sorted({lang.base_url for lang in profile.languages.values()}))
    return f"{profile.name}|{bases}|{language or '*'}"


def dead_workers(workers: set[str]) -> set[str]:
    """The workers of this machine ("host:pid") whose process is gone; others' leases expire on their own."""
    here, dead = socket.gethostname(), set()
    for worker in workers:
        host, _, pid = worker.rpartition(":")
        if host != here or not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            dead.add(worker)
        except PermissionError:
            continue  # alive, another user's
    return dead


class Crawler:
    """Runs one crawl of one profile. The crawl loop knows nothing of storage beyond the store interface."""

    def __init__(
        self,
        profile: Profile,
        store: Store,
        fetcher: Fetcher,
        archive: WarcArchive,
        options: CrawlOptions | None = None,
        progress: Callable[[str], None] | None = None,
        browser: Callable[[str], Response] | None = None,
    ) -> None:
        self.profile = profile
        self.store = store
        self.fetcher = fetcher
        self.archive = archive
        self.options = options or CrawlOptions()
        self.progress = progress
        self.browser = browser  # fetch mode "browser": a function that renders a page in Chromium
        self.key = crawl_key(profile, self.options.language)
        self.worker = f"{socket.gethostname()}:{os.getpid()}"  # who holds a lease, for people reading the frontier
        self.report = CrawlReport()

    def run(self) -> CrawlReport:
        """Resume the unfinished crawl of this source (or join the workers on it), or start a new pass;
        stop at max_pages or when no URL is left."""
        pending = self.store.begin_crawl(self.key, self.seeds())
        if pending:
            self.report.counts["resumed"] = pending
            released = self.store.release_leases(self.key, dead_workers(self.store.lease_holders(self.key)))
            if released:
                self.report.counts["released"] = released  # a killed crawl on this machine: no need to wait
        fetched = 0
        while self.options.max_pages is None or fetched < self.options.max_pages:
            item = self.store.lease_next(self.key, time.time(), self.options.lease, self.worker)
            if item is None:
                waiting, earliest = self.store.pending_count(self.key)
                if not waiting:
                    self.report.finished = True
                    break
                time.sleep(max(0.05, min(5.0, (earliest or 0) - time.time())))
                continue
            self.visit(item)
            fetched += 1
        return self.report

    def seeds(self) -> list[FrontierItem]:
        feeds = [FrontierItem(url, "feed", lang) for url, lang in self.profile.feed_urls(self.options.language)]
        starts = [FrontierItem(url, "listing", lang) for url, lang in self.profile.start_urls(self.options.language)]
        return feeds + starts

    # one URL

    def visit(self, item: FrontierItem) -> None:
        etag, modified = self.store.validators(item.url) if self._conditional(item) else ("", "")
        response = self._fetch(item, etag, modified)
        self.report.counts["fetched"] += 1
        if self.progress:
            self.progress(item.url)
        capture = self._archive(response, item)
        if response.not_modified:
            self.report.counts["not_modified"] += 1
            self.store.finish_url(self.key, item.url, "done")
            return
        if not response.ok:
            if item.kind == "listing" and item.depth > 0 and response.status in (404, 410):
                self.report.counts["listing_end"] += 1  # paging past the last page ends the listing
                self.store.finish_url(self.key, item.url, "done")
                return
            self._failed(item, response)
            return
        self.store.remember_fetch(
            item.url,
            response.status,
            response.headers.get("etag", ""),
            response.headers.get("last-modified", ""),
            capture,
        )
        handler = {"feed": self._feed, "listing": self._listing, "article": self._article}[item.kind]
        try:
            handler(item, response, capture)
        except AntiBotPage as exc:
            self.report.counts["anti_bot"] += 1
            self._give_up(item, f"anti-bot page: {exc}")
        except ExtractionError as exc:
            self._give_up(item, str(exc))

    def _conditional(self, item: FrontierItem) -> bool:
        """Listing pages and feeds are asked conditionally; in a revisit, the articles are instead."""
        return (item.kind == "article") == self.options.revisit

    def _fetch(self, item: FrontierItem, etag: str, modified: str) -> Response:
        if self.profile.fetch == "browser" and self.browser is not None and item.kind == "article":
            if not self.fetcher.allowed(item.url):
                return Response(item.url, error="disallowed by robots.txt")
            return self.browser(item.url)
        return self.fetcher.fetch(item.url, etag, modified)

    def _archive(self, response: Response, item: FrontierItem) -> str:
        return self.archive.write(response) if response.status else ""

    def _failed(self, item: FrontierItem, response: Response) -> None:
        if response.error == "disallowed by robots.txt":
            self.report.counts["disallowed"] += 1
            self.store.finish_url(self.key, item.url, "failed", response.error)
            return
        self._give_up(item, response.error or f"HTTP {response.status}")

    def _give_up(self, item: FrontierItem, reason: str) -> None:
        self.report.fail(item.url, reason)
        self.store.finish_url(self.key, item.url, "failed", reason)

    # kinds of page

    def _html(self, response: Response) -> str:
        if response.content_type not in HTML_TYPES:
            raise ExtractionError(f"not an HTML page (Content-Type {response.content_type})")
        return decode_html(response.body, response.charset)

    def _listing(self, item: FrontierItem, response: Response, capture: str) -> None:
        html = self._html(response)
        if is_anti_bot(html):
            raise AntiBotPage("bot-check page instead of the listing")
        listing = parse_listing(html, response.final_url or item.url, self.profile)
        new = self._take(item, listing.items)
        next_url = listing.next_url or self._template_next(item)
        if next_url and new and not self._older_than_since(listing):
            self.store.enqueue(
                self.key, [FrontierItem(next_url, "listing", item.language, item.depth + 1)], requeue=True
            )
        self.store.finish_url(self.key, item.url, "done")

    def _template_next(self, item: FrontierItem) -> str:
        """The next listing page from the profile's page template, when the page has no "next" link."""
        if not self.profile.listing.get("page_template"):
            return ""
        start = next((url for url, _ in self.profile.start_urls(item.language or None)), "")
        return page_url(self.profile, start, item.depth + 2) if start else ""

    def _older_than_since(self, listing: Listing) -> bool:
        if not self.options.since or not listing.items:
            return False
        dates = [parse_date(i.date) for i in listing.items if i.date]
        return bool(dates) and all(d is not None and d < self.options.since for d in dates)

    def _take(self, item: FrontierItem, items: tuple[ListingItem, ...]) -> int:
        """Queue the listed articles we want and do not know yet; how many were new."""
        wanted = [i for i in items if self.options.take_all or not i.title or self.profile.wants(i.title)]
        if self.options.since:
            wanted = [
                i for i in wanted if not i.date or (parse_date(i.date) or self.options.since) >= self.options.since
            ]
        self.report.counts["skipped"] += len(items) - len(wanted)
        known = self.store.known_urls(self.key, [i.url for i in items])
        fresh = [i for i in wanted if i.url not in known]
        revisit = [i for i in wanted if i.url in known] if self.options.revisit else []
        self.store.enqueue(self.key, [FrontierItem(i.url, "article", item.language, title=i.title) for i in fresh])
        if revisit:
            self.store.enqueue(
                self.key, [FrontierItem(i.url, "article", item.language, title=i.title) for i in revisit], requeue=True
            )
        seen = sum(i.url in known for i in items)
        self.report.counts["known"] += seen
        return len(items) - seen

    def _feed(self, item: FrontierItem, response: Response, capture: str) -> None:
        parsed = feedparser.parse(response.body)
        if parsed.bozo and not parsed.entries:
            raise ExtractionError(f"not a readable feed ({parsed.get('bozo_exception', 'unknown error')})")
        items = tuple(
            ListingItem(e.get("link", ""), e.get("title", ""), e.get("published", ""))
            for e in parsed.entries
            if e.get("link") and self.profile.is_article(e.get("link", ""))
        )
        self._take(item, items)
        self.store.finish_url(self.key, item.url, "done")

    def _article(self, item: FrontierItem, response: Response, capture: str) -> None:
        html = self._html(response)
        doc = extract_article(html, response.final_url or item.url, self.profile)
        if not self.options.take_all and not self.profile.wants(doc.title):
            self.report.counts["skipped"] += 1
            self.store.finish_url(self.key, item.url, "done", "not a document type this profile takes")
            return
        result = self.store.save(doc.replace(capture=capture, language=doc.language or item.language))
        self.report.counts[result.status] += 1
        if doc.date is None:
            self.report.counts["undated"] += 1
            self.report.errors.append(f"{item.url}: no date found; stored without a date")
        self.store.finish_url(self.key, item.url, "done", doc_id=result.doc_id)
