"""Pure extraction: real kremlin.ru pages (golden fields), the hand-made mid.ru and aggregator pages."""

import datetime as dt
from pathlib import PurePosixPath

import pytest

from crawler.extract import (
    AntiBotPage,
    decode_html,
    extract_article,
    is_anti_bot,
    page_url,
    parse_listing,
    profile_for_page,
    read_html_file,
)
from crawler.profiles import load_profiles, parse_profile
from tests.site import FIXTURES, restore_links

PROFILES = load_profiles()
NEWS = "kremlin_en_html/pages/en.kremlin.ru/events/president/news"


def kremlin_page(corpus_dir, name):
    return (corpus_dir / NEWS / name).read_text("utf-8")


@pytest.mark.parametrize(
    ("name", "title_start", "date", "parties", "first", "last"),
    [
        (
            "63277.html",
            "Joint statement by President of the Russian Federation Vladimir Putin and President of the United States",
            dt.date(2020, 4, 25),
            ("RUS", "USA"),
            "April 25, 2020, marks the 75th Anniversary",
            "heroic feat will never be forgotten.",
        ),
        (
            "33667.html",
            "The Joint Declaration between the Russian Federation and the People",
            dt.date(2005, 7, 1),
            ("RUS",),  # news that the declaration was signed: kremlin.ru published it alone (issue 12)
            None,
            None,
        ),
    ],
)
def test_kremlin_articles(corpus_dir, name, title_start, date, parties, first, last):
    url = f"http://en.kremlin.ru/events/president/news/{name[:-5]}"
    doc = extract_article(kremlin_page(corpus_dir, name), url, PROFILES["kremlin"])
    assert doc.title.startswith(title_start) and doc.date == date and doc.parties == parties
    assert doc.language == "en" and doc.source == "kremlin" and doc.translation_key == f"kremlin:{name[:-5]}"
    noise = ("Geography", "Topics", "Persons", "Publication status", "Direct link", "Text version", "See also")
    assert not [c for c in doc.clauses if any(n in c.text for n in noise)]
    if first:
        assert doc.clauses[0].text.startswith(first) and doc.clauses[-1].text.endswith(last)


def test_kremlin_see_also_box_is_not_body(corpus_dir):
    doc = extract_article(  # a title-only news item with a "See also" box: the title is all it says
        kremlin_page(corpus_dir, "28119.html"), "http://en.kremlin.ru/events/president/news/28119", PROFILES["kremlin"]
    )
    assert doc.text == doc.title and doc.clauses == () and doc.date == dt.date(2003, 2, 10)
    assert (doc.doc_type, doc.parties) == ("news", ("RUS",))


GALLERY = """<html><body><article class="read__in hentry h-entry">
<h1 class="entry-title">Visit to a shipyard</h1>
<div class="read__lead">{lead}</div>
<time class="read__published" datetime="2019-06-03">June 3, 2019</time>
<div class="entry-content e-content read__internal_content">
 <div class="slider masha-ignore"><div class="slider__slides">
  <div class="slide"><div class="slider__block" data-text="At the  shipyard.">
   <img alt="At the shipyard." data-text="At the shipyard."></div></div>
  <div class="slide"><div class="slider__block" data-text="With the&#160;Governor of the Region.">
   <img alt="With the Governor of the Region."></div></div>
  <div class="slide"><div class="slider__block" data-text="At the shipyard."><img></div></div>
 </div><div class="slider__description"><div class="slider_caption">1 of 3</div></div></div>
 <div class="read__bottommeta hidden-copy"><div class="read__tags"><h3>Geography</h3><a rel="tag">Region</a></div>
  <div class="read__status"><h3>Publication status</h3><p>Direct link: en.kremlin.ru/d/1</p></div></div>
 <div class="read__also see-also"><h3>See also</h3><a href="/events/president/news/2">Another item</a></div>
</div></article></body></html>"""


@pytest.mark.parametrize("lead", ["", "<p>The President toured the yard and met its workers.</p>"])
def test_kremlin_gallery_item_is_its_lead_and_captions(lead):
    """A photo gallery with no text of its own is stored by what the page says: its lead, then each caption once."""
    url = "http://en.kremlin.ru/events/president/news/1"
    doc = extract_article(GALLERY.format(lead=lead), url, PROFILES["kremlin"])
    captions = ["At the shipyard.", "With the Governor of the Region."]
    expected = (["The President toured the yard and met its workers."] if lead else []) + captions
    assert doc.text.split("\n\n") == expected
    assert (doc.doc_type, doc.date) == ("news", dt.date(2019, 6, 3))
    noise = ("Geography", "Publication status", "Direct link", "See also", "Another item", "1 of 3")
    assert not [n for n in noise if n in doc.text]


