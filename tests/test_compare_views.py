"""The comparison pages through Flask's test client: order, faithful columns, modes, downloads, genealogy,
series start, "compare with…" and picking two search hits (the app fixture of test_webui, both backends)."""

import io

from bs4 import BeautifulSoup

from tests import test_webui
from tests.test_webui import pair_ids, soup

app, client = test_webui.app, test_webui.client  # the same fixtures


def test_the_older_document_is_on_the_left_unless_the_order_is_asked_for(app, client):
    old, new = pair_ids(app)
    page = soup(client.get(f"/compare?a={new.id}&b={old.id}"))
    assert page.select_one("#doc-a")["href"] == f"/documents/{old.id}"
    given = soup(client.get(f"/compare?a={new.id}&b={old.id}&order=given"))
    assert given.select_one("#doc-a")["href"] == f"/documents/{new.id}"
    assert given.select_one("#swap")["href"] == f"/compare?a={old.id}&b={new.id}&order=given"


def test_each_column_shows_its_own_documents_clauses(app, client):
    old, new = pair_ids(app)
    page = soup(client.get(f"/compare?a={old.id}&b={new.id}"))
    data = client.get(f"/compare.json?a={old.id}&b={new.id}").get_json()
    texts = {side: {u["number"]: u["text"] for u in data[f"units_{side}"]} for side in "ab"}
    for row, pair in zip(page.select("#aligned tr.row"), data["pairs"], strict=True):
        for side in "ab":
            shown = row.select_one(f"td.{side} .words")
            wanted = " ".join(texts[side][n] for n in pair[side])
            assert (shown.get_text(" ", strip=True) if shown else "") == " ".join(wanted.split())
    assert page.select_one("#aligned thead th.a").get_text().startswith("A · " + old.title[:20])
    assert {r["data-confidence"] for r in page.select("#aligned tr.row")} <= {"strong", "weak", ""}
    assert page.select("#map line")


def test_the_inline_redline_and_its_downloads(app, client):
    old, new = pair_ids(app)
    page = soup(client.get(f"/compare?a={old.id}&b={new.id}&mode=inline"))
    rows = page.select("#aligned tr.row td.inline")
    assert rows and page.select_one("#aligned td.inline ins").text == "and alliance."
    assert page.select_one("#mode-side") is not None and page.select("#aligned td.a") == []
    html = client.get(page.select_one("#download-html")["href"])
    assert html.mimetype == "text/html" and "attachment" in html.headers["Content-Disposition"]
    assert BeautifulSoup(html.data, "lxml").select("p.added ins")
    from docx import Document as Word

    word = Word(io.BytesIO(client.get(page.select_one("#download-docx")["href"]).data))
    assert any(r.font.underline for p in word.paragraphs for r in p.runs)


def test_the_document_page_links_genealogy_series_start_and_a_search_to_compare(app, client):
    _, new = pair_ids(app)
    page = soup(client.get(f"/documents/{new.id}"))
    assert page.select_one("#genealogy-link")["href"] == f"/documents/{new.id}/genealogy"
    assert f"start={new.id}" in page.select_one("#series-link")["href"]
    box = page.select_one("form.compare-search")
    assert box["action"] == "/search" and box.select_one('input[name="compare_with"]')["value"] == new.id
    hits = soup(client.get(f"/search?q=cooperation&compare_with={new.id}"))
    link = hits.select_one("#results li.hit a.compare-with")["href"]
    assert link.startswith(f"/compare?a={new.id}&b=")


def test_genealogy_traces_each_clause_through_earlier_documents(app, client):
    old, new = pair_ids(app)
    data = client.get(f"/documents/{new.id}/genealogy.json").get_json()
    assert data["documents"][-1]["id"] == new.id and old.id in [d["id"] for d in data["documents"]]
    first = data["clauses"][0]
    assert first["first_seen"]["doc_id"] == old.id and first["first_seen"]["kind"] == "reworded"
    assert data["clauses"][2]["first_seen"] is None  # "The Sides condemn terrorism." is new in 2022
    page = soup(client.get(f"/documents/{new.id}/genealogy"))
    assert page.select_one("#clause-1 td.first").text.startswith(str(old.date))
    assert soup(client.get(f"/documents/{old.id}/genealogy")).select("#series-table tbody tr td.first")
    assert client.get("/documents/nope/genealogy").status_code == 404


def test_a_series_starts_from_the_picked_document(app, client):
    old, new = pair_ids(app)
    data = client.get(f"/series.json?party=RUS&party=KGZ&lang=en&start={old.id}").get_json()
    assert data["documents"][-1]["id"] == old.id
    page = soup(client.get("/series?party=RUS&party=KGZ&lang=en"))
    assert page.select_one("#start option[selected]")["value"] == new.id


def test_two_search_hits_can_be_compared(app, client):
    old, new = pair_ids(app)
    page = soup(client.get("/search?q=cooperation"))
    assert len(page.select('#results input[name="pick"][form="compare-picks"]')) == 5
    response = client.get(f"/compare/picks?pick={new.id}&pick={old.id}")
    assert response.status_code == 302 and response.headers["Location"] == f"/compare?a={new.id}&b={old.id}"
    assert client.get(f"/compare/picks?pick={new.id}").status_code == 400


def test_the_index_gives_document_frequencies_for_stem_rarity(app):
    index = app.extensions["treatysearch"]["index"]
    total, found = index.document_frequencies(["cooperation", "the", "zzzqx", "terrorism"])
    assert total == index.count() and found["the"] == total and found["zzzqx"] == 0
    assert 0 < found["terrorism"] < found["cooperation"] < total


