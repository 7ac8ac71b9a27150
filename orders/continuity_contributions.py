"""What continuity programs add to the customer page: the Enrolments section."""

from django.db.models import Prefetch

from callcenter.fields import first_of_each_label
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
    choices = first_of_each_label((a.pk, a.one_line()) for a in customer.addresses.all())
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
