"""A large, realistic data set on PostgreSQL, loaded with COPY: ``generate_large_data``.

Customers (``customers.generator``), products, and sales orders of one call
center with their lines, payments, holds, cancellations, continuity enrolments
and the events the services would have written, every amount consistent: what
``payments.consistency`` checks holds for every order. Rows are formatted here
as COPY text, in batches a worker thread prepares while the previous batch is
being copied.

Orders are numbered from the call center's own sequence, which is moved past
them, so the app goes on numbering new orders after the generated ones.
"""

import datetime
import itertools
import json
import random
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from callcenter import bulk
from callcenter.models import CallCenter, ChannelUser
from catalog.models import Product
from customers.generator import (
    ACCOUNT_PREFIX,
    CUSTOMER_TABLES,
    copy_customers,
    generated_customers,
    new_customers,
)
from orders import continuity_schedule
from orders.models import FLAT_CHARGE, ContinuityProgram, HoldCode, SalesOrder
from orders.models import OrderEvent as OE

from .models import CallCenterPaymentMethod, Payment, PaymentMethod
from .models import PaymentEvent as PE

ITEM_PREFIX = "G"
ORDERS_PER_BATCH = 20_000
CUSTOMERS_PER_BATCH = 100_000
HISTORY_DAYS = 730
S = SalesOrder.Status

# (status, weight): mostly orders long shipped and invoiced
STATUSES = [
    (S.INVOICED, 45),
    (S.SHIPPED, 28),
    (S.PROCESSING, 5),
    (S.SUBMITTED, 12),
    (S.DRAFT, 5),
    (S.CANCELLED, 5),
]
LINE_COUNTS = ([1, 2, 3, 4, 5], [35, 30, 18, 10, 7])
QUANTITIES = ([1, 2, 3, 4, 6], [70, 18, 6, 4, 2])
HOLD_EVERY = 20  # one submitted order in HOLD_EVERY is on hold
CLEARED_HOLD_EVERY = 25  # one released order in CLEARED_HOLD_EVERY had a hold, cleared
SPLIT_EVERY = 20  # one paid order in SPLIT_EVERY is paid with two tenders
ENROL_EVERY = 100  # one card-paid order in ENROL_EVERY sells the continuity program's item
ACTIVE_ENROLMENT_DAYS = 25

ADJECTIVES = [
    "Wireless",
    "Compact",
    "Deluxe",
    "Classic",
    "Portable",
    "Organic",
    "Stainless",
    "Ergonomic",
    "Vintage",
    "Smart",
    "Cordless",
    "Premium",
]
NOUNS = [
    "speaker",
    "kettle",
    "backpack",
    "lamp",
    "blender",
    "headphones",
    "tea set",
    "jacket",
    "notebook",
    "drill",
    "watch",
    "coffee grinder",
    "yoga mat",
    "umbrella",
]
HOLD_NOTES = [
    "Customer asked to confirm the delivery address",
    "Large order from a new customer",
    "Price to be checked by a supervisor",
    "Customer will call back about the colour",
    "Billing name differs from the card",
]
CANCEL_REASONS = ["Customer changed their mind", "Ordered twice by mistake", "Found it cheaper"]
CARD_BRANDS = ["Visa", "Mastercard", "American Express"]

