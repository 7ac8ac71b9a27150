from django.core.management.base import BaseCommand

from orders.holds import release_ready_orders


class Command(BaseCommand):
    help = (
        "Release to fulfilment every submitted order with no open hold and nothing due. "
        "Run it from cron (every few minutes): held orders stay until a supervisor clears them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=0,
            metavar="MINUTES",
            help="Only orders submitted at least this many minutes ago (time to put on hold).",
        )

    def handle(self, *args, older_than: int, **options):
        released = release_ready_orders(older_than_minutes=older_than)
        self.stdout.write(f"{len(released)} orders released")
