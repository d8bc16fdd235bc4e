"""The query language's tree, which the PostgreSQL backend compiles to SQL."""

import pytest

from indexer.query import And, Field, Not, Or, Words, YearRange, parse


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
