"""Creating and changing customers during a call. Every change is recorded."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .errors import ConcurrentCustomerEdit, CustomerErased
from .models import AccountSequence, Address, Customer, CustomerEvent, CustomerNote

# the customer fields a clerk edits, and the address fields
CUSTOMER_FIELDS = ["name", "phone", "email", "customer_group", "credit_limit"]
ADDRESS_FIELDS = ["street", "city", "state", "postal_code", "country"]


def next_account_number(company: str) -> str:
    """Take the company's next account number (row-locked: two clerks never share one)."""
    sequence, _ = AccountSequence.objects.select_for_update().get_or_create(company=company)
    while True:
        number = f"{sequence.prefix}{sequence.next_number:06d}"
        sequence.next_number += 1
        if not Customer.objects.filter(account_number=number).exists():
            break
    sequence.save(update_fields=["next_number"])
    return number


def ensure_not_erased(customer: Customer, refused: str = "edit") -> None:
    """An erased customer's personal data stay erased: no edit, no note writes them back."""
    if customer.erased_at is None:
        return
    if refused == "note":
        message = _("The personal data of customer %(account)s were erased: no note can be added.")
    else:
        message = _("The personal data of customer %(account)s were erased: they cannot be edited.")
    raise CustomerErased(message % {"account": customer.account_number})


@transaction.atomic
def create_customer(*, company: str, by, customer: dict, address: dict) -> Customer:
    """A new customer with a primary delivery and invoice address."""
    created = Customer.objects.create(
        company=company, account_number=next_account_number(company), **customer
    )
    for purpose in (Address.Purpose.DELIVERY, Address.Purpose.INVOICE):
        Address.objects.create(customer=created, purpose=purpose, is_primary=True, **address)
    CustomerEvent.objects.create(
        customer=created,
        type=CustomerEvent.Type.CREATED,
        user=by,
        parameters={"account_number": created.account_number},
    )
    return created


def _changes(instance, values: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    changes = {}
    for field, new in values.items():
        old = getattr(instance, field)
        if old != new:
            changes[prefix + field] = {"from": str(old or ""), "to": str(new or "")}
            setattr(instance, field, new)
    return changes


@transaction.atomic
def update_customer(
    *, customer: Customer, by, values: dict, address: dict, version: int | None = None
) -> Customer:
    """Change a customer and their primary delivery address; record what changed.

    ``version``: the customer's version the clerk's form saw (None: not checked, the admin).
    A form that saw an older version and changes something is refused
    (``ConcurrentCustomerEdit``): it would overwrite someone else's newer change; one that
    changes nothing (the same form sent twice) changes nothing. Refused
    (``CustomerErased``) when the customer's personal data were erased."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    ensure_not_erased(customer)
    changes = _changes(customer, values)
    primary = customer.addresses.filter(
        purpose=Address.Purpose.DELIVERY, is_primary=True
    ).first() or Address(customer=customer, purpose=Address.Purpose.DELIVERY, is_primary=True)
    address_changes = _changes(primary, address, prefix="address.")
    if not changes and not address_changes:
        return customer
    if version is not None and version != customer.version:
        raise ConcurrentCustomerEdit(
            _(
                "Customer %(account)s was changed by someone else while you were editing "
                "them. The page now shows the latest version: check it and make your change "
                "again."
            )
            % {"account": customer.account_number}
        )
    customer.version += 1
    customer.save()
    if address_changes:
        primary.save()
    CustomerEvent.objects.create(
        customer=customer,
        type=CustomerEvent.Type.CHANGED,
        user=by,
        parameters={"changes": changes | address_changes},
    )
    return customer


def address_key(address: Address, field: str) -> str:
    """How a change of ``address``'s ``field`` is named in a customer event: the primary
    delivery address's as ``address.city`` (the clerk's edit changes it), another's with
    its purpose, ``address[invoice].city`` (``CustomerEvent.changed_fields`` reads both)."""
    if address.is_primary_delivery:
        return f"address.{field}"
    return f"address[{address.purpose}].{field}"


def address_changes(address: Address, *, before: dict | None, after: dict | None) -> dict:
    """The changes of one address as a customer event records them: ``before`` and
    ``after`` its fields' values (None: the address did not exist, or no longer does)."""
    changes = {}
    for field in ADDRESS_FIELDS:
        old = (before or {}).get(field) or ""
        new = (after or {}).get(field) or ""
        if old != new:
            changes[address_key(address, field)] = {"from": str(old), "to": str(new)}
    return changes


def address_values(address: Address) -> dict:
    return {field: getattr(address, field) for field in ADDRESS_FIELDS}


def record_changes(*, customer: Customer, by, changes: dict) -> CustomerEvent | None:
    """Record changes made outside the clerk's edit (an administrator's, in the admin) as
    the clerk's edit records its own, and bump the customer's version (a clerk's form
    opened before them is refused); nothing when nothing changed."""
    if not changes:
        return None
    with transaction.atomic():
        # one UPDATE: it locks the row and adds to the version as it is then
        Customer.objects.filter(pk=customer.pk).update(version=F("version") + 1)
        return CustomerEvent.objects.create(
            customer=customer,
            type=CustomerEvent.Type.CHANGED,
            user=by,
            parameters={"changes": changes},
        )


def record_created(*, customer: Customer, by) -> CustomerEvent:
    """Record a customer created outside the clerk's form (in the admin)."""
    return CustomerEvent.objects.create(
        customer=customer,
        type=CustomerEvent.Type.CREATED,
        user=by,
        parameters={"account_number": customer.account_number},
    )


@transaction.atomic
def add_note(*, customer: Customer, by, text: str) -> CustomerNote:
    """A note about the call; refused (``CustomerErased``) on an erased customer."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    ensure_not_erased(customer, refused="note")
    note = CustomerNote.objects.create(customer=customer, author=by, text=text.strip())
    CustomerEvent.objects.create(
        customer=customer, type=CustomerEvent.Type.NOTE_ADDED, user=by, parameters={"note": note.pk}
    )
    return note
