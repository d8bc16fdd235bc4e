"""Importers of issue 12: CSV rows, files no importer reads, one text at two URLs, manytreaties' own metadata."""

import datetime as dt
import io
import re
import tarfile
from pathlib import Path

import pytest

from corpus.importers import (
    before_source,
    csv_reader,
    huggo_metadata,
    import_paths,
    own_title,
    parse_columns,
    read_markdown,
    read_text,
)
from corpus.sqlite_store import SQLiteStore

KREMLIN_CSV = (
    "\ufefftitle,date,raw_date,place,url,article_full_text_1,article_full_text_2\n"
    'Российско-китайские переговоры,2025-05-08,8 мая 2025 года,"Москва, Кремль",'
    "http://kremlin.ru/events/president/news/1,"
    '"События Российско-китайские переговоры Лид новости. 8 мая 2025 года 21:25 Москва, Кремль Переговоры прошли ",'
    '"в Кремле.Стороны обсудили сотрудничество. География Китай Темы Внешняя политика"\n'
    "10 мая состоятся переговоры,,,,http://kremlin.ru/events/president/news/2,"
    '"Анонс на 10 мая 2025 года: переговоры с Президентом Вьетнама.",\n'
)


def test_the_kremlin_csv_columns_are_read_row_by_row():
    first, second = csv_reader()("kremlin.csv", KREMLIN_CSV.encode())
    assert (first.title, first.url, first.date, first.language) == (
        "Российско-китайские переговоры",
        "http://kremlin.ru/events/president/news/1",
        dt.date(2025, 5, 8),
        "ru",
    )
    assert first.text.startswith("Переговоры прошли в Кремле.") and "География" not in first.text
    assert (first.doc_type, first.parties, dict(first.mentions)) == ("news", ("RUS",), {"CHN": 1})
    assert (second.date, second.date_precision, second.date_shown) == (dt.date(2025, 5, 10), "month", "2025-05")


def test_each_turn_of_a_kremlin_transcript_is_a_clause():
    """The scraped rows have no paragraph marks: a conversation was one clause of thousands of words."""
    body = (
        "События Встреча с губернатором Лид. 8 мая 2025 года 12:00 Москва, Кремль В.Путин: Как дела? Как в городе?"
        " И.Петров Петров Иван Ильич губернатор области : Спасибо, Владимир Владимирович. Всё идёт по плану."
        " В.Путин: Хорошо. А.Б.Сидоров: Добавлю два слова."
    )
    row = f'Встреча с губернатором,2025-05-08,8 мая 2025 года,"Москва, Кремль",http://kremlin.ru/events/president/news/3,"{body}"\n'
    (doc,) = csv_reader()("kremlin.csv", ("title,date,raw_date,place,url,article_full_text_1\n" + row).encode())
    assert [c.text.split(":")[0] for c in doc.clauses] == [
        "В.Путин",
        "И.Петров Петров Иван Ильич губернатор области ",
        "В.Путин",
        "А.Б.Сидоров",
    ]


def test_any_csv_with_a_columns_mapping():
    data = "Headline;Body;When;Link\nJoint statement of A and B;The Sides agree.;2021-06-16;https://x.org/1\n"
    data = data.replace(";", ",")
    (doc,) = csv_reader(parse_columns("title=Headline,text=Body,date=When,url=Link"))("x.csv", data.encode())
    assert (doc.title, doc.text, doc.date, doc.url) == (
        "Joint statement of A and B",
        "The Sides agree.",
        dt.date(2021, 6, 16),
        "https://x.org/1",
    )
    with pytest.raises(ValueError, match="needs text"):
        parse_columns("title=Headline")


