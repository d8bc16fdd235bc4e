"""Our query tree as Whoosh queries: a widened name scores as its best name, and higher in its party's texts."""

from whoosh import query
from whoosh.filedb.filestore import RamStorage

from indexer.query import Names, Words
from indexer.schema import document_schema
from indexer.whoosh_query import BestOf, to_whoosh

FILLER = " ".join(["word"] * 300)  # a long text: its one mention of a name weighs less than in a short one


def searcher_of(docs: list[dict]):
    index = RamStorage().create_index(document_schema())
    with index.writer() as writer:
        for doc in docs:
            writer.add_document(**doc)
    return index.searcher()


def scores(searcher, q) -> dict[str, float]:
    return {searcher.stored_fields(d)["id"]: s for d, s in searcher.search(q, limit=None).items()}


def test_the_best_of_several_queries_scores_each_document_by_its_own_best():
    searcher = searcher_of(
        [
            {"id": "long", "title": "t", "text": f"alpha {FILLER}"},
            {"id": "short", "title": "t", "text": "beta gamma"},
        ]
    )
    alone = {**scores(searcher, query.Term("text", "alpha")), **scores(searcher, query.Term("text", "beta"))}
    best = scores(searcher, BestOf([query.Term("text", "alpha"), query.Term("text", "beta")]))
    assert best == alone  # Whoosh's own DisjunctionMax gives "long" the score "short" has


def test_a_text_the_party_made_or_whose_title_names_it_ranks_above_a_mere_mention():
    searcher = searcher_of(
        [
            {"id": "mention", "title": "Greetings", "text": "Greetings to Kyrgyzstan"},
            {"id": "made", "title": "Statement", "text": f"Kyrgyzstan {FILLER}", "parties": "kgz rus"},
            {"id": "titled", "title": "Talks with Kyrgyzstan", "text": f"Talks with Kyrgyzstan {FILLER}"},
        ]
    )
    names = Names((Words("Kyrgyzstan"), Words("Kirghizia")), code="KGZ")
    ranked = sorted(scores(searcher, to_whoosh(names, searcher.reader(), set())).items(), key=lambda kv: -kv[1])
    assert [doc for doc, _ in ranked][-1] == "mention"
    plain = scores(searcher, to_whoosh(Names((Words("Kyrgyzstan"), Words("Kirghizia"))), searcher.reader(), set()))
    assert plain["mention"] > plain["made"]  # what the bonus overcomes: a short text's one mention
