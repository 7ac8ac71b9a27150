"""Setting up call centers in the Django admin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from callcenter.models import CallCenter, ChannelUser, FinancialDimension
from catalog.models import PriceGroup
from payments.models import CallCenterPaymentMethod
from tests.factories import (
    CallCenterFactory,
    ChannelUserFactory,
    DeliveryModeFactory,
    PaymentMethodFactory,
    ProductFactory,
    UserFactory,
    make_order,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:callcenter_callcenter_add")


def inline(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def center_form(**overrides):
    standard = DeliveryModeFactory(code="99", name="Standard", charge=Decimal("10.00"))
    data = {
        "code": "NEW-CC",
        "name": "New call center",
        "company": "USRT",
        "currency": "USD",
        "time_zone": "America/New_York",
        "is_active": "on",
        "order_number_prefix": "NEW",
        "next_order_number": "1",
        "tax_rate": "0",
        "default_warehouse": "WH1",
        "delivery_modes": [standard.pk],
        "default_delivery_mode": standard.pk,
        "order_completion_enabled": "on",
        "direct_selling_enabled": "on",
        **inline("channel_users", []),
        **inline("callcenterpaymentmethod_set", []),
        **inline("PriceGroup_call_centers", []),
    }
    data.update(overrides)
    return data


def test_an_administrator_sets_up_a_call_center_with_users_methods_groups_and_dimensions(
    superuser_client,
):
    user = UserFactory(username="newclerk")
    cash = PaymentMethodFactory()
    group = PriceGroup.objects.create(code="RETAIL", name="Retail")
    cost_center = FinancialDimension.objects.create(dimension="cost_center", code="CC100")
    data = center_form(
        financial_dimensions=[cost_center.pk],
        **inline("channel_users", [{"user": user.pk, "name": "New clerk", "role": "clerk"}]),
        **inline(
            "callcenterpaymentmethod_set",
            [{"payment_method": cash.pk, "is_default": "on", "allow_overpayment": "on"}],
        ),
        **inline("PriceGroup_call_centers", [{"pricegroup": group.pk}]),
    )
    response = superuser_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    center = CallCenter.objects.get(code="NEW-CC")
    assert center.time_zone == "America/New_York"
    assert ChannelUser.objects.get(call_center=center).user == user
    offered = CallCenterPaymentMethod.objects.get(call_center=center)
    assert (offered.payment_method, offered.is_default, offered.allow_overpayment) == (
        cash,
        True,
        True,
    )
    assert list(center.price_groups.all()) == [group]
    assert center.dimension_values() == {"cost_center": "CC100"}


def test_its_clerk_can_then_take_an_order_that_copies_the_dimensions(superuser_client, client):
    cost_center = FinancialDimension.objects.create(dimension="cost_center", code="CC100")
    user = UserFactory(username="newclerk")
    superuser_client.post(
        ADD_URL,
        center_form(
            financial_dimensions=[cost_center.pk],
            **inline("channel_users", [{"user": user.pk, "name": "", "role": "clerk"}]),
        ),
    )
    order = make_order(clerk=user, lines=[(ProductFactory(), 1)])
    assert order.number == "NEW-000001"
    assert order.financial_dimensions == {"cost_center": "CC100"}


def test_the_default_mode_of_delivery_must_be_one_the_center_offers(superuser_client):
    other = DeliveryModeFactory(code="30", name="Overnight")
    response = superuser_client.post(ADD_URL, center_form(default_delivery_mode=other.pk))
    assert response.status_code == 200
    assert "must be one of the modes this center offers" in response.content.decode()
    assert not CallCenter.objects.filter(code="NEW-CC").exists()


def test_one_value_per_financial_dimension(superuser_client):
    a = FinancialDimension.objects.create(dimension="department", code="D1")
    b = FinancialDimension.objects.create(dimension="department", code="D2")
    response = superuser_client.post(ADD_URL, center_form(financial_dimensions=[a.pk, b.pk]))
    assert response.status_code == 200
    assert "one value per dimension" in response.content.decode()


def test_an_unknown_time_zone_is_refused(superuser_client):
    response = superuser_client.post(ADD_URL, center_form(time_zone="Mars/Olympus"))
    assert "is not a time zone" in response.content.decode()


def change(client, center, **overrides):
    url = reverse("admin:callcenter_callcenter_change", args=[center.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "all"):
            value = [obj.pk for obj in value.all()]
        elif isinstance(value, list):
            value = [getattr(obj, "pk", obj) for obj in value]
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    members = list(center.channel_users.all())
    data.update(
        inline(
            "channel_users",
            [
                {"id": m.pk, "call_center": center.pk, "user": m.user_id, "role": m.role}
                for m in members
            ],
            initial=len(members),
        )
    )
    data.update(inline("callcenterpaymentmethod_set", []))
    data.update(inline("PriceGroup_call_centers", []))
    data.update(overrides)
    for key in [k for k, v in overrides.items() if v is None]:
        data.pop(key)
    return client.post(url, data)


def test_the_currency_is_fixed_once_the_center_has_orders(superuser_client, clerk, call_center):
    make_order(clerk=clerk)
    response = change(superuser_client, call_center, currency="EUR")
    assert response.status_code == 200
    assert "The currency is fixed" in response.content.decode()
    call_center.refresh_from_db()
    assert call_center.currency == "USD"


def test_the_order_sequence_never_goes_back(superuser_client, clerk, call_center):
    make_order(clerk=clerk)
    response = change(superuser_client, call_center, next_order_number="1")
    assert "cannot go back" in response.content.decode()


def test_switching_a_feature_group_off_in_the_admin(superuser_client, call_center):
    response = change(superuser_client, call_center, order_completion_enabled=None)
    assert response.status_code == 302
    call_center.refresh_from_db()
    assert call_center.order_completion_enabled is False


def test_a_center_with_orders_cannot_be_deleted(superuser_client, clerk, call_center):
    make_order(clerk=clerk)
    url = reverse("admin:callcenter_callcenter_delete", args=[call_center.pk])
    response = superuser_client.post(url, {"post": "yes"}, follow=True)
    assert "is in use, so it cannot be deleted. Records that refer to it: sales orders." in (
        response.content.decode()
    )
    assert CallCenter.objects.filter(pk=call_center.pk).exists()


def test_a_center_without_orders_can_be_deleted(superuser_client):
    center = CallCenterFactory()
    url = reverse("admin:callcenter_callcenter_delete", args=[center.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert not CallCenter.objects.filter(pk=center.pk).exists()


def test_a_manager_sees_and_changes_only_the_centers_they_manage(client, call_center):
    manager = ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.MANAGER).user
    elsewhere = CallCenterFactory(code="OTHER")
    client.force_login(manager)
    listing = client.get(reverse("admin:callcenter_callcenter_changelist")).content.decode()
    assert call_center.code in listing
    assert "OTHER" not in listing
    other_url = reverse("admin:callcenter_callcenter_change", args=[elsewhere.pk])
    assert client.get(other_url).status_code == 302  # "does not exist" redirect to the index
    response = change(client, call_center, name="Renamed", code=None, company=None, currency=None)
    assert response.status_code == 302
    call_center.refresh_from_db()
    assert call_center.name == "Renamed"


def test_a_manager_cannot_create_call_centers(client, call_center):
    manager = ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.MANAGER).user
    client.force_login(manager)
    assert client.get(ADD_URL).status_code == 403


def test_a_clerk_has_no_admin(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response.url


# the default payment method of a center, moved in the admin


@pytest.fixture
def cash_and_check(call_center):
    cash = CallCenterPaymentMethod.objects.create(
        call_center=call_center, payment_method=PaymentMethodFactory(code="CASH"), is_default=True
    )
    check = CallCenterPaymentMethod.objects.create(
        call_center=call_center, payment_method=PaymentMethodFactory(code="CHECK")
    )
    return cash, check


def offered(center, rows):
    """The center's "payment methods offered" inline: (offer, default?) in page order."""
    return inline(
        "callcenterpaymentmethod_set",
        [
            {
                "id": offer.pk,
                "call_center": center.pk,
                "payment_method": offer.payment_method_id,
                **({"is_default": "on"} if default else {}),
            }
            for offer, default in rows
        ],
        initial=len(rows),
    )