def test_kremlin_gallery_page(corpus_dir):
    doc = extract_article(  # a real gallery item: no text of its own, two captions
        kremlin_page(corpus_dir, "34561.html"), "http://en.kremlin.ru/events/president/news/34561", PROFILES["kremlin"]
    )
    assert doc.doc_type == "news" and doc.date is not None and doc.text != doc.title
    assert doc.text.startswith("Meeting with the foreign and defence ministers") and len(doc.text.split("\n\n")) == 2


def test_kremlin_listing_page(corpus_dir):
    saved = (corpus_dir / NEWS / "page" / "2.html").read_text("utf-8")
    html = restore_links(saved, PurePosixPath("/events/president/news/page/2"))  # as the site serves it
    listing = parse_listing(html, "http://en.kremlin.ru/events/president/news/page/2", PROFILES["kremlin"])
    assert len(listing.items) == 20
    first = listing.items[0]
    assert first.url == "http://en.kremlin.ru/events/president/news/63911"
    assert first.title.startswith("Greetings on opening of Biryusa 2020") and first.date == "2020-08-19"
    assert listing.next_url == "http://en.kremlin.ru/events/president/news/page/3"
    off_site = parse_listing(
        saved.replace("../63911.html", "http://elsewhere.example/events/president/news/63911"),
        "http://en.kremlin.ru/events/president/news/page/2",
        PROFILES["kremlin"],
    )
    assert "http://elsewhere.example/events/president/news/63911" not in {i.url for i in off_site.items}


def test_saved_kremlin_page_imports_with_its_url(corpus_dir):
    (doc,) = read_html_file("63277.html", (corpus_dir / NEWS / "63277.html").read_bytes())
    assert doc.url == "http://en.kremlin.ru/events/president/news/63277"


def test_a_saved_page_is_parsed_once_and_reads_as_the_crawler_reads_it(corpus_dir, monkeypatch):
    import crawler.extract as extract

    html = kremlin_page(corpus_dir, "63277.html")
    expected = extract_article(html, "http://en.kremlin.ru/events/president/news/63277", profile_for_page(html))
    parses = []

    class CountedSoup(extract.BeautifulSoup):
        def __init__(self, *args: object) -> None:
            parses.append(args)
            super().__init__(*args)

    monkeypatch.setattr(extract, "BeautifulSoup", CountedSoup)
    assert read_html_file("63277.html", html.encode()) == [expected]
    assert len(parses) == 1  # the import of a page used to parse it three times: most of its time


def test_midru_article_fixture():
    html = (FIXTURES / "midru" / "article_1803158_ru.html").read_text("utf-8")
    doc = extract_article(html, "https://mid.ru/ru/foreign_policy/news/1803158/", PROFILES["mid"])
    assert doc.title.startswith("Совместное заявление министров иностранных дел")
    assert (doc.date, doc.document_number, doc.language, doc.doc_type) == (
        dt.date(2022, 3, 5),
        "312-05-03-2022",
        "ru",
        "joint_statement",
    )
    assert doc.parties == ("KGZ", "RUS") and doc.translation_key == "mid:1803158"
    assert [c.text[:20] for c in doc.clauses] == [
        "По приглашению Минис",
        "Стороны подтвердили ",
        "Стороны продолжат вз",
    ]
    english = extract_article(
        (FIXTURES / "midru" / "article_1803158_en.html").read_text("utf-8"),
        "https://mid.ru/en/foreign_policy/news/1803158/",
        PROFILES["mid"],
    )
    assert english.language == "en" and english.translation_key == doc.translation_key and english.id != doc.id


def test_midru_listing_and_page_template():
    html = (FIXTURES / "midru" / "news_page1.html").read_text("utf-8")
    listing = parse_listing(html, "https://mid.ru/ru/foreign_policy/news/", PROFILES["mid"])
    assert [i.url for i in listing.items] == [
        f"https://mid.ru/ru/foreign_policy/news/{n}/" for n in (1803158, 1803100, 1803050)
    ]
    assert listing.items[0].date == "05.03.2022"
    assert listing.next_url == "https://mid.ru/ru/foreign_policy/news/?PAGEN_1=2"
    assert page_url(PROFILES["mid"], "https://mid.ru/ru/foreign_policy/news/", 3) == (
        "https://mid.ru/ru/foreign_policy/news/?PAGEN_1=3"
    )
    assert PROFILES["mid"].wants(listing.items[0].title) and not PROFILES["mid"].wants(listing.items[1].title)


