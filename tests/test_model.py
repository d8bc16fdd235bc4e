import datetime as dt

from corpus.model import Clause, Document, make_id


def test_id_is_stable_and_depends_on_source_language_and_source_id():
    a = Document(source="mid", url="https://mid.ru/ru/foreign_policy/news/1803158/", language="ru", title="T", text="x")
    assert a.id == make_id("mid", "ru", "https://mid.ru/ru/foreign_policy/news/1803158/")
    assert a.id == a.replace(title="other", text="changed").id
    assert a.id != a.replace(language="en").id
    assert a.id != a.replace(source_id="1803158").id
    assert len(a.id) == 16


def test_content_hash_changes_with_title_or_text_only():
    a = Document(source="s", url="u", language="en", title="T", text="x", date=dt.date(2022, 3, 5))
    assert a.content_hash == a.replace(parties=("RUS",), date=None).content_hash
    assert a.content_hash != a.replace(text="y").content_hash
    assert a.content_hash != a.replace(title="U").content_hash


def test_year_and_clauses():
    doc = Document(
        source="s",
        url="u",
        language="en",
        title="T",
        text="x",
        date=dt.date(2017, 1, 2),
        clauses=(Clause(1, "x", "1"),),
    )
    assert doc.year == 2017
    assert doc.clauses[0].label == "1"
    assert Document(source="s", url="u", language="en", title="T", text="x").year is None
