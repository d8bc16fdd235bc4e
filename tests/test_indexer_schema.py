"""The index's own formats: positions and offsets packed as arrays, word pairs and names held whole."""

from hypothesis import given
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3LeafMatcher

from indexer.schema import PackedCharacters, PackedPositions, analyzed, pairs_of

occurrences = st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1)))


@given(occurrences)
def test_packed_characters_decode_what_they_encode(found):
    packed = PackedCharacters()
    value = packed.encode(found)
    assert packed.decode_characters(value) == found
    assert packed.decode_positions(value) == [p for p, _, _ in found]
    assert packed.decode_frequency(value) == len(found)


@given(st.lists(st.integers(0, 2**32 - 1)))
def test_packed_positions_decode_what_they_encode(found):
    packed = PackedPositions()
    value = packed.encode(found)
    assert packed.decode_positions(value) == found
    assert packed.decode_frequency(value) == len(found)


def test_pairs_hold_frequent_neighbours_and_whole_names_where_their_words_follow_each_other():
    text = analyzed("The United States of America and the United Nations; America, united, strong states.")
    found = pairs_of(text, frozenset({"unit", "nation"}), frozenset({"unit state america", "america unit state"}))
    assert found == ["unit nation", "unit state america"]  # stop words are no gap, a word is


def test_no_pairs_without_frequent_words_or_names():
    assert pairs_of(analyzed("United States of America"), frozenset(), frozenset()) is None


def test_the_layout_codec_leaves_postings_uncompressed_and_the_fields_read_whole_in_long_blocks():
    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    from indexer.schema import LayoutCodec

    ix = RamStorage().create_index(Schema(text=TEXT, positions=TEXT, other=TEXT))
    with ix.writer(codec=LayoutCodec()) as writer:
        for n in range(1500):
            writer.add_document(text=f"common words here {n}", positions=f"common words here {n}", other="common")
    with ix.searcher() as searcher:
        found = {}
        for field in ("text", "positions", "other"):
            matcher = searcher.reader().postings(field, "common")
            found[field] = (matcher._compression, matcher._blocklength)
            assert len(list(matcher.all_ids())) == 1500
    assert found == {"text": (0, 1024), "positions": (0, 128), "other": (3, 128)}


def test_raw_blocks_read_back_every_posting_as_whooshs_own_blocks_do():
    import random

    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.fields import KEYWORD, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    from indexer.schema import LayoutCodec, RawLeafMatcher

    # word counts in blocks of LayoutCodec.WHOLE_BLOCK ("text"), the other fields in Whoosh's 128
    fields = {
        "text": TEXT(phrase=False),
        "places": TEXT(chars=True),
        "tags": KEYWORD,
        "packed": _packed_text(PackedCharacters),
        "positions": _packed_text(PackedPositions),
    }
    rng = random.Random(7)
    docs = [" ".join(rng.choice("aa bb cc dd ee ff".split()) for _ in range(rng.randint(1, 30))) for _ in range(2100)]
    items = {}
    for codec in (W3Codec(), LayoutCodec()):
        ix = RamStorage().create_index(Schema(**fields))
        with ix.writer(codec=codec) as writer:
            for text in docs:
                writer.add_document(**{name: text for name in fields})
        with ix.searcher() as searcher:
            reader = searcher.reader()
            found = {}
            for name in fields:
                for word in ("aa", "cc", "ff"):
                    matcher = reader.postings(name, word)
                    long_blocks = isinstance(codec, LayoutCodec) and name == "text"
                    assert matcher._blocklength == (LayoutCodec.WHOLE_BLOCK if long_blocks else 128)
                    found[name, word] = list(matcher.items_as("weight")), list(matcher.all_items())
                    assert type(matcher) is (RawLeafMatcher if isinstance(codec, LayoutCodec) else W3LeafMatcher)
            items[type(codec)] = found
    assert items[W3Codec] == items[LayoutCodec]


def test_raw_values_are_cut_from_their_joined_bytes():
    from array import array

    from indexer.schema import RawValues

    values = [b"", b"abc", b"d", b"", b"efgh"]
    raw = RawValues(array("I", map(len, values)).tobytes(), b"".join(values))
    assert list(raw) == values
    assert [raw[i] for i in range(-5, 5)] == values + values
    assert raw[1:4] == values[1:4]
    assert len(raw) == 5


def _packed_text(packed):
    from whoosh.fields import TEXT

    from indexer.schema import _packed

    return _packed(TEXT(chars=packed is PackedCharacters), packed)


def test_the_terms_reader_remembers_what_whooshs_finds_and_what_it_does_not():
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.fields import TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    from indexer.schema import LayoutCodec, _RememberingTermsReader

    words = ["aa", "bb", "cc", "zz"]  # "zz" is in no document
    answers = {}
    for codec in (W3Codec(), LayoutCodec()):
        ix = RamStorage().create_index(Schema(text=TEXT))
        with ix.writer(codec=codec) as writer:
            for n in range(300):
                writer.add_document(text=" ".join(words[: 1 + n % 3] * (1 + n % 4)))
        with ix.searcher() as searcher:
            reader = searcher.reader()
            assert isinstance(reader._terms, _RememberingTermsReader) == isinstance(codec, LayoutCodec)
            answers[type(codec)] = [
                (("text", w.encode()) in reader._terms, reader.frequency("text", w), reader.doc_frequency("text", w),
                 list(reader.postings("text", w).all_ids()) if ("text", w) in reader else None)
                for w in words * 2  # asked twice: the second answers are remembered ones
            ]  # fmt: skip
    assert answers[W3Codec] == answers[LayoutCodec]
    assert answers[W3Codec][3] == (False, 0, 0, None)