def test_aggregator_copy_points_at_its_source():
    html = (FIXTURES / "aggregator" / "post.html").read_text("utf-8").replace("{MID}", "https://www.mid.ru")
    doc = extract_article(html, "https://digest.example/2024/04/24/joint/", PROFILES["aggregator"])
    assert doc.canonical_url == "https://mid.ru/en/foreign_policy/news/1803158"  # canonical: www. and / are variants
    assert doc.date == dt.date(2022, 3, 3)  # the text's date, not the post's
    texts = [c.text for c in doc.clauses]
    assert len(texts) == 3 and not [t for t in texts if "Share" in t or "Source" in t or "Google+" in t]
    assert profile_for_page(html).name == "aggregator"


def test_generic_profile_uses_a_main_text_extractor():
    html = (
        "<html><head><title>Joint Communiqué of Armenia and Georgia</title></head><body><nav>Home | About</nav>"
        "<article><h1>Joint Communiqué of Armenia and Georgia</h1>"
        + "".join(f"<p>Paragraph {n}: the Parties agreed to develop cooperation in many fields.</p>" for n in range(6))
        + "</article><footer>Copyright</footer></body></html>"
    )
    doc = extract_article(html, "https://example.org/communique", PROFILES["generic"])
    assert doc.doc_type == "communique" and doc.parties == ("ARM", "GEO") and len(doc.clauses) == 6
    assert not [c for c in doc.clauses if "Copyright" in c.text or "Home" in c.text]


def test_anti_bot_pages_are_recognised():
    page = "<html><body><p>Data processing... Please, wait.</p><script>location.reload()</script></body></html>"
    assert is_anti_bot(page)
    with pytest.raises(AntiBotPage):
        extract_article(page, "https://mid.ru/ru/foreign_policy/news/1/", PROFILES["mid"])
    assert not is_anti_bot((FIXTURES / "midru" / "article_1803158_ru.html").read_text("utf-8"))


def test_charsets():
    cp1251 = (FIXTURES / "midru" / "article_1760000.cp1251.html").read_bytes()
    assert "Меморандум" in decode_html(cp1251)  # no charset in a header, meta says windows-1251
    assert "Меморандум" in decode_html(cp1251, "utf-8")  # a wrong header charset
    bare = "<p>Стороны договорились о сотрудничестве в области культуры и образования.</p>".encode("cp1251")
    assert "Стороны" in decode_html(bare)


def test_user_profiles_are_data(tmp_path):
    (tmp_path / "kazmfa.toml").write_text(
        'name = "kazmfa"\nhome_party = "KAZ"\n[languages.ru]\nbase_url = "https://www.gov.kz"\n'
        'start = ["/memleket/entities/mfa/press/news"]\n[listing]\nitem = "div.news"\nlink = "a"\n'
        '[article]\nurl_pattern = "/news/details/"\ntitle = "h1"\nbody = "div.content"\n'
    )
    profiles = load_profiles(tmp_path)
    assert profiles["kazmfa"].home_party == "KAZ" and "mid" in profiles
    with pytest.raises(Exception, match="missing article"):
        parse_profile('name = "x"\n[languages.en]\nbase_url = "http://x"\n[listing]\n', "x.toml")


def midru_fixture(name):
    return (FIXTURES / "midru" / name).read_text("utf-8")


def test_midru_pairs_are_linked_by_their_numeric_id_and_the_language_is_read_from_the_text():
    mid = PROFILES["mid"]
    ru = extract_article(midru_fixture("article_1803158_ru.html"), "https://mid.ru/ru/foreign_policy/news/1803158", mid)
    # the English text under a Russian path with ?lang=en, and under another prefix: one id, one key
    lang_en = extract_article(
        midru_fixture("article_1803158_en.html"), "https://mid.ru/ru/foreign_policy/news/1803158?lang=en", mid
    )
    pt_en = extract_article(
        midru_fixture("article_1803158_en.html"), "https://mid.ru/pt/foreign_policy/news/1803158?lang=en", mid
    )
    assert (lang_en.language, pt_en.language, ru.language) == ("en", "en", "ru")
    assert lang_en.translation_key == pt_en.translation_key == ru.translation_key == "mid:1803158"
    # an /en/ page that shows the Russian text (no translation yet) is Russian, and no translation of itself
    untranslated = extract_article(
        midru_fixture("article_1803158_ru.html"), "https://mid.ru/en/foreign_policy/news/1803158", mid
    )
    assert untranslated.language == "ru" and untranslated.translation_key == ""


