"""Demo data of the call center layer: the USRT call center, its modes of delivery and users.

Only ``manage.py load_demo`` calls this, never production. Idempotent: running
it again changes nothing.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model

from .models import CallCenter, ChannelUser, DeliveryMode

DELIVERY_MODES = [
    ("99", "Standard", Decimal("10.00")),
    ("10", "Ground", Decimal("7.50")),
    ("20", "Second day air", Decimal("18.00")),
    ("30", "Overnight", Decimal("29.00")),
]

# username, password, role (None: no channel membership), staff, superuser
USERS = [
    ("clerk", "clerk", ChannelUser.Role.CLERK, False, False),
    ("supervisor", "supervisor", ChannelUser.Role.SUPERVISOR, False, False),
    ("admin", "admin", ChannelUser.Role.MANAGER, True, True),
]


def _channel_user(center: CallCenter, username: str, password: str, role, **flags) -> None:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, password=password, first_name=username.capitalize(), **flags
        )
    ChannelUser.objects.get_or_create(
        call_center=center, user=user, defaults={"role": role, "name": user.first_name}
    )


def load() -> CallCenter:
    modes = {}
    for code, name, charge in DELIVERY_MODES:
        modes[code], _ = DeliveryMode.objects.get_or_create(
            code=code, defaults={"name": name, "charge": charge}
        )
    center, _ = CallCenter.objects.get_or_create(
        code="USRT-CC",
        defaults={
            "name": "USRT call center",
            "company": "USRT",
            "currency": "USD",
            "order_number_prefix": "USRT",
            "tax_rate": Decimal("10.00"),
            "default_delivery_mode": modes["99"],
        },
    )
    center.delivery_modes.add(*modes.values())
    for username, password, role, is_staff, is_superuser in USERS:
        _channel_user(
            center, username, password, role, is_staff=is_staff, is_superuser=is_superuser
        )
    return center


def load_second_call_center() -> CallCenter:
    """Fabrikam's call center, another company: its clerk sees none of USRT's data.

    ``admin`` manages both centers, to show switching between them.
    """
    center, _ = CallCenter.objects.get_or_create(
        code="FABR-CC",
        defaults={
            "name": "Fabrikam direct",
            "company": "FABR",
            "currency": "USD",
            "order_number_prefix": "FABR",
            "tax_rate": Decimal("8.00"),
            "time_zone": "America/Chicago",
            "default_delivery_mode": DeliveryMode.objects.get(code="10"),
        },
    )
    center.delivery_modes.add(*DeliveryMode.objects.filter(code__in=["10", "30"]))
    _channel_user(center, "fabrikam", "fabrikam", ChannelUser.Role.CLERK)
    _channel_user(center, "admin", "admin", ChannelUser.Role.MANAGER)
    return center
