"""British and American spellings: a query word or phrase finds both ("organisation" / "organization")."""

import pytest

from corpus.documents import build_document
from indexer.backends import open_search, update_search
from indexer.results import SearchRequest
from indexer.spelling import other_spelling


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("organisation", "organization"),
        ("organizations", "organisations"),
        ("recognised", "recognized"),
        ("favoured", "favored"),
        ("favorable", "favourable"),
        ("labour", "labor"),
        ("centres", "centers"),
        ("programmes", "programs"),
        ("defence", "defense"),
        ("travelled", "traveled"),
        ("modelling", "modeling"),
        ("analysed", "analyzed"),
        ("four", None),  # -our only in the words listed: no "for"
        ("hour", None),
        ("cooperation", None),
        ("Russia", None),
    ],
)
def test_the_other_spelling_of_a_word(word, other):
    assert other_spelling(word) == other


def test_a_word_or_a_phrase_finds_both_spellings_in_both_backends(store, tmp_path):
    texts = {
        "uk": "The organisation grants most favoured nation treatment to the labour ministry.",
        "us": "The organization grants most favored nation treatment to the labor department.",
    }
    docs = {
        k: build_document(f"Agreement {k}", t, url=f"https://treaties.example/{k}", source="test", language="en")
        for k, t in texts.items()
    }
    store.save_many(list(docs.values()))
    update_search(store, tmp_path / "index")
    index = open_search(store, tmp_path / "index")
    try:
        both = {d.id for d in docs.values()}
        for q in ("organization", "organisation", '"most favored nation"', '"most favoured nation"', "labour"):
            assert {h.id for h in index.search(SearchRequest(q=q)).hits} == both, q
        assert {h.id for h in index.search(SearchRequest(q="ministry")).hits} == {docs["uk"].id}
    finally:
        index.close()