def test_files_no_importer_reads_are_counted_and_listed(store, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "news.csv").write_text(KREMLIN_CSV, "utf-8")
    (tmp_path / "in" / "HUGGO_trd.csv").write_text("manyID,Title,Signature\nX_1990A,X,01.01.1990\n", "utf-8")
    (tmp_path / "in" / "speakers.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "in" / "LICENSE").write_text("licence", "utf-8")
    report = import_paths(store, [tmp_path / "in"])
    assert report.counts["new"] == 2 and report.counts["failed"] == 0 and report.counts["unread"] == 3
    reasons = {name.rsplit("/", 1)[-1]: reason for name, reason in report.unread}
    assert set(reasons) == {"HUGGO_trd.csv", "speakers.xlsx", "LICENSE"}
    assert "text column" in reasons["HUGGO_trd.csv"] and ".xlsx" in reasons["speakers.xlsx"]


MD = "---\ntitle: Joint Statement of A and B\nurl: {url}\ndate: 2021-06-16\n---\n\nThe Sides agree on everything.\n"


def test_the_same_text_at_two_urls_of_a_source_is_one_document_with_two_locations(store, tmp_path):
    (tmp_path / "in").mkdir()
    first, second = "https://www.whitehouse.gov/a/", "https://www.whitehouse.gov/b/"
    (tmp_path / "in" / "a.md").write_text(MD.format(url=first), "utf-8")
    (tmp_path / "in" / "b.md").write_text(MD.format(url=second), "utf-8")
    report = import_paths(store, [tmp_path / "in"])
    assert (report.counts["new"], report.counts["duplicate"], store.stats().documents) == (1, 1, 1)
    (doc,) = store.iter_documents()
    assert doc.url == first and [loc.url for loc in store.locations(doc.id)] == [second]
    again = import_paths(store, [tmp_path / "in"])
    assert again.counts["new"] == 0 and store.stats().documents == 1 and store.revisions(doc.id) == []


def test_a_reimport_merges_the_text_an_earlier_import_stored_at_two_urls(store, tmp_path):
    (tmp_path / "in").mkdir()
    first, second = "https://www.whitehouse.gov/a/", "https://www.whitehouse.gov/b/"
    for name, url in (("a.md", first), ("b.md", second)):
        (tmp_path / "in" / name).write_text(MD.format(url=url), "utf-8")
        store.save_many(read_markdown(name, MD.format(url=url).encode()))  # as the import before issue 12 did
    assert store.stats().documents == 2
    report = import_paths(store, [tmp_path / "in"])
    assert (report.counts["merged"], report.counts["duplicate"], store.stats().documents) == (1, 1, 1)
    (doc,) = store.iter_documents()
    assert doc.url == first and [loc.url for loc in store.locations(doc.id)] == [second]
    assert store.revisions(doc.id) == []


def huggo_folder(tmp_path: Path, rows: str) -> Path:
    """A manytreaties folder with a Raw/ folder and a HUGGO table of these rows (manyID,Title,Signature)."""
    folder = tmp_path / "manytreaties"
    (folder / "treaty texts" / "Raw").mkdir(parents=True)
    (folder / "HUGGO_trd_reconciled.csv").write_text("manyID,Title,Signature\n" + rows, "utf-8")
    return folder


def test_manytreaties_title_and_date_from_the_text_and_huggo(tmp_path):
    folder = huggo_folder(
        tmp_path, "KGZ-RUS[RSS]_1992O,Kyrgyzstan Russia,08.10.1992\nAAA-RUS[X]_1995A,Agreement A,03.04.1995\n"
    )
    assert huggo_metadata(folder)["KGZ-RUS[RSS]_1992O"] == (("Kyrgyzstan Russia", "08.10.1992", ""),)
    own = folder / "treaty texts" / "Raw" / "KGZ-RUS[RSS]_1992O.txt"
    own.write_text(
        "AGREEMENT ON FREE TRADE BETWEEN KYRGYZSTAN AND RUSSIA\n\nThe Parties agree.\n\n"
        "Done in the city of Bishkek on 8 October 1992, in duplicate.\n",
        "utf-8",
    )
    (doc,) = read_text(str(own), own.read_bytes())
    assert (doc.title, doc.date, doc.date_precision) == (
        "AGREEMENT ON FREE TRADE BETWEEN KYRGYZSTAN AND RUSSIA",
        dt.date(1992, 10, 8),
        "day",
    )
    other = folder / "treaty texts" / "Raw" / "AAA-RUS[X]_1995A.txt"
    other.write_text("The Parties agree on fisheries.\n", "utf-8")
    (doc,) = read_text(str(other), other.read_bytes())
    assert (doc.title, doc.date) == ("Agreement A", dt.date(1995, 4, 3))
    unknown = folder / "treaty texts" / "Raw" / "BBB-RUS[X]_1996A.txt"
    unknown.write_text("The Parties agree on fisheries.\n", "utf-8")
    (doc,) = read_text(str(unknown), unknown.read_bytes())
    assert (doc.date_shown, doc.date_precision) == ("1996", "year")


def test_of_two_huggo_rows_of_one_id_the_text_takes_the_one_that_fits_it(tmp_path):
    """EFTLTV_1995O has two rows, the EFTA agreements with Slovenia and with Latvia; the first row had been taken
    for the Latvian text. The text's own date decides first, then the share of the title's words it opens with."""
    folder = huggo_folder(
        tmp_path,
        "EFTXXX_1995O,EFTA Slovenia,13.06.1995\nEFTXXX_1995O,EFTA Latvia,07.12.1995\n"
        "AAA-RUS[X]_1993A,Oil and gas cooperation,24.06.1993\nAAA-RUS[X]_1993A,Fisheries in the Azov Sea,14.09.1993\n",
    )
    latvia = folder / "treaty texts" / "Raw" / "EFTXXX_1995O.txt"
    latvia.write_text("Free trade agreement between the EFTA States and the Republic of Latvia.\n", "utf-8")
    (doc,) = read_text(str(latvia), latvia.read_bytes())
    assert doc.date == dt.date(1995, 12, 7)
    azov = folder / "treaty texts" / "Raw" / "AAA-RUS[X]_1993A.txt"
    azov.write_text("The Parties agree on oil and gas.\n\nDone at Moscow on 14 September 1993.\n", "utf-8")
    (doc,) = read_text(str(azov), azov.read_bytes())
    assert doc.date == dt.date(1993, 9, 14)  # its own date, though its words fit the other title


def test_import_finds_huggo_beside_a_folder_and_inside_an_archive(tmp_path):
    folder = huggo_folder(
        tmp_path, "AAA-RUS[X]_1995A,Agreement A,03.04.1995\nBBB-RUS[X]_1996A,Agreement B,05.06.1996\n"
    )
    (folder / "treaty texts" / "Raw" / "AAA-RUS[X]_1995A.txt").write_text("The Parties agree on fish.\n", "utf-8")
    member = io.BytesIO()
    with tarfile.open(fileobj=member, mode="w:xz") as tar:
        data = b"The Parties agree on grain.\n"
        info = tarfile.TarInfo("treaty texts/Raw/BBB-RUS[X]_1996A.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    (folder / "texts.tar.xz").write_bytes(member.getvalue())
    store = SQLiteStore(tmp_path / "store.sqlite3")
    import_paths(store, [folder])  # the readers see paths under the import root, not where the tables lie
    found = {d.title: (d.date, d.date_precision) for d in store.iter_documents()}
    assert found == {"Agreement A": (dt.date(1995, 4, 3), "day"), "Agreement B": (dt.date(1996, 6, 5), "day")}


def test_own_title_joins_a_russian_heading_of_several_lines():
    text = "СОГЛАШЕНИЕ\nмежду Правительством Российской Федерации\nи Правительством Республики Казахстан\n\nСтороны"
    assert (
        own_title(text) == "СОГЛАШЕНИЕ между Правительством Российской Федерации и Правительством Республики Казахстан"
    )
    assert own_title("The Parties agree.\n") == ""


def archive_and_unpacked(folder, texts: dict[str, str]) -> None:
    """manytreaties' shape: every text in an archive, some of them unpacked beside it, byte for byte."""
    with tarfile.open(folder / "texts.tar.xz", "w:xz") as tar:
        for name, text in texts.items():
            info = tarfile.TarInfo(f"treaty texts/Raw/{name}")
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    for name, text in list(texts.items())[:1]:
        (folder / "treaty texts" / "Raw").mkdir(parents=True, exist_ok=True)
        (folder / "treaty texts" / "Raw" / name).write_text(text, "utf-8")


TREATIES = {
    "AAA-RUS[X]_1995A.txt": "AGREEMENT ON FISHERIES\n\nThe Parties agree on fish.\n",
    "BBB-RUS[X]_1996A.txt": "AGREEMENT ON GRAIN\n\nThe Parties agree on grain.\n",
}


def test_a_text_in_an_archive_and_unpacked_beside_it_is_one_document(store, tmp_path):
    """manytreaties holds 57 texts twice (in its archive and unpacked): each was stored, found and listed twice."""
    archive_and_unpacked(tmp_path, TREATIES)
    report = import_paths(store, [tmp_path])
    assert (report.counts["new"], report.counts["duplicate"], store.stats().documents) == (2, 1, 2)
    assert all(store.locations(doc.id) == [] for doc in store.iter_documents())  # its own address is no other one
    again = import_paths(store, [tmp_path])
    assert (again.counts["new"], again.counts["merged"], store.stats().documents) == (0, 0, 2)
    assert store.stats().revisions == 0


def test_a_reimport_merges_a_text_an_earlier_import_stored_from_the_archive_and_unpacked(store, tmp_path, monkeypatch):
    archive_and_unpacked(tmp_path, TREATIES)
    with monkeypatch.context() as m:
        m.setattr(type(store), "_same_file", lambda *args: None)  # as the import before this one did
        import_paths(store, [tmp_path])
    assert store.stats().documents == 3
    first = min(store.iter_documents(), key=lambda d: (d.first_seen, d.id))
    report = import_paths(store, [tmp_path])
    assert (report.counts["merged"], store.stats().documents) == (1, 2) and store.get(first.id) is not None
    assert store.stats().revisions == 0


def test_one_file_name_with_two_texts_is_two_documents(store, tmp_path):
    """Raw/X.txt and Formatted/X.txt: two readings of a treaty, two texts, whatever their names share."""
    for variant, text in (("Raw", "agreement on fish the parties agree"), ("Formatted", "AGREEMENT ON FISH\n\nAgree.")):
        (tmp_path / variant).mkdir()
        (tmp_path / variant / "AAA-RUS[X]_1995A.txt").write_text(text, "utf-8")
    assert import_paths(store, [tmp_path]).counts["new"] == 2 and store.stats().documents == 2


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (  # a name cut over two lines, a place-and-date line under it, the preamble straight after
            "Соглашение\nмежду Правительством Республики Альфа и Правительством Бетской\nРеспублики о рыбном промысле\n"
            "(Город, 1 мая 1990 г.)\nПравительство Республики Альфа и Правительство Бетской Республики, именуемые",
            "Соглашение между Правительством Республики Альфа и Правительством Бетской Республики о рыбном промысле",
        ),
        (  # a list of parties cut after a comma and after «и»
            "ДОГОВОР\nо дружбе между Республикой Альфа,\nРеспубликой Бета и\nРеспубликой Гамма\n10 мая 1990 года\n",
            "ДОГОВОР о дружбе между Республикой Альфа, Республикой Бета и Республикой Гамма",
        ),
        (
            "Угода\nміж Урядами Альфи, Бетської Республіки та\nРеспубліки Гамма про співробітництво\n\nУряди Альфи",
            "Угода між Урядами Альфи, Бетської Республіки та Республіки Гамма про співробітництво",
        ),
        (  # a date that goes on from the line before belongs to the title
            "CONVENTION ON WIDGETS. DONE AT ALPHA, ON\n9 MAY 1950\nThe States Parties to this Convention,\n",
            "CONVENTION ON WIDGETS. DONE AT ALPHA, ON 9 MAY 1950",
        ),
        (
            "AGREEMENT BETWEEN\nTHE GOVERNMENT OF ALPHA AND\nTHE GOVERNMENT OF BETA\n\nText.",
            "AGREEMENT BETWEEN THE GOVERNMENT OF ALPHA AND THE GOVERNMENT OF BETA",
        ),
        (
            "Convention on Widgets\nTHE STATES parties to this Convention,\nCONSIDERING widgets,\n",
            "Convention on Widgets",
        ),
        (
            "AGREEMENT ON WIDGETS IN THE BAY.\nArticle 1.\n1. Nationals of the two States may fish.\n",
            "AGREEMENT ON WIDGETS IN THE BAY.",
        ),
    ],
)
def test_own_title_ends_where_the_heading_does(text, title):
    assert own_title(text) == title


