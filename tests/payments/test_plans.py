"""No sequential scan of a large table in the plans of the main screens (PostgreSQL).

The data set is the generator's, at a size where the planner prefers indexes
(20,000 customers, 20,000 products, 40,000 orders: some 750,000 rows), so a missing index shows
as a ``Seq Scan``; the full-size check is ``manage.py check_plans`` on the large
data set.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from payments import plans

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def moderate_data_set(django_db_setup, django_db_blocker):
    """Generated once for the module, committed, and deleted at the end."""
    with django_db_blocker.unblock():
        call_command("load_demo", force=True, stdout=StringIO())
        call_command(
            "generate_large_data",
            customers=20_000,
            products=20_000,
            orders=40_000,
            stdout=StringIO(),
        )
        yield
        call_command("flush", interactive=False, stdout=StringIO())


def failures(collected) -> list[str]:
    failing, _unjudged = plans.judge(collected)
    return [f"{plan.check}: {table}\n{plan.sql}" for plan, table in failing]


def test_the_main_screens_scan_no_large_table(moderate_data_set, db):
    collected = plans.collect()
    assert {plan.check for plan in collected} == set(plans.CHECKS)
    assert failures(collected) == []


def test_without_the_item_number_index_the_check_fails(moderate_data_set, db):
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("DROP INDEX catalog_product_item_number_upper")
    lookup = {"item number lookup": plans.CHECKS["item number lookup"]}
    assert any("catalog_product" in failure for failure in failures(plans.collect(checks=lookup)))
