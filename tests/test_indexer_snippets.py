"""Snippets: the passages Whoosh's own highlighting pipeline chooses, found without its objects per match."""

from hypothesis import given
from hypothesis import strategies as st
from whoosh import highlight
from whoosh.analysis import Token

from indexer.snippets import SEPARATOR, marked_title, snippets


def whooshs(text: str, matches: list[tuple[int, int, str]], top: int) -> tuple[str, ...]:
    """The snippets as Whoosh's PinpointFragmenter, BasicFragmentScorer and top_fragments make them."""
    tokens = [Token(text=word, startchar=start, endchar=end, matched=True) for start, end, word in matches]
    fragmenter = highlight.PinpointFragmenter(maxchars=260, surround=90, autotrim=True, charlimit=None)
    fragments = highlight.top_fragments(
        fragmenter.fragment_matches(text, tokens), top, highlight.BasicFragmentScorer(), highlight.FIRST, minscore=1
    )
    html = highlight.HtmlFormatter(tagname="mark", between=SEPARATOR).format(fragments)
    return tuple(" ".join(s.split()) for s in html.split(SEPARATOR) if s.strip())


WORDS = ["trade", "peace", "of", "the", "cooperation", "a", "Sides", "<b>&", "consultations", "international"]


@st.composite
def texts_and_matches(draw):
    """A text of words and spaces (at times a space first) with some of its words as matches, each after a
    stretch of other words that may be long (so that passages are cut apart), stemmed to a few letters."""
    text, matches = draw(st.sampled_from(["", " ", "  "])), []
    for _ in range(draw(st.integers(1, 12))):
        text += " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=60)))
        text += draw(st.sampled_from([" ", "  ", "\n", ", "]))
        word = draw(st.sampled_from(WORDS))
        matches.append((len(text), len(text) + len(word), word.lower()[:3]))
        if draw(st.booleans()) and draw(st.booleans()):  # a second term at the same place (a name's form)
            matches.append((len(text), len(text) + len(word), "alt"))
        text += word
    return text + draw(st.sampled_from(["", " and more", " ."])), matches


@given(texts_and_matches(), st.integers(0, 4))
def test_snippets_are_the_passages_whoosh_chooses(found, top):
    text, matches = found
    assert snippets(text, matches, top) == whooshs(text, matches, top)


def test_a_long_text_gives_the_passages_holding_most_distinct_words_in_their_order():
    text = " ".join(["filler"] * 200 + ["trade"] + ["filler"] * 200 + ["trade", "and", "peace"] + ["filler"] * 200)
    at = [(m, m + len(w), w) for w in ("trade", "peace") for m in _all(text, w)]
    found = snippets(text, sorted(at), 2)
    assert len(found) == 2 and found == whooshs(text, sorted(at), 2)
    assert "<mark" in found[0] and found[1].count("<mark") == 2  # the lone "trade" first, as in the text


def test_a_title_is_marked_where_its_words_stand_and_escaped():
    assert marked_title("Trade & peace", [(0, 5, "trade")]).startswith('<mark class="match term0">Trade</mark> &amp;')
    assert marked_title("Trade & peace", []) == ""


def _all(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found
