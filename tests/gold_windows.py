"""The alignment gold without corpus text: each anchor's opening words are kept only as a hash of their
normalised form, and found again by hashing every window of a document's words.

    python -m tests.gold_windows /work/gold/alignment_gold.json tests/golden/alignment_anchors.json

turns a gold drawn by reading (anchors given as the first words of a unit, as printed) into the committed
form. The hash is one-way, so no excerpt of a document is committed."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

WORD = re.compile(r"\w+", re.UNICODE)
TAG = re.compile(r"<[^>]{1,40}>")  # markup a locator may carry from the file ("100<sup>th</sup>")
GLUED = re.compile(r"(?<=[a-zа-яё])(?=[A-ZА-ЯЁ])")  # "ФедерацииПриглашённые": two words whose space was lost


def words(text: str) -> list[str]:
    """Lowercased words, ё as е, glued words apart: what a locator and a document are compared on."""
    return [w.replace("ё", "е") for w in WORD.findall(GLUED.sub(" ", TAG.sub("", text)).lower())]


def window_hash(window: list[str]) -> str:
    return hashlib.sha256(" ".join(window).encode()).hexdigest()[:20]


def locator(text: str | None) -> dict | None:
    """A locator as committed: how many words, and their hash."""
    if not text:
        return None
    found = words(text)
    return {"words": len(found), "hash": window_hash(found)}


def locate(units: list[str], wanted: dict | None) -> int | None:
    """The index of the unit in which the hashed window starts, or None (also when no locator is given)."""
    if wanted is None:
        return None
    owner: list[int] = []
    flat: list[str] = []
    for n, text in enumerate(units):
        unit_words = words(text)
        flat += unit_words
        owner += [n] * len(unit_words)
    size = wanted["words"]
    for start in range(len(flat) - size + 1):
        if window_hash(flat[start : start + size]) == wanted["hash"]:
            return owner[start]
    raise LookupError(f"no window of {size} words with hash {wanted['hash']} in the document")


def convert(gold: list[dict]) -> list[dict]:
    """The gold with its locators hashed and its notes (which may quote the documents) left out."""
    return [
        {
            "a": pair["a"],
            "b": pair["b"],
            "kind": pair.get("kind", []),
            "anchors": [
                {"a": locator(x.get("a")), "b": locator(x.get("b")), "relation": x["relation"]} for x in pair["anchors"]
            ],
        }
        for pair in gold
    ]


if __name__ == "__main__":
    source, target = sys.argv[1:3]
    data = convert(json.loads(Path(source).read_text("utf-8")))
    Path(target).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{len(data)} pairs, {sum(len(p['anchors']) for p in data)} anchors -> {target}")
