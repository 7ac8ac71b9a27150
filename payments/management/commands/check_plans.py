"""Print the query plans of the main screens; exit 1 when one reads a large table whole."""

from collections import Counter, defaultdict

from django.core.management.base import BaseCommand, CommandError

from payments import plans


class Command(BaseCommand):
    help = (
        "EXPLAIN every query the main screens and services make (customer search, customer "
        "page and order history, order page, hold queue, item lookup, payments, continuity) "
        "and exit with status 1 when a plan reads a large table whole (a sequential scan, "
        "or an index walked without a condition). PostgreSQL only; run it on the large data "
        "set (generate_large_data)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", default=plans.USER, help="whose screens (default: %(default)s)"
        )
        parser.add_argument(
            "--sql", action="store_true", help="print each query, and the plan of those that fail"
        )

    def handle(self, *args, user: str, sql: bool, **options):
        try:
            collected = plans.collect(plans.Sample.find(user))
        except (RuntimeError, LookupError) as error:
            raise CommandError(str(error)) from error
        failing, unjudged = plans.judge(collected)
        scanned = defaultdict(list)
        for plan, table in failing:
            scanned[id(plan)].append(table)
        check = None
        for plan in collected:
            if plan.check != check:
                check = plan.check
                self.stdout.write(f"\n{check}")
            nodes = Counter(plan.nodes)
            shape = ", ".join(f"{node} ×{n}" if n > 1 else node for node, n in nodes.items())
            flag = f"WHOLE SCAN {', '.join(scanned[id(plan)])}" if id(plan) in scanned else "ok"
            self.stdout.write(f"  [{flag}] {plan.table}: {shape}")
            if sql:
                self.stdout.write(f"      {plan.sql}")
                if id(plan) in scanned:
                    self.stdout.write(plans.explain_text(plan))
        self.stdout.write("")
        for plan, table in unjudged:
            self.stdout.write(
                f"not judged: {plan.check}: {table} has fewer than {plans.MIN_ROWS} rows here"
            )
        self.stdout.write(f"{len(collected)} queries in {len(plans.CHECKS)} checks.")
        if failing:
            for plan, table in failing:
                self.stderr.write(f"whole scan of {table}: {plan.check}")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("No plan reads a large table whole."))
