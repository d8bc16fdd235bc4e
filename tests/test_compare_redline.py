"""What the views show of an alignment: columns, the inline redline and its downloads."""

import io

from bs4 import BeautifulSoup

from compare.align import align
from compare.redline import column, inline, redline_docx, redline_html, row_label
from tests.test_compare_align import BASE, doc

OLD = [BASE[0], BASE[1], "THE SIDES condemn <terrorism> in all its forms and will counter extremism together.", BASE[3]]
NEW = [BASE[0], "The Sides condemn <terrorism> in all its forms and manifestations and will counter it.", BASE[1]]


def joined(segments):
    return " ".join(text for _, text in segments)


def test_each_column_is_its_documents_clauses_exactly():
    result = align(doc(OLD), doc(NEW, name="b"))
    for pair in result.pairs:
        assert joined(column(pair, "a", result.units_a)) == " ".join(result.units_a[n - 1].text for n in pair.a)
        assert joined(column(pair, "b", result.units_b)) == " ".join(result.units_b[n - 1].text for n in pair.b)
    reworded = next(p for p in result.pairs if p.kind == "reworded")
    assert ("delete", "extremism together.") in column(reworded, "a", result.units_a)
    assert ("insert", "manifestations and") in column(reworded, "b", result.units_b)
    assert column(reworded, "a", result.units_a)[0] == ("equal", "THE SIDES condemn <terrorism> in all its forms and")


def test_inline_redline_reads_in_order_with_both_sides_words():
    result = align(doc(OLD), doc(NEW, name="b"))
    reworded = next(p for p in result.pairs if p.kind == "reworded")
    ops = inline(reworded, result.units_b)
    assert ops[0] == ("equal", "The Sides condemn <terrorism> in all its forms and")
    assert ("insert", "manifestations and") in ops
    assert ops[-2:] == [("delete", "extremism together."), ("insert", "it.")]
    assert row_label(reworded, result) == "A 3 → B 2"
    removed = next(p for p in result.pairs if p.kind == "removed")
    assert inline(removed, result.units_b) == [("delete", BASE[3])]


def test_the_html_download_is_escaped_and_marks_changes():
    page = BeautifulSoup(redline_html(align(doc(OLD), doc(NEW, name="b"))), "lxml")
    assert page.find("terrorism") is None and "<terrorism>" in page.get_text()
    assert page.select("p.removed del") and page.select("p.reworded ins")


def test_the_word_download_opens_with_struck_and_underlined_runs():
    from docx import Document as Word

    word = Word(io.BytesIO(redline_docx(align(doc(OLD), doc(NEW, name="b")))))
    runs = [r for p in word.paragraphs for r in p.runs]
    assert any(r.font.strike and "extremism" in r.text for r in runs)
    assert any(r.font.underline and "manifestations" in r.text for r in runs)
