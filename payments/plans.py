"""The query plans of the main screens: no whole scan of a large table (``check_plans``).

Each check runs real code — a screen's view through its URL, or a selector a
service uses — inside a transaction that is rolled back, records every SELECT
it makes, and asks PostgreSQL for the plan of each (``EXPLAIN``, not run). A
``Seq Scan`` is allowed only on the small configuration tables listed in
``SMALL_TABLES``, and so is an index scan without an index condition (a whole
index walked for its order, filtering every row: a sequential scan in
disguise) unless the index is partial. Tables the data set holds too few rows
of to judge (fewer than ``MIN_ROWS``) are reported apart, never silently. Run
it on the large data set (``generate_large_data``), where the planner's choices
are the ones production gets.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.db.models import Count
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from catalog.selectors import product_by_item_number
from customers.models import Address, Customer
from orders.continuity import due_enrolment_ids
from orders.models import SalesOrder

from .models import Payment

# Configuration rows: a handful per call center, never millions, where a scan is the
# cheapest plan at any size.
SMALL_TABLES = frozenset(
    {
        "auth_group",
        "auth_group_permissions",
        "auth_permission",
        "auth_user",
        "auth_user_groups",
        "auth_user_user_permissions",
        "callcenter_callcenter",
        "callcenter_callcenter_delivery_modes",
        "callcenter_callcenter_financial_dimensions",
        "callcenter_channeluser",
        "callcenter_chargerule",
        "callcenter_deliverymode",
        "callcenter_financialdimension",
        "catalog_catalog",
        "catalog_pricegroup",
        "catalog_pricegroup_call_centers",
        "catalog_script",
        "catalog_sourcecode",
        "catalog_taxgroup",
        "catalog_taxrate",
        "catalog_upsellrule",
        "customers_customergroup",
        "django_content_type",
        "orders_continuityprogram",
        "orders_continuityprogramitem",
        "orders_coupon",
        "orders_fraudrule",
        "orders_holdcode",
        "orders_holdsettings",
        "orders_priceoverridelimit",
        "orders_priceoverridereason",
        "orders_returnreason",
        "payments_callcenterpaymentmethod",
        "payments_paymentmethod",
    }
)
# A table with fewer rows than this in the data set is not judged: any plan is right for it.
MIN_ROWS = 1000
USER = "supervisor"


@dataclass
class Sample:
    """The rows the checks ask about: a busy customer of the user's call center, its
    latest order, a product."""

    user: object
    customer: Customer
    address: Address | None
    order: SalesOrder
    item_number: str
    product_word: str
    payment_key: uuid.UUID

    @classmethod
    def find(cls, username: str = USER) -> "Sample":
        user = get_user_model().objects.get(username=username)
        visible = SalesOrder.objects.filter(call_center__channel_users__user=user)
        latest = visible.order_by("-created_at", "-pk").values("customer")[:2000]
        busiest = (
            SalesOrder.objects.filter(customer__in=latest)
            .values("customer")
            .annotate(n=Count("pk"))
            .order_by("-n", "customer")
            .values_list("customer", flat=True)
            .first()
        )
        if busiest is None:
            raise LookupError(f"user {username} sees no orders: generate the large data set")
        customer = Customer.objects.get(pk=busiest)
        order = visible.filter(customer=customer).order_by("-created_at", "-pk").first()
        line = order.lines.order_by("line_number").first()
        payment = Payment.objects.order_by("-pk").first()
        return cls(
            user=user,
            customer=customer,
            address=customer.addresses.order_by("pk").first(),
            order=order,
            item_number=line.item_number if line else "81327",
            # what a clerk types of a name: its most telling word (a model, a brand)
            product_word=(line.product_name.split()[-1] if line else "speaker").lower(),
            payment_key=payment.idempotency_key if payment else uuid.uuid4(),
        )


def _screen(name: str, *args, **query) -> Callable[[Sample], tuple[str, dict]]:
    """A page, by URL name: ``args`` may be functions of the sample."""

    def url(sample: Sample) -> tuple[str, dict]:
        path = reverse(name, args=[arg(sample) if callable(arg) else arg for arg in args])
        return path, {
            key: value(sample) if callable(value) else value for key, value in query.items()
        }

    return url


def _days_ago(days: int) -> Callable[[Sample], str]:
    return lambda sample: (timezone.localdate() - timedelta(days=days)).isoformat()


def _customer(sample):
    return sample.customer.pk


def _number(sample):
    return sample.order.number


def _phone(sample):
    digits = sample.customer.phone_digits[-10:]
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"


def _postal_code(sample):
    return sample.address.postal_code if sample.address else "98101"


# name: a screen's URL (its view runs as the page does), or a function running a selector
CHECKS: dict[str, Callable] = {
    "search by name": _screen("customers:service", q="Karen Berg"),
    "search by name, words reversed": _screen("customers:service", q="berg karen"),
    "search by account number": _screen("customers:service", q=lambda s: s.customer.account_number),
    "search by phone": _screen("customers:service", q=_phone),
    "search by e-mail": _screen("customers:service", q=lambda s: s.customer.email),
    "search by postal code": _screen("customers:service", q=_postal_code),
    "search by order number": _screen("customers:service", q=_number),
    "search narrowed by city": _screen(
        "customers:service", q="Karen", city=lambda s: s.address.city if s.address else "Seattle"
    ),
    "telephony screen-pop": _screen("customers:lookup", phone=_phone),
    "customer page": _screen("customers:detail", _customer),
    "order history, page 2": _screen("customers:detail", _customer, orders_page=2),
    "order history by status": _screen("customers:detail", _customer, status="shipped"),
    "order history by date": _screen(
        "customers:detail", _customer, created_after=_days_ago(365), created_before=_days_ago(0)
    ),
    "order page": _screen("orders:detail", _number),
    "order summary and payments": _screen("payments:summary", _number),
    "hold queue": _screen("holds:queue"),
    "hold queue, newest first": _screen("holds:queue", sort="newest"),
    "hold queue by code": _screen("holds:queue", code=lambda s: _first_hold_code()),
    "hold queue by age": _screen("holds:queue", age="72"),
    "hold queue by amount": _screen("holds:queue", amount_min="100", amount_max="500"),
    "item suggestions by number": _screen(
        "catalog:suggestions", item_number=lambda s: s.item_number[:-1]
    ),
    "item suggestions by name": _screen(
        "catalog:suggestions", item_number=lambda s: s.product_word
    ),
    "item number lookup": lambda s: product_by_item_number(s.item_number.lower()),
    "payment by idempotency key": lambda s: Payment.objects.filter(
        idempotency_key=s.payment_key
    ).first(),
    "continuity: enrolments due": lambda s: due_enrolment_ids(today=timezone.localdate()),
}


def _first_hold_code():
    from orders.models import HoldCode

    return HoldCode.objects.order_by("pk").values_list("pk", flat=True).first()


@dataclass
class Plan:
    check: str
    sql: str
    params: tuple | list | None
    plan: dict
    nodes: list[str] = field(default_factory=list)
    # (table, index or "") of each node that reads a whole table or a whole index:
    # a Seq Scan, or an index scan with no condition on the index (walked for its order)
    whole: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self):
        self._walk(self.plan)

    def _walk(self, node: dict) -> None:
        self.nodes.append(node["Node Type"])
        if node["Node Type"] == "Seq Scan":
            self.whole.append((node["Relation Name"], ""))
        elif node["Node Type"] in ("Index Scan", "Index Only Scan") and "Index Cond" not in node:
            self.whole.append((node["Relation Name"], node["Index Name"]))
        for child in node.get("Plans", []):
            self._walk(child)

    @property
    def table(self) -> str:
        """The table the query reads from first (what it is about)."""
        found = re.search(r'\bFROM "(\w+)"', self.sql)
        return found.group(1) if found else "?"

    def scanned(self, partial_indexes=frozenset()) -> list[str]:
        """The tables read whole: "t" (Seq Scan) or "t (index i)"; a partial index is
        no whole read, it holds only the rows the query is after."""
        return sorted(
            {
                f"{table} (whole index {index})" if index else table
                for table, index in self.whole
                if index not in partial_indexes
            }
        )


def _request(sample: Sample, path: str, query: dict):
    request = RequestFactory().get(path, query)
    request.user = sample.user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = HtmxDetails(request)
    return request


def _run(check: Callable, sample: Sample) -> None:
    made = check(sample)
    if isinstance(made, tuple):  # a screen: its view, as the URL resolves
        path, query = made
        match = resolve(path)
        response = match.func(_request(sample, path, query), *match.args, **match.kwargs)
        if response.status_code >= 400:  # the screen-pop answers with a redirect
            raise RuntimeError(f"{path}?{query} answered {response.status_code}")


def _explain(sql: str, params) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        return cursor.fetchone()[0][0]["Plan"]


def explain_text(plan: Plan, *, analyze: bool = False) -> str:
    """The plan as PostgreSQL prints it (``analyze``: run the query, with timings)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {'ANALYZE ' if analyze else ''}" + plan.sql, plan.params)
        return "\n".join(row[0] for row in cursor.fetchall())


