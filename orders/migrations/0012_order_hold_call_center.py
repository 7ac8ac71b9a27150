"""Order holds carry their order's call center, for the hold queue.

The holds already placed get it from their order (one UPDATE); then the column is
required, and PostgreSQL is told about it at once (ANALYZE), so the hold queue is
planned with it from its first request.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def call_center_of_each_hold(apps, schema_editor):
    OrderHold = apps.get_model("orders", "OrderHold")
    SalesOrder = apps.get_model("orders", "SalesOrder")
    OrderHold.objects.update(
        call_center_id=Subquery(
            SalesOrder.objects.filter(pk=OuterRef("order_id")).values("call_center_id")[:1]
        )
    )


def analyze_holds(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE orders_orderhold")


class Migration(migrations.Migration):
    dependencies = [
        ("callcenter", "0001_initial"),
        ("orders", "0011_order_event_customer"),
    ]

    operations = [
        migrations.AddField(
            model_name="orderhold",
            name="call_center",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="callcenter.callcenter",
                verbose_name="call center",
            ),
        ),
        migrations.RunPython(call_center_of_each_hold, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="orderhold",
            name="call_center",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="callcenter.callcenter",
                verbose_name="call center",
            ),
        ),
        migrations.RunPython(analyze_holds, migrations.RunPython.noop),
    ]
