"""Where each clause stands in a document's text: found once when the document is indexed, kept with it
(the clause starts, packed), and read back for a hit's best clause without reading the clauses."""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter

import numpy as np

from corpus.model import Clause

FIRST = itemgetter(0)  # a span's start

SPACE = re.compile(r"\s*")


def clause_spans(text: str, clauses: tuple[Clause, ...]) -> list[tuple[int, int]]:
    """Where each clause starts and ends in the document's text (clauses were joined from wrapped lines)."""
    starts, position = [], 0
    for clause in clauses:
        at = SPACE.match(text, position).end()
        found = at if text.startswith(clause.text, at) else _find_start(text, clause.text.split()[:3], position)
        starts.append(position if found < 0 else found)
        if found >= 0:
            position = found + len(clause.text)  # a clause's span is never shorter than its joined text
    ends = [*starts[1:], len(text)] if starts else []  # a document may have no clause (a title-only item)
    return list(zip(starts, ends, strict=True))


def _find_start(text: str, head: list[str], position: int) -> int:
    """Where the first words of a clause stand, with any white space between them; -1 when nowhere."""
    if not head:
        return -1
    first = text.find(head[0], position)
    while first >= 0:
        at = first + len(head[0])
        for word in head[1:]:
            gap = SPACE.match(text, at).end()
            if gap == at or not text.startswith(word, gap):
                break
            at = gap + len(word)
        else:
            return first
        first = text.find(head[0], first + 1)
    return -1


def best_clause(chars: list[tuple[int, str]], spans: list[tuple[int, int]]) -> int | None:
    """The number of the clause holding the most distinct matched words (the earliest among equals), from the
    matches in order of place. The spans follow each other (a clause ends where the next starts): each match
    is looked up in them once, and the first clause to hold every distinct word is the one (a tariff schedule
    holds a common word thousands of times)."""
    every = len({word for _, word in chars})
    words: dict[int, set[str]] = {}
    for at, word in chars:
        n = bisect_right(spans, at, key=FIRST) - 1
        if n >= 0 and at < spans[n][1]:
            held = words.setdefault(n, set())
            held.add(word)
            if len(held) == every:
                return n + 1
    return min(words, key=lambda n: (-len(words[n]), n)) + 1 if words else None


def packed_starts(spans: list[tuple[int, int]]) -> bytes:
    """The clauses' starts as the index stores them (their ends are the next start, the last the text's end)."""
    return np.array([start for start, _ in spans], dtype="<u4").tobytes()


def unpacked(starts: bytes, length: int) -> list[tuple[int, int]]:
    """The spans of a text of `length` characters from its packed clause starts."""
    begins = np.frombuffer(starts, dtype="<u4").tolist()
    return list(zip(begins, [*begins[1:], length], strict=True)) if begins else []
