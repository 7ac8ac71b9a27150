"""Order events carry their order's customer, for the customer page's latest activity.

The events already written get it from their order (one UPDATE); then the column
is required and indexed with the time, newest first.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def customer_of_each_event(apps, schema_editor):
    OrderEvent = apps.get_model("orders", "OrderEvent")
    SalesOrder = apps.get_model("orders", "SalesOrder")
    OrderEvent.objects.update(
        customer_id=Subquery(
            SalesOrder.objects.filter(pk=OuterRef("order_id")).values("customer_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        ("orders", "0010_open_holds_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="orderevent",
            name="customer",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="customers.customer",
                verbose_name="customer",
            ),
        ),
        migrations.RunPython(customer_of_each_event, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="orderevent",
            name="customer",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="customers.customer",
                verbose_name="customer",
            ),
        ),
        migrations.AddIndex(
            model_name="orderevent",
            index=models.Index(
                fields=["customer", "-created_at", "-id"], name="order_events_of_customer"
            ),
        ),
    ]
