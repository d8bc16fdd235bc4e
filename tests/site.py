"""Local test sites on 127.0.0.1: the real kremlin.ru mirror under its real URL shapes, the hand-made
mid.ru and aggregator fixtures, and a site that fails in every way a crawler must survive."""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath

FIXTURES = Path(__file__).parent / "fixtures"
LAST_MODIFIED = email.utils.formatdate(1_600_000_000, usegmt=True)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate: bool = False  # announce the whole length, send half, close


@dataclass(frozen=True)
class Request:
    at: float
    path: str
    headers: dict[str, str]


class Site:
    """A web site on a free loopback port; `routes(path)` answers, every request is logged."""

    def __init__(self, routes: Callable[[str, Site], Reply | None]) -> None:
        self.routes = routes
        self.log: list[Request] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with site._lock:
                    site.log.append(
                        Request(time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()})
                    )
                reply = site.routes(self.path, site) or Reply(404, b"<html><body><h1>Not found</h1></body></html>")
                if reply.delay:
                    time.sleep(reply.delay)
                etag = '"' + hashlib.sha1(reply.body).hexdigest()[:16] + '"'
                if reply.status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                if reply.status == 200:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", LAST_MODIFIED)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                body = reply.body[: len(reply.body) // 2] if reply.truncate else reply.body
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)
                if reply.truncate:
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [r.path for r in self.log]


# kremlin.ru: the saved mirror, served at the site's own URL shapes


NEWS = "/events/president/news"
ANNOUNCED = re.compile(r"^/(supplement|events/president/transcripts|acts/news)/(\d+)$")


def kremlin_routes(
    root: Path, last_page: int | None = None, first_day: str | None = None
) -> Callable[[str, Site], Reply | None]:
    """/events/president/news/63911, /events/president/news/page/2 and /events/president/news/by-date/05.08.2020
    from the mirror's .html files; the start page /events/president/news, which the mirror lacks, shows page 2.

    The mirror rewrote in-site links to relative file links ("../63911.html"); serving a page, those are turned
    back into the site's own links ("/events/president/news/63911"), and absolute links to en.kremlin.ru become
    links to this site. The texts news items announce (/supplement/, /events/president/transcripts/, /acts/news/),
    which the mirror does not hold, are hand-made pages (`announced_page`). A subset of the mirror is served
    by lowering what its pager and calendar offer: `last_page` (data-pages) and `first_day` (data-min, ISO).
    """
    site_root = root / "en.kremlin.ru"

    def routes(path: str, site: Site) -> Reply | None:
        path = path.split("?")[0].rstrip("/") or "/"
        if path == "/robots.txt":
            return Reply(body=(site_root / "robots.txt").read_bytes(), content_type="text/plain")
        announced = ANNOUNCED.match(path)
        if announced:
            return Reply(body=announced_page(announced.group(1), int(announced.group(2))).encode())
        source = PurePosixPath(NEWS + "/page/2" if path == NEWS else path)
        file = site_root / (str(source).lstrip("/") + ".html")
        if not file.is_file() or ".." in path:
            return None
        # Bytes that are not UTF-8 are served as they are (surrogateescape), as the site served them.
        html = restore_links(file.read_bytes().decode("utf-8", "surrogateescape"), source)
        return Reply(body=offered(html, last_page, first_day).encode("utf-8", "surrogateescape"))

    return routes


def offered(html: str, last_page: int | None, first_day: str | None) -> str:
    """The page with its pager and calendar offering only part of the mirror."""
    if last_page is not None:
        html = re.sub(r'data-pages="\d+"', f'data-pages="{last_page}"', html)
    if first_day is not None:
        html = re.sub(r'data-min="[\d-]+"', f'data-min="{first_day}"', html)
    return html


def announced_page(kind: str, number: int) -> str:
    """A hand-made page in kremlin.ru's article layout for a text a news item links to."""
    title = {"supplement": "Joint Statement", "acts/news": "Executive Order"}.get(kind, "Transcript")
    return (
        '<html><head><meta charset="utf-8"></head><body><article class="read__in hentry h-entry">'
        f'<h1 class="entry-title p-name">{title} No. {number}</h1>'
        '<time class="read__published" datetime="2020-01-15">January 15, 2020</time>'
        '<div class="entry-content e-content read__internal_content">'
        f"<p>1. The Sides state their agreement on the matters of text number {number}.</p>"
        "<p>2. The Sides will continue their consultations.</p></div></article></body></html>"
    )


