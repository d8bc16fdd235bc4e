"""What the views show of an alignment: each column's own words with its changes marked, one inline
redline in reading order, and that redline as a downloadable HTML page or Word document."""

from __future__ import annotations

import html
import io

from compare.align import Alignment, Block, Pair
from compare.units import Unit, label

Segment = tuple[str, str]  # ("equal" | "delete" | "insert", printed words)


def column(pair: Pair, side: str, found: tuple[Unit, ...]) -> list[Segment]:
    """One side of a row: that document's words exactly, its own changes marked (delete in A, insert in B)."""
    numbers = pair.a if side == "a" else pair.b
    if not numbers:
        return []
    if not pair.diff or pair.kind == "identical":
        return [("equal", " ".join(found[n - 1].text for n in numbers))]
    own = "delete" if side == "a" else "insert"
    out = []
    for op, text_a, text_b in pair.diff:
        text = text_a if side == "a" else text_b
        if text and op in ("equal", own):
            out.append((op, text))
    return out


def inline(pair: Pair, found_b: tuple[Unit, ...]) -> list[Segment]:
    """One row as a redline: what A had struck through, what B has underlined, in reading order."""
    if not pair.diff or pair.kind == "identical":
        return [("equal", " ".join(found_b[n - 1].text for n in pair.b))]
    out: list[Segment] = []
    for op, text_a, text_b in pair.diff:
        out.append((op, text_b if op != "delete" else text_a))
    return out


def row_label(pair: Pair, alignment: Alignment) -> str:
    """The row's clauses ("A 3 → B 2+3") by the labels printed in the documents."""
    a = "+".join(label(alignment.units_a[n - 1]) for n in pair.a)
    b = "+".join(label(alignment.units_b[n - 1]) for n in pair.b)
    return " → ".join(x for x in (a and f"A {a}", b and f"B {b}") if x)


def block_label(block: Block, alignment: Alignment) -> str:
    """A moved block's clauses of A by their printed labels: "5–9" for a run, "4, 19" for a merge of two that are
    no neighbours."""
    numbers = block.units_a or tuple(range(block.a[0], block.a[1] + 1))
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    name = [
        label(alignment.units_a[run[0] - 1]) + (f"–{label(alignment.units_a[run[-1] - 1])}" if len(run) > 1 else "")
        for run in runs
    ]
    return ", ".join(name)


def _title(doc) -> str:
    return f"{doc.title} ({doc.date.isoformat() if doc.date else 'undated'})"


def redline_html(alignment: Alignment) -> str:
    """The inline redline as a self-contained HTML page (escaped: the texts come from the web)."""
    tag = {"equal": "{}", "delete": "<del>{}</del>", "insert": "<ins>{}</ins>"}
    rows = []
    for pair in alignment.pairs:
        words = " ".join(tag[op].format(html.escape(text)) for op, text in inline(pair, alignment.units_b))
        where = html.escape(row_label(pair, alignment))
        rows.append(f'<p class="{pair.kind}"><small>{where} · {pair.kind}</small><br>{words}</p>')
    head = f"<h1>{html.escape(_title(alignment.a))}<br>→ {html.escape(_title(alignment.b))}</h1>"
    method = f"<p><small>{html.escape(alignment.summary.method)}</small></p>"
    style = "del{color:#a40000;text-decoration:line-through}ins{color:#005a1f;text-decoration:underline}"
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>Redline</title><style>{style}</style></head>'
        f"<body>{head}{method}{''.join(rows)}</body></html>"
    )


def redline_docx(alignment: Alignment) -> bytes:
    """The inline redline as a Word document: deletions struck through in red, insertions underlined in green."""
    from docx import Document as Word
    from docx.shared import RGBColor

    word = Word()
    word.add_heading(f"{_title(alignment.a)} → {_title(alignment.b)}", level=1)
    word.add_paragraph(alignment.summary.method).runs[0].italic = True
    for pair in alignment.pairs:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"[{row_label(pair, alignment)} · {pair.kind}] ").bold = True
        for op, text in inline(pair, alignment.units_b):
            run = paragraph.add_run(text + " ")
            if op == "delete":
                run.font.strike, run.font.color.rgb = True, RGBColor(0xA4, 0, 0)
            elif op == "insert":
                run.font.underline, run.font.color.rgb = True, RGBColor(0, 0x5A, 0x1F)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
