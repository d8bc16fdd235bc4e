"""The Whoosh schema of the documents index: stemmed text, its word positions and offsets, and facet fields.

Title + text are indexed twice from one analysis: `text` holds each word's count only, which is all that
matching and scoring read, so its posting blocks stay small; `positions` holds each word's positions and
character offsets, read only to check phrases and to place snippets. (An index made before the split
holds both in `text`; searches read it as it is until `index --rebuild`.)

`pairs` holds each two neighbouring frequent words as one term ("unit nation"): a phrase of frequent
words, whose positions are the costly ones to check (thousands of documents hold "united" and "nations"),
is looked up instead. Only frequent words, so that the pairs stay few: the frequent words are chosen from
the first documents that fill the index and kept in its schema, so every document of an index is paired
by the same words and a phrase of them finds every document it stands in. The same field holds every
several-word name of a party where it stands ("unit state america"), each as one term: a name in a query
is widened to all the party's names (indexer/names.py), and those phrases were most of the slowest searches.

`positions` holds each occurrence's word position alone, as an array of 32-bit numbers (PackedPositions) in
uncompressed blocks: a phrase check reads a word's positions at thousands of documents, as arrays. `offsets`
holds each occurrence's position and characters (PackedCharacters), read only at a page's documents to place
snippets. (An index made before the split holds both in `positions`, as PackedCharacters; it reads as it
is until `index --rebuild`.)
"""

from __future__ import annotations

import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import accumulate, pairwise
from pickle import dumps

import numpy as np
from whoosh import formats, matching
from whoosh.analysis import Analyzer, IDTokenizer, Token
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermInfo,
    W3TermsReader,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, FieldType, Schema
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE, pack_uint, unpack_uint
from whoosh.util.numeric import length_to_byte
from whoosh.util.numlists import delta_encode

from indexer.analysis import stemming_analyzer

POSITIONS = "positions"
OFFSETS = "offsets"
PAIRS = "pairs"
FREQUENT = 0.35  # a word in at least this share of the sampled documents is frequent


@cache
def analyzer() -> Analyzer:
    """The stemming analyzer, made once (making one costs about a millisecond; using one is thread-safe)."""
    return stemming_analyzer()


class Analyzed(str):
    """A text with its tokens, analyzed once for the two fields that index it."""

    tokens: list[tuple[str, int, int, int]]


def analyzed(text: str) -> Analyzed:
    """The text with its stemmed words, their positions and character offsets."""
    value = Analyzed(text)
    tokens = analyzer()(text, positions=True, chars=True)
    value.tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in tokens]
    return value


class SharedAnalyzer(Analyzer):
    """The stemming analyzer, except that an Analyzed text has its tokens replayed rather than analyzed again."""

    def __init__(self) -> None:
        self.inner = stemming_analyzer()

    def __eq__(self, other: object) -> bool:
        return type(other) is SharedAnalyzer

    def __call__(self, value: str, positions: bool = False, chars: bool = False, **kwargs: object) -> Iterator[Token]:
        tokens = getattr(value, "tokens", None)
        if tokens is None:
            yield from self.inner(value, positions=positions, chars=chars, **kwargs)
            return
        token = Token(positions, chars, mode=kwargs.get("mode", ""))
        for text, pos, start, end in tokens:
            token.text, token.pos, token.startchar, token.endchar = text, pos, start, end
            token.boost, token.stopped = 1.0, False
            yield token


class PackedCharacters(formats.Characters):
    """Whoosh's Characters format (each occurrence's position, start and end character) as three arrays of
    32-bit numbers, the positions first: decoding is a slice of the bytes, not a pickle per occurrence."""

    def encode(self, poslist: list[tuple[int, int, int]]) -> bytes:
        columns = np.array(poslist, dtype="<u4").reshape(-1, 3).T
        return pack_uint(len(poslist)) + columns.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        count = unpack_uint(valuestring[:_INT_SIZE])[0]
        return np.frombuffer(valuestring, dtype="<u4", count=count, offset=_INT_SIZE).tolist()

    def decode_characters(self, valuestring: bytes) -> list[tuple[int, int, int]]:
        count = unpack_uint(valuestring[:_INT_SIZE])[0]
        columns = np.frombuffer(valuestring, dtype="<u4", count=3 * count, offset=_INT_SIZE).reshape(3, count)
        return list(zip(*columns.tolist(), strict=True))


