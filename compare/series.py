"""Across years: where each clause of the newest statement first appeared, and where else a clause stands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from compare.align import AlignmentError, Options, align, normalize
from corpus.model import Document

SIMILAR = 70.0  # from this edit ratio a clause counts as the same clause in another document
WHERE_ELSE_MIN = 60.0  # the lowest similarity a "where else" list shows


@dataclass(frozen=True)
class Appearance:
    """A clause of the newest document as it stands in one earlier document."""

    doc_id: str
    date: str
    clause: int | None  # the counterpart's number there; None when absent
    status: str  # identical, reworded, absent
    score: float = 0.0


@dataclass(frozen=True)
class ClauseHistory:
    number: int
    text: str
    appearances: tuple[Appearance, ...]  # one per earlier document, oldest first

    @property
    def first_seen(self) -> Appearance | None:
        return next((a for a in self.appearances if a.status != "absent"), None)

    @property
    def reworded_in(self) -> tuple[Appearance, ...]:
        """The documents where the clause's wording changed from its previous appearance."""
        out, previous = [], None
        for a in self.appearances:
            if a.status != "absent":
                if previous is not None and a.status == "reworded":
                    out.append(a)
                previous = a
        return tuple(out)


@dataclass(frozen=True)
class Series:
    documents: tuple[Document, ...]  # oldest first; the last is the one whose clauses are traced
    clauses: tuple[ClauseHistory, ...]
    skipped: tuple[str, ...] = ()  # documents that could not be aligned (other language …), with the reason


def series(documents: Iterable[Document], options: Options | None = None) -> Series:
    """Trace each clause of the newest document back through the earlier ones, in date order."""
    docs = sorted((d for d in documents if d.clauses), key=lambda d: (d.date.isoformat() if d.date else "", d.id))
    if not docs:
        return Series((), ())
    newest, earlier = docs[-1], docs[:-1]
    found: dict[int, list[Appearance]] = {c.number: [] for c in newest.clauses}
    used, skipped = [], []
    for doc in earlier:
        try:
            alignment = align(doc, newest, options)
        except AlignmentError as exc:
            skipped.append(f"{doc.id}: {exc}")
            continue
        used.append(doc)
        date = doc.date.isoformat() if doc.date else ""
        matched = {}
        for pair in alignment.pairs:
            for number in pair.b:
                if pair.a and pair.score >= SIMILAR * 0.8:
                    status = "identical" if pair.kind == "identical" or pair.score >= 99.5 else "reworded"
                    matched[number] = Appearance(doc.id, date, pair.a[0], status, pair.score)
        for number in found:
            found[number].append(matched.get(number, Appearance(doc.id, date, None, "absent")))
    histories = tuple(ClauseHistory(c.number, c.text, tuple(found[c.number])) for c in newest.clauses)
    return Series((*used, newest), histories, tuple(skipped))


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
                    doc.date.isoformat() if doc.date else "",
                    clause.number,
                    clause.text,
                    round(best[1], 1),
                )
            )
    found.sort(key=lambda e: (-e.score, e.date))
    return found[:limit]
