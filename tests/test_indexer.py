"""The index built from real documents of ../shared/corpus: hit sets, phrases, filters, facets, snippets."""

import re
import signal
import subprocess
import sys
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.documents import build_document
from corpus.importers import import_paths
from corpus.sqlite_store import SQLiteStore
from indexer.backends import open_search, update_search
from indexer.build import open_index, update_index
from indexer.results import QueryError, SearchRequest
from tests.conftest import ROOT, empty_postgres_store

LONG_SPEECH = "ungdc/TXT/Session 09 - 1954/RUS_09_1954.txt"
FILES = [
    "seed",
    "kremlin_ru_2025/supplements_data.json",
    "tota/xml/pta_361.xml",
    "tota/xml/pta_413.xml",
    "tota/xml/pta_423.xml",
    "tota/xml/pta_424.xml",
    "manytreaties/treaty texts/Raw/KAZ-RUS[ENP]_2004A.txt",
    "manytreaties/treaty texts/Raw/KAZ-RUS[CUE]_2007A.txt",
    "manytreaties/treaty texts/Raw/CHN-RUS[PCE]_2000A.txt",
    "whitehouse_joint_statements/statements-releases/2021-06",
    "whitehouse_joint_statements/statements-releases/2021-05",
    "whitehouse_joint_statements/statements-releases/2021-09/2021-09-24-u-s-india-joint-leaders-statement-a-partnership-for-global-good.md",
    "whitehouse_joint_statements/briefings-statements/2025-02/2025-02-13-united-states-india-joint-leaders-statement.md",
    "kremlin_en_html/pages/en.kremlin.ru/events/president/news/63277.html",
    LONG_SPEECH,
]


@pytest.fixture(scope="module", params=["whoosh", "postgresql"])
def built(request, corpus_dir, tmp_path_factory):
    """The same documents indexed by each backend: Whoosh beside SQLite, PostgreSQL beside PostgreSQL."""
    from treatysearch.cli import readers

    folder = tmp_path_factory.mktemp("index")
    store = SQLiteStore(folder / "corpus.sqlite3") if request.param == "whoosh" else empty_postgres_store()
    report = import_paths(store, [corpus_dir / f for f in FILES], readers())
    assert report.problems == []
    update_search(store, folder / "index", rebuild=True)
    index = open_search(store, folder / "index")
    yield store, index
    index.close()
    store.close()


def ids_where(store, predicate):
    return {d.id for d in store.iter_documents() if predicate(d)}


def hit_ids(index, **kw):
    result = index.search(SearchRequest(page_size=1000, **kw))
    return {h.id for h in result.hits}


def test_every_document_is_indexed(built):
    store, index = built
    assert index.count() == store.stats().documents > 40


@pytest.mark.parametrize(
    ("query", "pattern"),
    [
        ("сотрудничество", r"сотрудничеств"),  # any case form of the noun
        ('"Казахстан"', r"казахстан(?!ск)"),  # «Казахстан», «Казахстана», «Казахстаном» … (quoted: not widened)
        ('"Ирана"', r"\bиран(?!ск)"),  # Snowball alone would miss «Иран» for «Ирана»
        ('"Kyrgyz"', r"kyrgyz\b"),
        ("государство", r"государств(о|а|у|ом|е|ам|ами|ах)?\b"),  # a word the gazetteer also holds in a name
        ("co-operation", r"co-?operat"),  # the hyphenated spelling finds both, and every form of the stem
        ("disarmament", r"disarmament"),
    ],
)
def test_word_queries_find_exactly_the_documents_containing_the_word(built, query, pattern):
    store, index = built
    expected = ids_where(store, lambda d: re.search(pattern, f"{d.title}\n{d.text}".lower().replace("ё", "е")))
    assert expected
    assert hit_ids(index, q=query) == expected


def test_cooperate_finds_cooperation(built):
    store, index = built
    assert hit_ids(index, q="cooperate") >= ids_where(store, lambda d: "cooperation" in d.text.lower())


def test_phrase_query(built):
    store, index = built
    phrase = ids_where(store, lambda d: "strategic stability" in " ".join(d.text.lower().split()))
    assert phrase and hit_ids(index, q='"strategic stability"') == phrase
    assert hit_ids(index, q='"stability strategic"') == set()


