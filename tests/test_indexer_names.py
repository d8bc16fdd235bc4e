"""Names as entities: a party's names from the gazetteer, widening in the query tree, and the hit's note."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.names import Widening, _around, code_of, explain, names_of, widen
from indexer.query import And, Names, Words, leaves, parse


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Белоруссия", "BLR"),
        ("Беларуси", "BLR"),
        ("Byelorussia", "BLR"),
        ("Kyrgyz Republic", "KGZ"),
        ("Кыргызстана", "KGZ"),
        ("Kirghizia", "KGZ"),
        ("США", "USA"),
        ("us", None),  # the pronoun: "US" names the party only in capitals
        ("ГДР", "DDR"),  # a former state
        ("East Germany", "DDR"),
        ("West Germany", "DEU"),
        ("Косово", "XKX"),
        ("state", None),
        ("Корея", "KOR"),  # a name shared with another party still names one when typed
        ("Україною", "UKR"),  # Ukrainian, the language of the texts' Ukrainian originals
        ("Російської Федерації", "RUS"),
    ],
)
def test_code_of_a_name_in_any_form(text, code):
    assert code_of(text) == code


def test_a_party_has_all_its_names_in_both_languages():
    texts = {leaf.text for node in names_of("KGZ") for leaf in leaves(node)}
    assert {"Kyrgyzstan", "Kyrgyz Republic", "Kirghizia", "Киргизия", "Кыргызстан"} <= texts
    assert "Республика Кыргызстан" in texts  # a Russian stem phrase in its dictionary form


def test_widening_replaces_the_name_and_keeps_the_other_words():
    tree, widenings = widen(parse("Kyrgyz Republic trade"))
    assert widenings == (Widening("Kyrgyz Republic", "KGZ"),)
    assert isinstance(tree, And) and isinstance(tree.nodes[0], Names) and tree.nodes[1] == Words("trade")
    assert Words("Kyrgyz Republic", phrase=True) in tree.nodes[0].nodes


def test_quoting_a_name_turns_widening_off():
    assert widen(parse('"Белоруссия" trade')) == (parse('"Белоруссия" trade'), ())


def test_the_hit_says_which_other_name_it_holds():
    _, widenings = widen(parse("Белоруссия"))
    held = ("Белоруссия → Республики Беларусь",)  # the first of its names in the text, whole
    assert explain(widenings, "Президент Республики Беларусь прибыл") == held
    assert explain(widenings, "в Белоруссии") == ()  # it holds the name as typed


@pytest.mark.parametrize(
    ("code", "wanted", "unwanted"),
    [("CHN", {"Китай", "Китая"}, {"Кита", "Китаев"}), ("IND", {"Индия", "Индии"}, {"Индием", "Индиями"})],
)
def test_a_russian_name_stands_for_its_own_forms_not_other_words_that_start_alike(code, wanted, unwanted):
    texts = {leaf.text for node in names_of(code) for leaf in leaves(node)}
    assert wanted <= texts and not unwanted & texts  # not the whale's «Кита», nor indium's «Индием»


def test_namibia_is_not_the_non_aligned_movement():
    assert code_of("Namibia") == "NAM"
    assert code_of("Non-Aligned Movement") != "NAM"
    assert not {"Non-Aligned Movement", "Движение неприсоединения"} & {
        leaf.text for node in names_of("NAM") for leaf in leaves(node)
    }


def test_explaining_from_the_words_places_reads_only_around_them():
    from indexer.schema import analyzed

    filler = "word " * 400
    text = f"Talks in Minsk. {filler}Президент Республики Беларусь прибыл. {filler}The end."
    places = [(start, end, stem) for stem, _, start, end in analyzed(text).tokens if stem in ("беларусь", "minsk")]
    widenings = (Widening("Белоруссия", "BLR"),)
    assert explain(widenings, text, places) == explain(widenings, text) == ("Белоруссия → Республики Беларусь",)
    assert explain(widenings, text, []) == ("Белоруссия → Республики Беларусь",)  # no places: the whole text is read
    assert explain((Widening("Беларусь", "BLR"),), text, places) == ()  # held as typed
    passage = _around(text, places, frozenset({"беларусь"}))
    assert "Президент Республики Беларусь прибыл." in passage and len(passage) < 300 and "Minsk" not in passage
    assert not passage.startswith(("ord", "rd", "d ")) and not passage.endswith(("wor", "wo", " w"))  # whole words


def _around_place_by_place(text, places, stems):
    """The passages as first read: each place's reach moved out to whole words, then joined."""
    from indexer.names import NEAR, _word_edge

    passages = []
    for start, end, _ in sorted(p for p in places if p[2] in stems):
        low, high = _word_edge(text, start - NEAR, -1), _word_edge(text, end + NEAR, 1)
        if passages and low <= passages[-1][1]:
            passages[-1][1] = max(passages[-1][1], high)
        else:
            passages.append([low, high])
    return "\n".join(text[low:high] for low, high in passages)


@given(st.text("ab \n", max_size=600), st.lists(st.tuples(st.integers(0, 600), st.integers(0, 12)), max_size=30))
def test_passages_joined_before_their_edges_move_are_those_joined_after(text, spans):
    places = [(min(a, len(text)), min(a + n, len(text)), "x" if n % 3 else "y") for a, n in spans]
    assert _around(text, places, frozenset({"x"})) == _around_place_by_place(text, places, frozenset({"x"}))


def test_no_name_widens_to_a_common_word_or_a_letter():
    usa = {leaf.text for node in names_of("USA") for leaf in leaves(node)}
    assert {"USA", "США", "United States"} <= usa and not {"US", "U.S.", "U.S.A."} & usa  # «us», «u» once indexed
    assert "CAR" not in {leaf.text for node in names_of("CAF") for leaf in leaves(node)}  # the word «car»
    assert {"РФ", "Russia"} <= {leaf.text for node in names_of("RUS") for leaf in leaves(node)}


def test_a_long_text_holding_no_name_is_not_read_whole_for_its_note():
    from indexer.names import NOTE_READ

    widenings = (Widening("Белоруссия", "BLR"),)
    far = "word " * (NOTE_READ // 5) + "Президент Республики Беларусь прибыл"
    assert explain(widenings, far, []) == ()
    assert explain(widenings, far[-200:], []) == ("Белоруссия → Республики Беларусь",)


def test_a_name_another_party_shares_is_not_widened_to():
    """ "South Korea" is not every text that says "Korea" (North Korea's too), nor "United States" every "Latin
    America"; typed alone, the shared name is searched as typed."""
    for typed, shared in [("South Korea", {"Korea", "Korean"}), ("United States", {"America", "American"})]:
        tree, _ = widen(parse(typed))
        assert not shared & {leaf.text for leaf in leaves(tree)}, typed
    tree, widenings = widen(parse("Korea"))
    assert widenings == (Widening("Korea", "KOR"),) and Words("Korea") in leaves(tree)
    assert Words("Republic of Korea", phrase=True) in leaves(tree)


def test_ukrainian_names_widen_to_the_party_in_every_language():
    texts = {leaf.text for leaf in leaves(widen(parse("Ukraine"))[0])}
    assert {"Україна", "України", "Україні", "Украина"} <= texts
