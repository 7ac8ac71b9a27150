"""A manager keeps their call centers' settings in the admin: fraud rules, price override
limits, hold settings, scripts, upsell rules (and sees charge rules). A setting of another
company's center is missing to them; one of every center (no call center) is shown,
read-only: it is an administrator's."""

from decimal import Decimal

import pytest
from django.urls import reverse

from callcenter.models import ChargeRule, DeliveryMode
from catalog.models import Script, UpsellRule
from orders.models import FraudRule, HoldSettings, PriceOverrideLimit

pytestmark = pytest.mark.django_db


def fraud_rule(center, name):
    return FraudRule.objects.create(call_center=center, name=name, kind=FraudRule.Kind.PHONE)


def limit(center, role):
    return PriceOverrideLimit.objects.create(
        call_center=center, role=role, max_percent_below=Decimal("10")
    )


def script(center, name):
    return Script.objects.create(
        call_center=center, name=name, moment=Script.Moment.CLOSING, text="Thank you."
    )


def upsell_rule(center, name):
    return UpsellRule.objects.create(call_center=center, name=name, min_order_total=Decimal("50"))


def charge_rule(center, description):
    mode = DeliveryMode.objects.first()
    return ChargeRule.objects.create(
        delivery_mode=mode, call_center=center, description=description, amount=Decimal("1")
    )


ROWS = {
    "orders_fraudrule": fraud_rule,
    "orders_priceoverridelimit": limit,
    "catalog_script": script,
    "catalog_upsellrule": upsell_rule,
    "callcenter_chargerule": charge_rule,
}


def listed(client, admin_name, **query):
    response = client.get(reverse(f"admin:{admin_name}_changelist"), query)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.mark.parametrize("admin_name", ROWS)
def test_a_manager_lists_their_centers_and_every_centers_settings_only(
    admin_name, manager_client, call_center, elsewhere
):
    make = ROWS[admin_name]
    ours = make(call_center, "clerk" if admin_name.endswith("limit") else "Ours")
    everyone = make(None, "supervisor" if admin_name.endswith("limit") else "Everyone")
    make(elsewhere, "clerk" if admin_name.endswith("limit") else "Theirs")
    assert listed(manager_client, admin_name) == {ours, everyone}


@pytest.mark.parametrize("admin_name", ROWS)
def test_an_administrator_lists_every_setting(admin_name, superuser_client, call_center, elsewhere):
    make = ROWS[admin_name]
    rows = {make(center, "clerk") for center in (call_center, None, elsewhere)}
    assert listed(superuser_client, admin_name) == rows


def change_url(row):
    meta = row._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])


def fraud_form(center, **fields):
    return {
        "name": "Blocked phones",
        "kind": FraudRule.Kind.PHONE,
        "values": "555-0100",
        "score": "100",
        "is_active": "on",
        "call_center": center.pk if center else "",
        **fields,
    }


