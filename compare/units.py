"""What the aligner pairs: a document's clauses, with bullet lists that were joined into one clause cut
into their items, and the formal parts (signatures, place and date) marked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.model import Clause, Document

# An item mark inside a clause whose list lines were joined into one paragraph ("… as follows: • a • b").
BULLET = re.compile(r"\s(?=[•▪◦●■□✓]\s+\S)")
DASH = re.compile(r"\s(?=[-–—*]\s+\S)")  # … or a dash, which needs more items: a pair of dashes is an aside
# Lines whose break was lost in the source ("…ФедерацииПриглашённые:КОЗЛОВ Александр …", kremlin.ru's
# participant lists): a small Cyrillic letter or a colon glued to a capital starts a new unit.
GLUED = re.compile(r"(?<=[а-яё:])(?=[А-ЯЁ])")
# … or joined with spaces: a list of people, each line starting with a surname in capitals ("КОЗЛОВ Александр").
SURNAME = re.compile(r"\s(?=[А-ЯЁ]{3,}(?:-[А-ЯЁ]+)?\s+[А-ЯЁ][а-яё]+\s)")
# An entry of such a list, "КОЗЛОВ Александр Александрович – …": its surname (the patronymic tells a person
# from an abbreviation that opens a sentence, "СНГ Стороны …").
PERSON = re.compile(
    r"^([А-ЯЁ]{3,}(?:-[А-ЯЁ]+)?)\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*(?:вич|вна|ична|оглы|кызы)\b"
)
LIST_MIN_WORDS = 80  # shorter clauses keep their dashes: a dash in a sentence is punctuation
LIST_MIN_ITEMS = 3
FORMAL = re.compile(
    r"^(?:done|signed|made|совершено|подписано)\b.{0,160}\b(?:\d{4}|copies|экземплярах)|"
    r"^(?:for|on behalf of|за|от)\s+(?:the\s+)?(?:government|republic|president|kingdom|state|правительство|"
    r"республику|российскую|президента)\b|^\(?(?:signed|подпись|l\.s\.|м\.п\.)\)?\.?$|"
    r"^(?:president|prime minister|президент|председатель правительства)\s+of\b.{0,60}$|"
    r"^(?:[A-ZА-Я]\.\s?){1,2}[A-ZА-Я][a-zа-я]+$",
    re.IGNORECASE,
)
FORMAL_MAX_WORDS = 40


@dataclass(frozen=True)
class Unit:
    """One aligned unit: a clause, or one item of a list that stands inside a clause."""

    number: int  # 1-based position among the document's units
    clause: int  # the number of the clause it stands in (its anchor #c<clause>)
    text: str  # the document's own words, exactly
    label: str = ""  # the numbering printed in the original, "" when none
    heading: str = ""  # the section heading it stands under
    formal: bool = False  # a signature, place or date line: aligned only with other formal parts
    person: str = ""  # the surname of an entry in a list of people: aligned only with the same person's entry


def split_list(text: str) -> list[str]:
    """A long clause holding a bullet list, cut before each item mark (and lines glued together apart)."""
    glued = [p for p in GLUED.split(text) if p.strip()]
    people = [q for p in glued for q in SURNAME.split(p)]
    if len(people) >= LIST_MIN_ITEMS:
        return people
    if len(glued) > 1:
        return glued
    if len(text.split()) < LIST_MIN_WORDS:
        return [text]
    for mark, least in ((BULLET, LIST_MIN_ITEMS), (DASH, LIST_MIN_ITEMS + 1)):
        parts = [p.strip() for p in mark.split(text) if p.strip()]
        if len(parts) >= least:
            return parts
    return [text]


def is_formal(clause: Clause) -> bool:
    """Signature blocks, "Done at … on …" and the like (the clause says so itself when segmentation knows)."""
    kind = getattr(clause, "kind", "")
    if kind:
        return kind == "formal"
    return len(clause.text.split()) <= FORMAL_MAX_WORDS and bool(FORMAL.search(clause.text.strip()))


def person(text: str) -> str:
    """The surname an entry of a list of people starts with ("КОЗЛОВ Александр Александрович – …"), else ""."""
    found = PERSON.match(text)
    return found.group(1) if found else ""


def units(doc: Document) -> tuple[Unit, ...]:
    """The document's units in reading order."""
    out: list[Unit] = []
    for clause in doc.clauses:
        formal = is_formal(clause)
        for k, part in enumerate(split_list(clause.text)):
            label = clause.label if k == 0 else ""
            out.append(Unit(len(out) + 1, clause.number, part, label, clause.heading, formal, person(part)))
    return tuple(out)


def label(unit: Unit) -> str:
    """How a reader refers to the unit: its printed label, else its position."""
    return unit.label or str(unit.number)
