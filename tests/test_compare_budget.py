"""The work budget of compare and series (issue 11, point 8): the largest treaty compared with itself and the
GBR–CMR series stay within the clause limit (their time limit is Options.time_limit), and say plainly what was cut."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from compare.align import Options, align
from compare.series import series
from compare.units import units
from corpus.sqlite_store import SQLiteStore
from indexer.backends import update_search
from tests.test_compare_gold import load
from webui import create_app

LARGEST = "manytreaties/GGO_treaty_texts.tar.xz!treaty texts/Raw/CMR-GBR[NA]_2021O.txt"  # 1.35 MB, 15,860 clauses


@pytest.fixture(scope="module")
def treaty(corpus_dir):
    return load(corpus_dir, LARGEST).replace(date=dt.date(2021, 3, 9), parties=("CMR", "GBR"))


@pytest.fixture(scope="module")
def successor(treaty):
    # another treaty, so not another reading of this one (which a search would list as one hit)
    return treaty.replace(url=treaty.url + "#2022", source_id="successor", date=dt.date(2022, 1, 4), translation_key="")


def test_the_largest_treaty_with_itself_is_cut_to_the_clause_limit(treaty):
    limit, total = Options().max_units, len(units(treaty))
    assert total > limit
    result = align(treaty, treaty)
    assert len(result.units_a) == len(result.units_b) == limit
    assert result.summary.counts["identical"] == limit
    assert result.summary.cut == (
        f"only the first {limit:,} of {total:,} clauses of A were compared; "
        f"only the first {limit:,} of {total:,} clauses of B were compared"
    )


def test_the_gbr_cmr_series_is_cut_with_a_clear_message(treaty, successor):
    result = series([treaty, successor])
    assert len(result.clauses) == Options().max_units
    cut = f"only the first {Options().max_units:,} of {len(units(treaty)):,} clauses"
    # the earlier document named, not "A" (a 19-clause statement's genealogy said "clauses of A" of a treaty's cut)
    assert f"{cut} of {treaty.title[:80]} ({treaty.date_shown}) were compared" in result.cut
    assert f"{cut} of the traced document were compared" in result.cut


def test_the_web_views_show_the_cut(treaty, successor, tmp_path):
    store = SQLiteStore(tmp_path / "corpus.sqlite3")
    store.save_many([treaty, successor])
    update_search(store, tmp_path / "index")
    app = create_app({"STORE": store, "INDEX_PATH": str(tmp_path / "index"), "TESTING": True})
    client = app.test_client()
    page = BeautifulSoup(client.get(f"/compare?a={treaty.id}&b={treaty.id}").data, "lxml")
    wanted = f"only the first {Options().max_units:,} of {len(units(treaty)):,} clauses"
    assert wanted + " of A" in page.select_one("#cut").text
    page = BeautifulSoup(client.get("/series?party=GBR&party=CMR").data, "lxml")
    assert wanted in page.select_one("#cut").text
    app.extensions["treatysearch"]["index"].close()
