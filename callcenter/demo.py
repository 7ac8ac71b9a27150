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
    User = get_user_model()
    for username, password, role, is_staff, is_superuser in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=password,
                is_staff=is_staff,
                is_superuser=is_superuser,
                first_name=username.capitalize(),
            )
        ChannelUser.objects.get_or_create(call_center=center, user=user, defaults={"role": role})
    return center
