from django.core.management.base import BaseCommand, CommandError

from payments.consistency import find_problems


class Command(BaseCommand):
    help = (
        "Check that every submitted order is paid, totals equal lines + charges + tax, "
        "payments agree with the orders and no authorization is counted twice. Only reads; "
        "exits with status 1 when something is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=100, help="print at most this many problems (100)"
        )

    def handle(self, *args, limit: int, **options):
        count = 0
        for problem in find_problems():
            count += 1
            if count <= limit:
                self.stdout.write(str(problem))
        if count:
            raise CommandError(f"{count} inconsistencies found.")
        self.stdout.write(self.style.SUCCESS("No inconsistencies found."))
