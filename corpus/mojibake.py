"""Cyrillic that a source's own data holds mis-decoded (mojibake), repaired where the repair is certain.

Two shapes are found in the corpus (ToTA's XML of Russia–CIS agreements, Word properties of Ukrainian ones):
- UTF-8 bytes read as cp1252: "Ð¡ÐžÐ“Ð›" is «СОГЛ». Each lead byte and its follower are one letter, so the
  repair is exact; a follower the source already lost (cp1252 has no character for it, it shows "?") stays "?".
- cp1251 bytes read as Latin-1: "ÓÃÎÄÀ" is «УГОДА». Greek read the same way (cp1253) looks alike, so these
  runs are repaired only when nearly every word they give is a known Russian word (pymorphy3's dictionary).
"""

from __future__ import annotations

import re
from functools import cache

CP1252_FOLLOWERS = "".join(
    char for byte in range(0x80, 0xC0) if (char := bytes([byte]).decode("cp1252", "replace")) != "\ufffd"
)
UTF8_AS_CP1252 = re.compile(f"(?:[ÐÑ][{re.escape(CP1252_FOLLOWERS)}?]){{3,}}")
CP1251_AS_LATIN1 = re.compile(r"[\u00c0-\u00ff]{3,}")
# Once a text is judged to hold such runs, its short words of those letters too («î» is «о»)
CP1251_WORD = re.compile(r"[\u00c0-\u00ff]{3,}|(?<![A-Za-z\u00c0-\u00ff])[\u00c0-\u00ff]{1,2}(?![A-Za-z\u00c0-\u00ff])")
KNOWN_SHARE = 0.8  # of the distinct words a Latin-1 run gives, so many must be Russian words to repair them


def repair_mojibake(text: str) -> str:
    """The text with mis-decoded Cyrillic repaired; unchanged when there is none or the repair is uncertain."""
    if not any(char in text for char in "ÐÑ") and not CP1251_AS_LATIN1.search(text):
        return text  # the common case, cheaply
    text = UTF8_AS_CP1252.sub(lambda m: _from_utf8(m.group()), text)
    runs = CP1251_AS_LATIN1.findall(text)
    if runs and _mostly_russian({run.encode("latin-1").decode("cp1251") for run in runs}):
        text = CP1251_WORD.sub(lambda m: m.group().encode("latin-1").decode("cp1251"), text)
    return text


def _from_utf8(run: str) -> str:
    """Pairs of a lead byte and its follower, each back to its letter; a lost follower ("?") stays "?"."""
    pairs = [run[i : i + 2] for i in range(0, len(run), 2)]
    return "".join("?" if pair[1] == "?" else pair.encode("cp1252").decode("utf-8", "replace") for pair in pairs)


def _mostly_russian(words: set[str]) -> bool:
    known = [_known(word) for word in words if len(set(word)) > 2]  # "ЙЙЙЙ" (dot leaders) is no word
    return bool(known) and sum(known) >= KNOWN_SHARE * len(known)


def _known(word: str) -> bool:
    """A Russian word, or one written twice («УГОДАУГОДА»: a Word file's title and subject run together)."""
    half = word[: len(word) // 2]
    return _morph().word_is_known(word.lower()) or (word == half * 2 and _morph().word_is_known(half.lower()))


@cache
def _morph():  # type: ignore[no-untyped-def]
    import pymorphy3  # its dictionaries load in a moment; only texts with a candidate run need them

    return pymorphy3.MorphAnalyzer()