def default_code(center):
    return CallCenterPaymentMethod.objects.get(call_center=center, is_default=True).payment_method


@pytest.mark.parametrize("check_first", [False, True])
def test_the_default_payment_method_moves_whatever_the_order_of_the_rows(
    superuser_client, call_center, cash_and_check, check_first
):
    cash, check = cash_and_check
    rows = [(cash, False), (check, True)]
    data = offered(call_center, rows[::-1] if check_first else rows)
    assert change(superuser_client, call_center, **data).status_code == 302
    assert default_code(call_center).code == "CHECK"
    # and back
    rows = [(cash, True), (check, False)]
    data = offered(call_center, rows[::-1] if check_first else rows)
    assert change(superuser_client, call_center, **data).status_code == 302
    assert default_code(call_center).code == "CASH"


def test_two_default_payment_methods_are_a_form_error(
    superuser_client, call_center, cash_and_check
):
    cash, check = cash_and_check
    data = offered(call_center, [(cash, True), (check, True)])
    response = change(superuser_client, call_center, **data)
    assert response.status_code == 200
    assert "A call center has one default payment method" in response.content.decode()
    assert default_code(call_center).code == "CASH"


def post_offered_as_default(client, offered, *, call_center):
    """Post the payment method's admin page of ``offered`` (a call center's offer of the
    method) with Default ticked on that row, its call center set to ``call_center``."""
    method = offered.payment_method
    row = {
        "id": offered.pk,
        "payment_method": method.pk,
        "call_center": call_center,
        "is_default": "on",
    }
    data = {
        "code": method.code,
        "name": method.name,
        "name_fr": method.name_fr,
        "tender_type": method.tender_type,
        "is_active": "on",
        **inline("callcenterpaymentmethod_set", [row], initial=1),
    }
    return client.post(reverse("admin:payments_paymentmethod_change", args=[method.pk]), data)


