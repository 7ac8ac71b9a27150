"""One small function per kind of enrolment event. History is only ever appended to."""

from .models import Enrolment, EnrolmentEvent


def _write(enrolment: Enrolment, type_: str, by, **parameters) -> EnrolmentEvent:
    return EnrolmentEvent.objects.create(
        enrolment=enrolment, type=type_, user=by, parameters=parameters
    )


def enrolled(*, enrolment: Enrolment, by) -> EnrolmentEvent:
    return _write(
        enrolment,
        EnrolmentEvent.Type.ENROLLED,
        by,
        program=enrolment.program.code,
        order=enrolment.original_order.number,
        payment_method=enrolment.payment_method_code,
        card=enrolment.card_reference,
    )


def renewal_ordered(*, enrolment: Enrolment, by, number: int, order_number: str) -> EnrolmentEvent:
    return _write(
        enrolment, EnrolmentEvent.Type.RENEWAL_ORDERED, by, event=number, order=order_number
    )


def renewal_declined(
    *, enrolment: Enrolment, by, number: int, order_number: str, message: str
) -> EnrolmentEvent:
    return _write(
        enrolment,
        EnrolmentEvent.Type.RENEWAL_DECLINED,
        by,
        event=number,
        order=order_number,
        message=str(message),
    )


def skipped(*, enrolment: Enrolment, by, number: int, date: str) -> EnrolmentEvent:
    return _write(enrolment, EnrolmentEvent.Type.SKIPPED, by, event=number, date=date)


def address_changed(*, enrolment: Enrolment, by, old: str, new: str) -> EnrolmentEvent:
    return _write(enrolment, EnrolmentEvent.Type.ADDRESS_CHANGED, by, old=old, new=new)


def quantity_changed(*, enrolment: Enrolment, by, old: int, new: int) -> EnrolmentEvent:
    return _write(enrolment, EnrolmentEvent.Type.QUANTITY_CHANGED, by, old=old, new=new)


def cancelled(*, enrolment: Enrolment, by, reason: str) -> EnrolmentEvent:
    return _write(enrolment, EnrolmentEvent.Type.CANCELLED, by, reason=reason)


def completed(*, enrolment: Enrolment, by) -> EnrolmentEvent:
    return _write(enrolment, EnrolmentEvent.Type.COMPLETED, by, events=enrolment.events_done)