def test_russian_phrase_and_field_queries(built):
    store, index = built
    expected = ids_where(store, lambda d: "окружающей среды" in " ".join(d.text.split()))
    assert expected and hit_ids(index, q='"окружающей среды"') == expected
    assert hit_ids(index, q="party:kaz type:treaty") == ids_where(
        store, lambda d: "KAZ" in d.parties and d.doc_type == "treaty"
    )
    assert hit_ids(index, q="lang:ru") == ids_where(store, lambda d: d.language == "ru")
    assert hit_ids(index, q="year:[2020 TO 2021]") == ids_where(store, lambda d: d.year in (2020, 2021))
    assert hit_ids(index, q="year:2020-2021") == hit_ids(index, q="year:[2020 TO 2021]")


def test_between_parties_filter(built):
    store, index = built
    between = hit_ids(index, parties=("RUS", "KAZ"), party_mode="all")
    assert between == ids_where(store, lambda d: {"RUS", "KAZ"} <= set(d.parties))
    either = hit_ids(index, parties=("RUS", "KAZ"), party_mode="any")
    assert either == ids_where(store, lambda d: {"RUS", "KAZ"} & set(d.parties))
    assert between < either


def test_mentions_facet_and_filter_are_apart_from_parties(built):
    store, index = built
    mentioned = hit_ids(index, mentions=("UKR",))
    assert mentioned and mentioned == ids_where(store, lambda d: "UKR" in dict(d.mentions))
    result = index.search(SearchRequest(q="cooperation", page_size=1000))
    matching = {h.id for h in result.hits}
    want = Counter(code for d in store.iter_documents(sorted(matching)) for code, _ in d.mentions)
    assert {v.value: v.count for v in result.facets["mentions"]} == want


def test_facet_counts_equal_counts_from_the_store(built):
    store, index = built
    result = index.search(SearchRequest(q="cooperation", languages=("en",), types=("treaty",)))
    matching = [d for d in store.iter_documents() if re.search(r"cooperat", f"{d.title} {d.text}".lower())]

    def counts(docs, key):
        return Counter(v for d in docs for v in key(d))

    in_lang = [d for d in matching if d.language == "en"]
    in_type = [d for d in matching if d.doc_type == "treaty"]
    both = [d for d in in_lang if d.doc_type == "treaty"]
    assert result.total == len(both)
    facet = {name: {v.value: v.count for v in values} for name, values in result.facets.items()}
    # Disjunctive: the language facet is counted without the language filter, and so on.
    assert facet["language"] == counts(in_type, lambda d: [d.language])
    assert facet["doc_type"] == counts(in_lang, lambda d: [d.doc_type])
    assert facet["parties"] == counts(both, lambda d: d.parties)
    assert facet["year"] == counts(both, lambda d: [str(d.year)] if d.year else [])
    assert facet["source"] == counts(both, lambda d: [d.source])
    assert [v.value for v in result.facets["year"]] == sorted(facet["year"])  # chronological
    assert {v.value for v in result.facets["language"] if v.selected} == {"en"}


def test_highlighting_deep_inside_a_long_document(built):
    store, index = built
    (hit,) = index.search(SearchRequest(q='"Franco-British memorandum"')).hits
    doc = store.get(hit.id)
    assert len(doc.text) > 70_000 and doc.text.index("Franco-British") > 60_000
    assert any("<mark" in s and "Franco" in s and "memorandum" in s for s in hit.snippets)
    assert hit.clause is not None and "Franco-British" in doc.clauses[hit.clause - 1].text


def test_snippets_are_escaped_apart_from_the_marks(built):
    _, index = built
    result = index.search(SearchRequest(q="Kyrgyz", snippets=3))
    for hit in result.hits:
        assert 1 <= len(hit.snippets) <= 3
        for snippet in hit.snippets:
            bare = re.sub(r"</?mark[^>]*>", "", snippet)
            assert "<" not in bare and ">" not in bare


