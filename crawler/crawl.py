"""The crawl loop: a persistent frontier in the store, listing pages, feeds, sitemaps and articles, resumable.

Every fetched URL is finished in one store transaction with what it produced (the links it queued, its
validators), so a killed crawl resumes where it stopped. Transient failures wait in the frontier for a later
run; a run that leaves some waiting is "incomplete".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import feedparser
from bs4 import BeautifulSoup

from corpus.metadata import parse_date
from corpus.model import Document, read_from
from corpus.store import FetchRecord, FrontierItem, Store
from corpus.urls import canonical_url, same_site
from crawler.archive import WarcArchive
from crawler.attachments import attachment_kind
from crawler.extract import (
    AntiBotPage,
    ExtractionError,
    ListingItem,
    decode_html,
    extract_article,
    extract_attachment,
    is_anti_bot,
    parse_listing,
)
from crawler.fetch import Fetcher, Response
from crawler.paging import (
    Calendar,
    Pager,
    decode_until,
    encode_until,
    page_template,
    profile_calendar,
    read_calendar,
    read_pager,
)
from crawler.profiles import Profile

HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"'#][^"']*)["']""", re.IGNORECASE)
HTML_TYPES = ("text/html", "application/xhtml+xml", "")
BACKFILL = 1_000_000  # the depth of what sitemaps list: after everything the listings reach
RETRY_HORIZON = 60.0  # seconds: a run waits for URLs that come due sooner, and leaves later ones to the next run
MAX_RETRY_DELAY = 86_400.0


@dataclass(frozen=True)
class CrawlOptions:
    language: str | None = None
    max_pages: int | None = None  # fetches in this run; the rest waits for the next run
    since: dt.date | None = None
    take_all: bool = False  # every article, not only the document types the profile selects
    revisit: bool = False  # fetch known articles again (conditionally) to find changed texts
    lease: float = 300.0  # seconds a worker holds a URL; a killed worker's URLs go to others after this
    retry_delay: float = 600.0  # seconds before a transiently failed URL is tried again; doubles with each run
    retry_runs: int = 8  # runs that try such a URL before it is given up


@dataclass
class CrawlReport:
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    finished: bool = False  # nothing left in the frontier
    waiting: int = 0  # URLs that failed transiently and wait for a later run
    stopped: bool = False  # stopped at max_pages

    def fail(self, url: str, reason: str) -> None:
        self.counts["failed"] += 1
        self.errors.append(f"{url}: {reason}")

    @property
    def status(self) -> str:
        """ok, partial (some URLs failed for good), or incomplete (some wait for a retry)."""
        if self.waiting:
            return "incomplete"
        return "partial" if self.errors else "ok"


def crawl_key(profile: Profile, language: str | None) -> str:
    bases = ",".join(sorted({lang.base_url for lang in profile.languages.values()}))
    return f"{profile.name}|{bases}|{language or '*'}"


