"""The index's own formats: positions and offsets packed as arrays, word pairs and names held whole."""

from hypothesis import given
from hypothesis import strategies as st

from indexer.schema import PackedCharacters, analyzed, pairs_of

occurrences = st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1)))


@given(occurrences)
def test_packed_characters_decode_what_they_encode(found):
    packed = PackedCharacters()
    value = packed.encode(found)
    assert packed.decode_characters(value) == found
    assert packed.decode_positions(value) == [p for p, _, _ in found]
    assert packed.decode_frequency(value) == len(found)


def test_pairs_hold_frequent_neighbours_and_whole_names_where_their_words_follow_each_other():
    text = analyzed("The United States of America and the United Nations; America, united, strong states.")
    found = pairs_of(text, frozenset({"unit", "nation"}), frozenset({"unit state america", "america unit state"}))
    assert found == ["unit nation", "unit state america"]  # stop words are no gap, a word is


def test_no_pairs_without_frequent_words_or_names():
    assert pairs_of(analyzed("United States of America"), frozenset(), frozenset()) is None


def test_the_layout_codec_leaves_the_fields_read_whole_uncompressed():
    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    from indexer.schema import LayoutCodec

    ix = RamStorage().create_index(Schema(text=TEXT, positions=TEXT))
    with ix.writer(codec=LayoutCodec()) as writer:
        for n in range(300):
            writer.add_document(text=f"common words here {n}", positions=f"common words here {n}")
    with ix.searcher() as searcher:
        compression = {}
        for field in ("text", "positions"):
            matcher = searcher.reader().postings(field, "common")
            compression[field] = matcher._compression
            assert len(list(matcher.all_ids())) == 300
    assert compression == {"text": 0, "positions": 3}