def test_sort_by_date_and_pagination(built):
    store, index = built
    newest = index.search(SearchRequest(sort="newest", page_size=5))
    dates = [h.date for h in newest.hits]
    assert dates == sorted(dates, reverse=True)
    page2 = index.search(SearchRequest(sort="newest", page_size=5, page=2))
    assert not {h.id for h in newest.hits} & {h.id for h in page2.hits}
    assert newest.total == store.stats().documents and newest.pages == -(-newest.total // 5)


def test_misspelled_query_suggests_the_right_word(built):
    _, index = built
    assert index.search(SearchRequest(q="Kyrgiz")).suggestion == "kyrgyz"
    assert index.search(SearchRequest(q="сотрудничесво")).suggestion == "сотрудничество"
    assert index.search(SearchRequest(q="Kyrgyz")).suggestion is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"strategic stability', "quotation mark is not closed"),
        ("(Russia OR Kyrgyz", "opening parenthesis"),
        ("Russia)", "closing parenthesis"),
        ("year:[2015 TO", "opening bracket"),
        ("colour:red", 'unknown field "colour:"'),
        ("party: RUS", "needs a value"),
        ("*operation", "cannot start with *"),
        ("trade -*", "cannot start with *"),
        ("Russia AND", "AND, OR and NOT need a word"),
        ("x" * 1001, "too long"),
        ("(" * 450 + "a" + ")" * 450, "at most 10"),
        (" ".join(f"{c}*" for c in "abcdefghijklmnopqrst"), "stands for more than"),
        ("w " * 70, "at most 64"),
        ("the of and", "only stop words or symbols"),  # had found every document, saying nothing
        ("и в на", "only stop words or symbols"),
        ("%", "only stop words or symbols"),
        ('""', "only stop words or symbols"),
        ("NOT the", "only stop words or symbols"),
    ],
)
def test_malformed_queries_say_what_is_wrong(built, query, message):
    _, index = built
    with pytest.raises(QueryError, match=re.escape(message)):
        index.search(SearchRequest(q=query))


def test_correctly_spelled_words_get_no_suggestion(built):
    """A word the index knows as a stem is never "corrected", whatever the form typed."""
    _, index = built
    for q in ("государство", "Kyrgyz", "сотрудничеству", "disarmaments", "государствам"):
        assert index.search(SearchRequest(q=q)).suggestion is None, q


def test_prefix_matches_whole_words_as_well_as_stems(built):
    store, index = built
    expected = ids_where(store, lambda d: re.search(r"\bcooperat", f"{d.title}\n{d.text}".lower()))
    assert hit_ids(index, q="cooperat*") >= expected


@pytest.mark.parametrize(
    ("query", "low", "high"),
    [("year:[TO 2005]", 1, 2005), ("year:[1500 TO]", 1500, 9999), ("year:[1000 TO 2004]", 1000, 2004)],
)
def test_open_and_low_year_bounds(built, query, low, high):
    store, index = built
    assert hit_ids(index, q=query) == ids_where(store, lambda d: d.year and low <= d.year <= high)


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("NOT NOT Kazakhstan", "Kazakhstan"),
        ('title:"joint statement"', 'title:"joint statement" AND "joint statement"'),
        ('"joint statement" NOT "United States"', '"joint statement" -"united states"'),
    ],
)
def test_queries_once_refused(built, query, same_as):
    _, index = built
    assert hit_ids(index, q=query) == hit_ids(index, q=same_as) != set()


def test_a_name_finds_all_its_names_and_the_hit_says_which(built):
    store, index = built
    result = index.search(SearchRequest(q="Киргизия", page_size=100))
    holds = ids_where(store, lambda d: re.search(r"kyrgyz|кыргыз|киргиз", f"{d.title}\n{d.text}".lower()))
    assert {h.id for h in result.hits} == holds
    noted = [n for h in result.hits for n in h.names]
    assert noted and all(n.startswith("Киргизия → ") for n in noted)
    assert hit_ids(index, q='"Киргизия"') < holds  # quoted: only that name


@pytest.mark.parametrize("backend", ["whoosh", "postgresql"])
def test_a_name_is_not_widened_to_one_it_shares_with_another_party(tmp_path, backend):
    texts = {
        # (not "the Democratic People's Republic of Korea", which holds the phrase "Republic of Korea")
        "north": "Talks on North Korea and the DPRK.",
        "south": "Talks with the Republic of Korea on trade.",
        "latin": "Talks on Latin America and the Americas.",
        "states": "Talks with the United States on trade.",
        "ukrainian": "Договір між Україною та Російською Федерацією.",
    }
    docs = [build_document(f"Note {k}", t, url=f"https://example.org/{k}", source="other") for k, t in texts.items()]
    store = SQLiteStore(tmp_path / "corpus.sqlite3") if backend == "whoosh" else empty_postgres_store()
    store.save_many(docs)
    update_search(store, tmp_path / "index", rebuild=True)
    index = open_search(store, tmp_path / "index")
    by_url = {d.id: d.url.rsplit("/", 1)[1] for d in docs}

    def found(q: str) -> set[str]:
        return {by_url[h.id] for h in index.search(SearchRequest(q=q, page_size=10)).hits}

    try:
        assert found("South Korea") == {"south"}  # "Korea" alone may be North Korea
        assert found("Korea") == {"north", "south"}  # typed, the shared name is searched as typed
        assert found("United States") == {"states"}  # "America" alone may be Latin America
        assert found("Украина") == found("Ukraine") == {"ukrainian"}
        assert found("Российская Федерация") == {"ukrainian"}
    finally:
        index.close()
        store.close()


