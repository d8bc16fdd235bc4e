"""The URL canonicaliser: one spelling per page, whatever variant a link, a feed or a "Source:" line uses."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.urls import canonical_url, same_site, url_language


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("https://www.mid.ru/ru/foreign_policy/news/1803158/", "https://mid.ru/ru/foreign_policy/news/1803158"),
        ("HTTPS://MID.RU:443/ru/foreign_policy/news/1803158", "https://mid.ru/ru/foreign_policy/news/1803158"),
        ("http://en.kremlin.ru:80/events/president/news/63911#top", "http://en.kremlin.ru/events/president/news/63911"),
        ("https://mid.ru/ru/foreign_policy/news/1803158/?lang=ru", "https://mid.ru/ru/foreign_policy/news/1803158"),
        (
            "https://mid.ru/ru/foreign_policy/news/1803158/?lang=EN",
            "https://mid.ru/ru/foreign_policy/news/1803158?lang=en",
        ),
        ("https://mid.ru/ru/news/?utm_source=tg&PAGEN_1=2&fbclid=x", "https://mid.ru/ru/news?PAGEN_1=2"),
        ("https://x.org/a?b=2&a=1", "https://x.org/a?a=1&b=2"),
        ("https://x.org", "https://x.org/"),
        ("http://127.0.0.1:8080//a//b/", "http://127.0.0.1:8080/a/b"),
        ("https://kremlin.ru/%d0%b0/", "https://kremlin.ru/%D0%B0"),
        ("https://kremlin.ru/а", "https://kremlin.ru/%D0%B0"),
    ],
)
def test_variants_of_one_page_have_one_spelling(variant, canonical):
    assert canonical_url(variant) == canonical


def test_what_is_not_a_web_url_stays_as_it_is():
    assert canonical_url("file:statement.html") == "file:statement.html"
    assert canonical_url("") == ""
    assert canonical_url("http://[::1") == "http://[::1"


def test_language_of_a_url_and_same_site():
    assert url_language("https://mid.ru/pt/foreign_policy/news/1792974/?lang=en") == "en"
    assert url_language("https://mid.ru/ru/foreign_policy/news/1792974/") == "ru"
    assert url_language("http://en.kremlin.ru/events/president/news/1") == ""
    assert same_site("https://www.mid.ru/ru/", "https://mid.ru/en/") and not same_site("https://mid.ru", "https://x.ru")


hosts = st.sampled_from(["mid.ru", "www.mid.ru", "MID.ru", "en.kremlin.ru", "127.0.0.1", "[::1]", "xn--80ak6aa92e.com"])
segments = st.lists(st.text(alphabet="abcAZ09-_.~%/ажЁ", max_size=8), max_size=4)
params = st.lists(
    st.tuples(st.sampled_from(["lang", "PAGEN_1", "utm_source", "q", "id", "a b"]), st.text("abcEN12 &=", max_size=4)),
    max_size=4,
)


@st.composite
def urls(draw):
    scheme = draw(st.sampled_from(["http", "https", "HTTP"]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/" + "/".join(draw(segments)) + draw(st.sampled_from(["", "/"]))
    query = "&".join(f"{k}={v}" for k, v in draw(params))
    fragment = draw(st.sampled_from(["", "#top", "#"]))
    return f"{scheme}://{draw(hosts)}{port}{path}{'?' + query if query else ''}{fragment}"


@given(urls())
def test_canonicalising_is_idempotent(url):
    once = canonical_url(url)
    assert canonical_url(once) == once


@given(urls(), st.sampled_from(["www.", ""]), st.sampled_from(["", "/", "#x"]), st.sampled_from(["", "utm_medium=x"]))
def test_variants_of_a_url_stay_equal(url, www, tail, tracking):
    """Adding www., a trailing slash, a fragment or a tracking parameter never changes the canonical URL."""
    scheme, rest = url.split("://", 1)
    base = rest.partition("#")[0]
    host_end = base.find("/")
    host, path = base[:host_end], base[host_end:]
    path, _, query = path.partition("?")
    query = "&".join(q for q in (query, tracking) if q)
    if tail == "/" and not path.endswith("/"):
        path += "/"
    variant = (
        f"{scheme}://{www if not host.lower().startswith('www.') else ''}{host}{path}{'?' + query if query else ''}"
    )
    variant += "#x" if tail == "#x" else ""
    assert canonical_url(variant) == canonical_url(url)
