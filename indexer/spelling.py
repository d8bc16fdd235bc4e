"""British and American spellings of one word: a query's word or phrase is widened to both, in either backend.

"organization" found 1,572 documents and "organisation" 640, 1,785 holding either; the phrase "most favored
nation" found 133 and "most favoured nation" 449, of 559. The index keeps each text's own spelling (the stems
differ: «organis», «organ»), so the query asks for both. A rule may make a form no text holds ("exercize"): an
extra alternative that finds nothing.
"""

from __future__ import annotations

import re

from indexer.query import Node, Or, Words, map_leaves

# (British, American) beginnings of words, the rest of the word kept: "labourers" / "laborers"
PREFIXES = (
    ("favour", "favor"),
    ("labour", "labor"),
    ("honour", "honor"),
    ("behaviour", "behavior"),
    ("neighbour", "neighbor"),
    ("colour", "color"),
    ("harbour", "harbor"),
    ("endeavour", "endeavor"),
    ("vapour", "vapor"),
    ("rumour", "rumor"),
    ("armour", "armor"),
    ("vigour", "vigor"),
    ("centre", "center"),
    ("metre", "meter"),
    ("litre", "liter"),
    ("theatre", "theater"),
    ("fibre", "fiber"),
    ("defence", "defense"),
    ("offence", "offense"),
    ("licence", "license"),
    ("programme", "program"),
    ("catalogue", "catalog"),
    ("judgement", "judgment"),
    ("ageing", "aging"),
    ("travell", "travel"),
    ("cancell", "cancel"),
    ("labell", "label"),
    ("modell", "model"),
    ("fuell", "fuel"),
    ("signall", "signal"),
    ("counsell", "counsel"),
    ("enrolment", "enrollment"),
    ("analys", "analyz"),
    ("paralys", "paralyz"),
)
# -ise / -ize and -isation / -ization endings ("organise", "recognised", "stabilisation")
ENDING = re.compile(r"^([a-z]{3,}i)([sz])(e|es|ed|ing|er|ers|ation|ations)$")


def other_spelling(word: str) -> str | None:
    """The word in the other spelling ("organisation" -> "organization", "favored" -> "favoured"), or None."""
    lower = word.lower()
    for british, american in PREFIXES:
        if lower.startswith(british):  # first, as "fuelled" starts with American "fuel" too
            return american + lower[len(british) :]
        if lower.startswith(american):
            return british + lower[len(american) :]
    if m := ENDING.match(lower):
        stem, letter, end = m.groups()
        return f"{stem}{'s' if letter == 'z' else 'z'}{end}"
    return None


def _respelled(text: str) -> str | None:
    """A word or phrase with each word that has another spelling in it, or None when none has."""
    others = [other_spelling(w) for w in text.split()]
    return " ".join(o or w for o, w in zip(others, text.split(), strict=True)) if any(others) else None


def widen_spellings(node: Node) -> Node:
    """The tree with each word or phrase that has another spelling widened to both (prefixes as typed)."""

    def one(leaf: Words) -> Node:
        if leaf.prefix:
            return leaf
        other = _respelled(leaf.text)
        return Or((leaf, Words(other, leaf.field, leaf.phrase))) if other else leaf

    return map_leaves(node, one)
