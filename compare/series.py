"""Across years: since when each clause of a document has been there (genealogy, series), and where else it stands."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from compare.align import Alignment, AlignmentError, BudgetExceeded, Frequencies, Options, align, normalize, word_diff
from compare.units import label, units
from corpus.model import Document

WHERE_ELSE_MIN = 60.0  # the lowest similarity a "where else" list shows


@dataclass(frozen=True)
class Appearance:
    """A unit of the traced document as it stands in one earlier document (as compare pairs them)."""

    doc_id: str
    date: str
    clause: int | None  # the counterpart's clause number there (its anchor); None when absent
    status: str  # identical, reworded, absent
    score: float = 0.0
    kind: str = "absent"  # the comparison's class of the pair: identical, reworded, moved, split, merged, formal
    confidence: str = ""
    text: str = ""  # the counterpart's words there
    label: str = ""  # the counterpart's printed label


@dataclass(frozen=True)
class ClauseHistory:
    number: int  # the unit's number in the traced document
    text: str
    appearances: tuple[Appearance, ...]  # one per earlier document, oldest first
    clause: int = 0  # the clause it stands in (anchor #c<clause>)
    label: str = ""

    @property
    def first_seen(self) -> Appearance | None:
        return next((a for a in self.appearances if a.status != "absent"), None)

    @property
    def first_sure(self) -> Appearance | None:
        """The first appearance through a strong pair: the answer to "since when"; weak ones are only hints."""
        return next((a for a in self.appearances if a.status != "absent" and a.confidence == "strong"), None)

    @property
    def reworded_in(self) -> tuple[Appearance, ...]:
        """The documents where the wording differs from the clause's previous appearance."""
        present = [a for a in self.appearances if a.status != "absent"]
        return tuple(b for a, b in itertools.pairwise(present) if _words(a.text) != _words(b.text))

    def rewordings(self) -> list[tuple[Appearance | None, tuple]]:
        """Each rewording with its word differences from the previous appearance; None: into this document."""
        present = [a for a in self.appearances if a.status != "absent"]
        texts = [*(a.text for a in present), self.text]
        steps = [*present[1:], None]
        return [
            (b, word_diff(x, y)) for b, x, y in zip(steps, texts, texts[1:], strict=False) if _words(x) != _words(y)
        ]


def _words(text: str) -> list[str]:
    return normalize(text, Options())


@dataclass(frozen=True)
class Series:
    documents: tuple[Document, ...]  # oldest first; the last is the one whose clauses are traced
    clauses: tuple[ClauseHistory, ...]
    skipped: tuple[str, ...] = ()  # documents that could not be aligned (other language …), with the reason
    dropped: tuple[tuple[str, str], ...] = ()  # the previous document's clauses with no counterpart: (label, text)
    cut: str = ""  # when the time budget stopped the tracing: what was left out


MAX_PARTIES = 10  # a party set of more is no series: a statement of 48 members had none (its genealogy reads it)