class PackedPositions(formats.Positions):
    """Whoosh's Positions format as one array of 32-bit numbers per posting (the count is its length): the
    values of a block, joined, are its words' positions one posting after another."""

    def encode(self, poslist: list[int]) -> bytes:
        return np.array(poslist, dtype="<u4").tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return np.frombuffer(valuestring, dtype="<u4").tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4


class PairField(FieldType):
    """Neighbouring frequent words, and names of several words, as one term each: in a document or not (no
    counts, no positions)."""

    def __init__(self) -> None:
        super().__init__(formats.Existence(), IDTokenizer(), scorable=False, stored=False)
        self.words: frozenset[str] = frozenset()  # the frequent words; none: no pairs in this index
        self.phrases: frozenset[str] = frozenset()  # the names indexed whole (an index made before: none)


def joined(stems: Iterable[str]) -> str:
    """The term of neighbouring stems: a word pair ("unit nation") or a name held whole ("unit state america")."""
    return " ".join(stems)


def indexed_phrases(field: FieldType) -> frozenset[str]:
    """The phrases a pairs field holds whole (none in an index made before they were)."""
    return getattr(field, "phrases", frozenset())


def pairs_of(text: Analyzed, words: frozenset[str], phrases: frozenset[str] = frozenset()) -> list[str] | None:
    """The distinct pairs of neighbouring frequent words of an analyzed text and the phrases of `phrases`
    it holds, word after word (None: none)."""
    found = {
        joined((a, b))
        for (a, at, _, _), (b, bt, _, _) in pairwise(text.tokens)
        if bt == at + 1 and a in words and b in words
    }
    found.update(_phrases_in(text.tokens, phrases))
    return sorted(found) or None


def _phrases_in(tokens: list[tuple[str, int, int, int]], phrases: frozenset[str]) -> set[str]:
    """Those of the phrases (stems joined by spaces) whose words stand one after another in the tokens."""
    by_first = _by_first_word(phrases)
    found = set()
    for i, (word, position, _, _) in enumerate(tokens):
        for phrase in by_first.get(word, ()):
            following = tokens[i + 1 : i + len(phrase)]
            if [(t[0], t[1]) for t in following] == [(w, position + n) for n, w in enumerate(phrase[1:], 1)]:
                found.add(joined(phrase))
    return found