def collect(sample: Sample | None = None, checks: dict | None = None) -> list[Plan]:
    """The plan of every SELECT each check makes, in order, without repeats per check."""
    if connection.vendor != "postgresql":
        raise RuntimeError("query plans are checked on PostgreSQL")
    sample = sample or Sample.find()
    plans = []
    for name, check in (checks or CHECKS).items():
        seen = []

        def record(execute, sql, params, many, context, seen=seen):
            if sql.lstrip().upper().startswith("SELECT") and (sql, params) not in seen:
                seen.append((sql, params))
            return execute(sql, params, many, context)

        with transaction.atomic():  # a page may write (an audit event): undone
            with connection.execute_wrapper(record):
                _run(check, sample)
            plans += [Plan(name, sql, params, _explain(sql, params)) for sql, params in seen]
            transaction.set_rollback(True)
    return plans


def table_rows() -> dict[str, int]:
    """The planner's row count of every table (from the last ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, GREATEST(reltuples, 0)::bigint FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        return dict(cursor.fetchall())


def _partial_indexes() -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE indpred IS NOT NULL")
        return frozenset(name for (name,) in cursor.fetchall())


def judge(plans: list[Plan]) -> tuple[list[tuple[Plan, str]], list[tuple[Plan, str]]]:
    """(whole scans that fail, whole scans of tables too small to judge): [(plan, what)]."""
    rows = table_rows()
    partial = _partial_indexes()
    failing, unjudged = [], []
    for plan in plans:
        for scan in plan.scanned(partial):
            table = scan.split()[0]
            if table in SMALL_TABLES:
                continue
            (unjudged if rows.get(table, 0) < MIN_ROWS else failing).append((plan, scan))
    return failing, unjudged
