"""The one-pass evaluation (indexer/postings.py) against Whoosh's own walks, on real documents: the same
documents with the same scores, bit for bit; phrases of frequent words through word pairs; an index made
before positions had a field of their own."""

import pytest
from whoosh import query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from corpus.importers import import_paths
from corpus.sqlite_store import SQLiteStore
from indexer.analysis import stemming_analyzer
from indexer.build import INDEX_NAME, document_fields, update_index
from indexer.postings import PhraseOf, evaluate, seek
from indexer.results import SearchRequest
from indexer.schema import PAIRS, POSITIONS, analyzed, indexed_phrases
from indexer.search import Index, for_layout

FILES = [
    "seed",
    "kremlin_ru_2025/supplements_data.json",
    "tota/xml/pta_361.xml",
    "manytreaties/treaty texts/Raw/KAZ-RUS[ENP]_2004A.txt",
    "whitehouse_joint_statements/statements-releases/2021-06",
    "ungdc/TXT/Session 09 - 1954/RUS_09_1954.txt",
]
QUERIES = [
    "cooperation",
    "нефть",
    "energy security",
    "trade OR investment",
    "cooperation -energy",
    '"United Nations"',
    '"Russian Federation" energy',
    '"strategic stability" OR nuclear',
    "Russia",  # names widened: a DisjunctionMax of words and phrases
    "Kazakhstan trade",
    "title:statement",
    "cooperat*",
    '"вступает в силу"',
    '"strategic partnership" energy',  # the phrase checked only where the other word stands
    '"energy security" OR "energy cooperation"',
]


@pytest.fixture(scope="module")
def index(corpus_dir, tmp_path_factory):
    from treatysearch.cli import readers

    folder = tmp_path_factory.mktemp("postings")
    store = SQLiteStore(folder / "corpus.sqlite3")
    import_paths(store, [corpus_dir / f for f in FILES], readers())
    update_index(store, folder / "index", rebuild=True)
    index = Index(folder / "index", store.get)
    yield index
    index.close()


@pytest.mark.parametrize("text", QUERIES)
def test_one_pass_gives_whooshs_documents_and_scores(index, text):
    searcher = index._searcher()
    parsed = for_layout(index.parse(text), searcher.schema)
    expected = dict(searcher.search(parsed, limit=None).items())
    found = evaluate(searcher, parsed)
    assert dict(zip(found.ids.tolist(), found.scores.tolist(), strict=True)) == expected
    assert expected or text == "cooperation -energy"


def test_phrases_of_frequent_words_are_looked_up_as_pairs_with_the_same_hits(index):
    searcher = index._searcher()
    frequent = searcher.schema[PAIRS].words
    assert "nation" in frequent and "unit" in frequent
    reader = searcher.reader()
    pairs = sorted(reader.lexicon(PAIRS), key=lambda t: -reader.doc_frequency(PAIRS, t))[:20]
    assert pairs
    for term in pairs:
        words = term.decode().split(" ")
        walked = dict(searcher.search(query.Phrase(POSITIONS, words), limit=None).items())
        found = evaluate(searcher, PhraseOf(POSITIONS, words))
        assert walked and dict(zip(found.ids.tolist(), found.scores.tolist(), strict=True)) == walked


@pytest.mark.parametrize("walk_beyond", [16, 0])  # 0: every word's positions sought document by document
def test_phrases_checked_by_their_positions_find_whooshs_documents_and_scores(index, walk_beyond, monkeypatch):
    import random

    monkeypatch.setattr("indexer.postings.WALK_BEYOND", walk_beyond)
    searcher = index._searcher()
    reader, frequent = searcher.reader(), searcher.schema[PAIRS].words
    rng = random.Random(11)
    stems = [t.decode() for t in reader.lexicon(POSITIONS)]
    checked = 0
    for _ in range(400):  # phrases made of words next to each other somewhere, and of words that never are
        docnum = rng.randrange(reader.doc_count_all())
        tokens = analyzed(index.documents(reader.stored_fields(docnum)["id"]).text).tokens
        at, size = rng.randrange(max(1, len(tokens) - 4)), rng.randint(2, 4)
        words = [t[0] for t in tokens[at : at + size]] if rng.random() < 0.8 else rng.sample(stems, 2)
        if len(words) < 2 or all(w in frequent for w in words):
            continue
        walked = dict(searcher.search(query.Phrase(POSITIONS, words), limit=None).items())
        found = evaluate(searcher, PhraseOf(POSITIONS, words))
        assert dict(zip(found.ids.tolist(), found.scores.tolist(), strict=True)) == walked, words
        checked += bool(walked)
    assert checked > 150


