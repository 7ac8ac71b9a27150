"""Create, charge and submit the child order of every continuity event that is due.

Run it from cron or a scheduler (see the README); running it twice, or two at
once, creates each child order exactly once.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from payments.continuity import process_due


class Command(BaseCommand):
    help = "Create the child sales orders of every continuity enrolment event that is due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Process events due on or before this date (YYYY-MM-DD); default today.",
        )

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        outcome = process_due(today=today)
        for number in outcome.submitted:
            self.stdout.write(f"submitted {number}")
        for number in outcome.held:
            self.stdout.write(f"on hold (payment) {number}")
        for enrolment_id, message in outcome.failed:
            self.stderr.write(f"enrolment {enrolment_id} not processed: {message}")
        self.stdout.write(
            f"{len(outcome.submitted)} submitted, {len(outcome.held)} on hold, "
            f"{len(outcome.failed)} failed"
        )
        if outcome.failed:
            raise CommandError("some enrolments were not processed; they are tried again next run")
