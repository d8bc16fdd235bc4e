"""Whether two texts filed as readings of one text (the same translation key and language) are that text.

manytreaties keeps most texts twice, in Raw/ and Formatted/; in a few the two files of one id hold two different
treaties (the EFTA states' agreement with Slovenia in Raw/, with Latvia in Formatted/; a protocol with Gabon
filed under Côte d'Ivoire's id). Folded into one hit, one of the two treaties is never found. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus.metadata import OPENING_CHARS, find_parties, is_country
from corpus.model import Document

WORD = re.compile(r"\w{4,}")
SAME_WORDS = 0.9  # two readings sharing this share of their words (Jaccard) are one text despite a name one lacks


def one_text(a: str, b: str) -> bool:
    """Whether two readings are one text: not when each names, in its opening, a state the other never names (the
    same agreement with Slovenia and with Latvia); when only one does, if they share nearly all their words (a
    reading's header may name a place the other leaves out: "Maputo, Mozambique")."""
    a_only, b_only = _opening(a) - _states(b), _opening(b) - _states(a)
    if not (a_only or b_only):
        return True
    if a_only and b_only:
        return False
    words_a, words_b = set(WORD.findall(a.lower())), set(WORD.findall(b.lower()))
    return len(words_a & words_b) >= SAME_WORDS * len(words_a | words_b)


def _opening(text: str) -> set[str]:
    return _states(text[:OPENING_CHARS])


def _states(text: str) -> set[str]:
    return {code for code in find_parties(text) if is_country(code)}


def readings_checked(
    docs: list[Document],
    stored: Callable[[str, str, str], list[tuple[str, str]]],
    earlier: dict[str, list[tuple[str, str]]],
) -> list[Document]:
    """The documents, each filed as a reading of a text that another already reads (`stored`: (id, text) by key and
    language, but the document's own; `earlier`: those read before them and not stored yet, kept up to date),
    unlinked from it (no translation key) when it holds another text."""
    checked = []
    for doc in docs:
        key = doc.reading_of
        if key:
            held = stored(doc.translation_key, doc.language, doc.id)
            others = [r for r in held + earlier.get(key, []) if r[0] != doc.id]
            if others and not one_text(others[0][1], doc.text):
                doc = doc.replace(translation_key="")
            else:
                earlier.setdefault(key, []).append((doc.id, doc.text))
        checked.append(doc)
    return checked
