"""Files an article links (mid.ru attachments): their text read from hand-made PDF and Word files, and a crawl
that follows them from a mid.ru-shaped article."""

import dataclasses
import datetime as dt

import pytest

from crawler.archive import WarcArchive
from crawler.attachments import AttachmentError, attachment_kind, read_attachment, reflow
from crawler.crawl import Crawler, CrawlOptions
from crawler.fetch import Fetcher
from crawler.profiles import Language, load_profiles
from tests.site import Reply, Site, article, hand_made_docx, hand_made_pdf

PDF_LINES = [
    "AGREEMENT between the Parties on the protection of fisheries",
    "1. The Parties shall cooper-",
    "ate in the protection of fish stocks",
    "of the northern seas.",
    "2. This Agreement enters into force",
    "on the date of its signature.",
    "Done at Moscow on 5 March 2022.",
]
DOCX = {
    "title": "Совместное заявление о сотрудничестве в области рыболовства",
    "heading": "СОВМЕСТНОЕ ЗАЯВЛЕНИЕ",
    "paragraphs": ["Стороны договорились о сотрудничестве в области рыболовства.", "Москва, 5 марта 2022 года."],
    "table": [["За Российскую Федерацию", "За Республику Исландия"], ["(подпись)", "(подпись)"]],
}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def test_a_pdf_gives_its_title_and_paragraphs_with_broken_words_joined():
    found = read_attachment(hand_made_pdf("Agreement on the protection of fisheries", PDF_LINES))
    assert found.title == "Agreement on the protection of fisheries"
    assert found.text.split("\n\n") == [
        "AGREEMENT between the Parties on the protection of fisheries",
        "1. The Parties shall cooperate in the protection of fish stocks of the northern seas.",
        "2. This Agreement enters into force on the date of its signature.",
        "Done at Moscow on 5 March 2022.",
    ]


def test_a_word_file_gives_its_heading_paragraphs_and_table_in_order():
    found = read_attachment(hand_made_docx(**DOCX))
    assert found.title == DOCX["title"]
    assert found.text.split("\n\n") == [
        "## СОВМЕСТНОЕ ЗАЯВЛЕНИЕ",
        *DOCX["paragraphs"],
        "За Российскую Федерацию | За Республику Исландия",
        "(подпись)",  # a row of equal cells once
    ]


def test_a_title_that_only_names_the_file_gives_way_to_the_first_line():
    found = read_attachment(hand_made_docx("Microsoft Word - zayavlenie.doc", "Joint Statement", ["The text."]))
    assert found.title == "Joint Statement"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (OLE, "a Word 97-2003 (.doc) file: no reader for its text"),
        (b"<html><body>not a file</body></html>", "not a PDF or Word (.docx) file"),
        (hand_made_pdf("Scan", []), "a PDF without a text layer (a scan?)"),
        (hand_made_pdf("Cut", PDF_LINES)[:300], "not a readable PDF"),
        (b"PK\x03\x04word/" + b"\0" * 100, "not a readable Word file"),
    ],
)
def test_a_file_without_readable_text_says_why(body, reason):
    with pytest.raises(AttachmentError) as error:
        read_attachment(body)
    assert str(error.value).startswith(reason)


def test_kinds_are_told_by_the_first_bytes():
    assert [attachment_kind(b) for b in (hand_made_pdf("t", ["x"]), hand_made_docx("t", "h", []), OLE, b"<html>")] == [
        "pdf",
        "docx",
        "doc",
        "",
    ]


def test_reflow_keeps_numbered_points_and_blank_lines_apart():
    assert reflow(["Preamble line one", "and two", "", "a) first point", "b) second point"]) == [
        "Preamble line one and two",
        "a) first point",
        "b) second point",
    ]


def attachment_site(files):
    """A mid.ru-shaped site: one news item (a joint statement) that links the files under /upload/."""
    links = "".join(f'<p><a href="/upload/iblock/a1b/{name}">{name}</a></p>' for name in files)
    links += '<p><a href="https://elsewhere.example/upload/other.pdf">elsewhere</a></p>'

    def routes(path, site):
        if path == "/en/foreign_policy/news/":
            return Reply(
                body=b'<ul><li class="announce__item"><span class="announce__date">05.03.2022</span>'
                b'<a class="announce__link" href="/en/foreign_policy/news/2000001/">Joint statement on fisheries</a>'
                b"</li></ul>"
            )
        if path == "/en/foreign_policy/news/2000001/":
            body = "<p>Russia and Iceland signed a joint statement and an agreement on fisheries.</p>" + links
            return Reply(body=article("Joint statement on fisheries", body).encode())
        name = path.removeprefix("/upload/iblock/a1b/")
        if name in files:
            return Reply(body=files[name], content_type="application/octet-stream")
        return None

    return routes


def test_a_crawl_follows_an_articles_pdf_and_word_files_and_stores_their_text(store, tmp_path):
    files = {
        "statement.docx": hand_made_docx(**DOCX),
        "agreement.PDF": hand_made_pdf("Agreement on the protection of fisheries", PDF_LINES),
        "annex.doc": OLE,
    }
    with Site(attachment_site(files)) as site:
        mid = load_profiles()["mid"]
        profile = dataclasses.replace(mid, languages={"en": Language("en", site.url, ("/en/foreign_policy/news/",))})
        fetcher = Fetcher("treatysearch-test", delay=0, timeout=5)
        with WarcArchive(tmp_path) as archive:
            report = Crawler(profile, store, fetcher, archive, CrawlOptions()).run()
        paths = site.paths()
    docs = {d.url.rsplit("/", 1)[1]: d for d in store.iter_documents()}
    assert set(docs) == {"2000001", "statement.docx", "agreement.PDF"}
    statement, agreement = docs["statement.docx"], docs["agreement.PDF"]
    assert (statement.title, statement.language, statement.doc_type) == (DOCX["title"], "ru", "joint_statement")
    assert statement.date == dt.date(2022, 3, 5) and "RUS" in statement.parties  # from the text itself
    assert [c.text for c in agreement.clauses][:2] == [
        "The Parties shall cooperate in the protection of fish stocks of the northern seas.",
        "This Agreement enters into force on the date of its signature.",
    ]
    assert (agreement.doc_type, agreement.date, agreement.language) == ("treaty", dt.date(2022, 3, 5), "en")
    assert report.counts["followed"] == 2 and report.errors == [
        f"{site.url}/upload/iblock/a1b/annex.doc: a Word 97-2003 (.doc) file: no reader for its text"
    ]
    assert not [p for p in paths if "other.pdf" in p]