def test_every_form_of_a_manyid_is_a_manytreaties_text_with_its_parties_from_the_id_or_huggo(tmp_path):
    """400 of manytreaties' 2,044 texts were read as plain files (source "file", titled by the file's name, parties
    what the text mentions): their ids have two-letter parties ("EC"), short codes ("GATT"), a kind's number
    ("P6"), a protocol's treaty ("(colon)MARPOL_1973A") or words after them."""
    folder = tmp_path / "manytreaties"
    (folder / "Raw").mkdir(parents=True)
    (folder / "HUGGO_env_original.csv").write_text(
        "manyID,Title,Signature,Parties\n"
        "AB12CD_2005P6:MARPOL_1973A,Protocol Six To The Convention,2005-07-01,NA\n"
        "AB12CD_2005P6,Another Row Of The Same Id,NA,NA\n"
        "GR15HL_2012A,Agreement On A Border River,NA,CHN-PRK\n"
        "CPV-EC[FSH]_2006A,Protocol On Fish Off Cape Verde,NA,NA\n",
        "utf-8",
    )
    texts = {
        "CPV-EC[FSH]_2006A.txt": "PROTOCOL\n\nsetting out the fish the Parties agree on.",
        "AB12CD_2005P6(colon)MARPOL_1973A.txt": "The parties to the convention agree to amend annex six.",
        "GR15HL_2012A.txt": "The two sides agree on the river.",
        "WIDGET_2013O69 (May).txt": "the contracting parties, meeting at ankara in turkey, agree on widgets.",
    }
    for name, text in texts.items():
        (folder / "Raw" / name).write_text(text, "utf-8")
    import_paths(store := SQLiteStore(tmp_path / "s.sqlite3"), [folder])
    found = {d.source_id.split("/")[-1]: d for d in store.iter_documents()}
    assert {d.source for d in found.values()} == {"manytreaties"}
    bare = found["CPV-EC[FSH]_2006A.txt"]  # its own heading is only its kind: HUGGO's title is better
    assert (bare.parties, bare.title) == (("CPV", "EU"), "Protocol On Fish Off Cape Verde")
    protocol = found["AB12CD_2005P6(colon)MARPOL_1973A.txt"]
    assert (protocol.title, protocol.date) == ("Protocol Six To The Convention", dt.date(2005, 7, 1))
    assert found["GR15HL_2012A.txt"].parties == ("CHN", "PRK")
    lone = found["WIDGET_2013O69 (May).txt"]  # one state named in a multilateral text is no party of it
    assert (lone.parties, [code for code, _ in lone.mentions], lone.year) == ((), ["TUR"], 2013)
    assert lone.title == "The contracting parties, meeting at ankara in turkey, agree on widgets."