def test_a_word_looked_for_only_in_a_phrase_is_marked_only_where_the_phrase_stands(tmp_path):
    """Whoosh only: PostgreSQL's ts_headline marks a phrase's words wherever they stand (the README's table)."""
    text = (
        "Delegates of the United Kingdom met in Paris. "
        + "Filler words of no interest here. " * 12
        + "The Kingdom of Morocco and the United States signed it with the State of Israel."
    )
    store = SQLiteStore(tmp_path / "corpus.sqlite3")
    store.save_many([build_document("Note on talks", text, url="https://example.org/talks", source="other")])
    update_search(store, tmp_path / "index", rebuild=True)
    index = open_search(store, tmp_path / "index")

    def marked(q: str) -> set[str]:
        (hit,) = index.search(SearchRequest(q=q)).hits
        return {m.lower() for snippet in hit.snippets for m in re.findall(r"<mark[^>]*>([^<]+)</mark>", snippet)}

    try:
        assert marked("Morocco") >= {"kingdom", "morocco"}  # widened to "Kingdom of Morocco", which stands here
        assert "united" not in marked("Morocco")  # the other "Kingdom" is the United Kingdom's
        assert marked('"United States"') == {"united", "states"}  # not "State" of Israel, nor "United" Kingdom
        assert marked("Kingdom Morocco") == {"kingdom", "morocco"}  # words looked for alone: every place
    finally:
        index.close()
        store.close()


def test_a_search_that_finds_nothing_offers_ways_on(built):
    _, index = built
    filtered = index.search(SearchRequest(q='"strategic stability"', parties=("ZWE",)))
    assert filtered.total == 0
    assert [(a.kind, a.request.parties) for a in filtered.alternatives] == [("no filters", ())]
    assert filtered.alternatives[0].total == index.search(SearchRequest(q='"strategic stability"')).total > 0
    reversed_phrase = index.search(SearchRequest(q='"stability strategic"'))
    assert reversed_phrase.total == 0
    assert [(a.kind, a.request.q) for a in reversed_phrase.alternatives] == [("words", "stability strategic")]
    assert index.search(SearchRequest(q="Kyrgiz")).alternatives[0].kind == "spelling"


def test_words_no_document_holds_together_find_those_holding_the_most_of_them(built):
    _, index = built
    strict = index.search(SearchRequest(q="Kyrgyz stability", page_size=1000))
    relaxed = index.search(SearchRequest(q="Kyrgyz stability Balticonnector", page_size=1000))
    assert not strict.partial and strict.total > 0
    assert relaxed.partial and {h.id for h in relaxed.hits} == {h.id for h in strict.hits}
    assert relaxed.alternatives == () and relaxed.suggestion is None  # a word the corpus lacks is no misspelling
    assert index.search(SearchRequest(q="Kyrgyz stability Balticonnector", parties=("ZWE",))).total == 0


def test_a_hyphenated_prefix_is_its_words_and_a_prefix_of_the_last(built):
    _, index = built
    assert hit_ids(index, q="Russian-Kyrg*") == hit_ids(index, q="Russian Kyrg*") != set()


def test_bad_requests(built):
    _, index = built
    for request in (SearchRequest(sort="random"), SearchRequest(page=0), SearchRequest(year_from=2020, year_to=2010)):
        with pytest.raises(QueryError):
            index.search(request)


@pytest.fixture
def reopen(built, tmp_path):
    """Opens more readers of the built store's index (Whoosh: a new index in its own folder); closes them after."""
    store, _ = built
    update_search(store, tmp_path / "index")
    opened = []

    def open_index(**options):
        opened.append(open_search(store, tmp_path / "index", **options))
        return opened[-1]

    yield open_index
    for index in opened:
        index.close()


def test_incremental_update_sees_new_changed_and_deleted_documents(built, reopen, tmp_path):
    store, _ = built
    path = tmp_path / "index"
    index = reopen()
    before = index.count()
    doc = next(d for d in store.iter_documents() if d.source == "aggregator")
    store.save(doc.replace(text=doc.text + "\n\nA zanzibarian clause."))
    assert update_search(store, path).updated == 1
    assert hit_ids(index, q="zanzibarian") == {doc.id}
    store.delete(doc.id)
    report = update_search(store, path)
    assert report.deleted == 1 and index.count() == before - 1
    assert update_search(store, path).updated == 0  # nothing new: nothing done


