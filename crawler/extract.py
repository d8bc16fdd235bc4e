"""Pure extraction: HTML pages to documents and listing pages to links, by a site profile."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urljoin, urlparse

import charset_normalizer
import trafilatura
from bs4 import BeautifulSoup, Tag

from corpus.documents import build_document
from corpus.importers import ImportFailed, NotDocuments, opening
from corpus.metadata import detect_language, parse_date
from corpus.model import Document
from corpus.urls import canonical_url
from crawler.attachments import AttachmentError, read_attachment
from crawler.profiles import Profile, load_profiles


class ExtractionError(Exception):
    """A page is not a document we can read; the message says why."""


class AntiBotPage(ExtractionError):
    """The server answered with a bot check ("Data processing... Please, wait.") instead of the page."""


ANTI_BOT_MARKERS = re.compile(
    r"data processing\.{0,3}\s*please,? wait|checking your browser|just a moment\.\.\.|"
    r"enable javascript and cookies to continue|cf-browser-verification|bobcmn|ddos-guard|"
    r"идет обработка данных|пожалуйста, подождите",
    re.IGNORECASE,
)
BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "td")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SOURCE_LINK = re.compile(r"^\s*(?:source|источник)\s*:\s*(https?://\S+)\s*$", re.IGNORECASE | re.MULTILINE)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class ListingItem:
    url: str
    title: str = ""
    date: str = ""


@dataclass(frozen=True)
class Listing:
    items: tuple[ListingItem, ...]
    next_url: str | None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Page text: UTF-8 when the bytes are valid UTF-8, else the declared or meta charset, else a guess."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    meta = META_CHARSET.search(data[:4096])
    for charset in (declared, meta.group(1).decode("ascii", "ignore") if meta else None):
        if charset and charset.lower().replace("-", "") not in ("utf8",):
            try:
                return data.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ExtractionError("the page is not text in any encoding we can tell")
    return str(best)


def is_anti_bot(html: str) -> bool:
    """True for bot-check interstitials (short pages with a challenge), never stored as documents."""
    if not ANTI_BOT_MARKERS.search(html[:200000]):
        return False  # no marker anywhere: no need to read the page
    visible = " ".join(BeautifulSoup(html, "lxml").get_text(" ").split())
    return len(visible) < 2000 and bool(ANTI_BOT_MARKERS.search(visible) or ANTI_BOT_MARKERS.search(html[:50000]))


def _text(el: Tag | None) -> str:
    return " ".join(el.get_text(" ").split()) if el else ""


def _select(soup: Tag, selector: str) -> Tag | None:
    return soup.select_one(selector) if selector else None


def body_text(body: Tag) -> str:
    """The text of a body element with paragraphs kept apart and headings marked as such."""
    for br in body.find_all("br"):
        br.replace_with("\n")
    blocks = [el for el in body.find_all(BLOCKS) if not el.find_parent(BLOCKS)]
    if not blocks:
        return "\n\n".join(" ".join(line.split()) for line in body.get_text("\n").split("\n") if line.strip())
    paragraphs = []
    for el in blocks:
        lines = [" ".join(line.split()) for line in el.get_text("").split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(f"## {text}" if el.name in HEADINGS else text)
    return "\n\n".join(paragraphs)


def photo_captions(body: Tag, selector: str) -> str:
    """The captions of a page's photos (`data-text`, else `alt`), each once, one paragraph each."""
    if not selector:
        return ""
    captions = (" ".join(str(el.get("data-text") or el.get("alt") or "").split()) for el in body.select(selector))
    return "\n\n".join(c for c in dict.fromkeys(captions) if c)


def _date(soup: Tag, selector: str) -> str:
    el = _select(soup, selector)
    if el is None:
        return ""
    return str(el.get("datetime") or "") or _text(el)