def test_a_text_stored_as_a_plain_file_before_its_id_was_known_is_merged_into_its_reading_now(
    store, tmp_path, monkeypatch
):
    folder = tmp_path / "manytreaties"
    (folder / "Raw").mkdir(parents=True)
    (folder / "Raw" / "CPV-EC[FSH]_2006A.txt").write_text("AGREEMENT ON FISH\n\nThe Parties agree on fish.\n", "utf-8")
    (folder / "Raw" / "notes.txt").write_text("Notes on fish\n\nThe Parties agree on fish.\n", "utf-8")
    with monkeypatch.context() as m:
        m.setattr("corpus.importers.MANYID_NAME", re.compile("(?!)"))  # as the reader before this one
        import_paths(store, [folder])
    assert {d.source for d in store.iter_documents()} == {"file"}
    report = import_paths(store, [folder])
    assert (report.counts["new"], report.counts["merged"], store.stats().documents) == (1, 1, 2)
    assert sorted(d.source for d in store.iter_documents()) == ["file", "manytreaties"]
    assert import_paths(store, [folder]).counts["unchanged"] == 2


def test_a_text_stored_twice_as_a_plain_file_settles_into_one_document_in_one_reimport(store, tmp_path, monkeypatch):
    """Its archive's member and its unpacked copy, both stored as plain files before: one re-import, one document."""
    texts = {"CPV-EC[FSH]_2006A.txt": "AGREEMENT ON FISH\n\nThe Parties agree on fish.\n"}
    archive_and_unpacked(tmp_path, texts)
    with monkeypatch.context() as m:
        m.setattr("corpus.importers.MANYID_NAME", re.compile("(?!)"))
        m.setattr(type(store), "_same_file", lambda *args: None)  # as the import before this one did
        import_paths(store, [tmp_path])
    assert store.stats().documents == 2
    report = import_paths(store, [tmp_path])
    assert (report.counts["merged"], store.stats().documents) == (2, 1)
    assert [d.source for d in store.iter_documents()] == ["manytreaties"]
    again = import_paths(store, [tmp_path])
    assert (again.counts["merged"], again.counts["new"], store.stats().documents) == (0, 0, 1)


