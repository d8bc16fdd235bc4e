"""Help for a query that cannot be run: where in it the problem is, and the nearest query that can run."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from indexer.results import FIELD_ALIASES, MAX_QUERY, QueryError, check_query

FIELD = re.compile(r"(?<![\w:/])(\w+):")
OPERATORS = ("AND", "OR", "NOT")


@dataclass(frozen=True)
class Repair:
    position: int  # 0-based index of the character where the problem is
    fixed: str  # the query with that one problem repaired


def _quote(q: str) -> Repair | None:
    if q.count('"') % 2 == 0:
        return None
    at = q.rindex('"')
    return Repair(at, q[:at] + q[at + 1 :])


def _unquoted_positions(q: str) -> list[int]:
    """Indexes of the characters that stand outside "phrases"."""
    inside, positions = False, []
    for i, char in enumerate(q):
        if char == '"':
            inside = not inside
        elif not inside:
            positions.append(i)
    return positions


def _brackets(q: str) -> Repair | None:
    for opening, closing in (("(", ")"), ("[", "]")):
        open_at: list[int] = []
        for i in _unquoted_positions(q):
            if q[i] == opening:
                open_at.append(i)
            elif q[i] == closing:
                if not open_at:
                    return Repair(i, q[:i] + q[i + 1 :])
                open_at.pop()
        if open_at:
            return Repair(open_at[-1], q[: open_at[-1]] + q[open_at[-1] + 1 :])
    return None


def _fields(q: str) -> Repair | None:
    for m in FIELD.finditer(q):
        if m.start() not in _unquoted_positions(q):
            continue
        value_missing = m.end() == len(q) or q[m.end()].isspace()
        if m.group(1).lower() not in FIELD_ALIASES or value_missing:
            return Repair(m.start(), q[: m.start()] + q[m.end() :])
    return None


def _wildcards(q: str) -> Repair | None:
    m = re.search(r"(^|[\s(:])([*?]+)", q)
    return Repair(m.start(2), q[: m.start(2)] + q[m.end(2) :]) if m else None


def _operators(q: str) -> Repair | None:
    words = list(re.finditer(r"\S+", q))
    if words and words[0].group() in ("AND", "OR"):
        return Repair(words[0].start(), q[words[0].end() :])
    if words and words[-1].group() in OPERATORS:
        return Repair(words[-1].start(), q[: words[-1].start()])
    return None


def _length(q: str) -> Repair | None:
    return Repair(MAX_QUERY, q[:MAX_QUERY].rsplit(" ", 1)[0]) if len(q) > MAX_QUERY else None


REPAIRS: tuple[Callable[[str], Repair | None], ...] = (_length, _quote, _brackets, _fields, _wildcards, _operators)


def first_repair(q: str) -> Repair | None:
    """Where the first problem the query check would report stands, and the query without it."""
    return next((r for r in (repair(q) for repair in REPAIRS) if r is not None), None)


def runs(q: str) -> bool:
    try:
        check_query(q)
    except QueryError:
        return False
    return True


def nearest_valid(q: str, can_run: Callable[[str], bool] = runs, tries: int = 12) -> str:
    """The query with its problems repaired one at a time; only its words when that does not suffice.

    can_run says whether a query runs: by default the shared query check; the web UI asks its index,
    so that what a backend alone refuses is repaired too.
    """
    for _ in range(tries):
        if can_run(q):
            return " ".join(q.split())
        repair = first_repair(q)
        if repair is None:
            break
        q = repair.fixed
    words = " ".join(w for w in re.sub(r"[^\w\s-]", " ", q).split() if w not in OPERATORS)
    return words if runs(words) else ""
