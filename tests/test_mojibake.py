"""Mis-decoded Cyrillic in a source's own data, repaired only where the repair is certain."""

from corpus.mojibake import repair_mojibake


def mis_decoded(text: str, wrote: str, read: str) -> str:
    return text.encode(wrote).decode(read, "replace").replace("\ufffd", "?")


def test_utf8_read_as_cp1252_is_repaired_letter_by_letter():
    text = "Минэкономразвития России AGREEMENT BETWEEN THE PARTIES"
    broken = mis_decoded(text, "utf-8", "cp1252")
    assert broken.startswith("ÐœÐ¸Ð½Ñ") and "?" in broken  # cp1252 has no character for some bytes
    assert repair_mojibake(broken) == "Мин?кономразвити? Ро??ии AGREEMENT BETWEEN THE PARTIES"


def test_cp1251_read_as_latin1_is_repaired_when_it_gives_russian_words():
    broken = mis_decoded("СОГЛАШЕНИЕ о свободной торговле", "cp1251", "latin-1")
    assert broken.startswith("ÑÎÃËÀØÅÍÈÅ")
    assert repair_mojibake(broken) == "СОГЛАШЕНИЕ о свободной торговле"
    assert repair_mojibake(mis_decoded("УГОДАУГОДА", "cp1251", "latin-1") + "Author") == "УГОДАУГОДАAuthor"


def test_greek_read_the_same_way_and_latin_text_are_left_as_they_are():
    greek = mis_decoded("Βρυξέλλες, στις δέκα έξι", "cp1253", "latin-1")  # looks like the Cyrillic case
    for text in (greek, "Fait à Genève, l'été; São Tomé; ÉÉÉÉÉÉÉ page 4", "ESPAÑA y Ñandú"):
        assert repair_mojibake(text) == text


def test_the_russia_tajikistan_tota_agreement_reads_without_mojibake(corpus_dir):
    """ToTA's own XML holds the Word properties of the Russian text as UTF-8 read as cp1252 in article 1."""
    from corpus.importers import read_tota

    (doc,) = read_tota("pta_424.xml", (corpus_dir / "tota" / "xml" / "pta_424.xml").read_bytes())
    assert "Ð" not in doc.text and doc.clauses[0].text.startswith("СОГЛ?ШЕ?ИЕ")
    assert "Tajikistan" in doc.title