def restore_links(html: str, path: PurePosixPath) -> str:
    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if target.startswith("http://en.kremlin.ru/"):
            return f'{match.group(1)}="{target.removeprefix("http://en.kremlin.ru")}"'
        if re.match(r"^[a-z]+:|^/|^#", target) or not target.endswith(".html"):
            return match.group(0)
        parts: list[str] = list(path.parent.parts)
        for part in PurePosixPath(target).parts:
            if part == "..":
                parts.pop()
            elif part != ".":
                parts.append(part)
        return f'{match.group(1)}="{"/".join(parts).replace("//", "/")[:-5]}"'

    return re.sub(r'(href)="([^"]+)"', fix, html)


def failing(routes: Callable[[str, Site], Reply | None], paths: set[str]) -> tuple[Callable, dict[str, bool]]:
    """The routes with some paths answering 503 while `state["down"]`; the state to turn them healthy."""
    state = {"down": True}

    def answer(path: str, site: Site) -> Reply | None:
        if state["down"] and path.split("?")[0].rstrip("/") in paths:
            return Reply(503, b"<html><body>Service unavailable</body></html>")
        return routes(path, site)

    return answer, state


# mid.ru and the aggregator: hand-made fixtures


def midru_routes() -> Callable[[str, Site], Reply | None]:
    pages = {
        "/ru/foreign_policy/news/": "news_page1.html",
        "/ru/foreign_policy/news/?PAGEN_1=2": "news_page2.html",
        "/ru/foreign_policy/news/1803158/": "article_1803158_ru.html",
        "/en/foreign_policy/news/1803158/": "article_1803158_en.html",
        "/en/foreign_policy/news/": "news_en.html",
        "/ru/foreign_policy/news/1803100/": "article_1803100.html",
        "/ru/foreign_policy/news/1803050/": "article_1803050.html",
    }

    def routes(path: str, site: Site) -> Reply | None:
        if path == "/robots.txt":
            return Reply(body=b"User-agent: *\nDisallow: /ru/search/\n", content_type="text/plain")
        feeds = {"/ru/rss.php": "rss.xml", "/en/foreign_policy/news/rss/": "rss_en.xml"}
        if path in feeds:
            body = (FIXTURES / "midru" / feeds[path]).read_text("utf-8").replace("{MID}", site.url)
            return Reply(body=body.encode(), content_type="application/rss+xml")
        if path == "/ru/foreign_policy/news/1760000/":  # cp1251 bytes, no charset in the header
            return Reply(
                body=(FIXTURES / "midru" / "article_1760000.cp1251.html").read_bytes(), content_type="text/html"
            )
        name = pages.get(path)
        return Reply(body=(FIXTURES / "midru" / name).read_bytes()) if name else None

    return routes


def aggregator_routes(mid_url: str) -> Callable[[str, Site], Reply | None]:
    def routes(path: str, site: Site) -> Reply | None:
        if path == "/":
            return Reply(body=(FIXTURES / "aggregator" / "index.html").read_bytes())
        if path == "/2024/04/24/joint-statement-russia-kyrgyzstan/":
            return Reply(
                body=(FIXTURES / "aggregator" / "post.html").read_text("utf-8").replace("{MID}", mid_url).encode()
            )
        return None

    return routes


# hand-made attachment files (mid.ru links the texts of agreements as PDF and Word files)


