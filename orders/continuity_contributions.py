"""What continuity programs add to the customer page: the Enrolments section."""

from django.db.models import Prefetch

from customers.slots import CUSTOMER_SECTIONS

from .continuity import enrolments_visible_to
from .continuity_forms import EnrolmentAddressForm, EnrolmentCancelForm, EnrolmentForm
from .models import EnrolmentEvent


def _enrolments_context(request, *, customer):
    enrolments = list(
        enrolments_visible_to(request.user)
        .filter(customer=customer)
        .select_related("program", "original_order")
        .prefetch_related(  # its history, for the supervisor: who skipped, who cancelled
            Prefetch(
                "events", queryset=EnrolmentEvent.objects.select_related("user").order_by("pk")
            )
        )
        .order_by("-created_at", "-pk")
    )
    if not enrolments:
        return None
    # each address once: a delivery and an invoice address written alike are one
    choices = []
    for address in customer.addresses.all():
        line = address.one_line()
        if all(line != said for _pk, said in choices):
            choices.append((address.pk, line))
    rows = []
    for enrolment in enrolments:
        initial = {"version": enrolment.version}
        address_form = EnrolmentAddressForm(
            initial=initial, customer=customer, auto_id=f"enrolment{enrolment.pk}_%s"
        )
        address_form.fields["address"].choices = choices
        rows.append(
            {
                "enrolment": enrolment,
                "version_form": EnrolmentForm(
                    initial=initial, auto_id=f"enrolment{enrolment.pk}_skip_%s"
                ),
                "address_form": address_form,
                "cancel_form": EnrolmentCancelForm(
                    initial=initial, auto_id=f"enrolment{enrolment.pk}_%s"
                ),
            }
        )
    return {"enrolment_rows": rows}


def register() -> None:
    CUSTOMER_SECTIONS.register(
        "orders/_customer_enrolments.html", get_context=_enrolments_context, order=60
    )
