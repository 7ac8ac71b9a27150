"""Personal data: who looked at a customer, a customer's data exported, and erased.

Erasure anonymises the customer and everything that copies their name, address,
phone or e-mail, while orders keep their accounting data (numbers, amounts, tax
jurisdiction, payments). Higher apps hold copies of personal data (an order's
delivery address and its history, a catalog request's mailing address, an
enrolment's address, the notes and reasons clerks typed on orders and payments):
they register an exporter and an eraser here, as they register slots on the
customer page. An eraser is called with the customer and, as ``by``, the user who
erases (for the events it writes).
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Customer, CustomerEvent

ERASED = "—"

_exporters: list[Callable[[Customer], dict[str, Any]]] = []
_erasers: list[Callable[..., None]] = []


def register(
    *,
    exporter: Callable[[Customer], dict[str, Any]] | None = None,
    eraser: Callable[..., None] | None = None,
) -> None:
    """``eraser(customer, by=user)`` runs in the erasure's transaction, the customer locked."""
    if exporter is not None and exporter not in _exporters:
        _exporters.append(exporter)
    if eraser is not None and eraser not in _erasers:
        _erasers.append(eraser)


def record_view(*, customer: Customer, by) -> None:
    """The audit trail of who opened a customer's page (kept out of the page's history)."""
    CustomerEvent.objects.create(customer=customer, type=CustomerEvent.Type.VIEWED, user=by)


def export_customer(*, customer: Customer, by) -> dict[str, Any]:
    """Everything we hold about the customer, as plain data (JSON-ready)."""
    data = {
        "account_number": customer.account_number,
        "company": customer.company,
        "name": customer.name,
        "phone": customer.phone,
        "email": customer.email,
        "customer_group": str(customer.customer_group or ""),
        "credit_limit": str(customer.credit_limit) if customer.credit_limit is not None else None,
        "blocked": customer.is_blocked,
        "created_at": customer.created_at.isoformat(),
        "addresses": [
            {
                "purpose": address.purpose,
                "primary": address.is_primary,
                "street": address.street,
                "city": address.city,
                "state": address.state,
                "postal_code": address.postal_code,
                "country": address.country,
            }
            for address in customer.addresses.all()
        ],
        "notes": [
            {"written_at": note.created_at.isoformat(), "text": note.text}
            for note in customer.notes.order_by("created_at", "pk")
        ],
        "history": [
            {
                "at": event.created_at.isoformat(),
                "event": event.type,
                "by": event.user.get_username() if event.user else None,
            }
            for event in customer.events.select_related("user").order_by("created_at", "pk")
        ],
    }
    for exporter in _exporters:
        data.update(exporter(customer))
    CustomerEvent.objects.create(customer=customer, type=CustomerEvent.Type.EXPORTED, user=by)
    return data


@transaction.atomic
def erased_keys(parameters: dict, keys) -> dict | None:
    """``parameters`` with the values of ``keys`` (those not empty) replaced by the erased
    marker; None when there was nothing to replace."""
    erased = dict(parameters)
    erase_keys(erased, keys)
    return erased if erased != parameters else None


def erase_keys(parameters: dict, keys) -> None:
    for key in keys:
        if parameters.get(key):
            parameters[key] = ERASED


def erase_in_events(events, erased_parameters) -> None:
    """Rewrite the parameters of the ``events`` (a queryset of an ``Event`` model) that
    ``erased_parameters(type, parameters)`` erases something of: the one rewrite of
    history erasure makes."""
    changed = []
    for event in events.only("pk", "type", "parameters").order_by("pk").iterator(chunk_size=500):
        parameters = erased_parameters(event.type, event.parameters or {})
        if parameters is not None:
            event.parameters = parameters
            changed.append(event)
    events.model.objects.bulk_update(changed, ["parameters"], batch_size=500)


def _erased_changes(type_: str, parameters: dict) -> dict | None:
    """A customer event's changes with their values erased (their field names stay)."""
    changes = parameters.get("changes") or {}
    if not changes:
        return None
    return {**parameters, "changes": {field: {"from": ERASED, "to": ERASED} for field in changes}}


def erase_customer(*, customer: Customer, by) -> Customer:
    """Anonymise the customer and every copy of their personal data; keep the accounting."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.erased_at is not None:
        return customer
    customer.name = _("Erased customer %(account)s") % {"account": customer.account_number}
    customer.phone = ""
    customer.email = ""
    customer.is_blocked = True
    customer.erased_at = timezone.now()
    customer.save()
    customer.addresses.all().delete()
    customer.notes.update(text=ERASED)
    erase_in_events(customer.events.filter(type=CustomerEvent.Type.CHANGED), _erased_changes)
    for eraser in _erasers:
        eraser(customer, by=by)
    CustomerEvent.objects.create(customer=customer, type=CustomerEvent.Type.ERASED, user=by)
    return customer
