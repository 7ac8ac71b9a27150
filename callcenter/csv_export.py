"""CSV files streamed to the browser and safe to open in a spreadsheet.

Names and addresses are typed by clerks and callers: a cell that starts with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return) is a formula to a spreadsheet,
which may fetch a web address or run a command when the mail house or the warehouse
opens the file. Such a cell is written with a leading apostrophe, which spreadsheets
take as "text" and do not show. A plain number or phone number (``+1 555 010-2001``,
``-5``) cannot do harm and is written as it is.
"""

import csv
import re
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HARMLESS = re.compile(r"[+-]?[\d .()/-]*")


def cell(value) -> object:
    """``value`` as the file writes it: None as empty, a would-be formula as text."""
    if value is None:
        return ""
    formula = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    if formula and not HARMLESS.fullmatch(value):
        return "'" + value
    return value


class _Echo:
    """The file ``csv.writer`` writes to: it hands each row back, to be streamed."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one line of CSV, its cells made safe (``cell``), as it is read."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([cell(value) for value in row])
