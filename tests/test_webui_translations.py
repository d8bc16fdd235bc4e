"""A document and its translation: "also in Russian / English", and both side by side, clause by clause."""

from contextlib import contextmanager

from bs4 import BeautifulSoup

from corpus.documents import build_document
from indexer.backends import update_search
from webui import create_app

KEY = "mid:1803158"


def pair():
    """A hand-made Russian text and its English translation (one clause more)."""
    ru = build_document(
        "Совместное заявление России и Киргизии",
        "1. Стороны подтвердили союзничество.\n\n2. Стороны продолжат сотрудничество.",
        url="https://mid.ru/ru/foreign_policy/news/1803158",
        source="mid",
        translation_key=KEY,
    )
    en = build_document(
        "Joint statement of Russia and Kyrgyzstan",
        "1. The Sides reaffirmed their alliance.\n\n2. The Sides will continue cooperation.\n\n3. Done in Moscow.",
        url="https://mid.ru/en/foreign_policy/news/1803158",
        source="mid",
        translation_key=KEY,
    )
    return ru, en


@contextmanager
def served(store, tmp_path):
    """A test client of the web UI over the store, indexed."""
    update_search(store, tmp_path / "index")
    app = create_app(
        {"STORE": store, "INDEX_PATH": str(tmp_path / "index"), "DATA_DIR": str(tmp_path), "TESTING": True}
    )
    try:
        yield app.test_client()
    finally:
        app.extensions["treatysearch"]["index"].close()


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    return BeautifulSoup(response.data, "lxml")


def test_a_document_says_also_in_english_and_opens_both_side_by_side(store, tmp_path):
    ru, en = pair()
    store.save_many([ru, en])
    with served(store, tmp_path) as client:
        also = page(client, f"/documents/{ru.id}").select_one("#also-in")
        assert also.select_one("a[hreflang=en]").get_text() == "English"
        side = also.select_one("a.side-by-side")["href"]
        assert side == f"/documents/{ru.id}/translation/{en.id}"
        rows = page(client, side).select("#side-by-side tbody tr")
        cells = [[td.get_text(" ", strip=True) for td in row.select("td")] for row in rows]
        assert cells == [
            ["1 Стороны подтвердили союзничество.", "1 The Sides reaffirmed their alliance."],  # label, text
            ["2 Стороны продолжат сотрудничество.", "2 The Sides will continue cooperation."],
            ["", "3 Done in Moscow."],
        ]
        back = page(client, f"/documents/{en.id}").select_one("#also-in a[hreflang=ru]").get_text()
        assert back == "Russian"
        assert client.get(f"/documents/{ru.id}/translation/{ru.id}").status_code == 404  # not its own translation


def test_a_text_read_two_ways_in_one_language_lists_the_other_reading_with_a_comparison(store, tmp_path):
    key = "manytreaties:AFG-RUS[TCP]_1935A"
    raw, formatted = (
        build_document(
            "AGREEMENT ON LOCUSTS",
            text,
            url="file:AFG-RUS[TCP]_1935A.txt",
            source="manytreaties",
            source_id=f"{folder}/AFG-RUS[TCP]_1935A.txt",
            translation_key=key,
        )
        for folder, text in (
            ("Raw", "1. The Parties shall\nfight locusts."),
            ("Formatted", "1. The Parties fight locusts."),
        )
    )
    store.save_many([raw, formatted])
    with served(store, tmp_path) as client:
        html = page(client, f"/documents/{raw.id}")
        assert html.select_one("#also-in") is None and html.select_one("#translations") is None  # no other language
        reading = html.select_one("#other-readings li")
        assert reading.select_one("a")["href"] == f"/documents/{formatted.id}"
        assert "Formatted/AFG-RUS[TCP]_1935A.txt" in reading.get_text()
        compare = reading.select_one("a.compare-reading")["href"]
        assert compare == f"/compare?a={raw.id}&b={formatted.id}"
        assert client.get(compare).status_code == 200