def test_the_readings_of_one_manytreaties_text_are_linked_as_translations_or_other_readings(tmp_path):
    """manytreaties ships some texts twice, in Raw/ and Formatted/: a Russian original and its English translation, or
    one English text read two ways. They are one treaty: each lists the other (68 such pairs in the folder)."""
    folder = tmp_path / "manytreaties"
    texts = {
        "Raw/RUS-TJK[GSR]_1993A.txt": "Соглашение между Российской Федерацией и Республикой Таджикистан о нефти\n\n"
        "Стороны договорились о сотрудничестве.",
        "Formatted/RUS-TJK[GSR]_1993A.txt": "Agreement between the Russian Federation and the Republic of Tajikistan "
        "on oil\n\nThe Parties agreed to cooperate.",
        "Raw/AFG-RUS[TCP]_1935A.txt": "AGREEMENT ON LOCUSTS\n\nThe Parties shall\nfight locusts.",
        "Formatted/AFG-RUS[TCP]_1935A.txt": "AGREEMENT ON LOCUSTS The Parties shall fight locusts.",
        "Raw/KAZ-RUS[ENP]_2004A.txt": "AGREEMENT ON THE ENVIRONMENT\n\nThe Parties shall protect it.",
    }
    for name, text in texts.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    import_paths(store := SQLiteStore(tmp_path / "s.sqlite3"), [folder])
    found = {d.source_id: d for d in store.iter_documents()}
    ru, en = found["Raw/RUS-TJK[GSR]_1993A.txt"], found["Formatted/RUS-TJK[GSR]_1993A.txt"]
    assert (ru.language, en.language) == ("ru", "en")
    assert [d.id for d in store.translations(ru.id)] == [en.id] and [d.id for d in store.translations(en.id)] == [ru.id]
    raw, formatted = found["Raw/AFG-RUS[TCP]_1935A.txt"], found["Formatted/AFG-RUS[TCP]_1935A.txt"]
    assert [d.id for d in store.translations(raw.id)] == [formatted.id]
    assert store.translations(found["Raw/KAZ-RUS[ENP]_2004A.txt"].id) == []  # read once: nothing to link


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("the widget treatysrc: the governments of a, b and c agree", "The widget treaty"),  # run into the title
        ("convention on the north sea oceansource: …", "Convention on the north sea ocean"),
        ("convention on birds useful to agriculturesource: [ed:", "Convention on birds useful to agriculture"),
        ("accord sur le fleuve commun source : les chefs d'etat", "Accord sur le fleuve commun"),
        ("Agreement on Energy Resource: Principles", "Agreement on Energy Resource: Principles"),  # no source note
        ("AGREEMENT ON LOCUSTS", "AGREEMENT ON LOCUSTS"),
        ("source: a collection", "Source: a collection"),  # nothing before the note: kept
    ],
)
def test_a_manytreaties_title_ends_where_the_source_note_run_into_it_begins(title, expected):
    """277 of manytreaties' 2,039 titles carried the collection's note of where the text was found."""
    assert before_source(title) == expected


