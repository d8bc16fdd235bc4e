import datetime as dt

from compare.align import BudgetExceeded, Options, align
from compare.series import series, where_else
from corpus.clauses import segment
from corpus.model import Document


def doc(year, paragraphs, name=None, language="en"):
    text = "\n\n".join(paragraphs)
    return Document(
        source="t",
        url=f"http://x/{name or year}",
        language=language,
        title=f"Statement {year}",
        text=text,
        date=dt.date(year, 3, 5),
        clauses=segment(text),
        parties=("KGZ", "RUS"),
    )


A = "The Sides reaffirmed their commitment to strategic partnership and alliance between the two countries."
B = "The Sides will deepen cooperation in trade, investment and energy within the Eurasian Economic Union."
B2 = "The Sides will deepen cooperation in trade and energy within the Eurasian Economic Union."
C = "The Sides condemn terrorism in all its forms and manifestations and will counter extremism together."
D = "The Sides welcome the cross Year of culture and will hold joint events to mark the thirtieth anniversary."


def test_series_traces_each_clause_of_the_newest_document():
    docs = [doc(2022, [A, B2, C, D]), doc(2012, [A, B]), doc(2017, [A, B, C])]
    result = series(docs)
    assert [d.date.year for d in result.documents] == [2012, 2017, 2022]
    first = {h.number: (h.first_seen.date if h.first_seen else None) for h in result.clauses}
    assert first == {1: "2012-03-05", 2: "2012-03-05", 3: "2017-03-05", 4: None}
    b2 = result.clauses[1]
    assert [a.status for a in b2.appearances] == ["reworded", "reworded"]
    a = result.clauses[0]
    assert [a.status for a in a.appearances] == ["identical", "identical"] and a.reworded_in == ()
    assert [a.status for a in result.clauses[3].appearances] == ["absent", "absent"]


def test_series_leaves_out_other_languages_with_a_reason():
    russian = doc(2019, ["Стороны подтвердили приверженность сотрудничеству."], language="ru")
    result = series([doc(2022, [A, B]), russian])
    assert len(result.documents) == 1 and "different languages" in result.skipped[0]


def test_where_else_ranks_similar_clauses_of_other_documents():
    target = doc(2022, [A, B2, C], name="target")
    others = [doc(2017, [C, A], name="x"), doc(2012, [B], name="y"), doc(2010, [D], name="z")]
    found = where_else(B2, [target, *others], exclude=target.id)
    assert [(e.doc_id, e.clause) for e in found] == [(others[1].id, 1)]
    found = where_else(A, others)
    assert found[0].doc_id == others[0].id and found[0].clause == 2 and found[0].score == 100.0


def test_a_series_starts_from_the_newest_of_the_most_common_type_unless_one_is_picked():
    statements = [doc(2012, [A, B]), doc(2017, [A, B, C])]
    trade = doc(2023, [D], name="framework").replace(doc_type="treaty")
    docs = [*(s.replace(doc_type="joint_statement") for s in statements), trade]
    result = series(docs)
    assert (
        result.documents[-1].date.year == 2017 and [h.first_seen.date for h in result.clauses[:2]] == ["2012-03-05"] * 2
    )
    picked = series(docs, start=trade.id)
    assert picked.documents[-1].id == trade.id and len(picked.documents) == 3


def test_a_series_names_the_previous_documents_dropped_clauses():
    result = series([doc(2017, [A, B, C]), doc(2022, [A, B2])])
    assert result.dropped == (("3", C),)


def test_the_time_budget_stops_a_series_and_says_what_was_left_out():
    result = series([doc(2012, [A]), doc(2017, [A, B]), doc(2022, [A, B2])], Options(time_limit=0))
    assert result.cut == "stopped after 0 of 2 earlier documents (the time limit of 0 s); the oldest are left out"
    assert len(result.documents) == 1


def test_an_alignment_that_uses_up_the_series_budget_ends_the_series(monkeypatch):
    import compare.series

    limits = []

    def running_out(a, b, options, frequencies):
        limits.append(options.time_limit)
        if len(limits) == 2:
            raise BudgetExceeded("the comparison took longer than its limit")
        return align(a, b, options, frequencies)

    monkeypatch.setattr(compare.series, "align", running_out)
    result = series([doc(2012, [A]), doc(2017, [A, B]), doc(2022, [A, B2])], Options(time_limit=60))
    assert len(limits) == 2 and 0 < limits[1] <= limits[0] <= 60  # each alignment gets what is left, no more
    assert [d.date.year for d in result.documents] == [2017, 2022]
    assert result.cut.startswith("stopped after 1 of 2 earlier documents")


CRI = "whitehouse_joint_statements/statements-releases"


def test_series_and_compare_classify_every_pair_alike(corpus_dir):
    from tests.test_compare_gold import load

    paths = sorted(str(p.relative_to(corpus_dir)) for p in (corpus_dir / CRI).glob("*/*counter-ransomware*"))
    docs = [load(corpus_dir, p).replace(doc_type="joint_statement") for p in paths]
    assert len(docs) >= 3
    result = series(docs)
    target = result.documents[-1]
    for column, earlier in enumerate(result.documents[:-1]):
        pairs = align(earlier, target).pairs
        kind_of = {n: p.kind for p in pairs if p.a for n in p.b}
        assert [h.appearances[column].kind for h in result.clauses] == [
            kind_of.get(h.number, "absent") for h in result.clauses
        ]


def test_each_rewording_comes_with_its_word_differences():
    result = series([doc(2012, [A, B]), doc(2017, [A, B]), doc(2022, [A, B2])])
    (step,) = result.clauses[1].rewordings()
    assert step[0] is None and ("delete", "investment", "") in step[1]
    assert result.clauses[0].rewordings() == []
