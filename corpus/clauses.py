"""Clause segmentation: paragraphs and numbered items become numbered clauses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from corpus.metadata import MONTHS
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
BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*:?$")
BULLET = re.compile(r"^[-*•·▪◦–—]\s+(\S.*)$")
# A short line without a sentence's end that stands over the paragraphs below it ("Economic Security").
PLAIN_HEADING = re.compile(r"^[A-ZА-ЯЁ0-9][^.;!?,»”\"]{1,90}[^.;!?,»”\"\s]$")
INLINE_CUT = re.compile(r"\s*[‹<]\s*(?:…|\.\.\.)\s*[›>]")
CUT_MARKER = re.compile(r"^(?:[‹<\[(]\s*(?:…|\.\.\.)\s*[›>\])])$")  # "‹…›": the transcript left something out
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_LINE = (  # "13 марта 2025 года", "3-5 March 2022", "March 3, 2022"
    rf"(?:\d{{1,2}}(?:\s*[-–—]\s*\d{{1,2}})?\s+(?:{_MONTH})\.?\s+\d{{4}}(?:\s*(?:года|г\.))?"
    rf"|(?:{_MONTH})\.?\s+\d{{1,2}},?\s+\d{{4}})"
)
LEADING_DATE = re.compile(rf"^({DATE_LINE})\s+(?=\S)(?!года)", re.IGNORECASE)
# Formal parts of a text: where and when it was signed, and by whom; kept, but not content.
FORMAL = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"^(?:[\w .-]{{2,40}},\s*)?{DATE_LINE}\.?$",  # "Москва, 13 марта 2025 года", "March 3, 2022"
        r"^(?:done|signed|made|completed|совершено|подписано|учинено)\b.{0,300}\b(?:\d{4}|copies|экземплярах)\b.{0,200}$",
        r"^(?:for|on behalf of|за|от имени)\s+(?:the\s+)?[A-ZА-ЯЁ][^.]{0,150}:?$",
        r"^(?:\(signed\)|\(подпись\)|/s/)\s*.{0,80}$",
    )
]
EMPHASIS = re.compile(r"(?<![\w*_])(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
STRAY_MARK = re.compile(
    r"(?<!\S)\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?!\S)|(?<=\s)\*{1,3}\s"
)  # "*HEADING: * text": a mark left open
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def is_boilerplate(line: str) -> bool:
    """True for share buttons, "Leave a reply", "Source:" lines and the like."""
    line = line.strip()
    return not line or any(p.match(line) for p in BOILERPLATE)


INLINE_ARTICLE = re.compile(r"\s(?=(?:Article|ARTICLE|Статья|СТАТЬЯ)\s+[\dIVXLC]+\.?\s+[A-ZА-Я])")
# An all-capitals ARTICLE, CHAPTER or ANNEX N whatever follows: manytreaties' "Raw" texts are whole treaties in
# lower case on one line, their headings alone in capitals ("… ARTICLE 3a. the operator", "… ARTICLE ibasic").
CAPITAL_HEADING = re.compile(
    r"\s(?=(?:Article|ARTICLE|Статья|СТАТЬЯ)\s+[\dIVXLC]+\.?\s+[A-ZА-Я]"
    r"|(?:ARTICLE|СТАТЬЯ|CHAPTER|ГЛАВА|ANNEX|ПРИЛОЖЕНИЕ)\s+(?:\d|[IVXLC]+\b|[ivxlc]+))"
)
LONG_PARAGRAPH = 2000
LONG_BLOCK_LINES = 30


def split_paragraphs(text: str, reflow: bool = True) -> list[str]:
    """Blank-line separated blocks, each joined onto one line; one line per block when no blank lines. With
    `reflow`, hard-wrapped text is cut at its paragraphs' ends, long blocks of sentence lines at each line, and
    treaties on one line at their capital headings; without, paragraphs are found as the first imports found
    them (an importer that takes a text's title from its first paragraph must keep the same body)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if reflow:
        text = text.strip()  # a blank line at the end separates nothing
    width = 0
    if re.search(r"\n\s*\n", text):  # blocks are paragraphs (Markdown's rule), their lines wrapped
        blocks = re.split(r"\n\s*\n", text)
    elif reflow and (width := wrap_width(text.split("\n"))):  # hard-wrapped plain text: cut at paragraph ends
        blocks = [text]
    else:  # a paragraph a line
        blocks = text.split("\n")
    paragraphs: list[str] = []
    for block in blocks:
        for paragraph in _split_block(block, width or _long_block_width(block, reflow), reflow):
            paragraphs.extend(_split_articles(paragraph, CAPITAL_HEADING if reflow else INLINE_ARTICLE))
    return [p for p in paragraphs if p]


def _long_block_width(block: str, reflow: bool) -> int:
    """The wrap width of a block too long to be one paragraph (a UN speech with a blank line or two in it);
    0 for the blocks of Markdown, whose lines a paragraph wraps over as it likes."""
    return wrap_width(block.split("\n")) if reflow and block.count("\n") >= LONG_BLOCK_LINES else 0


def _split_articles(paragraph: str, heading: re.Pattern[str]) -> list[str]:
    """A whole treaty flattened onto one line is cut again before each "Article N"."""
    if len(paragraph) < LONG_PARAGRAPH or len(heading.findall(paragraph)) < 2:
        return [paragraph]
    return [p.strip() for p in heading.split(paragraph)]


SENTENCE_END = re.compile(r"[.!?:;\"”»)]$")
FULL_STOP = re.compile(r"(?<=[a-zа-яё0-9%)])[.!?][\"”»)]?$")  # not "U.S." or "J.": abbreviations end lines too


def wrap_width(lines: list[str]) -> int:
    """The width a text was hard-wrapped at (UN speeches: ~50 characters a line, paragraphs ending in a short
    line), or 0 when its lines are not wrapped: most of them as long as the widest and few ending a sentence,
    or, in a treaty typed at 60-100 characters with short heading lines («Статья 1», "CHAPTER IV") and lines
    ending in commas, half of them as long and many going on in lower case on the next (a list has few)."""
    filled = [line.rstrip() for line in lines if line.strip()]
    lengths = sorted(len(line) for line in filled)
    if len(lengths) < 8:
        return 0
    width = lengths[int(len(lengths) * 0.95)]
    full = sum(width * 0.6 <= n <= width for n in lengths) / len(lengths)
    ends = sum(bool(SENTENCE_END.search(line)) for line in filled) / len(lengths)
    going_on = sum(line.lstrip()[:1].islower() for line in filled[1:]) / len(lengths)
    wrapped = (full >= 0.8 and ends <= 0.4) or (full >= 0.5 and going_on >= 0.3)
    return width if width <= 120 and wrapped else 0


def _ends_paragraph(line: str, following: str, width: int, per_line: bool) -> bool:
    """A sentence's end where lines are paragraphs; in text hard-wrapped at `width`, one on a line that the next
    line's first word would have fitted on."""
    if width:  # a full stop, not a ";" or ":" a list item or a wrapped clause may end a line with
        return bool(FULL_STOP.search(line)) and len(line) + 1 + len(following.split()[0]) <= width
    return per_line and bool(SENTENCE_END.search(line))


def _lines_are_paragraphs(lines: list[str]) -> bool:
    """True when nearly all of a long block's (unwrapped) lines end a sentence: a list, or a speech of one
    paragraph a line; a short block's few lines (a paragraph wrapped after "Donald J.") stay one paragraph."""
    filled = [line.rstrip() for line in lines if line.strip()]
    return len(filled) >= 8 and sum(bool(SENTENCE_END.search(line)) for line in filled) >= 0.8 * len(filled)


def _indent(line: str) -> int:
    """How many spaces a raw line starts with."""
    return len(line) - len(line.lstrip())


def _split_block(block: str, width: int = 0, reflow: bool = True) -> Iterator[str]:
    """Join a block's wrapped lines, but start anew at each numbered item or heading line, in text hard-wrapped
    at `width` at each paragraph's end, and after each sentence's end where the lines are the paragraphs."""
    current: list[str] = []
    item_indent = -1  # the indentation of the list item being read, -1 when it is no list item
    lines = block.split("\n")
    per_line = reflow and not width and _lines_are_paragraphs(lines)
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        starts_item = (
            NUMBERED.match(line) or ARTICLE_HEADING.match(line) or MARKDOWN_HEADING.match(line) or BULLET.match(line)
        )
        # a line indented deeper than the list item it follows continues that item, wherever its sentences end
        # (a Markdown list item wrapped inside a long block)
        continues_item = item_indent >= 0 and _indent(raw) > item_indent
        if current and (starts_item or (not continues_item and _ends_paragraph(current[-1], line, width, per_line))):
            yield " ".join(current)
            current = []
        if not current:
            item_indent = _indent(raw) if BULLET.match(line) or NUMBERED.match(line) else -1
        current.append(line)
    if current:
        yield " ".join(current)


def segment(text: str, title: str = "") -> tuple[Clause, ...]:
    """Number a text's clauses, keeping the labels the original shows and dropping boilerplate.

    Headings label the clauses below them; every numbered or bulleted item is a clause; places, dates and
    signature blocks are kept as "formal" clauses; Markdown marks are rendered as plain text."""
    paragraphs = [p for p in split_paragraphs(text) if not _skip(p, title)]
    return tuple(_number(_label(_split_leading_date(paragraphs))))


def _skip(paragraph: str, title: str) -> bool:
    return is_boilerplate(paragraph) or bool(CUT_MARKER.match(paragraph)) or (bool(title) and _same(paragraph, title))


def plain(text: str) -> str:
    """Markdown emphasis and links rendered as the text a reader sees."""
    text = LINK.sub(r"\1", text)
    for _ in range(2):  # "***x***" is emphasis inside emphasis
        text = EMPHASIS.sub(r"\2", text)
    return INLINE_CUT.sub("", STRAY_MARK.sub("", text)).strip()


def is_formal(text: str) -> bool:
    """True for the place and date of signing, signature blocks and a date line alone."""
    return len(text) < 600 and any(p.match(text) for p in FORMAL)


def _split_leading_date(paragraphs: list[str]) -> list[str]:
    """A date line glued to the start of the first paragraph (kremlin.ru supplements) stands alone."""
    if paragraphs and (match := LEADING_DATE.match(paragraphs[0])) and len(paragraphs[0]) > match.end() + 20:
        return [match.group(1), paragraphs[0][match.end() :], *paragraphs[1:]]
    return paragraphs


def _is_heading(paragraph: str, following: str | None) -> bool:
    """A short line without a sentence's end, followed by a longer paragraph, heads what follows."""
    return (
        following is not None
        and len(following) > len(paragraph)
        and len(paragraph.split()) <= 12
        and bool(PLAIN_HEADING.match(paragraph))
        and not is_formal(paragraph)
        and not NUMBERED.match(paragraph)
        and not BULLET.match(paragraph)
        and not ARTICLE_HEADING.match(paragraph)
    )


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().lower()

    return norm(a) == norm(b)


def _label(paragraphs: list[str]) -> Iterator[tuple[str, str, str]]:
    """Yield (label, text, heading) for each clause, tracking headings and "Article N" lines."""
    heading = ""
    pending_label = ""
    for i, p in enumerate(paragraphs):
        md = MARKDOWN_HEADING.match(p) or BOLD_LINE.match(p)
        if md or (not pending_label and _is_heading(p, paragraphs[i + 1] if i + 1 < len(paragraphs) else None)):
            heading = plain(md.group(1).strip("*: ") if md else p)
            continue
        article = ARTICLE_HEADING.match(p)
        if article and (not article.group(2)[:1].islower() or article.group(1).split()[0].isupper()):
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
        bullet = BULLET.match(p)
        yield pending_label, bullet.group(1) if bullet else p, heading
        pending_label = ""


def _number(items: Iterable[tuple[str, str, str]]) -> Iterator[Clause]:
    number = 0
    for label, raw, heading in items:
        text = plain(raw)
        if text:
            number += 1
            kind = "formal" if is_formal(text) else "content"
            yield Clause(number=number, text=text, label=label, heading=heading, kind=kind)