def test_a_formatted_text_run_into_its_source_note_is_titled_by_what_comes_before(tmp_path):
    (tmp_path / "Formatted").mkdir()
    name = tmp_path / "Formatted" / "WIDGET_1959A.txt"
    name.write_text("the widget treatysrc: the governments of argentina and chile, desiring widgets, agree.", "utf-8")
    (doc,) = read_text("Formatted/WIDGET_1959A.txt", name.read_bytes())
    assert (doc.source, doc.title) == ("manytreaties", "The widget treaty")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "1\nAGREEMENT BETWEEN JAPAN AND WIDGETLAND\n\nJapan and Widgetland agree.",
            "AGREEMENT BETWEEN JAPAN AND WIDGETLAND",
        ),
        ("Main Text: \n\nAGREEMENT ON WIDGETS\n\nThe Parties agree.", "AGREEMENT ON WIDGETS"),
    ],
)
def test_a_page_number_or_a_section_label_before_the_heading_is_no_part_of_it(text, title):
    assert own_title(text) == title


def test_a_heading_ends_with_the_place_and_date_on_its_line():
    """RUS-TJK 1993's Russian original took HUGGO's English title: its heading ran on into the preamble."""
    text = (
        "Соглашение между Правительством Российской Федерации и Правительством Республики Таджикистан о нефти "
        "(Москва, 12 марта 1993 г.)\nПравительство Российской Федерации и Правительство Республики Таджикистан, "
        "именуемые в дальнейшем Сторонами,\nсогласились о нижеследующем:"
    )
    assert own_title(text).endswith("о нефти (Москва, 12 марта 1993 г.)")