@cache
def _by_first_word(phrases: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(phrase.split())
        grouped.setdefault(words[0], []).append(words)
    return {first: tuple(found) for first, found in grouped.items()}


def frequent_words(texts: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The stems in at least FREQUENT of the (language, text) texts of their language (two at least): each
    language's own, so that a language of few documents has its frequent words too."""
    counts: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for language, text in texts:
        counts.setdefault(language, Counter()).update({t.text for t in analyzer()(text)})
        totals[language] += 1
    return frozenset(
        word
        for language, found in counts.items()
        for word, n in found.items()
        if n >= max(2, FREQUENT * totals[language])
    )


class LayoutCodec(W3Codec):
    """Whoosh's codec, with posting blocks that read fast: a block's ids, weights and values are written as
    raw arrays (three byte strings) where Whoosh pickles a tuple of numbers per posting, and the blocks of the
    fields a query reads whole (word counts, titles, pairs) are left uncompressed. Unpickling and unzipping
    were most of the time of reading a common word's postings; unzipping positions, a third of a phrase's. A
    block says how it is written, so any index reads as before."""

    UNCOMPRESSED = frozenset({"text", "title", PAIRS, POSITIONS, OFFSETS})
    WHOLE = frozenset({"text", "title", PAIRS})  # the fields read whole: blocks of WHOLE_BLOCK postings
    WHOLE_BLOCK = 1024  # (Whoosh's 128 is for skipping, which they rarely do; positions and offsets are sought)

    def field_writer(self, storage, segment) -> W3FieldWriter:
        return _LayoutFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids: bool = False) -> W3PostingsWriter:
        if byteids:  # a term vector's postings: ids are words
            return super().postings_writer(dbfile, byteids)
        return _RawPostingsWriter(
            dbfile, blocklimit=self._blocklimit, compression=self._compression, inlinelimit=self._inlinelimit
        )

    def terms_reader(self, storage, segment) -> W3TermsReader:
        name = segment.make_filename(self.TERMS_EXT)
        postings = segment.open_file(storage, self.POSTS_EXT)
        return _RememberingTermsReader(self, storage.open_file(name), storage.file_length(name), postings)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None) -> matching.Matcher:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()
        return RawLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class _RememberingTermsReader(W3TermsReader):
    """Whoosh's terms reader, remembering what it found of each word: a search asks of each of its words
    several times (is it there, how many documents hold it, where are its postings), and a widened name's
    dozens of words were looked up in the terms' hash table every time (a tenth of matching "Россия poles")."""

    REMEMBERED = 50_000  # words (about 10 MB); then it starts afresh

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self._found: dict[tuple[str, bytes], W3TermInfo | None] = {}

    def _info(self, fieldname: str, tbytes: bytes) -> W3TermInfo | None:
        key = (fieldname, tbytes)
        try:
            return self._found[key]
        except KeyError:  # (a local answer, not read back: another thread may start afresh meanwhile)
            raw = self._tindex.get(self._keycoder(fieldname, tbytes))
            info = None if raw is None else W3TermInfo.from_bytes(raw)
            if len(self._found) >= self.REMEMBERED:
                self._found.clear()
            self._found[key] = info
            return info

    def __contains__(self, term: tuple[str, bytes]) -> bool:
        return self._info(*term) is not None

    def term_info(self, fieldname: str, tbytes: bytes) -> W3TermInfo:
        info = self._info(fieldname, tbytes)
        if info is None:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}")
        return info

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        return self._known(fieldname, tbytes).weight()

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        return self._known(fieldname, tbytes).doc_frequency()

    def _known(self, fieldname: str, tbytes: bytes) -> W3TermInfo:
        """The word's info; KeyError where it is not there, as Whoosh's counts raise (its reader then says 0)."""
        info = self._info(fieldname, tbytes)
        if info is None:
            raise KeyError((fieldname, tbytes))
        return info


class _RawPostingsWriter(W3PostingsWriter):
    """Writes a block's ids (as deltas), weights and values each as one byte string (see RawLeafMatcher)."""

    def _write_block(self, last: bool = False) -> None:
        """Whoosh's, except that the block's data is pickled at protocol 4, where byte strings are stored as
        they are: at Whoosh's protocol 2 each is pickled as a latin-1 text and made bytes again when read,
        most of the time of reading a raw block (15-20 µs for a block of offsets). Read as Whoosh reads."""
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        data = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 4)
        if self._compression:
            data = zlib.compress(data, self._compression)
        ids = self._ids
        lengths = (length_to_byte(self._minlength), length_to_byte(self._maxlength))
        info = dumps((len(ids), ids[-1], self._maxweight, self._compression, *lengths), 2)
        self._postfile.write_int((len(info) + len(data)) * (-1 if last else 1))  # the last block's is negative
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def _mini_ids(self) -> bytes:
        return array("I", delta_encode(self._ids)).tobytes()

    def _mini_weights(self) -> float | bytes | None:
        weights = super()._mini_weights()
        return weights if weights is None or isinstance(weights, float) else self._weights.tobytes()

    def _mini_values(self) -> bytes | tuple[bytes, bytes] | None:
        values = super()._mini_values()
        if not isinstance(values, tuple):  # fixed-size values are one byte string already, or none
            return values
        return array("I", map(len, values)).tobytes(), b"".join(values)


