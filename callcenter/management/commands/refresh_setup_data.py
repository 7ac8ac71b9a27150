from django.core.management.base import BaseCommand, CommandError

from callcenter import reference
from callcenter.models import CallCenter


class Command(BaseCommand):
    help = (
        "Make every app server read the call centers' setup data (tax rates, charge rules, "
        "scripts, payment methods...) again on its next request. Run it after changing that "
        "data with SQL or QuerySet.update; changes made in the admin are seen at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "codes", nargs="*", metavar="CODE", help="Call center codes (default: all)."
        )

    def handle(self, *args, codes: list[str], **options):
        ids = None
        if codes:
            found = dict(CallCenter.objects.filter(code__in=codes).values_list("code", "pk"))
            unknown = sorted(set(codes) - set(found))
            if unknown:
                raise CommandError(f"Unknown call center: {', '.join(unknown)}")
            ids = list(found.values())
        reference.changed(ids)
        count = len(ids) if ids is not None else CallCenter.objects.count()
        self.stdout.write(f"Setup data of {count} call center(s) will be read again.")