PRODUCT_COLUMNS = ("id", "item_number", "name", "description", "price", "weight", "is_active")
ORDER_COLUMNS = (
    "id",
    "number",
    "call_center_id",
    "customer_id",
    "clerk_id",
    "status",
    "payment_status",
    "delivery_mode_id",
    "delivery_address",
    "delivery_country",
    "delivery_state",
    "financial_dimensions",
    "created_at",
    "updated_at",
    "submitted_at",
    "submit_key",
    "version",
    "subtotal",
    "charges_total",
    "discount_total",
    "coupon_discount",
    "charge_lines",
    "tax_total",
    "total",
    "amount_paid",
)
LINE_COLUMNS = (
    "id",
    "order_id",
    "line_number",
    "product_id",
    "item_number",
    "product_name",
    "quantity",
    "unit_price",
    "discount_amount",
    "line_amount",
    "sold_price",
    "price_explanation",
    "cancel_reason",
    "coupon_share",
    "tax_amount",
)
EVENT_COLUMNS = ("id", "{}", "type", "user_id", "created_at", "parameters")
HOLD_COLUMNS = (
    "id",
    "order_id",
    "call_center_id",
    "code_id",
    "source",
    "note",
    "details",
    "created_at",
    "created_by_id",
    "cleared_at",
    "cleared_by_id",
    "clear_reason",
)
PAYMENT_COLUMNS = (
    "id",
    "order_id",
    "method_id",
    "amount",
    "status",
    "idempotency_key",
    "change_due",
    "card_token",
    "card_last4",
    "card_brand",
    "card_expiry_month",
    "card_expiry_year",
    "check_number",
    "message",
    "created_by_id",
    "created_at",
)
REFUND_COLUMNS = (
    "id",
    "payment_id",
    "amount",
    "reason",
    "idempotency_key",
    "created_by_id",
    "created_at",
)
CANCELLATION_COLUMNS = (
    "id",
    "order_id",
    "reason",
    "idempotency_key",
    "created_by_id",
    "created_at",
)
ENROLMENT_COLUMNS = (
    "id",
    "key",
    "customer_id",
    "program_id",
    "original_order_id",
    "original_line_number",
    "quantity",
    "call_center_id",
    "clerk_id",
    "payment_method_code",
    "card_token",
    "card_brand",
    "card_last4",
    "delivery_mode_id",
    "delivery_address",
    "delivery_country",
    "delivery_state",
    "start_date",
    "next_event_number",
    "next_event_date",
    "events_done",
    "status",
    "needs_attention",
    "cancel_reason",
    "cancelled_at",
    "created_at",
    "version",
)
SHIPMENT_COLUMNS = ("id", "enrolment_id", "event_number", "scheduled_for", "status", "created_at")

# the tables an order's rows go to, parents first, with their COPY columns
TABLES = {
    "orders_salesorder": ORDER_COLUMNS,
    "orders_salesline": LINE_COLUMNS,
    "orders_orderevent": (*(c.format("order_id") for c in EVENT_COLUMNS), "customer_id"),
    "orders_orderhold": HOLD_COLUMNS,
    "payments_payment": PAYMENT_COLUMNS,
    "payments_paymentevent": tuple(c.format("payment_id") for c in EVENT_COLUMNS),
    "payments_paymentrefund": REFUND_COLUMNS,
    "payments_cancellation": CANCELLATION_COLUMNS,
    "orders_enrolment": ENROLMENT_COLUMNS,
    "orders_enrolmentshipment": SHIPMENT_COLUMNS,
    "orders_enrolmentevent": tuple(c.format("enrolment_id") for c in EVENT_COLUMNS),
}
ALL_TABLES = [*CUSTOMER_TABLES, "catalog_product", *TABLES]
NULL = bulk.NULL


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def percent_of(cents: int, rate_hundredths: int) -> int:
    """``rate_hundredths`` / 100 % of ``cents``, rounded half up (``callcenter.money``)."""
    return (cents * rate_hundredths * 2 + 10_000) // 20_000


def _weighted(population: list, weights: list[int]) -> tuple[list, list]:
    """(population, cumulated weights), for ``random.choices``."""
    return population, list(itertools.accumulate(weights))


def stamp(moment: datetime.datetime) -> str:
    return moment.isoformat()


_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def params(**values) -> str:
    """Event parameters as COPY text (JSON escapes are the only backslashes to double)."""
    encoded = _encode(values)
    return bulk.text(encoded) if "\\" in encoded else encoded


@dataclass
class Targets:
    customers: int
    products: int
    orders: int


@dataclass
class ProductRow:
    pk: int
    item_number: str
    name: str
    cents: int
    explanation: str = ""