def extract_article(html: str, url: str, profile: Profile, soup: BeautifulSoup | None = None) -> Document:
    """A document from an article page, or ExtractionError saying what is missing. A caller that has parsed
    the page already gives its soup (parsing is most of the time of an import); it is changed here."""
    if is_anti_bot(html):
        raise AntiBotPage('bot-check page ("Data processing... Please, wait." or a JavaScript challenge)')
    if profile.extractor == "trafilatura":
        return _extract_generic(html, url, profile)
    soup = BeautifulSoup(html, "lxml") if soup is None else soup
    article = profile.article
    title = _text(_select(soup, article.get("title", "h1")))
    body = _select(soup, article.get("body", ""))
    if not title:
        raise ExtractionError("no title found")
    if body is None:
        raise ExtractionError("no body text found")
    date_text = _date(soup, article.get("date", ""))  # before the drop: the date may sit in a dropped status line
    captions = photo_captions(body, article.get("captions", ""))  # so may a gallery, in a dropped slider
    for selector in article.get("drop", []):
        for el in body.select(selector):
            el.decompose()
    lead = _text(_select(soup, article.get("lead", "")))
    text = "\n\n".join(t for t in (lead, body_text(body) or captions) if t)  # a gallery's words are its captions
    if len(text) < 20 and date_text and profile.extra.get("title_only_items"):
        text = title  # a dated news item whose title is all it says (kremlin.ru: only a "See also" box below)
    if len(text) < 20:
        raise ExtractionError("the body is empty")
    return _document(
        profile,
        url,
        title,
        text,
        date_text,
        _text(_select(soup, article.get("number", ""))),
        alternates(soup, url),
    )


def extract_attachment(body: bytes, url: str, profile: Profile) -> Document:
    """A document from a file an article links (PDF, Word), or ExtractionError saying why its text is not read."""
    try:
        found = read_attachment(body)
    except AttachmentError as exc:
        raise ExtractionError(str(exc)) from None
    return _document(profile, url, found.title, found.text, "", "")


def _extract_generic(html: str, url: str, profile: Profile) -> Document:
    result = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=True)
    if result is None or not result.text:
        raise ExtractionError("no main text found")
    text = re.sub(r"\n(?=\S)", "\n\n", result.text)  # trafilatura gives one paragraph per line
    # a page without a title (no <title>, no heading) is titled by its first words, as a plain text is
    return _document(profile, url, result.title or opening(text), text, result.date or "", "")


def _document(
    profile: Profile,
    url: str,
    title: str,
    text: str,
    date_text: str,
    number: str,
    others: dict[str, str] | None = None,
) -> Document:
    source_link = SOURCE_LINK.search(text) if profile.source_link else None
    canonical = canonical_url(source_link.group(1)) if source_link else ""
    language = page_language(profile, url, f"{title}\n{text}")
    key = translation_key(profile, canonical or url, others or {})
    if key and language != profile.language_of(url) and profile.languages and profile.default_language:
        key = ""  # a page under /en/ whose text is Russian is the Russian text again, not a translation of it
    return build_document(
        title,
        text,
        url=url,
        source=profile.name,
        source_id=url,
        language=language,
        date=parse_date(date_text) if date_text and not profile.extra.get("date_from_text") else None,
        canonical_url=canonical,
        home=profile.home_party,
        document_number=number,
        translation_key=key,
    )


def page_language(profile: Profile, url: str, text: str) -> str:
    """The language of a page, judged from its text; the URL's (or the profile's) when the text cannot tell."""
    judged = detect_language(text)
    if judged != "und":
        return judged
    return profile.language_of(url) if profile.languages and profile.default_language else ""


def alternates(soup: Tag, url: str) -> dict[str, str]:
    """The page's other-language versions its `<link rel="alternate" hreflang>` names: language → canonical URL."""
    found = {}
    for link in soup.select("link[rel~=alternate][hreflang][href]"):
        language = str(link["hreflang"]).lower().split("-")[0]
        href = canonical_url(urljoin(url, str(link["href"])))
        if language not in ("x", "") and href != canonical_url(url):
            found.setdefault(language, href)
    return found


