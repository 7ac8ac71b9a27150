"""A sales line can keep its unit price through every re-price (``fixed_price``): the
lines of a continuity renewal, at the program's price, which the price groups and
source codes used to replace.

The renewal orders made before are marked too: their lines that sell one of the
program's items (a line a clerk added since is priced as any other). Nothing is
re-priced here: an order changed or submitted from now on is priced at the program's
price; those already submitted keep what they were charged.
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_renewal_lines(apps, schema_editor):
    SalesLine = apps.get_model("orders", "SalesLine")
    ContinuityProgramItem = apps.get_model("orders", "ContinuityProgramItem")
    program_items = ContinuityProgramItem.objects.filter(
        program=OuterRef("order__continuity_shipment__enrolment__program"),
        product=OuterRef("product"),
    )
    SalesLine.objects.filter(
        Exists(program_items), order__continuity_shipment__isnull=False
    ).update(fixed_price=True)


class Migration(migrations.Migration):
    dependencies = [("orders", "0017_sales_line_priced_on")]

    operations = [
        migrations.AddField(
            model_name="salesline",
            name="fixed_price",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text=(
                    "The unit price is the continuity program's: no price group or source "
                    "code changes it."
                ),
                verbose_name="continuity program price",
            ),
        ),
        migrations.RunPython(mark_renewal_lines, migrations.RunPython.noop),
    ]
