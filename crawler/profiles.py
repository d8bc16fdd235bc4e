"""Site profiles: how to find, page through and read a source's documents, as TOML data."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from corpus.urls import url_language

# Titles worth taking when a crawl is not told to take everything (English and Russian).
DOCUMENT_TITLES = (
    r"joint\b.*\b(statement|declaration|communiqu)|declaration|communiqu|treaty|agreement|memorandum|"
    r"convention|protocol|accord\b|совместн\w* (заявлени|декларац|коммюнике)|декларац|коммюнике|"
    r"договор|соглашени|меморандум|конвенц|протокол"
)


class ProfileError(Exception):
    """A profile file is missing, malformed or incomplete."""


@dataclass(frozen=True)
class Language:
    code: str
    base_url: str
    start: tuple[str, ...]
    feeds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    name: str
    languages: dict[str, Language]
    listing: dict[str, str]
    article: dict[str, Any]
    home_party: str = ""
    default_language: str = ""
    translation_id: str = ""
    source_link: bool = False
    extractor: str = "selectors"  # or "trafilatura"
    fetch: str = "http"  # or "browser" for pages that need JavaScript
    select: str = DOCUMENT_TITLES
    # links from an article to the documents it announces: {"links": [regex, …], "depth": hops}
    follow: dict[str, Any] = field(default_factory=dict)
    browser_fallback: tuple[str, ...] = ()  # kinds of page (feed, listing, article) rendered again after a bot check
    sitemaps: bool = True  # read the sitemaps robots.txt names
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def browser_kinds(self) -> tuple[str, ...]:
        """The kinds of page always fetched through the browser (fetch mode "browser": the articles)."""
        return ("article",) if self.fetch == "browser" else ()

    def with_base_url(self, base_url: str) -> Profile:
        """The same profile pointed at another host (a mirror, or a local test site)."""
        languages = {
            code: Language(code, base_url.rstrip("/"), lang.start, lang.feeds) for code, lang in self.languages.items()
        }
        return Profile(**{**self.__dict__, "languages": languages})

    def with_start(self, paths: tuple[str, ...]) -> Profile:
        """The same profile starting from other listing pages (and reading no feeds)."""
        languages = {code: Language(code, lang.base_url, paths, ()) for code, lang in self.languages.items()}
        return Profile(**{**self.__dict__, "languages": languages})

    def start_urls(self, language: str | None = None) -> list[tuple[str, str]]:
        """(url, language) of every start page, for one language or all."""
        return [
            (urljoin(lang.base_url + "/", path.lstrip("/")), code)
            for code, lang in self.languages.items()
            if language in (None, code)
            for path in lang.start
        ]

    def feed_urls(self, language: str | None = None) -> list[tuple[str, str]]:
        return [
            (urljoin(lang.base_url + "/", path.lstrip("/")), code)
            for code, lang in self.languages.items()
            if language in (None, code)
            for path in lang.feeds
        ]

    def language_of(self, url: str) -> str:
        """Which of the profile's languages a URL belongs to: by host, then by a /ru/ or /en/ path prefix."""
        parsed = urlparse(url)
        asked = url_language(url)  # ?lang=en, else a /ru/ or /en/ prefix
        if asked in self.languages:
            return asked
        for code, lang in self.languages.items():
            if urlparse(lang.base_url).netloc == parsed.netloc and not _has_language_prefix(parsed.path):
                return code
        return self.default_language

    def is_article(self, url: str) -> bool:
        return bool(re.search(self.article.get("url_pattern", "."), urlparse(url).path))

    def wants(self, title: str) -> bool:
        return bool(re.search(self.select, title, re.IGNORECASE))

    def translation_key(self, url: str) -> str:
        match = re.search(self.translation_id, urlparse(url).path) if self.translation_id else None
        return f"{self.name}:{match.group(1)}" if match else ""


def _has_language_prefix(path: str) -> bool:
    return bool(re.match(r"^/[a-z]{2}/", path))


def parse_profile(text: str, origin: str = "profile") -> Profile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{origin}: malformed TOML: {exc}") from None
    missing = [k for k in ("name", "languages", "listing", "article") if k not in data]
    if missing:
        raise ProfileError(f"{origin}: missing {', '.join(missing)}")
    languages = {
        code: Language(
            code, str(lang["base_url"]).rstrip("/"), tuple(lang.get("start", ["/"])), tuple(lang.get("feeds", []))
        )
        for code, lang in data.pop("languages").items()
    }
    known = set(Profile.__dataclass_fields__) - {"languages", "extra"}
    extra = {k: v for k, v in data.items() if k not in known}
    fields = {k: v for k, v in data.items() if k in known}
    if "browser_fallback" in fields:
        fields["browser_fallback"] = tuple(fields["browser_fallback"])
    return Profile(languages=languages, extra=extra, **fields)


def load_profiles(user_dir: Path | None = None) -> dict[str, Profile]:
    """The shipped profiles, then the user's (a file of the same name replaces a shipped one)."""
    profiles: dict[str, Profile] = {}
    for item in sorted(resources.files("crawler").joinpath("profiles").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            profile = parse_profile(item.read_text("utf-8"), item.name)
            profiles[profile.name] = profile
    if user_dir and user_dir.is_dir():
        for path in sorted(user_dir.glob("*.toml")):
            profile = parse_profile(path.read_text("utf-8"), str(path))
            profiles[profile.name] = profile
    return profiles
