"""When the events of a continuity program fall: pure, dates in, dates out.

Every date is computed from the start date, never from the previous event, so a
program started on 31 January ships on 28 (or 29) February, then 31 March: the
month end is kept, not drifted to the 28th.
"""

import calendar
import datetime
from collections.abc import Iterator

DAYS, MONTHS = "days", "months"


def add_months(start: datetime.date, months: int) -> datetime.date:
    """``start`` moved by ``months``, on the same day or the last day of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, _month_days(year, month)))


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def shift(start: datetime.date, *, every: int, unit: str, times: int) -> datetime.date:
    """``start`` moved ``times`` intervals of ``every`` days or months."""
    if every < 1:
        raise ValueError("the interval is at least one day or month")
    if unit == DAYS:
        return start + datetime.timedelta(days=every * times)
    if unit == MONTHS:
        return add_months(start, every * times)
    raise ValueError(f"unknown interval unit {unit!r}")


def event_date(
    start: datetime.date, number: int, *, every: int, unit: str, first_with_order: bool
) -> datetime.date:
    """The date of event ``number`` (1-based) of a schedule started on ``start``.

    With the first shipment going with the original order, event 1 is the start
    date itself; otherwise event 1 is one interval after it.
    """
    if number < 1:
        raise ValueError("events are numbered from 1")
    return shift(start, every=every, unit=unit, times=number - 1 if first_with_order else number)


def event_dates(
    start: datetime.date,
    *,
    every: int,
    unit: str,
    count: int | None,
    first_with_order: bool,
    limit: int = 12,
) -> Iterator[tuple[int, datetime.date]]:
    """(number, date) of each event; an open-ended schedule (``count`` None) stops at ``limit``."""
    last = count if count is not None else limit
    for number in range(1, last + 1):
        yield (
            number,
            event_date(start, number, every=every, unit=unit, first_with_order=first_with_order),
        )


def next_event(number: int, *, count: int | None) -> int | None:
    """The event after ``number``, or None when the schedule is over."""
    following = number + 1
    if count is not None and following > count:
        return None
    return following