def hand_made_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF (Helvetica, one text line per entry of `lines`, ASCII) with `title` in its metadata."""

    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 11 Tf 14 TL 72 760 Td " + " ".join(f"({escaped(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        f"<< /Title ({escaped(title)}) >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    )
    return out + trailer.encode()


def hand_made_docx(title: str, heading: str, paragraphs: list[str], table: list[list[str]] = ()) -> bytes:
    """A Word file with `title` in its properties, a heading, paragraphs and a table after them."""
    import io

    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# a site that fails in every way


def article(title: str, body: str, date: str = "2022-03-05") -> str:
    date_html = f'<div class="photo-content__date">{date}</div>' if date else ""
    body_html = f'<div class="text article-content">{body}</div>' if body else ""
    return (
        f'<html><head><meta charset="utf-8"></head><body><div class="photo-content">'
        f'<h1 class="photo-content__title">{title}</h1>{date_html}{body_html}</div></body></html>'
    )


FAULTS = {
    "ok": "a good joint statement",
    "gone404": "a dead link (404)",
    "gone410": "a removed page (410)",
    "error500": "a server error on every try (500)",
    "flaky503": "503 with Retry-After once, then the page",
    "busy429": "429 with Retry-After once, then the page",
    "truncated": "a body cut off before its announced length",
    "loop": "a redirect loop",
    "pdf": "a PDF, not an HTML page",
    "cp1251": "Russian text in cp1251 with no charset anywhere",
    "wrongcharset": "cp1251 bytes declared as UTF-8 in the header",
    "nodate": "a statement without a date",
    "nobody": "a page with a title and no body",
    "antibot": "a bot-check page",
    "slow": "a server slower than the timeout",
    "private": "a page robots.txt disallows",
}


def faults_routes(slow_seconds: float = 3.0) -> Callable[[str, Site], Reply | None]:
    tries: dict[str, int] = {}

    def routes(path: str, site: Site) -> Reply | None:
        if path == "/robots.txt":
            return Reply(body=b"User-agent: *\nDisallow: /ru/foreign_policy/news/private/\n", content_type="text/plain")
        if path == "/ru/foreign_policy/news/":
            items = "".join(
                f'<li class="announce__item"><span class="announce__date">05.03.2022</span>'
                f'<a class="announce__link" href="/ru/foreign_policy/news/{name}/">Joint statement: {what}</a></li>'
                for name, what in FAULTS.items()
            )
            return Reply(body=f'<html><body><ul class="announce">{items}</ul></body></html>'.encode())
        match = re.fullmatch(r"/ru/foreign_policy/news/(\w+)/", path)
        if not match:
            return None
        name = match.group(1)
        tries[name] = tries.get(name, 0) + 1
        good = article(
            f"Joint statement of Russia and Kyrgyzstan: {name}",
            "<p>The Sides agree on cooperation.</p><p>They will meet again.</p>",
        ).encode()
        ru = article("Совместное заявление России и Киргизии", "<p>Стороны договорились о сотрудничестве.</p>")
        return {
            "ok": lambda: Reply(body=good),
            "gone404": lambda: Reply(404, b"not found"),
            "gone410": lambda: Reply(410, b"gone"),
            "error500": lambda: Reply(500, b"error"),
            "flaky503": lambda: (
                Reply(503, b"busy", headers={"Retry-After": "1"}) if tries[name] == 1 else Reply(body=good)
            ),
            "busy429": lambda: (
                Reply(429, b"slow down", headers={"Retry-After": "1"}) if tries[name] == 1 else Reply(body=good)
            ),
            "truncated": lambda: Reply(body=good, truncate=True),
            "loop": lambda: Reply(302, b"", headers={"Location": path}),
            "pdf": lambda: Reply(body=b"%PDF-1.4 ...", content_type="application/pdf"),
            "cp1251": lambda: Reply(
                body=ru.replace('<meta charset="utf-8">', "").encode("cp1251"), content_type="text/html"
            ),
            "wrongcharset": lambda: Reply(
                body=ru.replace('<meta charset="utf-8">', "").encode("cp1251"), content_type="text/html; charset=utf-8"
            ),
            "nodate": lambda: Reply(
                body=article(
                    "Joint statement of Russia and Kyrgyzstan without date",
                    "<p>The Sides agree on cooperation.</p>",
                    date="",
                ).encode()
            ),
            "nobody": lambda: Reply(body=article("Joint statement of Russia and Kyrgyzstan, title only", "").encode()),
            "antibot": lambda: Reply(
                body=b"<html><body><p>Data processing... Please, wait.</p>"
                b"<script>setTimeout(function(){location.reload()}, 3000)</script></body></html>"
            ),
            "slow": lambda: Reply(body=good, delay=slow_seconds),
            "private": lambda: Reply(body=good),
        }[name]()

    return routes