def test_a_text_that_opens_with_furniture_is_titled_by_the_words_after_it(tmp_path):
    """Six United Kingdom treaty prints were titled "Royal Crest", seven texts "1", three "Main Text"."""
    (tmp_path / "Raw").mkdir()
    name = tmp_path / "Raw" / "GBR-WID[NA]_2021O.txt"
    name.write_text(
        " \rRoyal Crest\r \rWidgetland No.1 (2021) \r \r \rPartnership Agreement \r \rbetween the United Kingdom and "
        "Widgetland\r \rThe Parties agree on widgets.\r",
        "utf-8",
    )
    (doc,) = read_text("Raw/GBR-WID[NA]_2021O.txt", name.read_bytes())
    assert doc.title.startswith("Partnership Agreement between the United Kingdom and Widgetland")


def test_a_manytreaties_date_is_its_own_closing_formula_of_its_year_not_a_treaty_it_cites(tmp_path):
    """Three trade agreements of 2003, 2009 and 2018 were dated 15 April 1994: they quote the WTO Agreement's
    "done at Marrakesh"; on the 172 texts with a closing formula and a HUGGO date, agreement went 157 -> 162."""
    (tmp_path / "Raw").mkdir()
    texts = {
        "GAD-WID[FTA]_2009O.txt": "FREE TRADE AGREEMENT BETWEEN WIDGETLAND AND GADGETIA\n\nArticle 1\nThe Parties "
        "affirm the Marrakesh Agreement. Done at Marrakesh on 15 April 1994 in a single copy.\n\nArticle 2\n"
        "Tariffs fall.\n\nDone at Seoul on 7 August 2009, in duplicate.",
        "RUS-UKR[FSA]_1993A.txt": "Угода між Україною та Російською Федерацією\n\nСторони домовились.\n\n"
        "Здійснено у м. Москві 14 вересня 1993 р. в двох примірниках.",
    }
    found = {}
    for name, text in texts.items():
        (tmp_path / "Raw" / name).write_text(text, "utf-8")
        (found[name],) = read_text(f"Raw/{name}", text.encode())
    assert found["GAD-WID[FTA]_2009O.txt"].date == dt.date(2009, 8, 7)
    assert found["RUS-UKR[FSA]_1993A.txt"].date == dt.date(1993, 9, 14)


def test_a_resolution_in_manytreaties_is_a_resolution_not_a_treaty(tmp_path):
    """41 World Health Assembly resolutions and six general comments of a treaty body were typed "treaty"."""
    (tmp_path / "Raw").mkdir()
    text = "Resolution WHA72.6 Global action on patient safety\n\nThe Seventy-second World Health Assembly urges."
    (doc,) = read_text("Raw/WHA726_2019R.txt", text.encode())
    assert (doc.source, doc.doc_type) == ("manytreaties", "resolution")