@dataclass
class Setting:
    """What the orders are taken with: the call center and the rows it offers."""

    center: CallCenter
    clerks: list[int]
    supervisors: list[int]
    modes: list[tuple[int, str, int]]  # (id, "99 Standard", charge in cents)
    methods: dict[str, PaymentMethod]  # tender type -> method
    hold_codes: list[tuple[int, str]]
    program: ContinuityProgram | None
    program_product: ProductRow | None
    dimensions: str
    charge_lines: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, center: CallCenter) -> "Setting":
        members = list(ChannelUser.objects.filter(call_center=center).values_list("user", "role"))
        clerks = [user for user, role in members if role == ChannelUser.Role.CLERK]
        supervisors = [user for user, role in members if role != ChannelUser.Role.CLERK]
        modes = [
            (mode.pk, str(mode), round(mode.charge * 100))
            for mode in center.delivery_modes.filter(is_active=True).order_by("pk")
        ]
        default = center.default_delivery_mode_id
        modes.sort(key=lambda mode: mode[0] != default)  # the default first
        offered = CallCenterPaymentMethod.objects.filter(
            call_center=center, payment_method__is_active=True
        ).select_related("payment_method")
        methods = {}
        for row in offered.order_by("payment_method__code"):
            methods.setdefault(row.payment_method.tender_type, row.payment_method)
        program = (
            ContinuityProgram.objects.filter(is_active=True, parent_product__is_active=True)
            .select_related("parent_product")
            .order_by("pk")
            .first()
        )
        setting = cls(
            center=center,
            clerks=clerks or [user for user, _role in members],
            supervisors=supervisors or [user for user, _role in members],
            modes=modes,
            methods=methods,
            hold_codes=list(
                HoldCode.objects.filter(is_active=True).order_by("pk").values_list("pk", "code")
            ),
            program=program,
            program_product=_product(program.parent_product) if program else None,
            dimensions=params(**center.dimension_values()),
        )
        for pk, name, cents in modes:
            charges = [
                {
                    "code": FLAT_CHARGE,
                    "category": "shipping",
                    "description": f"Shipping and handling ({name})",
                    "mode": name,
                    "amount": money(cents),
                    "tax": "0.00",
                    "explanation": [{"kind": "rule", "amount": money(cents), "reference": name}],
                }
            ]
            setting.charge_lines[pk] = bulk.text(json.dumps(charges if cents else []))
        return setting

    def missing(self) -> list[str]:
        """What the call center lacks to take the generated orders."""
        wanted = {
            "a channel user": self.clerks,
            "a mode of delivery": self.modes,
            "card and cash payment methods": PaymentMethod.TenderType.CARD in self.methods
            and PaymentMethod.TenderType.CASH in self.methods,
            "a hold code": self.hold_codes,
        }
        return [what for what, there in wanted.items() if not there]


def _product(product: Product) -> ProductRow:
    made = ProductRow(product.pk, product.item_number, product.name, round(product.price * 100))
    made.explanation = bulk.text(
        json.dumps([{"kind": "base", "amount": money(made.cents), "reference": ""}])
    )
    return made


class Ids:
    """The next id of each table, handed out in the worker thread (tables are locked)."""

    def __init__(self, cursor, tables):
        self.counters = {table: itertools.count(bulk.next_id(cursor, table)) for table in tables}

    def take(self, table: str) -> int:
        return next(self.counters[table])