def test_old_archive_midru_asset_publisher_urls_are_articles():
    mid = PROFILES["mid"]
    old = "https://archive.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/2717182"
    assert mid.is_article(old) and mid.translation_key(old) == "mid:2717182"
    assert mid.is_article("https://www.mid.ru/en/vizity-ministra/-/asset_publisher/ICoYBGcCUgTR/content/id/4404234")
    assert not mid.is_article("https://archive.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw")


def kremlin_transcript(language, title, text, own, other):
    """A hand-made page in kremlin.ru's article layout with its hreflang alternate."""
    return (
        f'<html lang="{language}"><head><link rel="alternate" hreflang="{language}" href="{own}"/>'
        f'<link rel="alternate" hreflang="{"ru" if language == "en" else "en"}" href="{other}"/></head><body>'
        f'<article class="read__in hentry h-entry"><h1 class="entry-title p-name">{title}</h1>'
        '<time class="read__published" datetime="2020-01-15">15.01.2020</time>'
        f'<div class="entry-content e-content read__internal_content"><p>{text}</p></div></article></body></html>'
    )


def test_kremlin_hreflang_alternates_link_a_text_and_its_translation():
    kremlin = PROFILES["kremlin"]
    en_url, ru_url = (
        "http://en.kremlin.ru/events/president/transcripts/62582",
        "http://kremlin.ru/events/president/transcripts/62582/",
    )
    en = extract_article(
        kremlin_transcript(
            "en", "Meeting with the Government", "The President met the members of the Government.", en_url, ru_url
        ),
        en_url,
        kremlin,
    )
    ru = extract_article(
        kremlin_transcript(
            "ru", "Встреча с членами Правительства", "Президент провёл встречу с членами Правительства.", ru_url, en_url
        ),
        ru_url,
        kremlin,
    )
    assert (en.language, ru.language) == ("en", "ru")
    assert en.translation_key == ru.translation_key == "kremlin:http://en.kremlin.ru/events/president/transcripts/62582"


def test_an_aggregator_copy_whose_source_link_says_www_meets_its_original(tmp_path):
    from corpus.sqlite_store import SQLiteStore
    from corpus.urls import canonical_url

    store = SQLiteStore(tmp_path / "corpus.sqlite3")
    original_url = canonical_url("https://mid.ru/en/foreign_policy/news/1803158/")  # as the crawler keys it
    original = extract_article(midru_fixture("article_1803158_en.html"), original_url, PROFILES["mid"])
    post = (FIXTURES / "aggregator" / "post.html").read_text("utf-8").replace("{MID}", "https://www.mid.ru")
    copy = extract_article(post, "https://digest.example/2024/04/24/joint", PROFILES["aggregator"])
    assert store.save(original).status == "new"
    assert store.save(copy).status == "duplicate"
    assert [loc.url for loc in store.locations(original.id)] == ["https://digest.example/2024/04/24/joint"]


def test_saved_listing_pages_are_listed_as_not_documents_not_failed(corpus_dir, tmp_path):
    from corpus.importers import import_paths
    from corpus.sqlite_store import SQLiteStore

    report = import_paths(SQLiteStore(tmp_path / "c.sqlite3"), [corpus_dir / NEWS / "page"], {".html": read_html_file})
    assert report.counts["failed"] == 0 and report.counts["new"] == 0 and not report.problems
    assert len(report.unread) >= 3
    assert {reason for _, reason in report.unread} == {"a listing page, not a document"}


def test_a_saved_page_without_a_title_is_titled_by_its_first_words():
    html = (
        "<html><body><p>Joint statement of the Republic of Utopia and the Kingdom of Arcadia on trade and"
        " fisheries cooperation</p><p>The Sides agree to meet again in the spring of next year.</p></body></html>"
    )
    (doc,) = read_html_file("untitled.html", html.encode())
    assert doc.title == "Joint statement of the Republic of Utopia and the Kingdom of Arcadia …"
