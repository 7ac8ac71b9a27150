import csv

from django.core.management.base import BaseCommand, CommandError

from orders.errors import OrderError
from orders.holds import mark_shipped


class Command(BaseCommand):
    help = (
        "Mark orders shipped from the warehouse's CSV file: a column 'number' (the sales "
        "order) and an optional 'tracking'. Orders already shipped are skipped, so the same "
        "file can be read twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            with open(file, newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
        except OSError as error:
            raise CommandError(str(error)) from error
        shipped = skipped = failed = 0
        for row in rows:
            number = (row.get("number") or "").strip()
            if not number:
                continue
            try:
                changed = mark_shipped(number=number, tracking=(row.get("tracking") or "").strip())
            except OrderError as error:
                failed += 1
                self.stderr.write(f"{number}: {error}")
                continue
            shipped, skipped = shipped + changed, skipped + (not changed)
        self.stdout.write(f"{shipped} shipped, {skipped} already shipped, {failed} refused")