def by_date(docs: Iterable[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: (d.date.isoformat() if d.date else "", d.id))


def default_start(documents: Iterable[Document]) -> Document | None:
    """The document a series starts from unless the user picks one: the newest of the set's most common type."""
    docs = [d for d in documents if d.clauses]
    if not docs:
        return None
    common = Counter(d.doc_type for d in docs).most_common(1)[0][0]
    return by_date(d for d in docs if d.doc_type == common)[-1]


def series(
    documents: Iterable[Document],
    options: Options | None = None,
    start: str = "",
    frequencies: Frequencies | None = None,
) -> Series:
    """Trace each clause of one document (`start`, else the default) back through the earlier ones."""
    docs = [d for d in documents if d.clauses]
    target = next((d for d in docs if d.id == start), None) or default_start(docs)
    if target is None:
        return Series((), ())
    earlier = [d for d in docs if d.id != target.id and _before(d, target)]
    return trace(target, earlier, options, frequencies)


def _before(doc: Document, target: Document) -> bool:
    return not target.date or (doc.date is not None and doc.date <= target.date)


def trace(
    target: Document,
    earlier: Iterable[Document],
    options: Options | None = None,
    frequencies: Frequencies | None = None,
) -> Series:
    """Each unit of `target` through the earlier documents, aligned by compare's aligner, nearest first,
    until the time budget runs out (the result then says what was left out)."""
    options = options or Options()
    deadline = time.monotonic() + options.time_limit
    pending = by_date(earlier)[::-1]
    done: list[tuple[Document, Alignment]] = []
    skipped: list[str] = []
    for doc in pending:
        if time.monotonic() > deadline:
            break
        left_for_this = replace(options, time_limit=deadline - time.monotonic())  # one budget for the whole series
        try:
            done.append((doc, align(doc, target, left_for_this, frequencies)))
        except BudgetExceeded:
            break  # the budget ran out inside this alignment: it and the older ones are left out
        except AlignmentError as exc:
            skipped.append(f"{doc.id}: {exc}")
    left = len(pending) - len(done) - len(skipped)
    notes = [
        f"stopped after {len(done) + len(skipped)} of {len(pending)} earlier documents "
        f"(the time limit of {options.time_limit:g} s); the oldest are left out"
    ][: 1 if left else 0]
    notes += list(dict.fromkeys(_cut_of(doc, al) for doc, al in done if al.summary.cut))
    done.reverse()
    found = units(target)[: options.max_units]
    histories = tuple(
        ClauseHistory(u.number, u.text, tuple(_appearance(doc, al, u.number) for doc, al in done), u.clause, label(u))
        for u in found
    )
    dropped = _dropped(done[-1][1]) if done else ()
    return Series((*(d for d, _ in done), target), histories, tuple(skipped), dropped, "; ".join(notes))


def _cut_of(doc: Document, alignment: Alignment) -> str:
    """What the budget cut of one earlier document's alignment, naming the document (A) or the traced one (B)."""
    named = f" of {doc.title[:80]} ({doc.date_shown or 'undated'}) "
    return alignment.summary.cut.replace(" of A ", named).replace(" of B ", " of the traced document ")


def _appearance(doc: Document, alignment: Alignment, number: int) -> Appearance:
    """Where unit `number` of the traced document stands in `doc`, read off their alignment."""
    date = doc.date_shown
    pair = next((p for p in alignment.pairs if number in p.b), None)
    if pair is None or not pair.a:
        return Appearance(doc.id, date, None, "absent")
    there = [alignment.units_a[n - 1] for n in pair.a]
    status = "identical" if not pair.diff else "reworded"
    text = " ".join(u.text for u in there)
    return Appearance(
        doc.id, date, there[0].clause, status, pair.score, pair.kind, pair.confidence, text, label(there[0])
    )


def _dropped(alignment: Alignment) -> tuple[tuple[str, str], ...]:
    """The earlier document's units that the traced one no longer has."""
    return tuple(
        (label(alignment.units_a[n - 1]), alignment.units_a[n - 1].text)
        for p in alignment.pairs
        if not p.b
        for n in p.a
    )


@dataclass(frozen=True)
class Elsewhere:
    doc_id: str
    title: str
    date: str
    clause: int
    text: str
    score: float


def where_else(
    text: str, candidates: Iterable[Document], exclude: str = "", limit: int = 20, options: Options | None = None
) -> list[Elsewhere]:
    """The clauses of other documents most like this one, best first (candidates come from the index)."""
    options = options or Options()
    wanted = " ".join(normalize(text, options))
    found = []
    for doc in candidates:
        if doc.id == exclude or not doc.clauses:
            continue
        choices = [" ".join(normalize(c.text, options)) for c in doc.clauses]
        best = process.extractOne(wanted, choices, scorer=fuzz.ratio)
        if best and best[1] >= WHERE_ELSE_MIN:
            clause = doc.clauses[best[2]]
            found.append(
                Elsewhere(
                    doc.id,
                    doc.title,
                    doc.date_shown,
                    clause.number,
                    clause.text,
                    round(best[1], 1),
                )
            )
    found.sort(key=lambda e: (-e.score, e.date))
    return found[:limit]
