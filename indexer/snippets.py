"""A hit's snippets: the passages around its matched words that hold the most of them, highlighted.

The passages are the ones Whoosh's PinpointFragmenter, BasicFragmentScorer and top_fragments choose (a test
checks it), found from the matches' offsets alone: Whoosh makes a token and a fragment object for every
match of a long text, and most of a snippet's time went there. The chosen passages are marked as Whoosh's
HtmlFormatter marks them.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

SEPARATOR = "\x1f"
MAX_CHARS = 260  # a passage's matched words span at most this many characters …
SURROUND = 90  # … with this many around them (then cut at spaces)

Match = tuple[int, int, str]  # where a matched word starts and ends in the text, and its stem


def snippets(text: str, matches: list[Match], top: int) -> tuple[str, ...]:
    """At most `top` highlighted passages of the text, in their order in it (matches sorted by start)."""
    if not text or not matches or top <= 0:
        return ()
    found = list(_passages(matches))
    scores = [_score(matches, i, j) for i, j in found]
    # by score, then the later start first, as Whoosh's nlargest over (score, fragment) ranks them; only the
    # passages that can be among the best are cut out of the text (a tariff schedule holds thousands)
    least = sorted(scores, reverse=True)[min(top, len(scores)) - 1]
    cut = [(_cut(text, matches, i, j), score) for (i, j), score in zip(found, scores, strict=True) if score >= least]
    best = [p for p, _ in sorted(cut, key=lambda c: (c[1], c[0][0]), reverse=True)[:top]]
    marks: dict[str, int] = {}
    html = SEPARATOR.join(_marked(text, matches, marks, *p) for p in sorted(best, key=lambda p: p[0]))
    return tuple(" ".join(s.split()) for s in html.split(SEPARATOR) if s.strip())


def _passages(matches: list[Match]) -> Iterator[tuple[int, int]]:
    """(first match, last match) of each passage, as PinpointFragmenter groups the matches."""
    i = 0
    while i < len(matches):
        left, right = matches[i][0], matches[i][1]
        j, length = i, right - left
        while j < len(matches) - 1 and length < MAX_CHARS:
            start, end = matches[j + 1][0], matches[j + 1][1]
            if end - right > SURROUND or end - left > MAX_CHARS:
                break
            j, right, length = j + 1, end, length + end - start
        yield i, j
        i = j + 1


def _cut(text: str, matches: list[Match], i: int, j: int) -> tuple[int, int, int, int]:
    """(start, end, first match, last match) of a passage, as PinpointFragmenter cuts it (autotrim on)."""
    start, end = _trimmed(text, max(0, matches[i][0] - SURROUND), min(len(text), matches[j][1] + SURROUND))
    return min(start, matches[i][0]), max(end, matches[j][1]), i, j


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A passage cut after its first space and before its last (PinpointFragmenter's autotrim)."""
    first = text.find(" ", start, end)
    if first > 0:
        start = first + 1
    last = text.rfind(" ", start, end)
    return start, last if last > 0 else end


def _score(matches: list[Match], i: int, j: int) -> float:
    """BasicFragmentScorer's: the matches, times a hundred times the distinct words among them."""
    return float(j - i + 1) * (len({word for _, _, word in matches[i : j + 1]}) * 100)


def _marked(text: str, matches: list[Match], marks: dict[str, int], start: int, end: int, i: int, j: int) -> str:
    """A passage, escaped, its matches marked as Whoosh's HtmlFormatter marks them: each distinct word's mark
    numbered in the order met (`marks`, shared by a hit's passages), from 0 to 4 and round again."""
    out, at = [], start
    for a, b, _ in sorted(matches[i : j + 1], key=lambda m: (m[0], m[0] - m[1])):  # the longest of those at a place
        if a < at:
            continue
        out.append(escape(text[at:a], quote=False))
        word = escape(text[a:b], quote=False)
        out.append(f'<mark class="match term{marks.setdefault(word, len(marks) % 5)}">{word}</mark>')
        at = b
    out.append(escape(text[at:end], quote=False))
    return "".join(out)


def marked_title(title: str, matches: list[Match]) -> str:
    """The title with the query's words marked, from where the index says they stand ("" when none does)."""
    return _marked(title, matches, {}, 0, len(title), 0, len(matches) - 1) if matches else ""
