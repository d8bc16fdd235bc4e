"""What a search returns, apart from how it finds it: the order of a facet's values."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from indexer.results import FacetValue, facet_values

values = st.dictionaries(st.sampled_from([f"V{n}" for n in range(12)]), st.integers(1, 5), max_size=12)


@given(values, st.sets(st.sampled_from([f"V{n}" for n in range(14)]), max_size=3))
def test_selected_first_then_most_frequent_then_by_name(counts, selected):
    found = facet_values("parties", Counter(counts), selected)
    shown = {**counts, **{v: 0 for v in selected if v not in counts}}
    assert [f.value for f in found] == sorted(shown, key=lambda v: (v not in selected, -shown[v], v))
    assert all(f == FacetValue(f.value, shown[f.value], f.value in selected) for f in found)


def test_years_in_order_whatever_their_counts():
    found = facet_values("year", Counter({"2019": 1, "1990": 7, "2024": 3}), {"2000"})
    assert [(f.value, f.count, f.selected) for f in found] == [
        ("1990", 7, False),
        ("2000", 0, True),
        ("2019", 1, False),
        ("2024", 3, False),
    ]
