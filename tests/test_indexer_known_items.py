"""Known-item search on real documents: the query set of bench/queryset.py, with recall floors per kind.

Each query names documents that must be in its top 10; a misspelled one must be answered with a
suggestion whose search finds them. No correctly spelled query may be "corrected".
"""

import json
from collections import defaultdict
from pathlib import Path

import pytest

from corpus.importers import import_paths
from corpus.sqlite_store import SQLiteStore
from indexer.backends import open_search, update_search
from indexer.results import SearchRequest

QUERIES = json.loads((Path(__file__).parent / "golden" / "known_items.json").read_text("utf-8"))
FLOOR = 0.95


@pytest.fixture(scope="module")
def index(corpus_dir, tmp_path_factory):
    from treatysearch.cli import readers

    folder = tmp_path_factory.mktemp("known")
    store = SQLiteStore(folder / "corpus.sqlite3")
    import_paths(store, [corpus_dir / s for s in QUERIES["sources"]], readers())
    update_search(store, folder / "index", rebuild=True)
    opened = open_search(store, folder / "index")
    yield opened
    opened.close()
    store.close()


def request_of(query: dict) -> SearchRequest:
    year = query.get("year")
    return SearchRequest(
        q=query["q"],
        parties=tuple(query.get("parties", ())),
        mentions=tuple(query.get("mentions", ())),  # issue 12: the states a text names but did not make
        year_from=year,
        year_to=year,
        page_size=10,
    )


def found(index, query: dict) -> tuple[bool, str | None]:
    """Whether a target is in the top 10 (through the suggestion for a misspelling), and the suggestion."""
    result = index.search(request_of(query))
    suggestion = result.suggestion
    if query["kind"] == "misspelling" and suggestion:
        result = index.search(request_of(query).with_(q=suggestion))
    return bool({h.id for h in result.hits} & set(query["targets"])), suggestion


@pytest.fixture(scope="module")
def outcomes(index):
    return [(query, *found(index, query)) for query in QUERIES["queries"]]


def test_the_query_set_covers_every_kind():
    kinds = defaultdict(int)
    for query in QUERIES["queries"]:
        kinds[query["kind"]] += 1
    assert len(QUERIES["queries"]) >= 150 and min(kinds.values()) >= 20 and len(kinds) == 7


def test_recall_at_10_per_kind_and_overall(outcomes):
    per_kind = defaultdict(list)
    for query, hit, _ in outcomes:
        per_kind[query["kind"]].append(hit)
    recall = {kind: sum(hits) / len(hits) for kind, hits in per_kind.items()}
    missed = [query["q"] for query, hit, _ in outcomes if not hit]
    assert min(recall.values()) >= FLOOR, (recall, missed)
    assert sum(hit for _, hit, _ in outcomes) / len(outcomes) >= FLOOR


def test_no_suggestion_for_correctly_spelled_queries(outcomes):
    corrected = [
        (query["q"], suggestion) for query, _, suggestion in outcomes if query["kind"] != "misspelling" and suggestion
    ]
    assert corrected == []


def test_misspellings_are_corrected_to_the_word_meant(outcomes):
    right = [suggestion == query["meant"] for query, _, suggestion in outcomes if query["kind"] == "misspelling"]
    assert sum(right) / len(right) >= FLOOR