def test_ticking_default_on_a_payment_method_s_page_moves_the_center_s_default(
    superuser_client, call_center, cash_and_check
):
    cash, check = cash_and_check
    response = post_offered_as_default(superuser_client, check, call_center=call_center.pk)
    assert response.status_code == 302, response.context["errors"]
    assert default_code(call_center).code == "CHECK"
    cash.refresh_from_db()
    assert cash.is_default is False


# the role groups behind the channel users' roles


def test_a_role_group_cannot_be_deleted_nor_renamed(superuser_client, clerk):
    from django.contrib.auth.models import Group

    clerks = Group.objects.get(name="Call center clerks")
    delete_url = reverse("admin:auth_group_delete", args=[clerks.pk])
    assert superuser_client.get(delete_url).status_code == 403
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:auth_group_change", args=[clerks.pk])
    permissions = list(clerks.permissions.values_list("pk", flat=True))
    response = superuser_client.post(change_url, {"name": "Renamed", "permissions": permissions})
    assert response.status_code == 302
    clerks.refresh_from_db()
    assert clerks.name == "Call center clerks"
    assert clerk.has_perm("orders.add_salesorder")


def test_deleting_groups_in_bulk_keeps_the_role_groups(superuser_client):
    from django.contrib.auth.models import Group

    Group.objects.create(name="Night shift")
    everything = list(Group.objects.values_list("pk", flat=True))
    confirm = superuser_client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": everything},
    )
    assert confirm.status_code == 200
    assert [str(group) for group in confirm.context["queryset"]] == ["Night shift"]
    response = superuser_client.post(
        reverse("admin:auth_group_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(Group.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "The role groups are kept" in response.content.decode()
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "Call center clerks",
        "Call center managers",
        "Call center supervisors",
    ]


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("admin:orders_holdcode_add", {"name": "Bad", "clear_role": "supervisor"}),
        ("admin:payments_paymentmethod_add", {"name": "Bad", "tender_type": "cash"}),
    ],
)
def test_a_code_with_spaces_or_markup_is_refused(superuser_client, url_name, data):
    from django.apps import apps

    response = superuser_client.post(
        reverse(url_name),
        {"code": "bad code <b>", "is_active": "on", **data, **inline_management(url_name)},
    )
    assert response.status_code == 200
    assert "Use letters, digits, hyphens and underscores only." in response.content.decode()
    model = apps.get_model(*url_name.split(":")[1].rsplit("_", 1)[0].split("_", 1))
    assert not model.objects.filter(code="bad code <b>").exists()


def inline_management(url_name):
    """The inlines' management forms of an admin add page, empty."""
    if url_name == "admin:payments_paymentmethod_add":
        return inline("callcenterpaymentmethod_set", [])
    return {}


def test_a_default_ticked_on_a_row_without_its_call_center_is_a_form_error(
    superuser_client, call_center, cash_and_check
):
    _cash, check = cash_and_check
    response = post_offered_as_default(superuser_client, check, call_center="")
    assert response.status_code == 200
    assert response.context["errors"]
    assert default_code(call_center).code == "CASH"
