"""Polite fetching: robots.txt (Protego), one request at a time per host with a delay, retries with backoff."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

import requests
from protego import Protego

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 600.0  # seconds: a longer Retry-After is treated as a failure, not waited for


@dataclass(frozen=True)
class Response:
    """What came back for a URL, or why nothing usable did (error)."""

    url: str
    final_url: str = ""
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str = ""
    tries: int = 1

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset":
                return value.strip('"') or None
        return None


@dataclass(frozen=True)
class Robots:
    """A site's robots.txt read by Protego (RFC 9309: wildcards, longest match wins, Crawl-delay, Sitemap)."""

    rules: Protego
    text: str

    def can_fetch(self, agent: str, url: str) -> bool:
        return self.rules.can_fetch(url, agent)

    def crawl_delay(self, agent: str) -> float | None:
        delay = self.rules.crawl_delay(agent)
        return float(delay) if delay is not None else None

    @property
    def sitemaps(self) -> list[str]:
        return list(self.rules.sitemaps)


def parse_robots(text: str) -> Robots:
    return Robots(Protego.parse(text), text)


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def backoff(attempt: int, base: float, rng: random.Random) -> float:
    """Exponential backoff with full jitter: somewhere in [base, base * 2**attempt]."""
    return base + rng.random() * base * (2**attempt - 1)


class Fetcher:
    """Fetches pages the way a polite crawler must. Takes plain arguments; tests pass fakes for time."""

    def __init__(
        self,
        user_agent: str,
        delay: float = 1.0,
        timeout: float = 30.0,
        max_bytes: int = 10_000_000,
        tries: int = 4,
        backoff_base: float = 1.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        pace: Callable[[str, float], float] | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.delay = delay
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.tries = tries
        self.backoff_base = backoff_base
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept-Language": "ru,en;q=0.8"})
        self.session.max_redirects = 10
        self.sleep = sleep
        self.clock = clock
        self.rng = rng or random.Random()
        # Books a host's next request slot among all workers (the store's reserve_host); seconds to wait.
        self.pace = pace
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, Robots | None] = {}
        self.requests = 0

    @classmethod
    def from_settings(cls, settings: object, **overrides: object) -> Fetcher:
        values = {
            "user_agent": settings.user_agent,
            "delay": settings.crawl_delay,  # type: ignore[attr-defined]
            "timeout": settings.crawl_timeout,
            "max_bytes": settings.max_page_bytes,  # type: ignore[attr-defined]
            "tries": settings.crawl_tries,
        }  # type: ignore[attr-defined]
        return cls(**{**values, **overrides})  # type: ignore[arg-type]

    # robots.txt

    def robots(self, url: str) -> Robots | None:
        parsed = urlparse(url)
        origin = f"{parsed.scheme}://{parsed.netloc}"
        if origin not in self._robots:
            response = self._get(origin + "/robots.txt", {})
            if response.status == 200:
                self._robots[origin] = parse_robots(response.body.decode("utf-8", "replace"))
            else:  # no robots.txt (404) or an unreadable one: everything is allowed
                self._robots[origin] = None
        return self._robots[origin]

    def allowed(self, url: str) -> bool:
        robots = self.robots(url)
        return robots is None or robots.can_fetch(self.user_agent, url)

    def host_delay(self, url: str) -> float:
        robots = self.robots(url)
        crawl_delay = robots.crawl_delay(self.user_agent) if robots else None
        return max(self.delay, float(crawl_delay or 0))

    # fetching

    def fetch(self, url: str, etag: str = "", last_modified: str = "") -> Response:
        """GET a URL (conditionally when validators are given), retrying what is worth retrying."""
        if not self.allowed(url):
            return Response(url, error="disallowed by robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(1, self.tries + 1):
            response = self._get(url, headers, wait=self.host_delay(url))
            if not self._retryable(response) or attempt == self.tries:
                return Response(**{**response.__dict__, "tries": attempt})
            wait = retry_after(response.headers.get("retry-after"), time.time())
            if wait is not None and wait > MAX_RETRY_AFTER:
                return Response(
                    **{
                        **response.__dict__,
                        "tries": attempt,
                        "error": f"server asks to retry after {wait:.0f} s; giving up for now",
                    }
                )
            self.sleep(wait if wait is not None else backoff(attempt, self.backoff_base, self.rng))
        raise AssertionError("unreachable")

    def _retryable(self, response: Response) -> bool:
        return response.status in RETRY_STATUSES or (response.status == 0 and response.error.startswith("network"))

    def _wait_for_host(self, url: str, wait: float) -> None:
        host = urlparse(url).netloc
        if self.pace is not None:
            self.sleep(self.pace(host, wait))
            return
        last = self._last_request.get(host)
        if last is not None:
            remaining = last + wait - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self._last_request[host] = self.clock()

    def _get(self, url: str, headers: dict[str, str], wait: float | None = None) -> Response:
        self._wait_for_host(url, self.delay if wait is None else wait)
        self.requests += 1
        try:
            with self.session.get(url, headers=headers, timeout=self.timeout, stream=True) as r:
                body, truncated = self._read(r)
                result_headers = {k.lower(): v for k, v in r.headers.items()}
                error = f"response larger than {self.max_bytes} bytes; cut off" if truncated else ""
                if r.status_code >= 400:
                    error = f"HTTP {r.status_code} {r.reason or ''}".strip()
                return Response(url, r.url, r.status_code, result_headers, body, error)
        except requests.TooManyRedirects:
            return Response(url, error="redirect loop (too many redirects)")
        except requests.Timeout:
            return Response(url, error=f"network: timed out after {self.timeout:g} s")
        except requests.ConnectionError as exc:
            return Response(url, error=f"network: cannot connect ({_reason(exc)})")
        except requests.RequestException as exc:
            return Response(url, error=f"network: {_reason(exc)}")

    def _read(self, r: requests.Response) -> tuple[bytes, bool]:
        chunks, size = [], 0
        try:
            for chunk in r.iter_content(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > self.max_bytes:
                    return b"".join(chunks)[: self.max_bytes], True
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            raise requests.RequestException(f"the body was cut short ({_reason(exc)})") from exc
        return b"".join(chunks), False


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "…"
