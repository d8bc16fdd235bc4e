"""Analysis: one stem for every form of a word the dictionary does not know; how far a suggestion may go."""

from collections import Counter

import pytest

from indexer.analysis import correct_spelling, stem


@pytest.mark.parametrize(
    "forms",
    [
        ("пахалгам", "пахалгаме", "пахалгама"),  # a place name Snowball alone cut two ways
        ("ростех", "ростеха", "ростехом"),  # one the dictionary's guess alone gets wrong
        ("ковыктинское", "ковыктинского", "ковыктинскому"),
    ],
)
def test_unknown_russian_words_have_one_stem_in_every_form(forms):
    assert len({stem(f) for f in forms}) == 1, {f: stem(f) for f in forms}


VOCABULARY = Counter({"due": 500, "mongolia": 40, "kyrgyz": 90, "mageshima": 2, "island": 300})


def suggest(text: str) -> str | None:
    words = sorted(VOCABULARY)
    return correct_spelling(text, lambda ws: ws & set(words), lambda w: (words, VOCABULARY))


def test_short_words_are_corrected_one_edit_away_at_most():
    assert suggest("dzud mongolia") is None  # two edits from "due": a word the corpus lacks, not a slip
    assert suggest("kyrgiz") == "kyrgyz"
    assert suggest("mageshma island") == "mageshima island"  # longer words: two edits


def test_a_russian_word_the_dictionary_knows_is_not_corrected_though_the_index_lacks_it():
    near = ["осипов", "государство", "коров", "байрам"]
    counts = dict.fromkeys(near, 5)
    fix = lambda text: correct_spelling(text, lambda ws: ws & set(near), lambda w: (near, counts))  # noqa: E731
    assert fix("остров") is None  # a word of the dictionary the corpus does not hold: no surname instead
    assert fix("госудаство") == "государство"  # a slip
    assert fix("Ураза-байран") == "Ураза-байрам"  # a slip onto a rare name the dictionary lists
