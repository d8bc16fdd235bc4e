"""Two files filed as readings of one text (manytreaties' Raw/ and Formatted/ of one id) folded only when they are."""

import tarfile

import pytest

from corpus.importers import import_paths
from corpus.readings import one_text
from corpus.sqlite_store import SQLiteStore

PREAMBLE = (
    "AGREEMENT BETWEEN THE EFTA STATES AND THE REPUBLIC OF {partner}\n\nThe Republic of Iceland, the Kingdom of Norway "
    "and the Swiss Confederation (hereinafter called the EFTA States) and the Republic of {partner}, Recalling their "
    "intention to participate actively in the process of economic integration in Europe, Have agreed as follows:\n\n"
    "Article 1\nThe EFTA States and {partner} shall establish a free trade area for industrial goods.\n"
    + " ".join(f"provision{n}" for n in range(100))  # the articles: many words, none a name
)


def test_a_reading_formatted_otherwise_is_one_text():
    raw = PREAMBLE.format(partner="Latvia")
    formatted = "MainText:\n" + " ".join(raw.split()).title()
    assert one_text(raw, formatted) and one_text(formatted, raw)


def test_the_same_agreement_with_another_state_is_another_text():
    assert not one_text(PREAMBLE.format(partner="Latvia"), PREAMBLE.format(partner="Slovenia"))


def test_a_header_naming_a_state_the_other_reading_leaves_out_is_still_one_text():
    body = PREAMBLE.format(partner="Latvia")
    assert one_text("Adopted at Maputo, Mozambique, in July 2003.\n\n" + body, body)


def manytreaties(folder, texts):
    for variant, name, text in texts:
        (folder / "treaty texts" / variant).mkdir(parents=True, exist_ok=True)
        (folder / "treaty texts" / variant / name).write_text(text, "utf-8")
    return folder


def test_two_treaties_filed_under_one_id_are_two_hits_and_stay_so_on_reimport(tmp_path):
    folder = manytreaties(
        tmp_path / "manytreaties",
        [
            ("Raw", "EFTLTV_1995O.txt", PREAMBLE.format(partner="Slovenia")),
            ("Formatted", "EFTLTV_1995O.txt", PREAMBLE.format(partner="Latvia")),
            ("Raw", "EFTEST_1995O.txt", PREAMBLE.format(partner="Estonia")),
            ("Formatted", "EFTEST_1995O.txt", " ".join(PREAMBLE.format(partner="Estonia").split())),
        ],
    )
    store = SQLiteStore(tmp_path / "s.sqlite3")
    assert import_paths(store, [folder]).counts["new"] == 4
    readings = {d.source_id.split("/")[-2] + "/" + d.source_id.split("/")[-1]: d for d in store.iter_documents()}
    assert readings["Raw/EFTEST_1995O.txt"].reading_of == readings["Formatted/EFTEST_1995O.txt"].reading_of != ""
    linked = {readings[f"{v}/EFTLTV_1995O.txt"].translation_key for v in ("Raw", "Formatted")}
    assert "" in linked and len(linked) == 2  # the one read second no longer claims to read the first
    assert import_paths(store, [folder]).counts["unchanged"] == 4


# manytreaties ids whose Raw/ and Formatted/ files hold two treaties, and some whose two readings share few words
OTHER_TEXTS = ["EFTLTV_1995O", "CIV-EC[CDP]_2008P", "EUE-SEN[SSF]_2014A"]
ONE_TEXT = ["MRT-EC[PFI]_2006P", "CIV-EC[FCD]_2007A", "CDSMMZ_1954P20", "AFRCNN_2003A", "PI07UN_1959A"]


@pytest.fixture(scope="module")
def real_readings(corpus_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("readings") / "manytreaties"
    with tarfile.open(corpus_dir / "manytreaties" / "GGO_treaty_texts.tar.xz") as archive:
        texts = [
            (variant, f"{many_id}.txt", archive.extractfile(f"treaty texts/{variant}/{many_id}.txt").read().decode())
            for many_id in OTHER_TEXTS + ONE_TEXT
            for variant in ("Raw", "Formatted")
        ]
    store = SQLiteStore(folder.parent / "s.sqlite3")
    import_paths(store, [manytreaties(folder, texts)])
    return {
        many_id: [d for d in store.iter_documents() if many_id in d.source_id] for many_id in OTHER_TEXTS + ONE_TEXT
    }


@pytest.mark.parametrize("many_id", OTHER_TEXTS)
def test_real_ids_holding_two_treaties_are_not_folded(real_readings, many_id):
    assert len({d.reading_of for d in real_readings[many_id]}) == 2


@pytest.mark.parametrize("many_id", ONE_TEXT)
def test_real_readings_of_one_treaty_are_folded(real_readings, many_id):
    (key,) = {d.reading_of for d in real_readings[many_id]}
    assert key and len(real_readings[many_id]) == 2
