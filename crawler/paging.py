"""Pure paging arithmetic: which listing pages exist, read from a listing's own pager and calendar.

The profile names the page templates (kremlin.ru `/events/president/news/page/{page}` and `.../by-date/{date}`); the
listing shows the range (kremlin.ru: `data-pages="1198"` on its pager, `data-min` and `data-max` on its calendar).
Knowing the range, a crawl goes past a page that is missing instead of stopping there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from crawler.profiles import Profile


@dataclass(frozen=True)
class Pager:
    """Numbered pages 1..last of one listing; `template` (absolute) has "{page}"."""

    template: str
    last: int

    def url(self, page: int) -> str:
        return self.template.format(page=page)

    def number(self, url: str) -> int | None:
        return page_number(self.template, url)


@dataclass(frozen=True)
class Calendar:
    """One listing page per day, first..last; `template` (absolute) has "{date}" in the format `fmt`."""

    template: str
    first: dt.date
    last: dt.date
    fmt: str

    def url(self, day: dt.date) -> str:
        return self.template.format(date=day.strftime(self.fmt))

    def day(self, url: str) -> dt.date | None:
        return calendar_day(self.template, self.fmt, url)


def page_template(profile: Profile, page_url: str) -> str:
    """The profile's page template made absolute for a listing page (`?PAGEN_1={page}` or `/page/{page}`)."""
    template = profile.listing.get("page_template", "")
    if not template:
        return ""
    return page_url.split("?")[0] + template if template.startswith("?") else urljoin(page_url, template)


def read_pager(soup: BeautifulSoup, page_url: str, profile: Profile) -> Pager | None:
    """The numbered pages of a listing: the profile's template, and the last page its own pager shows (the
    `pager` element's data-pages, or the highest page any of its links names)."""
    template = page_template(profile, page_url)
    if not template:
        return None
    numbers = [page_number(template, urljoin(page_url, str(a["href"]))) for a in soup.select("a[href]")]
    selector = profile.listing.get("pager", "")
    el = soup.select_one(selector) if selector else None
    declared = str(el.get("data-pages", "")) if el is not None else ""
    if declared.isdigit():
        return Pager(template, int(declared))
    pages = [n for n in numbers if n]
    return Pager(template, max(pages)) if pages else None


def read_calendar(soup: BeautifulSoup, page_url: str, profile: Profile) -> Calendar | None:
    """The by-date pages of a listing: the profile's `calendar_template`, from the first to the last day its
    calendar element (`calendar` selector, data-min and data-max) offers."""
    selector, template = profile.listing.get("calendar", ""), profile.listing.get("calendar_template", "")
    el = soup.select_one(selector) if selector and template else None
    if el is None:
        return None
    try:
        first, last = dt.date.fromisoformat(str(el["data-min"])), dt.date.fromisoformat(str(el["data-max"]))
    except (KeyError, ValueError):
        return None
    if first > last:
        return None
    return Calendar(urljoin(page_url, template), first, last, profile.listing.get("calendar_format", "%d.%m.%Y"))


def profile_calendar(profile: Profile, page_url: str) -> Calendar | None:
    """The profile's calendar without its range (for telling a calendar page's day from its URL)."""
    template = profile.listing.get("calendar_template", "")
    fmt = profile.listing.get("calendar_format", "%d.%m.%Y")
    return Calendar(urljoin(page_url, template), dt.date.min, dt.date.max, fmt) if template else None


def calendar_day(template: str, fmt: str, url: str) -> dt.date | None:
    """The day a calendar page's URL names, or None when the URL is not one of the calendar's pages."""
    head, _, tail = template.partition("{date}")
    if not url.startswith(head) or not url.endswith(tail) or len(url) <= len(head) + len(tail):
        return None
    try:
        return dt.datetime.strptime(url[len(head) : len(url) - len(tail)], fmt).date()
    except ValueError:
        return None


def page_number(template: str, url: str) -> int | None:
    """Which numbered page a URL is by the template, or None when it matches no number (the start page)."""
    head, _, tail = template.partition("{page}")
    match = re.fullmatch(re.escape(head) + r"(\d+)" + re.escape(tail) + "/?", url)
    return int(match.group(1)) if match else None


def encode_until(value: int | dt.date) -> str:
    """The end of a paging as the frontier keeps it: a last page number or a first day."""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def decode_until(text: str) -> int | dt.date | None:
    if text.isdigit():
        return int(text)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
