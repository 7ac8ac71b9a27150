from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import callcenter.demo
import catalog.demo
import customers.demo
import orders.demo
import payments.demo


class Command(BaseCommand):
    help = (
        "Load the demo data (USRT call center, demo users, Karen Berg, item 81327...). "
        "Idempotent. Refused when DEBUG is off, because it creates accounts with known passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even with DEBUG off (never in production)",
        )

    @transaction.atomic
    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: the demo data (known passwords) is not loaded.")
        center = callcenter.demo.load()
        customers.demo.load()
        catalog.demo.load()
        orders.demo.load()
        payments.demo.load(center)
        second = callcenter.demo.load_second_call_center()
        customers.demo.load_second_company()
        payments.demo.load(second, codes=["CASH", "CARD"])
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
