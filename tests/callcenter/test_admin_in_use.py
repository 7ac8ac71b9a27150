"""Deleting in the admin what orders, payments or their history refer to: refused with a
sentence that says why and what to do instead, never Django's permission page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from callcenter.models import DeliveryMode
from catalog.models import Product
from customers.models import Customer
from orders.models import SalesLine
from tests.factories import DeliveryModeFactory, ProductFactory, make_order

pytestmark = pytest.mark.django_db


def delete_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


def test_a_mode_of_delivery_on_orders_is_kept_and_the_admin_says_why(superuser_client, clerk):
    order = make_order(clerk=clerk)  # by 99 Standard
    mode = order.delivery_mode
    response = superuser_client.get(delete_url(mode), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:callcenter_deliverymode_change", args=[mode.pk]
    )
    assert (
        f"The mode of delivery “{mode}” is in use, so it cannot be deleted. Records that refer "
        "to it: sales orders. Deactivate it instead: untick Active and save."
    ) in page
    assert "permission" not in page
    superuser_client.post(delete_url(mode), {"post": "yes"})
    assert DeliveryMode.objects.filter(pk=mode.pk).exists()


def test_a_mode_of_delivery_nothing_refers_to_can_be_deleted(superuser_client):
    spare = DeliveryModeFactory(code="77", name="Spare")
    assert "Are you sure" in superuser_client.get(delete_url(spare)).content.decode()
    assert superuser_client.post(delete_url(spare), {"post": "yes"}).status_code == 302
    assert not DeliveryMode.objects.filter(pk=spare.pk).exists()


def test_a_product_on_order_lines_is_kept_and_the_admin_says_why(superuser_client, clerk):
    product = ProductFactory(item_number="55501", name="Lamp")
    make_order(clerk=clerk, lines=[(product, 2)])
    response = superuser_client.get(delete_url(product), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:catalog_product_change", args=[product.pk]
    )
    assert (
        f"The product “{product}” is in use, so it cannot be deleted. Records that refer "
        "to it: sales lines. Deactivate it instead: untick Active and save."
    ) in page
    superuser_client.post(delete_url(product), {"post": "yes"})
    assert Product.objects.filter(pk=product.pk).exists()
    assert SalesLine.objects.get().product == product


def test_a_bulk_delete_of_products_leaves_out_those_on_order_lines(superuser_client, clerk):
    used = ProductFactory(item_number="55501")
    spare = ProductFactory(item_number="55502")
    make_order(clerk=clerk, lines=[(used, 1)])
    changelist = reverse("admin:catalog_product_changelist")
    both = {"action": "delete_selected", "_selected_action": [used.pk, spare.pk], "post": "yes"}
    response = superuser_client.post(changelist, both, follow=True)
    assert f"The product “{used}” is in use" in response.content.decode()
    assert list(Product.objects.filter(pk__in=[used.pk, spare.pk])) == [used]


def test_a_customer_with_orders_is_kept_and_the_admin_points_to_erasure(superuser_client, clerk):
    customer = make_order(clerk=clerk).customer
    page = superuser_client.get(delete_url(customer), follow=True).content.decode()
    assert "is in use, so it cannot be deleted. Records that refer to it:" in page
    assert "sales orders" in page
    assert "use “Erase personal data (keeps orders&#x27; accounting)”" in page
    assert "Deactivate it instead" not in page
    assert Customer.objects.filter(pk=customer.pk).exists()


def test_a_clerk_who_took_orders_is_deactivated_not_deleted(superuser_client, clerk):
    make_order(clerk=clerk)
    page = superuser_client.post(delete_url(clerk), {"post": "yes"}, follow=True)
    assert "untick Active and save" in page.content.decode()
    assert get_user_model().objects.filter(pk=clerk.pk).exists()


def test_a_bulk_delete_leaves_out_what_is_in_use_and_says_so(superuser_client, clerk):
    used = make_order(clerk=clerk).delivery_mode
    spare = DeliveryModeFactory(code="77", name="Spare")
    changelist = reverse("admin:callcenter_deliverymode_changelist")
    both = {"action": "delete_selected", "_selected_action": [used.pk, spare.pk]}
    confirm = superuser_client.post(changelist, both)
    assert [str(mode) for mode in confirm.context["queryset"]] == [str(spare)]
    response = superuser_client.post(changelist, {**both, "post": "yes"}, follow=True)
    assert f"The mode of delivery “{used}” is in use" in response.content.decode()
    assert list(DeliveryMode.objects.values_list("code", flat=True)) == [used.code]


def test_the_check_reads_no_more_as_orders_grow(
    superuser_client, clerk, django_assert_max_num_queries
):
    mode = make_order(clerk=clerk).delivery_mode
    for _ in range(3):
        make_order(clerk=clerk)
    # session, user, the mode, one EXISTS per kind of record, the change page's own
    with django_assert_max_num_queries(12):
        superuser_client.get(delete_url(mode))


def test_the_refusal_reads_in_french(superuser_client, clerk):
    mode = make_order(clerk=clerk).delivery_mode
    response = superuser_client.get(delete_url(mode), follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert (
        f"Suppression impossible de «\u00a0{mode}\u00a0» (mode de livraison)\u00a0: "
        "des enregistrements y font référence ("
    ) in page
    assert "Désactivez plutôt cet enregistrement" in page


def test_a_center_s_default_mode_of_delivery_is_not_deactivated(superuser_client, call_center):
    mode = DeliveryModeFactory(code="99", name="Standard")
    call_center.delivery_modes.add(mode)
    call_center.default_delivery_mode = mode
    call_center.save()
    url = reverse("admin:callcenter_deliverymode_change", args=[mode.pk])
    data = {
        "code": mode.code,
        "name": mode.name,
        "charge": str(mode.charge),
        "chargerule_set-TOTAL_FORMS": "0",
        "chargerule_set-INITIAL_FORMS": "0",
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert f"is the default of call center {call_center.code}" in response.content.decode()
    mode.refresh_from_db()
    assert mode.is_active