@given(
    st.lists(st.integers(0, 50), max_size=8),
    st.lists(st.tuples(st.integers(0, 60), st.sampled_from("abc")), max_size=12),
)
def test_best_clause_is_the_clause_of_most_distinct_words_the_earliest_among_equals(gaps, chars):
    from indexer.spans import best_clause, unpacked

    chars = sorted(chars)  # a hit's matches come in order of place
    starts = np.cumsum(gaps).tolist()  # clauses follow each other, some empty
    spans = unpacked(np.array(starts, dtype="<u4").tobytes(), starts[-1] + 5 if starts else 0)
    counts = [len({w for at, w in chars if a <= at < b}) for a, b in spans]
    expected = counts.index(max(counts)) + 1 if counts and max(counts) else None
    assert best_clause(chars, spans) == expected


def test_clause_spans_and_best_clause():
    from corpus.clauses import segment
    from indexer.spans import best_clause, clause_spans, packed_starts, unpacked

    text = "1. The Sides agree\non trade.\n\n2. The Sides note\nthe energy dialogue and trade."
    clauses = segment(text)
    spans = clause_spans(text, clauses)
    assert [text[a:b].split()[:3] for a, b in spans] == [["The", "Sides", "agree"], ["The", "Sides", "note"]]
    at = {w: [m.start() for m in re.finditer(w, text)] for w in ("trade", "energy")}
    chars = [(pos, w) for w, positions in at.items() for pos in positions]
    assert best_clause(chars, spans) == 2  # both words there
    assert best_clause([(at["trade"][0], "trade")], spans) == 1
    assert best_clause([], spans) is None
    assert unpacked(packed_starts(spans), len(text)) == spans
    assert unpacked(packed_starts([]), 0) == [] == clause_spans("", ())  # a document of no clause


def test_a_hits_clause_places_come_from_the_index_and_from_the_store_once_its_text_changed(corpus_dir, tmp_path):
    from dataclasses import replace

    from indexer.search import Index
    from indexer.spans import clause_spans
    from treatysearch.cli import readers

    store = SQLiteStore(tmp_path / "corpus.sqlite3")
    import_paths(store, [corpus_dir / "seed"], readers())
    update_index(store, tmp_path / "index", rebuild=True)
    doc = next(store.iter_documents())
    read: list[str] = []
    index = Index(tmp_path / "index", lambda i: read.append(i) or store.get(i), texts=store.text_of)
    fields = index._searcher().stored_fields(0)
    held = index._hit_text(doc.id, fields["content_hash"], fields["spans"])
    assert held == (doc.text, clause_spans(doc.text, doc.clauses)) and len(held[1]) > 5 and read == []
    changed = replace(doc, text="1. A new first clause.\n\n" + doc.text)  # the store moves on, the index not yet
    store.save(changed)
    assert index._hit_text(doc.id, fields["content_hash"], fields["spans"])[0] == doc.text  # kept by hash
    index._texts.clear()
    text, spans = index._hit_text(doc.id, fields["content_hash"], fields["spans"])
    assert read == [doc.id] and spans == clause_spans(text, store.get(doc.id).clauses)
    index.close()


def test_the_index_does_not_pickle_analyzer_caches(built):
    _, index = built
    if not hasattr(index, "path"):
        pytest.skip("a Whoosh index file")
    tocs = list(index.path.glob("_documents_*.toc"))
    assert tocs and all(t.stat().st_size < 50_000 for t in tocs)


def test_repeated_searches_come_from_the_cache_until_the_index_changes(built, reopen, tmp_path):
    store, _ = built
    path = tmp_path / "index"
    index = reopen(cache_size=2)
    request = SearchRequest(q="cooperation")
    first = index.search(request)
    assert index.search(request) is first
    doc = next(iter(store.iter_documents()))
    store.save(doc.replace(text=doc.text + "\n\nA new cooperation clause."))
    update_search(store, path)
    assert index.search(request) is not first
    uncached = reopen(cache_size=0)
    assert uncached.search(request) is not uncached.search(request)