def test_names_of_several_words_are_looked_up_whole_with_the_same_hits(index):
    searcher = index._searcher()
    phrases = indexed_phrases(searcher.schema[PAIRS])
    assert {"russian feder", "unit state america", "российский федерация"} <= phrases
    reader = searcher.reader()
    held = [t.decode() for t in reader.lexicon(PAIRS) if t.decode() in phrases]
    assert "russian feder" in held and any(len(p.split()) > 2 for p in held)
    for phrase in held:
        words = phrase.split(" ")
        walked = dict(searcher.search(query.Phrase(POSITIONS, words), limit=None).items())
        found = evaluate(searcher, PhraseOf(POSITIONS, words))
        assert walked and dict(zip(found.ids.tolist(), found.scores.tolist(), strict=True)) == walked


def test_a_filtered_page_is_whooshs_top_among_the_allowed(index):
    searcher = index._searcher()
    request = SearchRequest(q="cooperation", languages=("en",), page_size=5)
    allowed = {d for d, _ in searcher.search(query.Term("language", "en"), limit=None).items()}
    expected = [d for d, _ in searcher.search(index.parse("cooperation"), filter=allowed, limit=5).items()]
    assert [index._table(searcher).by_id[h.id] for h in index.search(request).hits] == expected


def test_an_index_made_before_the_positions_field_still_finds_phrases_and_places_snippets(corpus_dir, tmp_path):
    from whoosh import index as whoosh_index

    from treatysearch.cli import readers

    store = SQLiteStore(tmp_path / "corpus.sqlite3")
    import_paths(store, [corpus_dir / "seed"], readers())
    old = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stemming_analyzer(), stored=True),
        text=TEXT(analyzer=stemming_analyzer(), chars=True),
        date=STORED(),
    )
    (tmp_path / "index").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "index"), old, indexname=INDEX_NAME)
    with ix.writer() as writer:
        for doc in store.iter_documents():
            fields = document_fields(doc)
            writer.add_document(**{k: v for k, v in fields.items() if k in old.names()})
    index = Index(tmp_path / "index", store.get)
    assert index.search(SearchRequest(q='"joint statement"')).total
    hits = index.search(SearchRequest(q="cooperation")).hits
    assert any("<mark" in " ".join(h.snippets) for h in hits)
    index.close()


def test_an_index_made_before_offsets_had_a_field_of_their_own_reads_as_a_new_one(index, tmp_path):
    from whoosh import index as whoosh_index

    from indexer.schema import OFFSETS, LayoutCodec, PackedCharacters, SharedAnalyzer, _packed, document_schema

    fields = {name: field for name, field in document_schema().items() if name != OFFSETS}
    fields[POSITIONS] = _packed(TEXT(analyzer=SharedAnalyzer(), chars=True), PackedCharacters)
    (tmp_path / "index").mkdir()
    ix = whoosh_index.create_in(str(tmp_path / "index"), Schema(**fields), indexname=INDEX_NAME)
    with ix.writer(codec=LayoutCodec()) as writer:
        for docnum in range(index._searcher().reader().doc_count_all()):
            doc = index.documents(index._searcher().reader().stored_fields(docnum)["id"])
            writer.add_document(**{k: v for k, v in document_fields(doc).items() if k in fields})
    before = Index(tmp_path / "index", index.documents)
    for text in ('"energy security"', '"вступает в силу"', "cooperation", "Russia"):
        old, new = before.search(SearchRequest(q=text)), index.search(SearchRequest(q=text))
        assert old.total == new.total and old.total
        assert [h.snippets for h in old.hits] == [h.snippets for h in new.hits]
        assert any("<mark" in " ".join(h.snippets) for h in old.hits)
    before.close()


def test_seek_lands_where_skip_to_does():
    ix = RamStorage().create_index(Schema(body=TEXT))
    with ix.writer() as writer:
        for n in range(700):  # several posting blocks of "common", every third document "rare"
            writer.add_document(body="common rare" if n % 3 == 0 else "common")
    with ix.searcher() as searcher:
        for word in ("common", "rare"):
            targets = [0, 1, 5, 127, 128, 129, 300, 301, 302, 698, 699]
            for target in targets:
                walked, sought = (searcher.reader().postings("body", word) for _ in range(2))
                assert type(sought) is W3LeafMatcher
                walked.skip_to(target)
                seek(sought, target)
                assert (sought.is_active(), sought.id()) == (walked.is_active(), walked.id())
            stepping = searcher.reader().postings("body", word)
            for target in targets:  # one matcher onward, as a page's documents are read
                seek(stepping, target)
                assert stepping.id() >= target
