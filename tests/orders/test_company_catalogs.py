"""Catalogs (with their source codes) and coupons belong to a company, or to every company
when their company is blank: a call center takes only its company's and every company's.
Another company's code or coupon is refused as an unknown one, on every page a clerk
chooses or types one, and again at submit; the admin keeps managers to theirs."""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from callcenter.models import ChannelUser
from catalog.models import Catalog, SourceCode
from orders import guided_selling, services
from orders.errors import CouponError, InvalidOrderData
from orders.forms import AddLineForm
from orders.models import CatalogRequest, Coupon, SalesOrder
from payments import services as payment_services
from tests.factories import (
    TENDERS,
    CallCenterFactory,
    CatalogFactory,
    ChannelUserFactory,
    CustomerFactory,
    PaymentMethodFactory,
    ProductFactory,
    SourceCodeFactory,
    make_order,
    offer,
)
from tests.html import alert_text, post_admin_form

pytestmark = pytest.mark.django_db

UNKNOWN_CODE = (
    "That source code is unknown or no longer active. "
    "Ask the caller for the code printed on their catalog."
)


@pytest.fixture
def speaker():
    return ProductFactory(item_number="81327", name="Speaker", price=Decimal("40.00"))


@pytest.fixture
def elsewhere():
    """Another company's call center: FABR's."""
    return CallCenterFactory(code="FABR-CC", company="FABR")


def catalog_with_code(speaker, *, company, name, code, percent="50"):
    catalog = CatalogFactory(name=name, company=company)
    catalog.products.add(speaker)
    return SourceCodeFactory(code=code, catalog=catalog, discount_percent=Decimal(percent))


@pytest.fixture
def theirs(speaker, elsewhere):
    """The reviewer's case: another company's catalog with a 50 % code, and its coupon."""
    code = catalog_with_code(speaker, company="FABR", name="Fabrikam semiannual", code="FAB26-VIP")
    Coupon.objects.create(code="USRT-ONLY", company="FABR", value=Decimal("20.00"))
    return code


@pytest.fixture
def everyones(speaker):
    """A catalog and a coupon of every company (blank), as existing ones are."""
    code = catalog_with_code(speaker, company="", name="Spring for all", code="ALL26", percent="10")
    Coupon.objects.create(code="ALL5", value=Decimal("5.00"))
    return code


@pytest.fixture
def ours(speaker, call_center):
    """The clerk's company's catalog and coupon."""
    code = catalog_with_code(
        speaker, company=call_center.company, name="Our summer", code="OURS26", percent="20"
    )
    Coupon.objects.create(code="OURS3", company=call_center.company, value=Decimal("3.00"))
    return code


@pytest.fixture
def order(clerk, speaker):
    # 40.00 of merchandise, 10.00 shipping, 4.00 tax: 54.00
    return make_order(clerk=clerk, lines=[(speaker, 1)])


def detail(order):
    return reverse("orders:detail", args=[order.number])


# --- the order page: source code choices and checks, coupons ---


def test_another_companys_source_code_is_not_offered_on_the_order_page(
    logged_in, order, theirs, everyones, ours
):
    page = logged_in.get(detail(order)).content.decode()
    assert "FAB26-VIP" not in page and "Fabrikam semiannual" not in page
    assert f'<option value="{everyones.pk}">ALL26 – Spring for all</option>' in page
    assert f'<option value="{ours.pk}">OURS26 – Our summer</option>' in page


def test_another_companys_source_code_posted_with_a_line_is_refused(logged_in, order, theirs):
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": "81327", "quantity": 1, "source_code": theirs.pk},
    )
    assert response.status_code == 400
    assert UNKNOWN_CODE in alert_text(response)
    order.refresh_from_db()
    assert order.lines.count() == 1 and order.total == Decimal("54.00")


def test_another_companys_source_code_posted_on_the_header_is_refused(logged_in, order, theirs):
    response = logged_in.post(
        reverse("orders:header", args=[order.number]),
        {
            "delivery_mode": order.delivery_mode_id,
            "source_code": theirs.pk,
            "version": order.version,
        },
    )
    assert response.status_code == 400
    assert UNKNOWN_CODE in alert_text(response)
    order.refresh_from_db()
    assert order.source_code is None and order.total == Decimal("54.00")


def test_the_services_refuse_another_companys_source_code_too(clerk, order, theirs, speaker):
    """Whoever calls them (the quick quote does, through ``update_header``)."""
    with pytest.raises(InvalidOrderData, match="Source code FAB26-VIP is not active today"):
        services.add_line(order=order, by=clerk, product=speaker, quantity=1, source_code=theirs)
    with pytest.raises(InvalidOrderData, match="Source code FAB26-VIP is not active today"):
        services.update_header(
            order=order,
            by=clerk,
            version=order.version,
            delivery_mode=order.delivery_mode,
            source_code=theirs,
        )


