"""The continuity schedule is pure: dates in, dates out."""

import datetime

import pytest

from orders.continuity_schedule import DAYS, MONTHS, add_months, event_date, event_dates, next_event

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2024, 1, 31), 2, D(2024, 3, 31)),  # the month end is kept, not drifted
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 11, 15), 3, D(2026, 2, 15)),  # across the year
        (D(2025, 12, 31), 1, D(2026, 1, 31)),
        (D(2025, 5, 10), 0, D(2025, 5, 10)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_last_day_of_a_shorter_month(
    start, months, expected
):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("first_with_order", "unit", "every", "expected"),
    [
        (True, MONTHS, 1, [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)]),
        (False, MONTHS, 1, [D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31)]),
        (True, DAYS, 30, [D(2024, 1, 31), D(2024, 3, 1), D(2024, 3, 31), D(2024, 4, 30)]),
        (False, MONTHS, 3, [D(2024, 4, 30), D(2024, 7, 31), D(2024, 10, 31), D(2025, 1, 31)]),
    ],
)
def test_event_dates_count_from_the_start_date(first_with_order, unit, every, expected):
    dates = event_dates(
        D(2024, 1, 31), every=every, unit=unit, count=4, first_with_order=first_with_order
    )
    assert [date for _number, date in dates] == expected


def test_an_open_ended_schedule_is_shown_up_to_the_limit():
    dates = list(
        event_dates(D(2025, 1, 1), every=1, unit=MONTHS, count=None, first_with_order=True, limit=3)
    )
    assert dates == [(1, D(2025, 1, 1)), (2, D(2025, 2, 1)), (3, D(2025, 3, 1))]


def test_event_date_of_one_event():
    assert event_date(D(2025, 1, 31), 2, every=1, unit=MONTHS, first_with_order=True) == D(
        2025, 2, 28
    )


@pytest.mark.parametrize(
    ("number", "count", "expected"), [(1, 6, 2), (5, 6, 6), (6, 6, None), (40, None, 41)]
)
def test_the_next_event_ends_with_the_count_or_never(number, count, expected):
    assert next_event(number, count=count) == expected


@pytest.mark.parametrize("bad", [{"every": 0, "unit": DAYS}, {"every": 1, "unit": "weeks"}])
def test_a_bad_interval_is_refused(bad):
    with pytest.raises(ValueError):
        event_date(D(2025, 1, 1), 2, first_with_order=True, **bad)
