import csv
import io

from django.core.management.base import BaseCommand, CommandError

from orders.errors import OrderError
from orders.holds import mark_shipped

#: The separators a spreadsheet writes: comma, semicolon (locales with a decimal comma), tab.
SEPARATORS = ",;\t"


def read_rows(path: str) -> list[tuple[int, dict[str, str]]]:
    """The file's rows, each with its line number and its cells keyed by lower-case column name.

    A UTF-8 byte-order mark (a spreadsheet's "CSV UTF-8") is dropped and the separator is
    detected. A file that cannot be read, is not UTF-8 or has no ``number`` column is refused
    with a CommandError, before any order is changed.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        raise CommandError(
            f"{path} is not a UTF-8 text file (byte {error.start}): save it as CSV UTF-8."
        ) from error
    except OSError as error:
        raise CommandError(str(error)) from error
    if "\x00" in text:  # no order number or tracking holds one; the database takes none
        line = text[: text.index("\x00")].count("\n") + 1
        raise CommandError(
            f"{path} holds a NUL character (line {line}), which no CSV text holds: is it the "
            "right file? Save it again as CSV UTF-8."
        )
    try:
        separator = csv.Sniffer().sniff(text[:65536], delimiters=SEPARATORS).delimiter
    except csv.Error:
        separator = ","  # one column, or too little to tell: the header decides below
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = next(reader, None)
        columns = [name.strip().lower() for name in header or []]
        if "number" not in columns:
            found = ", ".join(name for name in columns if name) or "none"
            raise CommandError(
                f"{path} has no 'number' column (columns found: {found}). The first line must "
                "name the columns: number and optionally tracking, separated by commas, "
                "semicolons or tabs."
            )
        rows = [(reader.line_num, dict(zip(columns, values, strict=False))) for values in reader]
    except csv.Error as error:
        raise CommandError(f"{path}, line {reader.line_num}: {error}") from error
    return rows


class Command(BaseCommand):
    help = (
        "Mark orders shipped from the warehouse's CSV file (UTF-8, separated by commas, "
        "semicolons or tabs): a column 'number' (the sales order) and an optional 'tracking'. "
        "Orders already shipped are skipped, so the same file can be read twice. Each refused "
        "row is printed, and the command exits with status 1 when any row was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        shipped = skipped = failed = 0
        for line, row in read_rows(file):
            number = (row.get("number") or "").strip()
            if not number:
                if any((value or "").strip() for value in row.values()):
                    failed += 1
                    self.stderr.write(f"line {line}: no order number")
                continue
            try:
                changed = mark_shipped(number=number, tracking=(row.get("tracking") or "").strip())
            except OrderError as error:
                failed += 1
                self.stderr.write(f"line {line}: {number}: {error}")
                continue
            shipped, skipped = shipped + changed, skipped + (not changed)
        self.stdout.write(f"{shipped} shipped, {skipped} already shipped, {failed} refused")
        if failed:
            rows = "1 row was" if failed == 1 else f"{failed} rows were"
            raise CommandError(f"{rows} refused: correct them in {file} and run it again.")
