"""Fetch mode "browser": pages that show their text only after a script runs (or that a bot check stands in front
of), rendered in Chromium."""

from __future__ import annotations

from crawler.fetch import Response

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserFetcher:
    """Renders pages in Debian's Chromium through Playwright; started on first use, closed with close()."""

    def __init__(self, user_agent: str, timeout: float = 30.0, executable: str = CHROMIUM) -> None:
        self.user_agent = user_agent
        self.timeout_ms = timeout * 1000
        self.executable = executable
        self._playwright = None
        self._browser = None

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=self.executable, args=FLAGS)

    def __call__(self, url: str) -> Response:
        from playwright.sync_api import Error as PlaywrightError

        if self._browser is None:
            try:
                self._start()
            except Exception as exc:  # no Playwright, no Chromium: a failed fetch, never a crashed crawl
                return Response(
                    url, error=f"the browser cannot start ({str(exc).splitlines()[0] if str(exc) else exc!r})"
                )
        context = self._browser.new_context(user_agent=self.user_agent, java_script_enabled=True)
        page = context.new_page()
        try:
            reply = page.goto(url, timeout=self.timeout_ms, wait_until="networkidle")
            status = reply.status if reply else 200
            headers = {k.lower(): v for k, v in (reply.headers.items() if reply else [])}
            error = f"HTTP {status}" if status >= 400 else ""
            if reply is not None and "html" not in headers.get("content-type", "html"):
                # a feed or sitemap once the check has passed: its bytes, not the browser's view of them
                return Response(url, page.url, status, headers, reply.body(), error)
            headers["content-type"] = "text/html; charset=utf-8"  # what we keep is the rendered DOM, as UTF-8
            return Response(url, page.url, status, headers, page.content().encode("utf-8"), error)
        except PlaywrightError as exc:
            return Response(url, error=f"network: the browser could not load the page ({str(exc).splitlines()[0]})")
        finally:
            context.close()

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._playwright.stop()
            self._browser = self._playwright = None
