"""Holds left open on cancelled orders are cleared with their cancellation.

Cancelling an order used to leave its open holds open, so a cancelled order stayed in
the hold queue with nothing to do on it. Each such hold is now cleared by whoever
cancelled the order, with the cancellation's reason, and gets its HOLD_CLEARED event
(written now: the history is added to, not rewritten). A few rows at most: it reads
the open holds, which an index keeps small.
"""

from django.db import migrations
from django.utils import timezone


def clear_holds_of_cancelled_orders(apps, schema_editor):
    OrderHold = apps.get_model("orders", "OrderHold")
    OrderEvent = apps.get_model("orders", "OrderEvent")
    holds = list(
        OrderHold.objects.filter(cleared_at__isnull=True, order__status="cancelled")
        .select_related("code", "order")
        .order_by("pk")
    )
    now = timezone.now()
    for hold in holds:
        cancellation = (
            OrderEvent.objects.filter(order_id=hold.order_id, type="cancelled")
            .order_by("-created_at", "-pk")
            .first()
        )
        reason = (cancellation.parameters.get("reason") or "") if cancellation else ""
        by = cancellation.user_id if cancellation else None
        hold.cleared_at, hold.cleared_by_id, hold.clear_reason = now, by, reason
        hold.save(update_fields=["cleared_at", "cleared_by", "clear_reason"])
        OrderEvent.objects.create(
            order_id=hold.order_id,
            customer_id=hold.order.customer_id,
            user_id=by,
            type="hold_cleared",
            parameters={
                "hold": hold.pk,
                "code": hold.code.code,
                "reason": reason,
                "cancelled": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("orders", "0012_order_hold_call_center")]

    operations = [
        migrations.RunPython(clear_holds_of_cancelled_orders, migrations.RunPython.noop),
    ]