def worker_name() -> str:
    """This process as runs and leases name it: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_gone(worker: str) -> bool:
    """Whether a "host:pid" worker of this machine has no process any more, or only a dead one's process entry
    that its parent has not reaped yet (others' are never judged)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return zombie(int(pid))


def zombie(pid: int) -> bool:
    """Whether a process has exited and waits for its parent to reap it (Linux's /proc; False elsewhere)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def dead_workers(workers: set[str]) -> set[str]:
    """The workers of this machine ("host:pid") whose process is gone; others' leases expire on their own."""
    return {w for w in workers if worker_gone(w)}


def transient(response: Response) -> bool:
    """A failure worth trying again in a later run: 5xx, 429, 408, timeouts and connection errors."""
    if response.status in (408, 429) or response.status >= 500:
        return True
    return response.status == 0 and response.error.startswith(("network", "server asks to retry"))


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
        self.browser = browser  # a function that renders a page in Chromium (fetch mode "browser" and fallbacks)
        self.key = crawl_key(profile, self.options.language)
        self.worker = worker_name()  # who holds a lease, for people reading the frontier
        self.report = CrawlReport()
        self.started = 0.0

    def run(self) -> CrawlReport:
        """Resume the unfinished crawl of this source (or join the workers on it), or start a new pass;
        stop at max_pages, or when no URL is left that this run may take."""
        self.started = time.time()
        pending = self.store.begin_crawl(self.key, self.seeds())
        if pending:
            self.report.counts["resumed"] = pending
            released = self.store.release_leases(self.key, dead_workers(self.store.lease_holders(self.key)))
            if released:
                self.report.counts["released"] = released  # a killed crawl on this machine: no need to wait
        if not self.options.since:
            revived = self.store.revive_deferred(self.key)
            if revived:
                self.report.counts["backfill"] = revived  # what an earlier --since crawl left for later
        fetched = 0
        while self.options.max_pages is None or fetched < self.options.max_pages:
            item = self._next()
            if item is None:
                break
            self.visit(item)
            fetched += 1
        return self._summarise(stopped=self.options.max_pages is not None and fetched >= self.options.max_pages)

    def _next(self) -> FrontierItem | None:
        """The next URL this run may fetch, waiting for the ones other live workers hold (they may bring more) and
        briefly for ones about to come due; None when none is left."""
        while True:
            now = time.time()
            item = self.store.lease_next(self.key, now, self.options.lease, self.worker, run_started=self.started)
            if item is not None:
                return item
            waiting, earliest = self.store.pending_count(self.key, run_started=self.started)
            if not waiting:
                return None
            holders = self.store.lease_holders(self.key) - {self.worker}
            released = self.store.release_leases(self.key, dead_workers(holders)) if holders else 0
            if released:
                self.report.counts["released"] += released  # a worker of this machine was killed: its URLs are free
                continue
            if not holders and (earliest or 0) - now > RETRY_HORIZON:
                return None
            time.sleep(max(0.05, min(1.0 if holders else 5.0, (earliest or 0) - now)))

    def _summarise(self, stopped: bool) -> CrawlReport:
        counts = self.store.frontier_counts(self.key)
        self.report.waiting = counts.get("waiting", 0)
        self.report.finished = not counts.get("pending", 0) and not self.report.waiting
        self.report.stopped = stopped and not self.report.finished
        if self.report.waiting:
            self.report.counts["waiting"] = self.report.waiting
        return self.report

    def seeds(self) -> list[FrontierItem]:
        feeds = [self._item(url, "feed", lang) for url, lang in self.profile.feed_urls(self.options.language)]
        starts = [self._item(url, "listing", lang) for url, lang in self.profile.start_urls(self.options.language)]
        return feeds + starts + self._sitemaps(starts)

    def _sitemaps(self, starts: list[FrontierItem]) -> list[FrontierItem]:
        """The sitemaps robots.txt names for the start pages' sites, read after everything listings reach."""
        if not self.profile.sitemaps:
            return []
        found: dict[str, FrontierItem] = {}
        for start in starts:
            robots = self.fetcher.robots(start.fetch_url)
            for url in robots.sitemaps if robots else []:
                if same_site(url, start.fetch_url):
                    found.setdefault(url, self._item(url, "sitemap", start.language, depth=BACKFILL))
        return list(found.values())

    def _item(self, link: str, kind: str, language: str, **fields: object) -> FrontierItem:
        """A frontier entry keyed by the link's canonical URL, fetched as found."""
        return FrontierItem(canonical_url(link), kind, language, link=link, **fields)  # type: ignore[arg-type]

    # one URL

    def visit(self, item: FrontierItem) -> None:
        etag, modified = self.store.validators(item.url) if self._conditional(item) else ("", "")
        response = self._fetch(item, etag, modified)
        self.report.counts["fetched"] += 1
        # the lease counted from now: waiting for the host's turn must not eat the time to read the page
        self.store.renew_lease(self.key, item.url, self.worker, time.time() + self.options.lease)
        if self.progress:
            self.progress(item.fetch_url)
        capture = self._archive(response)
        if response.not_modified:
            self.report.counts["not_modified"] += 1
            self.store.complete_url(self.key, item.url, "done")
            return
        if not response.ok:
            self._failed(item, response)
            return
        fetch = FetchRecord(
            item.url,
            response.status,
            response.headers.get("etag", ""),
            response.headers.get("last-modified", ""),
            capture,
        )
        self._handle(item, response, fetch, fallback=True)

    def _handle(self, item: FrontierItem, response: Response, fetch: FetchRecord, fallback: bool) -> None:
        handler = {"feed": self._feed, "sitemap": self._sitemap, "listing": self._listing, "article": self._article}
        try:
            handler[item.kind](item, response, fetch)
        except AntiBotPage as exc:
            if fallback and self._browser_fallback(item):
                self.report.counts["browser_fallback"] += 1
                rendered = self.browser(item.fetch_url)  # type: ignore[misc]
                if rendered.ok:
                    fetch = FetchRecord(item.url, rendered.status, capture=self._archive(rendered))
                    self._handle(item, rendered, fetch, fallback=False)
                    return
            self.report.counts["anti_bot"] += 1
            self._retry_later(item, f"anti-bot page instead of the {item.kind}: {exc}")
        except ExtractionError as exc:
            self._give_up(item, str(exc))

    def _browser_fallback(self, item: FrontierItem) -> bool:
        return self.browser is not None and item.kind in self.profile.browser_fallback

    def _conditional(self, item: FrontierItem) -> bool:
        """Listing pages, feeds and sitemaps are asked conditionally; in a revisit, the articles are instead."""
        return (item.kind == "article") == self.options.revisit

    def _fetch(self, item: FrontierItem, etag: str, modified: str) -> Response:
        if self.browser is not None and item.kind in self.profile.browser_kinds:
            if not self.fetcher.allowed(item.fetch_url):
                return Response(item.fetch_url, error="disallowed by robots.txt")
            return self.browser(item.fetch_url)
        return self.fetcher.fetch(item.fetch_url, etag, modified)

    def _archive(self, response: Response) -> str:
        return self.archive.write(response) if response.status else ""

    def _failed(self, item: FrontierItem, response: Response) -> None:
        reason = response.error or f"HTTP {response.status}"
        if response.error == "disallowed by robots.txt":
            self.report.counts["disallowed"] += 1
            self.store.complete_url(self.key, item.url, "failed", error=response.error)
        elif transient(response):
            self._retry_later(item, reason)
        elif item.kind == "listing" and response.status in (404, 410) and (item.until or item.depth > 0):
            self._missing_listing(item, reason)
        else:
            self._give_up(item, reason)

    def _missing_listing(self, item: FrontierItem, reason: str) -> None:
        """A listing page that is not there: inside a known paging, the paging goes on past it; else it ends."""
        following = self._following_pages(item, item.until)
        self.report.counts["listing_missing" if following else "listing_end"] += 1
        self.store.complete_url(self.key, item.url, "done", error=reason, requeue=following)

    def _retry_later(self, item: FrontierItem, reason: str) -> None:
        """A transient failure: the URL waits for a later run, longer each time, for a bounded number of runs."""
        if item.tries + 1 >= self.options.retry_runs:
            self._give_up(item, f"{reason} (given up after {item.tries + 1} runs)")
            return
        delay = min(MAX_RETRY_DELAY, self.options.retry_delay * 2**item.tries)
        self.report.counts["retry_later"] += 1
        self.report.errors.append(f"{item.fetch_url}: {reason}; tried again in a later run")
        self.store.complete_url(self.key, item.url, "pending", error=reason, retry_after=delay)

    def _give_up(self, item: FrontierItem, reason: str, found: Iterable[FrontierItem] = ()) -> None:
        self.report.fail(item.fetch_url, reason)
        self.store.complete_url(self.key, item.url, "failed", error=reason, found=found)

    # kinds of page

    def _html(self, response: Response) -> str:
        if response.content_type not in HTML_TYPES:
            raise ExtractionError(f"not an HTML page (Content-Type {response.content_type})")
        return decode_html(response.body, response.charset)

    def _listing(self, item: FrontierItem, response: Response, fetch: FetchRecord) -> None:
        html = self._html(response)
        if is_anti_bot(html):
            raise AntiBotPage("bot-check page instead of the listing")
        page = response.final_url or item.fetch_url
        soup = BeautifulSoup(html, "lxml")
        listing = parse_listing(soup, page, self.profile)
        found, requeue, new = self._take(item, listing.items)
        pages = self._next_pages(item, soup, page, listing.next_url)
        if not new:
            pages = self._unseen(pages)  # a recrawl stops here, unless the paging never got past this page before
        pages = [self._deferred(p, listing.items) for p in pages]
        self.store.complete_url(self.key, item.url, "done", found=found, requeue=requeue + pages, fetch=fetch)

    def _next_pages(
        self, item: FrontierItem, soup: BeautifulSoup, page: str, next_link: str | None
    ) -> list[FrontierItem]:
        """The listing pages after this one: the next numbered page (by the pager when it shows one, else the
        "next" link), the previous day of a calendar, and the calendar's last day from a page that is not in it."""
        calendar = read_calendar(soup, page, self.profile)
        if self._day_of(item) is not None:  # a calendar page: the day before
            return self._following_pages(item, encode_until(calendar.first) if calendar else item.until)
        pager = read_pager(soup, page, self.profile)
        pages = self._following_pages(item, encode_until(pager.last)) if pager else []
        if pager is None and next_link:
            pages = [self._item(next_link, "listing", item.language, depth=item.depth + 1)]
        if calendar:  # as new as this page: its first day goes beside it, not after it
            pages.append(dataclasses.replace(self._calendar_page(item, calendar, calendar.last), depth=item.depth))
        return pages

    def _unseen(self, pages: list[FrontierItem]) -> list[FrontierItem]:
        """The listing pages no pass has fetched yet (the paging broke off before them: a failure, --since)."""
        states = self.store.url_states(self.key, [p.url for p in pages])
        seen = {url for url, state in states.items() if state.removeprefix("old:") in ("done", "failed")}
        return [p for p in pages if p.url not in seen]

    def _following_pages(self, item: FrontierItem, until: str) -> list[FrontierItem]:
        """The page after this one within a known paging: page n + 1 up to the last page, or the day before
        down to the first day."""
        end = decode_until(until)
        day = self._day_of(item)
        if day is not None and isinstance(end, dt.date):
            calendar = profile_calendar(self.profile, item.fetch_url)
            before = day - dt.timedelta(days=1)
            return [self._calendar_page(item, calendar, before, end)] if calendar and before >= end else []
        template = page_template(self.profile, item.fetch_url)
        if not (isinstance(end, int) and template):
            return []
        pager = Pager(template, end)
        number = pager.number(item.fetch_url) or 1  # the start page, which names no number, is page 1
        if number >= pager.last:
            return []
        return [self._item(pager.url(number + 1), "listing", item.language, depth=item.depth + 1, until=str(end))]

    def _calendar_page(
        self, item: FrontierItem, calendar: Calendar, day: dt.date, first: dt.date | None = None
    ) -> FrontierItem:
        until = encode_until(first or calendar.first)
        return self._item(calendar.url(day), "listing", item.language, depth=item.depth + 1, until=until)

    def _day_of(self, item: FrontierItem) -> dt.date | None:
        calendar = profile_calendar(self.profile, item.fetch_url)
        return calendar.day(item.fetch_url) if calendar else None

    def _deferred(self, page: FrontierItem, items: Iterable[ListingItem]) -> FrontierItem:
        """A next listing page, left for a later crawl without --since when it can only hold older documents: a
        day before --since, or the page after one whose documents are all older."""
        day = self._day_of(page)
        since = self.options.since
        older = bool(since and day < since) if day is not None else self._older_than_since(items)
        if not older:
            return page
        self.report.counts["deferred_pages"] += 1
        return dataclasses.replace(page, state="deferred")

    def _older_than_since(self, items: Iterable[ListingItem]) -> bool:
        dates = [parse_date(i.date) for i in items if i.date]
        if not self.options.since or not dates:
            return False
        return all(d is not None and d < self.options.since for d in dates)

    def _too_old(self, listed: ListingItem) -> bool:
        since = self.options.since
        return bool(since and listed.date and (parse_date(listed.date) or since) < since)

    def _take(
        self, item: FrontierItem, items: Iterable[ListingItem]
    ) -> tuple[list[FrontierItem], list[FrontierItem], int]:
        """What a listing's articles add to the frontier (found: new URLs; requeue: known ones to take again),
        and how many of them are new to this pass (earlier passes' and stored ones are not)."""
        listed = {canonical_url(i.url): i for i in items}
        states = self.store.url_states(self.key, [*listed, *(i.url for i in listed.values())])
        found, requeue, new = [], [], 0
        for url, entry in listed.items():
            state = states.get(url) or states.get(entry.url)
            new += state is None or not (state == "stored" or state.startswith("old:"))
            mark = self._mark(entry)
            if mark != "pending":
                self.report.counts[mark] += 1
            article = self._item(entry.url, "article", item.language, title=entry.title, depth=item.depth, state=mark)
            if state is None:
                found.append(article)
            elif mark == "pending" and self._take_again(state):
                requeue.append(article)
        self.report.counts["known"] += len(listed) - new
        return found, requeue, new

    def _mark(self, entry: ListingItem) -> str:
        """pending (to fetch), skipped (a title this profile does not take), or deferred (older than --since)."""
        if not (self.options.take_all or not entry.title or self.profile.wants(entry.title)):
            return "skipped"
        return "deferred" if self._too_old(entry) else "pending"

    def _take_again(self, state: str) -> bool:
        """A known article is taken again when only remembered (a title now wanted, a day now in range), or when
        a revisit asks for what is stored."""
        if state.endswith(("skipped", "deferred")):
            return True
        return self.options.revisit and state in ("stored", "old:done")

    def _feed(self, item: FrontierItem, response: Response, fetch: FetchRecord) -> None:
        if response.content_type in ("text/html", "application/xhtml+xml") or response.body.lstrip()[
            :15
        ].lower().startswith((b"<!doctype html", b"<html")):
            html = decode_html(response.body, response.charset)
            if is_anti_bot(html):
                raise AntiBotPage("bot-check page instead of the feed")
            raise ExtractionError("an HTML page, not a feed")
        parsed = feedparser.parse(response.body)
        if parsed.bozo and not parsed.entries:
            raise ExtractionError(f"not a readable feed ({parsed.get('bozo_exception', 'unknown error')})")
        items = tuple(
            ListingItem(e.get("link", ""), e.get("title", ""), e.get("published", ""))
            for e in parsed.entries
            if e.get("link") and self.profile.is_article(e.get("link", ""))
        )
        found, requeue, _ = self._take(item, items)
        self.store.complete_url(self.key, item.url, "done", found=found, requeue=requeue, fetch=fetch)

    def _sitemap(self, item: FrontierItem, response: Response, fetch: FetchRecord) -> None:
        """A sitemap: its article URLs (by <lastmod>), and the sitemaps a sitemap index names."""
        soup = BeautifulSoup(response.body, "lxml-xml")
        if soup.find(("urlset", "sitemapindex")) is None:
            html = decode_html(response.body, response.charset)
            if is_anti_bot(html):
                raise AntiBotPage("bot-check page instead of the sitemap")
            raise ExtractionError("not a sitemap")
        nested = [
            self._item(loc.get_text(strip=True), "sitemap", item.language, depth=item.depth)
            for loc in soup.select("sitemap > loc")
            if same_site(loc.get_text(strip=True), item.fetch_url)
        ]
        entries = [
            ListingItem(u.loc.get_text(strip=True), "", u.lastmod.get_text(strip=True) if u.lastmod else "")
            for u in soup.select("url")
            if u.loc
        ]
        articles = [e for e in entries if self.profile.is_article(e.url) and same_site(e.url, item.fetch_url)]
        found, requeue, _ = self._take(item, articles)
        self.store.complete_url(self.key, item.url, "done", found=found + nested, requeue=requeue, fetch=fetch)

    def _article(self, item: FrontierItem, response: Response, fetch: FetchRecord) -> None:
        page = response.final_url or item.fetch_url
        if item.hops and attachment_kind(response.body):  # a file an article links: PDF or Word
            self._save(item, extract_attachment(response.body, canonical_url(page), self.profile), response, fetch, [])
            return
        html = self._html(response)
        follow = self._follow(item, html, page)  # also from a page with no text of its own: it links the text
        try:
            doc = extract_article(html, canonical_url(page), self.profile)
        except AntiBotPage:
            raise
        except ExtractionError as exc:
            self._give_up(item, str(exc), found=follow)
            return
        self._save(item, doc, response, fetch, follow)

    def _save(
        self, item: FrontierItem, doc: Document, response: Response, fetch: FetchRecord, follow: list[FrontierItem]
    ) -> None:
        """Store what a page or file holds (unless its type is not taken), marked with the fingerprint of the
        response it was read from, and queue what it links."""
        if not self.options.take_all and not self.profile.wants(doc.title):
            self.report.counts["skipped"] += 1
            self.store.complete_url(
                self.key, item.url, "done", error="not a document type this profile takes", found=follow, fetch=fetch
            )
            return
        doc = read_from(doc, response.body).replace(capture=fetch.capture, language=doc.language or item.language)
        result = self.store.save(doc)
        self.report.counts[result.status] += 1
        if item.hops:
            self.report.counts["followed"] += 1
        if doc.date is None:
            self.report.counts["undated"] += 1
            self.report.errors.append(f"{item.fetch_url}: no date found; stored without a date")
        self.store.complete_url(self.key, item.url, "done", doc_id=result.doc_id, found=follow, fetch=fetch)

    def _follow(self, item: FrontierItem, html: str, page: str) -> list[FrontierItem]:
        """The documents an article announces (the profile's follow rules), within the follow depth."""
        rules = self.profile.follow
        patterns = [re.compile(p) for p in rules.get("links", [])]
        if not patterns or item.hops >= int(rules.get("depth", 1)):
            return []
        links: dict[str, FrontierItem] = {}
        for href in HREF.findall(html):  # a pattern over the page is enough here, and far quicker than a parse
            link = urljoin(page, unescape(href)).split("#")[0]
            if any(p.search(link) for p in patterns) and self._on_site(link, page):
                entry = self._item(link, "article", item.language, depth=item.depth, hops=item.hops + 1)
                links.setdefault(entry.url, entry)
        states = self.store.url_states(self.key, list(links))
        return [entry for url, entry in links.items() if url not in states]

    def _on_site(self, link: str, page: str) -> bool:
        return same_site(link, page) or any(same_site(link, lang.base_url) for lang in self.profile.languages.values())