def test_another_companys_coupon_is_refused_as_an_unknown_one(logged_in, order, theirs):
    url = reverse("orders:coupon", args=[order.number])
    unknown = logged_in.post(url, {"coupon_code": "NO-SUCH"})
    response = logged_in.post(url, {"coupon_code": "usrt-only"})
    assert response.status_code == unknown.status_code == 400
    assert alert_text(response) == alert_text(unknown).replace("NO-SUCH", "usrt-only")
    assert "There is no coupon usrt-only. Check the code with the caller." in alert_text(response)
    order.refresh_from_db()
    assert order.coupon_id is None and order.total == Decimal("54.00")


@pytest.mark.parametrize("whose", ["everyones", "ours"])
def test_a_code_and_a_coupon_of_every_company_or_of_the_clerks_work(
    logged_in, order, theirs, everyones, ours, whose
):
    code, coupon, percent = {
        "everyones": (everyones, "ALL5", "10"),
        "ours": (ours, "OURS3", "20"),
    }[whose]
    response = logged_in.post(
        reverse("orders:add_line", args=[order.number]),
        {"item_number": "81327", "quantity": 1, "source_code": code.pk},
    )
    assert response.status_code == 302
    line = order.lines.get(source_code=code)
    assert line.sold_price == Decimal("40.00") * (100 - Decimal(percent)) / 100
    response = logged_in.post(
        reverse("orders:coupon", args=[order.number]), {"coupon_code": coupon}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.coupon.code == coupon


def test_the_quick_quote_offers_and_takes_only_the_codes_of_the_clerks_center(
    logged_in, theirs, everyones
):
    customer = CustomerFactory()
    url = reverse("orders:quick_quote", args=[customer.pk])
    page = logged_in.get(url).content.decode()
    assert "FAB26-VIP" not in page and "ALL26" in page
    refused = logged_in.get(url, {"items": "81327", "source_code": theirs.pk})
    assert refused.status_code == 400
    assert UNKNOWN_CODE in refused.content.decode()
    quoted = logged_in.get(url, {"items": "81327", "source_code": everyones.pk})
    assert quoted.status_code == 200
    assert not SalesOrder.objects.exists()


def test_the_kept_source_code_choices_are_those_of_the_call_centers_company(
    call_center, theirs, everyones
):
    """The choices are kept with the call center's setup data, by its day and company."""

    def offered(center):
        return {
            label for _value, label in AddLineForm(call_center=center).fields["source_code"].options
        }

    assert offered(call_center) == {"ALL26 – Spring for all"}
    call_center.company = "FABR"  # an administrator moved the center to FABR
    assert offered(call_center) == {"ALL26 – Spring for all", "FAB26-VIP – Fabrikam semiannual"}


def test_a_catalog_given_to_another_company_leaves_the_choices_at_once(logged_in, order, everyones):
    assert "ALL26" in logged_in.get(detail(order)).content.decode()
    catalog = everyones.catalog
    catalog.company = "FABR"
    catalog.save()  # as the admin saves it
    assert "ALL26" not in logged_in.get(detail(order)).content.decode()


# --- submit: a code or coupon given to another company since ---


def pay_in_full(order, clerk, call_center):
    order.refresh_from_db()
    cash = offer(call_center, PaymentMethodFactory(**TENDERS["cash"]))
    payment_services.add_payment(
        order=order, by=clerk, method=cash, amount=order.total, idempotency_key=uuid.uuid4()
    )


def test_submit_refuses_a_code_whose_catalog_went_to_another_company_meanwhile(
    clerk, call_center, order, speaker, ours
):
    services.add_line(order=order, by=clerk, product=speaker, quantity=1, source_code=ours)
    pay_in_full(order, clerk, call_center)
    Catalog.objects.filter(pk=ours.catalog_id).update(company="FABR")
    with pytest.raises(InvalidOrderData, match="Source code OURS26 is no longer active"):
        payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT


def test_submit_refuses_a_coupon_given_to_another_company_meanwhile(
    clerk, call_center, order, ours
):
    order = services.apply_coupon(order=order, by=clerk, code="OURS3")
    pay_in_full(order, clerk, call_center)
    Coupon.objects.filter(code="OURS3").update(company="FABR")
    with pytest.raises(CouponError, match="Coupon OURS3 is not valid today"):
        payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT
    assert not order.coupon_usages.exists()


def test_submit_takes_the_codes_and_coupons_of_every_company_and_the_clerks(
    clerk, call_center, order, speaker, everyones, ours
):
    services.add_line(order=order, by=clerk, product=speaker, quantity=1, source_code=ours)
    order.refresh_from_db()
    services.update_header(
        order=order,
        by=clerk,
        version=order.version,
        delivery_mode=order.delivery_mode,
        source_code=everyones,
    )
    order = services.apply_coupon(order=order, by=clerk, code="ALL5")
    pay_in_full(order, clerk, call_center)
    order = payment_services.submit_order(order=order, by=clerk, idempotency_key=uuid.uuid4())
    assert order.status != SalesOrder.Status.DRAFT
    assert order.coupon_usages.get().coupon.code == "ALL5"


# --- catalog requests ---


def catalog_request_form(logged_in, customer) -> str:
    page = logged_in.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    return page.split('id="catalog-requests"')[1].split("</form>")[0]


def test_catalog_requests_offer_the_companys_and_every_companys_catalogs_only(
    logged_in, theirs, everyones, ours
):
    form = catalog_request_form(logged_in, CustomerFactory())
    assert f'<option value="{everyones.catalog_id}">Spring for all</option>' in form
    assert f'<option value="{ours.catalog_id}">Our summer</option>' in form
    assert "Fabrikam semiannual" not in form and "FAB26-VIP" not in form


def test_a_catalog_request_for_another_companys_catalog_is_refused(logged_in, clerk, theirs):
    customer = CustomerFactory()
    response = logged_in.post(
        reverse("orders:catalog_request_create", args=[customer.pk]),
        {"catalog": theirs.catalog_id},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in alert_text(response)
    assert not CatalogRequest.objects.exists()
    with pytest.raises(InvalidOrderData, match=r"Choose one of the catalogs offered\."):
        guided_selling.record_catalog_request(
            customer=customer,
            call_center=clerk.channel_memberships.get().call_center,
            catalog=theirs.catalog,
            by=clerk,
        )
    assert not CatalogRequest.objects.exists()


def test_the_catalog_request_export_filters_by_the_companys_catalogs_only(
    client, call_center, theirs, everyones
):
    supervisor = ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.SUPERVISOR).user
    client.force_login(supervisor)
    page = client.get(reverse("orders:catalog_requests")).content.decode()
    assert "Spring for all" in page and "Fabrikam semiannual" not in page


# --- the admin ---


def admin_url(model, action="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_managers_keep_the_permissions_they_had_on_catalogs_source_codes_and_coupons(manager):
    granted = {
        p for p in manager.get_all_permissions() if p.split(".")[1].endswith(("catalog", "code"))
    }
    assert {"catalog.view_catalog", "catalog.view_sourcecode"} <= granted
    assert not manager.has_perm("catalog.change_catalog")
    assert not manager.has_perm("catalog.add_sourcecode")
    assert not any(manager.has_perm(f"orders.{a}_coupon") for a in ("view", "add", "change"))


def test_a_manager_sees_their_companys_and_every_companys_catalogs_and_codes(
    manager_client, theirs, everyones, ours
):
    catalogs = manager_client.get(admin_url(Catalog)).content.decode()
    assert "Spring for all" in catalogs and "Our summer" in catalogs
    assert "Fabrikam semiannual" not in catalogs and "?company=FABR" not in catalogs
    codes = manager_client.get(admin_url(SourceCode)).content.decode()
    assert "ALL26" in codes and "OURS26" in codes
    assert "FAB26-VIP" not in codes and "Fabrikam semiannual" not in codes  # nor in the filter
    # another company's are missing to them, as Django says of what does not exist
    for obj in (theirs.catalog, theirs):
        response = manager_client.get(admin_url(type(obj), "change", obj.pk))
        assert response.status_code == 302
    for obj in (everyones.catalog, everyones, ours.catalog, ours):
        assert manager_client.get(admin_url(type(obj), "change", obj.pk)).status_code == 200
    # choosing a script's catalog, or filtering products by catalog
    script = manager_client.get(reverse("admin:catalog_script_add"))
    assert "Our summer" in script.content.decode()
    assert "Fabrikam semiannual" not in script.content.decode()
    products = manager_client.get(reverse("admin:catalog_product_changelist")).content.decode()
    assert "Our summer" in products and "Fabrikam semiannual" not in products


@pytest.fixture
def catalog_manager(manager_client, manager):
    """The manager, given the catalog, source code and coupon pages by an administrator."""
    for app, model in [("catalog", "catalog"), ("catalog", "sourcecode"), ("orders", "coupon")]:
        for action in ("view", "add", "change", "delete"):
            manager.user_permissions.add(
                Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
            )
    return manager_client


def catalog_data(company, code="NEW26"):
    return {"code": code, "name": "New catalog", "company": company}


def test_a_manager_adds_catalogs_of_their_companies_only(catalog_manager, elsewhere):
    add = admin_url(Catalog, "add")
    for company, error in [
        ("FABR", "Choose the company of a call center you manage."),
        ("", "This field is required."),
    ]:
        response = post_admin_form(catalog_manager, add, catalog_data(company))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["company"] == [error]
    assert not Catalog.objects.exists()
    assert post_admin_form(catalog_manager, add, catalog_data("USRT")).status_code == 302
    assert Catalog.objects.get().company == "USRT"


def test_every_companys_catalogs_codes_and_coupons_are_read_only_to_a_manager(
    catalog_manager, everyones
):
    for obj, data in [
        (everyones.catalog, catalog_data("USRT", code=everyones.catalog.code)),
        (everyones, {"code": "ALL26", "catalog": everyones.catalog_id}),
        (Coupon.objects.get(code="ALL5"), {"code": "ALL5", "company": "USRT", "value": "9"}),
    ]:
        url = admin_url(type(obj), "change", obj.pk)
        assert catalog_manager.get(url).status_code == 200
        assert catalog_manager.post(url, data).status_code == 403
        delete = admin_url(type(obj), "delete", obj.pk)
        assert catalog_manager.post(delete, {"post": "yes"}).status_code == 403
    assert Catalog.objects.get().company == ""
    assert Coupon.objects.get(code="ALL5").company == ""


def test_a_managers_source_code_is_of_a_catalog_of_their_companies(
    catalog_manager, theirs, everyones, ours
):
    add = admin_url(SourceCode, "add")
    page = catalog_manager.get(add).content.decode()
    assert "Our summer" in page
    assert "Spring for all" not in page and "Fabrikam semiannual" not in page
    for catalog in (everyones.catalog, theirs.catalog):
        response = post_admin_form(catalog_manager, add, {"code": "MINE", "catalog": catalog.pk})
        assert response.status_code == 200
        assert "Choose a catalog of the companies of the call centers you manage" in str(
            response.context["adminform"].form.errors["catalog"]
        )
    data = {
        "code": "MINE",
        "catalog": ours.catalog_id,
        "discount_percent": "0",
        "discount_amount": "0",
        "shipping_discount_percent": "0",
        "is_active": "on",
    }
    response = post_admin_form(catalog_manager, add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert SourceCode.objects.get(code="MINE").catalog == ours.catalog


def test_a_manager_given_the_coupons_sees_and_adds_their_companies_only(
    catalog_manager, theirs, everyones, ours
):
    page = catalog_manager.get(admin_url(Coupon)).content.decode()
    assert "ALL5" in page and "OURS3" in page and "USRT-ONLY" not in page
    theirs_coupon = Coupon.objects.get(code="USRT-ONLY")
    assert catalog_manager.get(admin_url(Coupon, "change", theirs_coupon.pk)).status_code == 302
    data = {"code": "MINE5", "kind": "amount", "scope": "order", "value": "5"}
    data |= {"min_order_amount": "0", "is_active": "on"}
    add = admin_url(Coupon, "add")
    response = post_admin_form(catalog_manager, add, {**data, "company": "FABR"})
    assert response.context["adminform"].form.errors["company"] == [
        "Choose the company of a call center you manage."
    ]
    response = post_admin_form(catalog_manager, add, {**data, "company": "USRT"})
    assert response.status_code == 302
    assert Coupon.objects.get(code="MINE5").company == "USRT"


def test_an_administrator_gives_a_catalog_a_call_centers_company_or_none(superuser_client):
    add = admin_url(Catalog, "add")
    CallCenterFactory(code="FABR-CC", company="FABR")
    response = post_admin_form(superuser_client, add, catalog_data("USTR"))
    assert response.status_code == 200
    assert "No call center belongs to company USTR" in str(
        response.context["adminform"].form.errors["company"]
    )
    assert post_admin_form(superuser_client, add, catalog_data("")).status_code == 302
    fabr = catalog_data("FABR", code="FABR26")
    assert post_admin_form(superuser_client, add, fabr).status_code == 302
    assert dict(Catalog.objects.values_list("code", "company")) == {"NEW26": "", "FABR26": "FABR"}
    page = superuser_client.get(admin_url(Catalog)).content.decode()
    assert "?company=FABR" in page
