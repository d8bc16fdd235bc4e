"""The query language's tree, which the PostgreSQL backend compiles to SQL."""

import re

import pytest

from indexer.query import MAX_RELAXED, And, Field, Not, Or, Words, YearRange, parse, relaxed
from indexer.results import QueryError, check_query


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("", None),
        ("trade", Words("trade")),
        ("trade energy", And((Words("trade"), Words("energy")))),
        ("trade AND energy", And((Words("trade"), Words("energy")))),
        ("trade OR energy gas", Or((Words("trade"), And((Words("energy"), Words("gas")))))),
        ('"strategic stability" -nuclear', And((Words("strategic stability", phrase=True), Not(Words("nuclear"))))),
        ("NOT (a OR b)", Not(Or((Words("a"), Words("b"))))),
        ("cooperat*", Words("cooperat", prefix=True)),
        ("co-operat*", Words("cooperat", prefix=True)),  # a joined prefix: one word, as the analyzer reads it
        ("Afro-Colomb*", And((Words("Afro"), Words("Colomb", prefix=True)))),  # two words, the last a prefix
        ("title:treaty party:kaz", And((Words("treaty", field="title"), Field("parties", "kaz")))),
        ('title:"joint statement"', Words("joint statement", field="title", phrase=True)),
        ("lang:ru type:treaty", And((Field("language", "ru"), Field("doc_type", "treaty")))),
        ("year:[2015 TO 2022]", YearRange(2015, 2022)),
        ("year:[ TO 2022]", YearRange(None, 2022)),
        ("https://mid.ru/x", Words("https://mid.ru/x")),  # not a field: "https" is no field name
    ],
)
def test_query_tree(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("NOT NOT a", Words("a")),
        ("--a", Words("a")),
        ("year:[TO 1950]", YearRange(None, 1950)),
        ("year:[1500 TO]", YearRange(1500, None)),
        ('"a b" NOT "c d"', And((Words("a b", phrase=True), Not(Words("c d", phrase=True))))),
        ('-"c d"', Not(Words("c d", phrase=True))),
    ],
)
def test_query_tree_of_queries_once_misread(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("party:Narnia", "no party 'Narnia': write its code"),
        ("party:RSU cooperation", "no party 'RSU'"),  # a typo
        ("mentions:Atlantis", "no party 'Atlantis'"),
        ("type:treatyy", "no document type 'treatyy': type: takes joint_statement, joint_declaration"),
        ("lang:xx", "no language 'xx'"),
    ],
)
def test_a_field_value_that_names_nothing_is_an_error_not_an_empty_page(text, error):
    with pytest.raises(QueryError, match=re.escape(error)):
        parse(text)


def test_known_values_of_any_case_and_parties_by_name_in_mentions():
    assert parse("party:kgz") == Field("parties", "kgz") and parse("party:YUG") == Field("parties", "YUG")  # former
    assert parse("mentions:Россия") == Field("mentions", "RUS") and parse("type:Treaty") == Field("doc_type", "Treaty")
    assert parse("lang:RU") == Field("language", "RU") and parse("party:EU") == Field("parties", "EU")


def test_a_party_by_name_and_open_or_backward_year_ranges():
    """party:Russia had found nothing (the field holds codes), year:[1990 TO *] was refused as a wildcard, and
    year:[2022 TO 2015] found nothing without a word."""
    assert parse("party:Russia") == parse("party:Россия") == Field("parties", "RUS")
    assert parse('party:"South Korea"') == Field("parties", "KOR") and parse("party:ASEAN") == Field("parties", "ASEAN")
    assert parse(check_query("year:[1990 TO *]")) == YearRange(1990, None)
    with pytest.raises(QueryError, match=r"run backwards: write year:\[2015 TO 2022\]"):
        parse("year:[2022 TO 2015]")
    with pytest.raises(QueryError, match="cannot start with"):
        check_query("cooperation [1990 TO *]")  # no field: no range


def test_prefixes_stand_for_whole_words_too_within_a_cap():
    from indexer.query import expand_prefixes, words_with_prefix
    from indexer.results import QueryError

    words = sorted(["cooperate", "cooperation", "cooperative", "coordination", "trade"])
    expanded = expand_prefixes(parse("cooperat* trade"), lambda p: words_with_prefix(words, p))
    assert expanded == And(
        (
            Or((Words("cooperat", prefix=True), Words("cooperate"), Words("cooperation"), Words("cooperative"))),
            Words("trade"),
        )
    )
    with pytest.raises(QueryError, match="more than 2 words"):
        words_with_prefix(words, "coop", limit=2)


def test_a_query_of_several_words_relaxes_to_most_of_them():
    a, b, c = Words("a"), Words("b"), Words("c")
    assert relaxed(parse("a b c")) == [Or((And((a, b)), And((a, c)), And((b, c)))), Or((a, b, c))]
    assert relaxed(parse("a b party:RUS -d")) == [And((Field("parties", "RUS"), Not(Words("d")), Or((a, b))))]


def test_typographic_quotes_make_phrases_and_operators_do_not_stand_together():
    assert parse(check_query("“strategic stability”")) == Words("strategic stability", phrase=True)
    assert parse(check_query("«стратегическая стабильность»")) == Words("стратегическая стабильность", phrase=True)
    assert parse(check_query("„joint statement“ trade")) == And((Words("joint statement", phrase=True), Words("trade")))
    with pytest.raises(QueryError, match="two operators stand together"):
        check_query("free AND OR trade")
    assert parse(check_query("free AND NOT trade")) == And((Words("free"), Not(Words("trade"))))


def test_a_relaxed_query_never_rests_on_a_word_of_two_letters():
    xi, jinping, visit = Words("Xi"), Words("Jinping"), Words("visit")
    assert relaxed(parse("Xi Jinping")) == [Or((jinping,))]
    assert relaxed(parse("Xi Jinping visit")) == [
        Or((And((xi, jinping)), And((xi, visit)), And((jinping, visit)))),
        Or((jinping, visit)),
    ]


@pytest.mark.parametrize("text", ["a", '"a b"', "a OR b", "party:RUS", ""])
def test_only_several_words_relax(text):
    assert relaxed(parse(text)) == []


def test_relaxing_a_long_query_skips_the_steps_with_too_many_groups():
    words = " ".join(f"word{n}" for n in range(12))
    steps = relaxed(parse(words))
    assert all(len(step.nodes) <= MAX_RELAXED for step in steps)
    assert steps[0].nodes[0] == And(tuple(Words(f"word{n}") for n in range(11)))  # all but one: 12 groups
    assert steps[-1] == Or(tuple(Words(f"word{n}") for n in range(12)))