KILLED_REBUILD = """
import os, signal, sys
from pathlib import Path
from corpus.sqlite_store import SQLiteStore
from indexer import build
store = SQLiteStore(Path(sys.argv[1]) / "c.sqlite3")
real = store.iter_documents
def dying(ids=None):
    for n, doc in enumerate(real(ids)):
        if n == 250:
            os.kill(os.getpid(), signal.SIGKILL)  # kill -9 in the middle of a rebuild
        yield doc
store.iter_documents = dying
build.update_index(store, Path(sys.argv[1]) / "index", rebuild=True)
"""


def test_killed_rebuilds_leave_no_orphan_index_files(tmp_path):
    store = SQLiteStore(tmp_path / "c.sqlite3")
    store.save_many(
        [
            build_document(
                f"Joint statement {n}", f"The Sides agree on {n}. " * 100, url=f"https://x.org/{n}", source="x"
            )
            for n in range(300)
        ]
    )
    update_index(store, tmp_path / "index", rebuild=True)
    clean = sorted(p.name for p in (tmp_path / "index").iterdir())
    for _ in range(3):
        killed = subprocess.run([sys.executable, "-c", KILLED_REBUILD, str(tmp_path)], cwd=ROOT)
        assert killed.returncode == -signal.SIGKILL
    update_index(store, tmp_path / "index", rebuild=True)
    after = sorted(p.name for p in (tmp_path / "index").iterdir())
    assert len(after) == len(clean) and not list((tmp_path / "index").glob("documents.tmp/*"))
    assert open_index(tmp_path / "index").doc_count() == 300


def test_an_index_made_before_the_mentions_field_gets_it(tmp_path):
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, Schema

    from indexer.build import INDEX_NAME, open_index

    whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True, unique=True)), indexname=INDEX_NAME)
    assert "mentions" in open_index(tmp_path).schema and "parties" in open_index(tmp_path).schema


def test_a_text_read_twice_in_one_language_is_one_hit_in_both_backends(store, tmp_path):
    """manytreaties ships 63 English treaties twice, in Raw/ and Formatted/: a search lists and counts one of them
    (the first by id that it finds), a translation and other texts as before."""
    key = "manytreaties:AAA-BBB[LOC]_1935A"

    def doc(title, text, source_id, language="en", parties=("AFG", "RUS"), translation_key=key):
        made = build_document(
            title,
            text,
            url=f"file:{source_id.split('/')[-1]}",
            source="manytreaties",
            source_id=source_id,
            language=language,
            translation_key=translation_key,
        )
        return made.replace(parties=parties)

    raw = doc("Agreement on locusts", "The Parties shall\nfight the locusts together.", "Raw/AAA-BBB[LOC]_1935A.txt")
    formatted = doc("AGREEMENT ON LOCUSTS", "The Parties fight locusts together.", "Formatted/AAA-BBB[LOC]_1935A.txt")
    translation = doc("Соглашение о саранче", "Стороны борются с саранчой (locusts).", "Raw/x.txt", language="ru")
    other = doc("Agreement on locusts in Asia", "Locusts are fought in Asia.", "Raw/CCC.txt", translation_key="")
    store.save_many([raw, formatted, translation, other])
    update_search(store, tmp_path / "index")
    index = open_search(store, tmp_path / "index")
    try:
        first, second = sorted([raw, formatted], key=lambda d: d.id)
        result = index.search(SearchRequest(q="locusts"))
        assert sorted(h.id for h in result.hits) == sorted([first.id, translation.id, other.id])
        assert result.total == 3 and {v.value: v.count for v in result.facets["language"]} == {"en": 2, "ru": 1}
        assert index.matching_ids(SearchRequest(q="locusts", languages=("en",))) == [
            h.id for h in index.search(SearchRequest(q="locusts", languages=("en",))).hits
        ]
        assert second.id not in index.matching_ids(SearchRequest(q="locusts"))
        assert [h.id for h in index.search(SearchRequest(q="together")).hits] == [first.id]  # both hold it
        # the first reading filtered out (its parties differ), the second is found
        store.save(first.replace(parties=("AFG",)))
        update_search(store, tmp_path / "index")
        index.close()
        index = open_search(store, tmp_path / "index")
        assert [h.id for h in index.search(SearchRequest(q="together", parties=("RUS",))).hits] == [second.id]
        assert index.search(SearchRequest(q="together", parties=("RUS",))).total == 1
        # a facet counts texts: RUS stands for the one text whose second reading holds it, as its filter finds
        parties = {v.value: v.count for v in index.search(SearchRequest(q="together")).facets["parties"]}
        assert parties == {"AFG": 1, "RUS": 1}
    finally:
        index.close()