def test_stem_rarity_from_the_whole_index_on_request(app, client):
    old, new = pair_ids(app)
    pair = client.get(f"/compare.json?a={old.id}&b={new.id}").get_json()
    corpus = client.get(f"/compare.json?a={old.id}&b={new.id}&rarity=corpus").get_json()
    assert "among the clauses of the two documents" in pair["summary"]["method"]
    assert "in the whole index" in corpus["summary"]["method"] and corpus["options"]["rarity"] == "corpus"
    assert [p["b"] for p in corpus["pairs"]] == [p["b"] for p in pair["pairs"]]


def test_headings_are_section_rows_and_numbers_are_the_printed_labels(app, client):
    from corpus.documents import build_document

    store = app.extensions["treatysearch"]["store"]
    texts = [
        "## Trade\n\nArticle 1. The Parties shall reduce customs duties on goods of the other Party every year.\n\n"
        "## Culture\n\nArticle 2. The Parties shall open cultural centres in the capitals of both countries.",
        "## Trade\n\nArticle 1. The Parties shall abolish customs duties on goods of the other Party by 2030.\n\n"
        "## Culture and education\n\nArticle 2. The Parties shall open cultural centres in the capitals of both "
        "countries.",
    ]
    docs = [
        build_document(f"Agreement {n}", t, url=f"https://example.org/agreement-{n}", source="other")
        for n, t in enumerate(texts)
    ]
    store.save_many(docs)
    page = soup(client.get(f"/compare?a={docs[0].id}&b={docs[1].id}"))
    sections = [(r.select_one("th.a").text, r.select_one("th.b").text) for r in page.select("#aligned tr.section")]
    assert sections == [("Trade", "Trade"), ("Culture", "Culture and education")]
    assert [r["data-kind"] for r in page.select("#aligned tr.row")] == ["reworded", "identical"]
    assert [a.text for a in page.select("#aligned tr.row td.b a.num")] == ["Article 1", "Article 2"]


def test_genealogy_filters_by_years(app, client):
    old, new = pair_ids(app)
    data = client.get(f"/documents/{new.id}/genealogy.json?from=2018").get_json()
    assert old.id not in [d["id"] for d in data["documents"]]
    assert all(d["date"] >= "2018" for d in data["documents"])


def test_a_moved_block_is_listed_with_where_it_went(app, client):
    from corpus.documents import build_document
    from tests.test_compare_align import BASE

    store = app.extensions["treatysearch"]["store"]
    moved = [
        "The Sides agreed to hold consultations on cybersecurity and on the security of information technologies.",
        "The Sides agreed to expand direct flights between their capitals and to simplify visa procedures for youth.",
    ]
    texts = ["\n\n".join(BASE + moved), "\n\n".join(moved + BASE)]
    docs = [
        build_document(f"Statement {n}", t, url=f"https://example.org/statement-{n}", source="other")
        for n, t in enumerate(texts)
    ]
    store.save_many(docs)
    page = soup(client.get(f"/compare?a={docs[0].id}&b={docs[1].id}"))
    (block,) = page.select("#moved-blocks li")
    assert block.get_text(" ", strip=True) == "A 6–7 moved to the front , now B 1–2 (2 clauses)"
    assert block.select_one("a")["href"] == "#row-b1" and page.select_one("#row-b1") is not None


def test_a_genealogy_reads_the_earlier_documents_most_like_it_and_says_what_it_left_out(app, client, monkeypatch):
    """US–Japan 2025's genealogy read only the 20 newest of 53 earlier texts, saying nothing, and so dated a clause
    of 2021 to 2024; now it reads those most like it and says how many it left out."""
    import webui.compare

    old, new = pair_ids(app)
    monkeypatch.setattr(webui.compare, "GENEALOGY_SIZE", 1)
    data = client.get(f"/documents/{new.id}/genealogy.json").get_json()
    assert [d["id"] for d in data["documents"]] == [old.id, new.id]  # the most like it, not the newest
    earlier = int(data["cut"].split(" of ")[1].split()[0])
    assert earlier > 1 and data["cut"] == f"only the 1 of {earlier} earlier documents most like it are read"
    page = soup(client.get(f"/documents/{new.id}/genealogy"))
    assert "most like it are read" in page.select_one("#cut").text
    monkeypatch.setattr(webui.compare, "SERIES_SIZE", 1)
    cut = client.get("/series.json?party=RUS&party=KGZ").get_json()["cut"]
    assert cut.startswith("only the newest 1 of ") and "; for older ones, add to=" in cut


def test_an_empty_year_range_is_a_clear_error(app, client):
    _, new = pair_ids(app)
    for path in (f"/documents/{new.id}/genealogy?from=2030&to=2000", "/series?party=RUS&party=KGZ&from=2024&to=2023"):
        response = client.get(path)
        assert response.status_code == 400 and "is empty" in response.get_data(as_text=True)


def test_a_series_is_of_two_to_ten_parties(app, client):
    """A statement of 48 members linked a series of all 48 that read no earlier document; now it has none."""
    many = "&".join(f"party=P{n:02d}" for n in range(11))
    response = client.get(f"/series?{many}")
    assert response.status_code == 400 and "2 to 10 parties" in response.get_data(as_text=True)
    store = app.extensions["treatysearch"]["store"]
    _, new = pair_ids(app)
    wide = new.replace(source_id="wide", parties=tuple(f"P{n:02d}" for n in range(11)))
    store.save(wide)
    assert soup(client.get(f"/documents/{wide.id}")).select_one("#series-link") is None
    assert soup(client.get(f"/documents/{new.id}")).select_one("#series-link") is not None
