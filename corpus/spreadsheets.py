"""CSV for spreadsheets: cells that Excel or LibreOffice would run as formulas are neutralised."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

BOM = "\ufeff"  # lets Excel read the file as UTF-8 instead of the machine's code page
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: Any) -> Any:
    """The value, or text that a spreadsheet shows as written: a leading ' when it would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class SafeWriter:
    """csv.writer whose every cell goes through safe_cell()."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(safe_row(values))