class OrderMaker:
    """Formats a batch of orders with everything that hangs from them, as COPY lines."""

    def __init__(self, setting, ids, customers, products, *, seed, first_number, start, end):
        self.s = setting
        self.ids = ids
        self.customers = customers  # [(id, account, street, city, state, postal code, country)]
        self.products = products
        self.rng = random.Random(f"{seed}:orders:{first_number}")
        self.first_number = first_number
        self.start, self.end = start, end
        self.tax = round(setting.center.tax_rate * 100)
        self.statuses = _weighted([status for status, _ in STATUSES], [w for _, w in STATUSES])
        self.line_counts, self.quantities = _weighted(*LINE_COUNTS), _weighted(*QUANTITIES)
        self.modes = _weighted(setting.modes, [6] + [1] * (len(setting.modes) - 1))

    def _pick(self, weighted: tuple[list, list]):
        population, cumulated = weighted
        return self.rng.choices(population, cum_weights=cumulated)[0]

    def _key(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def batch(self, first: int, count: int, total: int) -> dict[str, list[str]]:
        self.rows = defaultdict(list)
        span = (self.end - self.start).total_seconds()
        for i in range(first, first + count):
            created = self.start + datetime.timedelta(
                seconds=span * (i + self.rng.random()) / total
            )
            self._order(self.first_number + i, created)
        return self.rows

    def _event(self, table, parent, type_, user, moment, parameters, *more) -> None:
        """One event row; ``more``: the table's further columns (an order event's customer)."""
        user = NULL if user is None else user
        self.rows[table].append(
            f"{self.ids.take(table)}\t{parent}\t{type_}\t{user}\t{stamp(moment)}\t{parameters}"
            + "".join(f"\t{value}" for value in more)
            + "\n"
        )

    def _order(self, number: int, created: datetime.datetime) -> None:
        rng, s = self.rng, self.s
        order_id = self.ids.take("orders_salesorder")
        order_number = f"{s.center.order_number_prefix}-{number:06d}"
        customer = self.customers[int(len(self.customers) * rng.random() ** 1.5)]
        customer_id, account, street, city, state, postal_code, country = customer
        address = bulk.text(f"{street}, {city}, {state} {postal_code}, {country}")
        clerk = rng.choice(s.clerks)
        status = self._pick(self.statuses)
        # a cancelled order was cancelled as a draft, or after it was paid and submitted
        paid = status != S.DRAFT and (status != S.CANCELLED or rng.random() < 0.5)
        enrols = paid and s.program_product is not None and rng.randrange(ENROL_EVERY) == 0
        mode_id, _name, charge = self._pick(self.modes)
        at = created

        def event(type_, user=clerk, when=None, **parameters):
            self._event(
                "orders_orderevent",
                order_id,
                type_,
                user,
                when or at,
                params(**parameters),
                customer_id,
            )

        event(OE.Type.CREATED, number=order_number, customer=account, call_center=s.center.code)
        lines = self._lines(order_id, self._pick(self.line_counts), enrols)
        for line_number, (product, quantity, _amount, _tax) in enumerate(lines, 1):
            at += datetime.timedelta(seconds=rng.randint(8, 40))
            event(
                OE.Type.LINE_ADDED,
                line=line_number,
                item_number=product.item_number,
                quantity=quantity,
                unit_price=money(product.cents),
                source_code="",
            )
        subtotal = sum(line[2] for line in lines)
        tax = sum(line[3] for line in lines)
        total = subtotal + charge + tax
        at += datetime.timedelta(seconds=rng.randint(5, 30))
        event(OE.Type.COMPLETED, total=money(total))
        payments = []
        submitted_at = submit_key = None
        paid_so_far = 0
        payment_status = SalesOrder.PaymentStatus.NONE
        if paid:
            at += datetime.timedelta(seconds=rng.randint(20, 90))
            payments = self._payments(
                order_id, total, clerk, at, card_only=enrols, refunded=status == S.CANCELLED
            )
            for payment_id, method, amount, _key in payments:
                event(
                    OE.Type.PAYMENT_ADDED, payment=payment_id, method=method, amount=money(amount)
                )
                paid_so_far += amount
                new = (
                    SalesOrder.PaymentStatus.COVERED
                    if paid_so_far >= total
                    else SalesOrder.PaymentStatus.PARTIAL
                )
                event(OE.Type.PAYMENT_STATUS_CHANGED, old=payment_status, new=new)
                payment_status = new
            at += datetime.timedelta(seconds=rng.randint(5, 20))
            submitted_at, submit_key = at, self._key()
            event(OE.Type.SUBMITTED, total=money(total), paid=money(total))
            if enrols:
                self._enrol(order_id, order_number, customer, clerk, mode_id, address, lines, at)
        if status == S.CANCELLED:
            at += datetime.timedelta(minutes=rng.randint(2, 600))
            reason = self._cancel(order_id, payments, at, clerk)
            if paid:
                event(OE.Type.PAYMENT_STATUS_CHANGED, old=payment_status, new="none")
                payment_status, paid_so_far = SalesOrder.PaymentStatus.NONE, 0
            event(OE.Type.CANCELLED, reason=reason)
        elif status == S.SUBMITTED and rng.randrange(HOLD_EVERY) == 0:
            at += datetime.timedelta(seconds=rng.randint(5, 600))
            self._hold(order_id, at, clerk, event, cleared=False)
        elif status in SalesOrder.RELEASED_STATUSES:
            if rng.randrange(CLEARED_HOLD_EVERY) == 0:
                at += datetime.timedelta(minutes=rng.randint(1, 120))
                at = self._hold(order_id, at, clerk, event, cleared=True)
            at = min(at + datetime.timedelta(hours=rng.randint(2, 30)), self.end)
            event(OE.Type.RELEASED, user=None, total=money(total))
            if status != S.PROCESSING:
                at = min(at + datetime.timedelta(hours=rng.randint(12, 72)), self.end)
                event(OE.Type.SHIPPED, user=None, tracking=f"1Z{rng.getrandbits(40):012X}")
        self.rows["orders_salesorder"].append(
            "\t".join(
                [
                    str(order_id),
                    order_number,
                    str(s.center.pk),
                    str(customer_id),
                    str(clerk),
                    status,
                    payment_status,
                    str(mode_id),
                    address,
                    country,
                    state,
                    s.dimensions,
                    stamp(created),
                    stamp(at),
                    NULL if submitted_at is None else stamp(submitted_at),
                    NULL if submit_key is None else submit_key,
                    str(1 + len(lines)),
                    money(subtotal),
                    money(charge),
                    "0.00",
                    "0.00",
                    s.charge_lines[mode_id],
                    money(tax),
                    money(total),
                    money(paid_so_far),
                ]
            )
            + "\n"
        )

    def _line(self, order_id: int, line_number: int, product: ProductRow, quantity: int) -> tuple:
        amount = product.cents * quantity
        tax = percent_of(amount, self.tax)
        price = money(product.cents)
        self.rows["orders_salesline"].append(
            f"{self.ids.take('orders_salesline')}\t{order_id}\t{line_number}\t{product.pk}\t"
            f"{product.item_number}\t{bulk.text(product.name)}\t{quantity}\t{price}\t0.00\t"
            f"{money(amount)}\t{price}\t{product.explanation}\t\t0.00\t{money(tax)}\n"
        )
        return product, quantity, amount, tax

    def _lines(self, order_id: int, count: int, enrols: bool) -> list[tuple]:
        """(product, quantity, amount, tax) of each line; popular products come up more."""
        rng, products = self.rng, self.products
        lines = [
            self._line(
                order_id,
                line_number,
                products[int(len(products) * rng.random() ** 2)],
                self._pick(self.quantities),
            )
            for line_number in range(1, count + 1)
        ]
        if enrols:
            lines.append(self._line(order_id, count + 1, self.s.program_product, 1))
        return lines

    def _payments(self, order_id, total, clerk, at, *, card_only, refunded) -> list[tuple]:
        """The tenders of a paid order: [(payment id, method name, amount, key)]."""
        rng, methods = self.rng, self.s.methods
        T = PaymentMethod.TenderType
        if card_only:
            parts = [(methods[T.CARD], total)]
        elif rng.randrange(SPLIT_EVERY) == 0 and total >= 200:
            cash = rng.randint(1, (total - 1) // 100) * 100  # round notes, the rest on a card
            parts = [(methods[T.CASH], cash), (methods[T.CARD], total - cash)]
        else:
            roll = rng.random()
            tender = T.CARD if roll < 0.75 else T.CASH if roll < 0.88 else T.CHECK
            parts = [(methods.get(tender, methods[T.CARD]), total)]
        made = []
        status = Payment.Status.REFUNDED if refunded else Payment.Status.CAPTURED
        for method, amount in parts:
            payment_id = self.ids.take("payments_payment")
            key = self._key()
            token = last4 = brand = check = reference = ""
            month = year = NULL
            if method.tender_type == T.CARD:
                token, last4 = f"tok_{rng.getrandbits(96):024x}", f"{rng.randrange(10_000):04d}"
                brand = rng.choice(CARD_BRANDS)
                month, year = str(rng.randint(1, 12)), str(at.year + rng.randint(1, 5))
                reference = f"{brand} ···· {last4}"
                self.card = (token, brand, last4)
            elif method.tender_type == T.CHECK:
                check = str(rng.randint(100, 99_999))
                reference = f"No. {check}"
            self.rows["payments_payment"].append(
                f"{payment_id}\t{order_id}\t{method.pk}\t{money(amount)}\t{status}\t{key}\t"
                f"0.00\t{token}\t{last4}\t{brand}\t{month}\t{year}\t{check}\t\t{clerk}\t"
                f"{stamp(at)}\n"
            )
            extra = {"reference": reference} if reference else {}
            self._payment_event(
                payment_id,
                PE.Type.CREATED,
                clerk,
                at,
                method=method.code,
                amount=money(amount),
                **extra,
            )
            if token:
                self._payment_event(
                    payment_id, PE.Type.AUTHORIZED, clerk, at, amount=money(amount), card=reference
                )
            self._payment_event(payment_id, PE.Type.CAPTURED, clerk, at, amount=money(amount))
            made.append((payment_id, method.name, amount, key))
        return made

    def _payment_event(self, payment_id, type_, user, at, **parameters) -> None:
        self._event("payments_paymentevent", payment_id, type_, user, at, params(**parameters))

    def _cancel(self, order_id: int, payments: list[tuple], at, clerk) -> str:
        """The cancellation, and the refund of every payment the order had; the reason."""
        reason = self.rng.choice(CANCEL_REASONS)
        for payment_id, _name, amount, _key in payments:
            self.rows["payments_paymentrefund"].append(
                f"{self.ids.take('payments_paymentrefund')}\t{payment_id}\t{money(amount)}\t"
                f"{reason}\t{self._key()}\t{clerk}\t{stamp(at)}\n"
            )
            self._payment_event(
                payment_id,
                PE.Type.REFUNDED,
                clerk,
                at,
                amount=money(amount),
                reason=reason,
                refunded=money(amount),
            )
        self.rows["payments_cancellation"].append(
            f"{self.ids.take('payments_cancellation')}\t{order_id}\t{reason}\t"
            f"{self._key()}\t{clerk}\t{stamp(at)}\n"
        )
        return reason

    def _hold(self, order_id: int, at, clerk, event, *, cleared: bool) -> datetime.datetime:
        """A manual hold, open or cleared by a supervisor; when the last of it happened."""
        rng = self.rng
        hold_id = self.ids.take("orders_orderhold")
        code_id, code = rng.choice(self.s.hold_codes)
        note = rng.choice(HOLD_NOTES)
        event(OE.Type.HOLD_PLACED, hold=hold_id, code=code, source="manual", note=note)
        held_at, cleared_at, cleared_by, reason = at, NULL, NULL, ""
        if cleared:
            supervisor = rng.choice(self.s.supervisors)
            at += datetime.timedelta(minutes=rng.randint(5, 240))
            cleared_at, cleared_by, reason = stamp(at), str(supervisor), "Checked with the customer"
            event(OE.Type.HOLD_CLEARED, supervisor, when=at, hold=hold_id, code=code, reason=reason)
        self.rows["orders_orderhold"].append(
            f"{hold_id}\t{order_id}\t{self.s.center.pk}\t{code_id}\tmanual\t{note}\t{{}}\t"
            f"{stamp(held_at)}\t{clerk}\t{cleared_at}\t{cleared_by}\t{reason}\n"
        )
        return at

    def _enrol(self, order_id, order_number, customer, clerk, mode_id, address, lines, at) -> None:
        """The order sold the continuity program's item (its last line): the enrolment, its
        first shipment (with the order) and its history. Enrolments of the last weeks are
        active, older ones were stopped by the customer."""
        s, rng = self.s, self.rng
        program = s.program
        enrolment_id = self.ids.take("orders_enrolment")
        token, brand, last4 = self.card
        start = at.date()
        active = (self.end - at).days < ACTIVE_ENROLMENT_DAYS
        next_date = continuity_schedule.event_date(
            start,
            2,
            every=program.interval,
            unit=program.interval_unit,
            first_with_order=program.first_with_order,
        )
        stopped_at = at + datetime.timedelta(days=rng.randint(3, 20))
        method = s.methods[PaymentMethod.TenderType.CARD].code
        stop_reason = "Customer called to stop"
        self.rows["orders_enrolment"].append(
            "\t".join(
                [
                    str(enrolment_id),
                    self._key(),
                    str(customer[0]),
                    str(program.pk),
                    str(order_id),
                    str(len(lines)),
                    "1",
                    str(s.center.pk),
                    str(clerk),
                    method,
                    token,
                    brand,
                    last4,
                    str(mode_id),
                    address,
                    customer[6],
                    customer[4],
                    start.isoformat(),
                    "2" if active else NULL,
                    next_date.isoformat() if active else NULL,
                    "1",
                    "active" if active else "cancelled",
                    "f",
                    "" if active else stop_reason,
                    NULL if active else stamp(stopped_at),
                    stamp(at),
                    "1" if active else "2",
                ]
            )
            + "\n"
        )
        self.rows["orders_enrolmentshipment"].append(
            f"{self.ids.take('orders_enrolmentshipment')}\t{enrolment_id}\t1\t"
            f"{start.isoformat()}\toriginal\t{stamp(at)}\n"
        )
        card = f"{brand} ···· {last4}"
        self._event(
            "orders_enrolmentevent",
            enrolment_id,
            "enrolled",
            clerk,
            at,
            params(program=program.code, order=order_number, payment_method=method, card=card),
        )
        if not active:
            self._event(
                "orders_enrolmentevent",
                enrolment_id,
                "cancelled",
                clerk,
                stopped_at,
                params(reason=stop_reason),
            )


def generated_products():
    return Product.objects.filter(item_number__startswith=ITEM_PREFIX)


def _product_lines(rng: random.Random, first_id: int, first: int, count: int):
    for i in range(count):
        n = first + i
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {chr(65 + n % 26)}{n % 1000}"
        dollars = min(max(int(rng.lognormvariate(3.3, 0.9)), 2), 999)
        active = "t" if rng.random() < 0.98 else "f"
        yield (
            f"{first_id + i}\t{ITEM_PREFIX}{n:06d}\t{name}\t\t{dollars - 1}.99\t"
            f"{rng.uniform(0.1, 15):.3f}\t{active}\n"
        )


def _customers_for_orders(cursor, company: str) -> list[tuple]:
    """The generated customers and their delivery address, by id."""
    cursor.execute(
        """
        SELECT c.id, c.account_number, a.street, a.city, a.state, a.postal_code, a.country
        FROM customers_customer c
        JOIN customers_address a ON a.customer_id = c.id AND a.is_primary AND a.purpose = %s
        WHERE c.company = %s AND c.account_number LIKE %s AND NOT c.is_blocked
        ORDER BY c.id
        """,
        ["delivery", company, ACCOUNT_PREFIX + "%"],
    )
    return cursor.fetchall()


class LargeData:
    """One run of ``generate_large_data``: tops the generated set up to the targets."""

    def __init__(self, targets: Targets, *, seed: int, center_code: str, log=print):
        self.targets, self.seed, self.center_code, self.log = targets, seed, center_code, log
        self.added: dict[str, int] = defaultdict(int)

    def _progress(self, what: str, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.began
        rows = sum(self.added.values())
        self.log(
            f"{what}: {done:,}/{total:,} after {elapsed:.0f} s "
            f"({rows:,} rows, {rows / max(elapsed, 1e-6):,.0f} rows/s)"
        )

    @transaction.atomic
    def run(self) -> Targets | None:
        """Add what is missing; returns how many customers, products and orders were added,
        or None when the data set was already there."""
        self.began = time.monotonic()
        cursor = bulk.raw_cursor()
        center = CallCenter.objects.select_for_update().get(code=self.center_code)
        cursor.execute(f"LOCK TABLE {', '.join(ALL_TABLES)} IN EXCLUSIVE MODE")
        missing = Targets(
            customers=max(self.targets.customers - generated_customers().count(), 0),
            products=max(self.targets.products - generated_products().count(), 0),
            orders=max(self.targets.orders - center.orders.count(), 0),
        )
        if not (missing.customers or missing.products or missing.orders):
            return None
        setting = Setting.of(center)
        if setting.missing():
            raise ValueError(f"call center {center.code} has no {', no '.join(setting.missing())}")
        rebuild = []
        if missing.customers >= bulk.row_count(cursor, "customers_customer"):
            rebuild += CUSTOMER_TABLES
        if missing.orders >= bulk.row_count(cursor, "orders_salesorder"):
            rebuild += list(TABLES)
        with bulk.indexes_rebuilt_after(cursor, rebuild, log=self.log):
            self._customers(cursor, center, missing.customers)
            self._products(cursor, missing.products)
            self._orders(cursor, setting, missing.orders)
        for table in ["catalog_product", *TABLES]:
            bulk.reset_sequence(cursor, table)
        center.next_order_number += missing.orders
        center.save(update_fields=["next_order_number"])
        began = time.monotonic()
        bulk.analyze(cursor, ALL_TABLES)
        self.log(f"analyzed in {time.monotonic() - began:.0f} s")
        return missing

    def _customers(self, cursor, center: CallCenter, count: int) -> None:
        first = generated_customers().count()
        rng = random.Random(f"{self.seed}:customers:{first}")
        now = timezone.now()
        for offset in range(0, count, CUSTOMERS_PER_BATCH):
            size = min(CUSTOMERS_PER_BATCH, count - offset)
            customers = list(
                new_customers(
                    rng,
                    first + offset,
                    size,
                    created_from=now - datetime.timedelta(days=HISTORY_DAYS + 365),
                    created_to=now - datetime.timedelta(days=HISTORY_DAYS),
                )
            )
            copy_customers(cursor, customers, company=center.company)
            for table in CUSTOMER_TABLES:
                self.added[table] += size
            self._progress("customers", offset + size, count)

    def _products(self, cursor, count: int) -> None:
        if not count:
            return
        first = generated_products().count() + 1
        rng = random.Random(f"{self.seed}:products:{first}")
        first_id = bulk.next_id(cursor, "catalog_product")
        lines = _product_lines(rng, first_id, first, count)
        self.added["catalog_product"] += bulk.copy_rows(
            cursor, "catalog_product", PRODUCT_COLUMNS, lines
        )
        self.log(f"products: {count:,}")

    def _orders(self, cursor, setting: Setting, count: int) -> None:
        if not count:
            return
        center = setting.center
        customers = _customers_for_orders(cursor, center.company)
        products = [
            _product(product)
            for product in generated_products().filter(is_active=True).order_by("pk")
        ]
        if not customers or not products:
            raise ValueError("there are no generated customers or products to take orders for")
        end = timezone.now()
        start = end - datetime.timedelta(days=HISTORY_DAYS)
        latest = center.orders.order_by("-created_at").values_list("created_at", flat=True).first()
        if latest and latest > start:  # a top-up: after the orders already there
            start = min(latest, end - datetime.timedelta(days=1))
        maker = OrderMaker(
            setting,
            Ids(cursor, TABLES),
            customers,
            products,
            seed=self.seed,
            first_number=center.next_order_number,
            start=start,
            end=end,
        )
        offsets = range(0, count, ORDERS_PER_BATCH)
        with ThreadPoolExecutor(max_workers=1) as worker:  # formats a batch while one is copied
            batches = (
                worker.submit(maker.batch, offset, min(ORDERS_PER_BATCH, count - offset), count)
                for offset in offsets
            )
            ahead = next(batches)
            for offset in offsets:
                rows = ahead.result()
                ahead = next(batches, None)
                for table, columns in TABLES.items():  # parents first
                    if rows[table]:
                        self.added[table] += bulk.copy_rows(cursor, table, columns, rows[table])
                done = min(offset + ORDERS_PER_BATCH, count)
                self._progress("orders", done, count)
