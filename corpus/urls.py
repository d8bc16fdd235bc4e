"""One URL canonicaliser: the key under which the frontier, deduplication and aggregator matching meet a page."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
# Parameters that say who sent the reader, never which page it is.
TRACKING = re.compile(r"^(utm_\w*|fbclid|gclid|yclid|dclid|msclkid|mc_cid|mc_eid|_openstat|_ga|igshid|ref_src)$", re.I)
LANGUAGE_PREFIX = re.compile(r"^/([a-z]{2})(?:/|$)")
SAFE_PATH = "/:@!$&'()*+,;=-._~"


def canonical_url(url: str) -> str:
    """The one spelling of a URL: lower-case scheme and host without "www." or a default port, no fragment,
    no tracking parameters, no `lang` that repeats the path's language, sorted parameters, no trailing slash."""
    text = url.strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text  # not a URL we can take apart: it stays its own key
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return text
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    host = f"[{host}]" if ":" in host else host  # IPv6
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _path(parts.path)
    return urlunsplit((scheme, netloc, path, _query(parts.query, path), ""))


def _path(path: str) -> str:
    """Percent-escapes in one spelling, no empty segments, no trailing slash (the root stays "/")."""
    path = quote(unquote(path), safe=SAFE_PATH)
    path = re.sub(r"/{2,}", "/", path)
    return path.rstrip("/") or "/"


def _query(query: str, path: str) -> str:
    prefix = LANGUAGE_PREFIX.match(path)
    kept = []
    for raw_name, raw_value in parse_qsl(query, keep_blank_values=True):
        name, value = raw_name.strip(), raw_value.strip()  # spaces at a parameter's edges name no other page
        if not name:
            continue
        if name.lower() == "lang":
            name, value = "lang", value.lower()
            if not value or (prefix and value == prefix.group(1)):
                continue  # /ru/…?lang=ru is /ru/…
        if not TRACKING.match(name):
            kept.append((name, value))
    return urlencode(sorted(kept))


def url_language(url: str) -> str:
    """The language a URL asks for: its `lang` parameter, else its /xx/ path prefix, else ""."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    for name, value in parse_qsl(parts.query):
        if name.lower() == "lang" and re.fullmatch(r"[a-z]{2}", value.lower()):
            return value.lower()
    prefix = LANGUAGE_PREFIX.match(parts.path)
    return prefix.group(1) if prefix else ""


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on one site (host variants such as "www." are one site)."""
    return urlsplit(canonical_url(a)).netloc == urlsplit(canonical_url(b)).netloc