def test_a_manager_changes_a_fraud_rule_of_their_center(manager_client, call_center):
    rule = fraud_rule(call_center, "Blocked phones")
    response = manager_client.post(change_url(rule), fraud_form(call_center, score="40"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.score == 40


def test_a_manager_adds_a_fraud_rule_to_their_center(manager_client, call_center):
    url = reverse("admin:orders_fraudrule_add")
    assert manager_client.post(url, fraud_form(call_center)).status_code == 302
    assert FraudRule.objects.get().call_center == call_center


def test_a_manager_cannot_add_a_rule_of_every_center(manager_client, call_center):
    response = manager_client.post(reverse("admin:orders_fraudrule_add"), fraud_form(None))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["call_center"]
    assert errors == [
        "Choose one of the call centers you manage: a setting of every call center is an "
        "administrator's."
    ]
    assert not FraudRule.objects.exists()


def test_a_manager_cannot_add_a_rule_to_another_center(manager_client, elsewhere):
    response = manager_client.post(reverse("admin:orders_fraudrule_add"), fraud_form(elsewhere))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["call_center"] == [
        "Choose one of the call centers you manage."
    ]
    assert not FraudRule.objects.exists()


def test_a_manager_cannot_move_their_rule_to_every_center(manager_client, call_center):
    rule = fraud_rule(call_center, "Blocked phones")
    response = manager_client.post(change_url(rule), fraud_form(None))
    assert response.status_code == 200
    rule.refresh_from_db()
    assert rule.call_center == call_center


def test_a_rule_of_every_center_is_read_only_to_a_manager(manager_client):
    rule = fraud_rule(None, "Blocked phones")
    page = manager_client.get(change_url(rule))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert manager_client.post(change_url(rule), fraud_form(None, score="1")).status_code == 403
    delete = reverse("admin:orders_fraudrule_delete", args=[rule.pk])
    assert manager_client.post(delete, {"post": "yes"}).status_code == 403
    rule.refresh_from_db()
    assert rule.score == 100


def test_another_centers_rule_is_missing_to_a_manager(manager_client, elsewhere):
    rule = fraud_rule(elsewhere, "Theirs")
    response = manager_client.get(change_url(rule))
    assert response.status_code == 302  # Django: "does not exist", back to the list
    delete = reverse("admin:orders_fraudrule_delete", args=[rule.pk])
    manager_client.post(delete, {"post": "yes"})
    assert FraudRule.objects.filter(pk=rule.pk).exists()


def test_an_administrator_changes_a_rule_of_every_center(superuser_client):
    rule = fraud_rule(None, "Blocked phones")
    response = superuser_client.post(change_url(rule), fraud_form(None, score="40"))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.score == 40


def test_a_manager_keeps_the_hold_settings_of_their_center_only(
    manager_client, call_center, elsewhere
):
    ours = HoldSettings.objects.create(call_center=call_center)
    HoldSettings.objects.create(call_center=elsewhere)
    assert listed(manager_client, "orders_holdsettings") == {ours}
    form = manager_client.get(change_url(ours)).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["fraud_threshold"] = "70"
    assert manager_client.post(change_url(ours), data).status_code == 302
    ours.refresh_from_db()
    assert ours.fraud_threshold == 70


def test_the_call_center_filter_names_only_the_managers_centers(
    manager_client, call_center, elsewhere
):
    response = manager_client.get(reverse("admin:orders_fraudrule_changelist"))
    (center_filter,) = [f for f in response.context["cl"].filter_specs if f.title == "call center"]
    assert [name for _pk, name in center_filter.lookup_choices] == [str(call_center)]


def test_a_manager_sees_a_modes_charge_rules_of_their_centers_and_every_center(
    manager_client, call_center, elsewhere
):
    ours, everyone = charge_rule(call_center, "Ours"), charge_rule(None, "Everyone")
    charge_rule(elsewhere, "Theirs")
    url = reverse("admin:callcenter_deliverymode_change", args=[ours.delivery_mode_id])
    page = manager_client.get(url)
    assert page.status_code == 200
    (formset,) = [f for f in page.context["inline_admin_formsets"] if f.opts.model is ChargeRule]
    assert set(formset.formset.queryset) == {ours, everyone}


def test_a_manager_picks_an_upsell_rules_trigger_product(manager_client):
    from tests.factories import ProductFactory

    product = ProductFactory(item_number="77001", name="Garden hose")
    query = {
        "app_label": "catalog",
        "model_name": "upsellrule",
        "field_name": "trigger_product",
        "term": "77001",
    }
    response = manager_client.get(reverse("admin:autocomplete"), query)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(product.pk)]


@pytest.mark.parametrize(
    "admin_name",
    [
        "orders_orderhold",
        "orders_orderevent",
        "orders_salesline",
        "orders_upselloffer",
        "orders_catalogrequest",
        "orders_returnorder",
        "orders_enrolment",
        "orders_customerpricegroup",
        "payments_paymentevent",
        "payments_cancellation",
        "customers_customerevent",
    ],
)
def test_a_manager_opens_the_records_of_their_centers_orders_and_customers(
    admin_name, manager_client
):
    assert manager_client.get(reverse(f"admin:{admin_name}_changelist")).status_code == 200


def test_a_manager_sees_an_orders_lines_and_history_on_its_admin_page(manager_client, clerk):
    from tests.factories import ProductFactory, make_order

    order = make_order(clerk=clerk, lines=[(ProductFactory(), 1)])
    page = manager_client.get(reverse("admin:orders_salesorder_change", args=[order.pk]))
    models = {
        formset.opts.model._meta.model_name for formset in page.context["inline_admin_formsets"]
    }
    assert {"salesline", "orderevent"} <= models