def translation_key(profile: Profile, url: str, others: dict[str, str]) -> str:
    """One key for a text and its translations: the profile's numeric id (mid.ru serves one id under /ru/, /en/
    and ?lang=), else the first of the page's own and its hreflang alternates' canonical URLs."""
    key = profile.translation_key(url)
    if key or not others:
        return key
    return f"{profile.name}:{min([canonical_url(url), *others.values()])}"


def parse_listing(html: str | BeautifulSoup, url: str, profile: Profile) -> Listing:
    """Article links (with their titles and dates) and the next page of a listing page (its HTML or its soup)."""
    soup = html if isinstance(html, BeautifulSoup) else BeautifulSoup(html, "lxml")
    listing = profile.listing
    items: dict[str, ListingItem] = {}
    for item in soup.select(listing.get("item", "body")):
        for link in item.select(listing.get("link", "a[href]")):
            href = urljoin(url, str(link.get("href", ""))).split("#")[0]
            if href == url or not profile.is_article(href) or href in items or not _same_site(href, url, profile):
                continue
            title = _text(_select(item, listing.get("title", ""))) if "title" in listing else _text(link)
            items[href] = ListingItem(href, title or _text(link), _date(item, listing.get("date", "")))
    next_link = _select(soup, listing.get("next", ""))
    next_url = urljoin(url, str(next_link["href"])) if next_link and next_link.get("href") else None
    return Listing(tuple(items.values()), next_url)


def _host(url: str) -> str:
    return (urlparse(url).netloc or "").lower().removeprefix("www.")


def _same_site(href: str, page: str, profile: Profile) -> bool:
    """Links to the page's own host or the profile's hosts; never off-site."""
    return _host(href) in {_host(page)} | {_host(lang.base_url) for lang in profile.languages.values()}


def page_url(profile: Profile, start_url: str, page: int) -> str:
    """The URL of listing page N from the profile's template (`?PAGEN_1={page}` or `/page/{page}`)."""
    template = profile.listing.get("page_template", "")
    if not template:
        return ""
    if template.startswith("?"):
        return start_url.split("?")[0] + template.format(page=page)
    parsed = urlparse(start_url)
    return f"{parsed.scheme}://{parsed.netloc}{template.format(page=page)}"


@cache
def _profiles() -> dict[str, Profile]:
    return load_profiles()


def profile_for_page(html: str | BeautifulSoup) -> Profile:
    """The shipped profile whose article markup a saved page (its HTML or its soup) shows; the generic one
    when none does."""
    soup = html if isinstance(html, BeautifulSoup) else BeautifulSoup(html, "lxml")
    for profile in _profiles().values():
        body = profile.article.get("body")
        if profile.extractor == "selectors" and body and profile.name != "aggregator" and soup.select_one(body):
            return profile
    if SOURCE_LINK.search(soup.get_text("\n")):
        return _profiles()["aggregator"]
    return _profiles()["generic"]


def _looks_like_listing(soup: BeautifulSoup) -> bool:
    return any(
        p.extractor == "selectors" and len(soup.select(p.listing.get("item", "body"), limit=3)) >= 3
        for p in _profiles().values()
    )


def saved_page_url(soup: BeautifulSoup, name: str) -> str:
    """The URL a saved page was fetched from: canonical link, og:url, else the file's name."""
    for selector, attr in (("link[rel=canonical]", "href"), ("meta[property='og:url']", "content")):
        el = soup.select_one(selector)
        if el and str(el.get(attr, "")).startswith(("http://", "https://")):
            return str(el[attr])
    return f"file:{name}"  # the path under the import root: a/statement.html and b/statement.html are two


def read_html_file(name: str, data: bytes) -> list[Document]:
    """The importer for saved HTML pages (used by `treatysearch import`)."""
    try:
        html = decode_html(data)
        soup = BeautifulSoup(html, "lxml")
        profile = profile_for_page(soup)
        if _looks_like_listing(soup) and not soup.select_one(profile.article.get("body") or "article"):
            raise NotDocuments("a listing page, not a document")
        return [extract_article(html, saved_page_url(soup, name), profile, soup)]  # one parse per page
    except ExtractionError as exc:
        raise ImportFailed(str(exc)) from exc
