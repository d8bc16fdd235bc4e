"""Clause segmentation: paragraphs and numbered items become numbered clauses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from corpus.model import Clause

# Lines that are page furniture, never part of a statement's text.
BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(share\.?|print|tags?:?.*|leave a reply|leave a comment|поделиться\.?|версия для печати)$",
        r"^((google\+|pinterest|linkedin|tumblr|facebook|twitter|telegram|vkontakte|whatsapp|email|"
        r"reddit|x|vk|ok|\+)\s*)+$",
        r"^(source|источник)\s*:\s*\S+$",
        r"^(back to contents|назад к оглавлению|see also|смотрите также|related|read more)\.?$",
        r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+\w+\s+\d{1,2}(,\s*\d{4})?$",
        r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}(\s+\d{1,2}:\d{2})?$",
        r"^\d{1,4}-\d{2}-\d{2}-\d{4}$",  # a mid.ru document number alone on its line
        r"^([#*_=-]\s*){3,}$",  # press-release end marks ("###") and rules
        r"^(you may also like|related posts?|previous article|next article|comments?)\b.*$",
    )
]
ARTICLE_HEADING = re.compile(r"^((?:article|статья)\s+[\dIVXLC]+[.:]?)\s*(.*)$", re.IGNORECASE)
NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)[.)]\s+(\S.*)$|^\(([a-zа-я]|[ivx]{1,5}|\d{1,3})\)\s+(\S.*)$")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*$")


def is_boilerplate(line: str) -> bool:
    """True for share buttons, "Leave a reply", "Source:" lines and the like."""
    line = line.strip()
    return not line or any(p.match(line) for p in BOILERPLATE)


INLINE_ARTICLE = re.compile(r"\s(?=(?:Article|ARTICLE|Статья|СТАТЬЯ)\s+[\dIVXLC]+\.?\s+[A-ZА-Я])")
LONG_PARAGRAPH = 2000


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, each joined onto one line; one line per block when no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    paragraphs: list[str] = []
    for block in blocks:
        for paragraph in _split_block(block):
            paragraphs.extend(_split_articles(paragraph))
    return [p for p in paragraphs if p]


def _split_articles(paragraph: str) -> list[str]:
    """A whole treaty flattened onto one line is cut again before each "Article N"."""
    if len(paragraph) < LONG_PARAGRAPH or len(INLINE_ARTICLE.findall(paragraph)) < 2:
        return [paragraph]
    return [p.strip() for p in INLINE_ARTICLE.split(paragraph)]


def _split_block(block: str) -> Iterator[str]:
    """Join a block's wrapped lines, but start anew at each numbered item or heading line."""
    current: list[str] = []
    for raw in block.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        starts_item = NUMBERED.match(line) or ARTICLE_HEADING.match(line) or MARKDOWN_HEADING.match(line)
        if current and starts_item:
            yield " ".join(current)
            current = []
        current.append(line)
    if current:
        yield " ".join(current)


def segment(text: str, title: str = "") -> tuple[Clause, ...]:
    """Number a text's clauses, keeping the labels the original shows and dropping boilerplate."""
    return tuple(_number(_label(p for p in split_paragraphs(text) if not _skip(p, title))))


def _skip(paragraph: str, title: str) -> bool:
    return is_boilerplate(paragraph) or (bool(title) and _same(paragraph, title))


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().lower()

    return norm(a) == norm(b)


def _label(paragraphs: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """Yield (label, text, heading) for each clause, tracking headings and "Article N" lines."""
    heading = ""
    pending_label = ""
    for p in paragraphs:
        md = MARKDOWN_HEADING.match(p) or BOLD_LINE.match(p)
        if md:
            heading = md.group(1).strip("* ")
            continue
        article = ARTICLE_HEADING.match(p)
        if article and not article.group(2)[:1].islower():
            if not article.group(2):
                pending_label = article.group(1).rstrip(".:")
                continue
            yield article.group(1).rstrip(".:"), article.group(2), heading
            continue
        numbered = NUMBERED.match(p)
        if numbered and not pending_label:
            label = numbered.group(1) or f"({numbered.group(3)})"
            yield label, numbered.group(2) or numbered.group(4), heading
            continue
        yield pending_label, p, heading
        pending_label = ""


def _number(items: Iterable[tuple[str, str, str]]) -> Iterator[Clause]:
    for number, (label, text, heading) in enumerate(items, start=1):
        yield Clause(number=number, text=text, label=label, heading=heading)