class RawLeafMatcher(W3LeafMatcher):
    """Reads the blocks _RawPostingsWriter writes, and Whoosh's own (pickled numbers) as Whoosh does."""

    def _read_data(self) -> None:
        super()._read_data()
        ids, weights, values = self._data
        if isinstance(ids, bytes):
            self._data = (
                _array("I", ids),
                _array("f", weights) if isinstance(weights, bytes) else weights,
                RawValues(*values) if isinstance(values, tuple) else values,
            )

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        deltas = self._data[0]
        if not isinstance(deltas, array):  # a block as Whoosh writes it
            return super()._read_ids()
        self._ids = tuple(accumulate(deltas))


class RawValues(Sequence[bytes]):
    """A block's values of varying size, cut from their joined bytes when read: most are never read."""

    def __init__(self, lengths: bytes, joined: bytes) -> None:
        self._ends = list(accumulate(_array("I", lengths)))
        self._joined = joined

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return list(self)[i]
        if i < 0:
            i += len(self._ends)
        if not 0 <= i < len(self._ends):
            raise IndexError(i)
        return self._joined[self._ends[i - 1] if i else 0 : self._ends[i]]

    def __iter__(self) -> Iterator[bytes]:  # all of a block's values (a word read whole): one pass
        joined, ends = self._joined, self._ends
        return iter([joined[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)])


def _array(kind: str, raw: bytes) -> array:
    found = array(kind)
    found.frombytes(raw)
    return found


class _LayoutFieldWriter(W3FieldWriter):
    def start_field(self, fieldname: str, fieldobj: FieldType) -> None:
        super().start_field(fieldname, fieldobj)
        if fieldname in LayoutCodec.UNCOMPRESSED:
            self._postwriter._compression = 0
        if fieldname in LayoutCodec.WHOLE:
            self._postwriter._blocklimit = LayoutCodec.WHOLE_BLOCK


def document_schema() -> Schema:
    stemmed = stemming_analyzer()
    shared = SharedAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=_packed(TEXT(analyzer=stemmed, stored=True, field_boost=2.0), PackedPositions),  # a name's phrases
        text=TEXT(analyzer=shared, phrase=False),  # title + text: word counts, for matching and scoring
        positions=_packed(TEXT(analyzer=shared), PackedPositions),  # the same words' positions: phrases
        offsets=_packed(TEXT(analyzer=shared, chars=True), PackedCharacters),  # and characters: snippets
        pairs=PairField(),
        parties=KEYWORD(stored=True, lowercase=True, scorable=False),
        mentions=KEYWORD(stored=True, lowercase=True, scorable=False),
        year=NUMERIC(int, bits=16, stored=True, signed=False),
        date=STORED(),
        doc_type=ID(stored=True),
        language=ID(stored=True),
        source=ID(stored=True),
        url=STORED(),
        content_hash=STORED(),
        revision=STORED(),
        spans=STORED(),  # where each clause starts in the text (indexer/spans.py)
        reading=STORED(),  # Document.reading_of: a search lists one of a text's readings in one language
    )


def _packed(field: TEXT, packed: type[formats.Format]) -> TEXT:
    field.format = packed(field_boost=field.format.field_boost)
    return field


def positions_field(schema: Schema) -> str:
    """The field that holds word positions and offsets: `positions`, or `text` in an index made before it."""
    return "text" if schema["text"].format.supports("characters") else POSITIONS


def offsets_field(schema: Schema) -> str:
    """The field that holds word offsets: `offsets`, or the field of positions in an index made before it,
    which holds them too (the fields added to such an index stay empty until a rebuild)."""
    field = positions_field(schema)
    return OFFSETS if field == POSITIONS and type(schema[POSITIONS].format) is PackedPositions else field
