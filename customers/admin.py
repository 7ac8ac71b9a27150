import json

from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from callcenter.admin import ManagedCallCenterMixin, managed_companies
from callcenter.admin_views import EventAdmin, ExactSearchMixin, KeptWhenInUseMixin

from . import privacy, services
from .forms import CustomerSearchForm
from .models import Address, Customer, CustomerEvent
from .selectors import customer_search

# the longest search, as the customer service page's box takes it
MAX_SEARCH_LENGTH = CustomerSearchForm.base_fields["q"].max_length


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


def _as_it_was(address_form) -> Address:
    """A saved address's purpose and primary flag before the page changed them."""
    initial = address_form.initial
    return Address(purpose=initial.get("purpose"), is_primary=initial.get("is_primary"))


def primary_address_changes(formsets) -> dict:
    """The changed fields of the customer's primary delivery address on the customer's
    page (the address the clerk's edit changes), as ``services.update_customer`` takes
    them; other addresses are saved by their formset alone."""
    for formset in formsets:
        if formset.model is not Address:
            continue
        for address_form in formset.initial_forms:
            if _as_it_was(address_form).is_primary_delivery:
                if address_form in formset.deleted_forms:
                    return {}
                return {
                    name: address_form.cleaned_data[name]
                    for name in services.ADDRESS_FIELDS
                    if name in address_form.changed_data
                }
    return {}


def other_address_changes(formsets) -> dict:
    """The changes the customer's page makes to addresses other than the primary delivery
    one (whose changes the clerk's edit records), and to any address deleted, as a
    customer event records them; read before the formsets are saved."""
    changes = {}
    for formset in formsets:
        if formset.model is not Address:
            continue
        for address_form in formset.forms:
            deleted = address_form in formset.deleted_forms
            initial = address_form in formset.initial_forms
            if (deleted and not initial) or not (deleted or address_form.has_changed()):
                continue
            address = address_form.instance
            if initial:  # named as it was: its purpose and primary flag before this change
                address = _as_it_was(address_form)
                if not deleted and address.is_primary_delivery:
                    continue  # the primary delivery address: update_customer records it
            changes |= services.address_changes(
                address,
                before=address_form.initial if initial else None,
                after=None if deleted else address_form.cleaned_data,
            )
    return changes


@admin.register(Customer)
class CustomerAdmin(KeptWhenInUseMixin, ManagedCallCenterMixin, admin.ModelAdmin):
    """A manager sees, changes, exports and erases the customers of the companies of the
    call centers they manage; a change is saved and recorded as the clerk's edit is."""

    company_lookup = "company"
    list_display = [
        "account_number",
        "name",
        "phone",
        "email",
        "is_blocked",
        "created_at",
    ]
    list_filter = ["is_blocked"]
    ordering = ["account_number"]  # from its unique index: no sort of every customer by name
    # the search box finds customers as the customer service page does (get_search_results)
    search_fields = ["account_number"]
    search_help_text = gettext_lazy(
        "Name words, account number, phone, e-mail, postal code or order number, "
        "as on the customer service page."
    )
    inlines = [AddressInline]
    actions = ["export_personal_data", "erase_personal_data"]

    def has_change_permission(self, request, obj=None):
        """An erased customer's page is read-only (its addresses too): nothing personal is
        written back after the erasure."""
        if obj is not None and obj.erased_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        """What a customer may buy on account is set by those whose role gives credit."""
        readonly = list(super().get_readonly_fields(request, obj))
        readonly.append("erased_at")  # set by the erasure alone: clearing it would undo it
        if not request.user.has_perm("customers.set_credit_limit"):
            readonly.append("credit_limit")
        return readonly

    in_use_advice = gettext_lazy(
        "To remove their personal data, select them in the list and use "
        "“Erase personal data (keeps orders' accounting)”."
    )

    def get_search_results(self, request, queryset, search_term):
        """The customer service search, of the companies the user manages (every company,
        for a superuser): indexed where a contains search on each column reads all the
        customers."""
        if not search_term.strip():
            return queryset, False
        if len(search_term) > MAX_SEARCH_LENGTH:  # as the customer service form: 100
            if getattr(request.resolver_match, "url_name", "") == "autocomplete":
                return queryset.none(), False  # an address's customer box: no message
            self.message_user(
                request,
                _(
                    "Search for at most %(max)d characters (this search has %(count)d): "
                    "a name, a phone number, an e-mail, an account number, a postal code or "
                    "an order number."
                )
                % {"max": MAX_SEARCH_LENGTH, "count": len(search_term)},
                messages.ERROR,
            )
            return queryset.none(), False
        companies = None if request.user.is_superuser else managed_companies(request)
        found = customer_search(query=search_term, companies=companies).order_by().values("pk")
        return queryset.filter(pk__in=found), False

    def save_model(self, request, obj, form, change):
        """A new customer is saved here, and recorded as created; a change, in
        ``save_related``, by the service of the clerk's edit, with the primary delivery
        address, so it is recorded alike; the other addresses' changes after it."""
        if not change:
            super().save_model(request, obj, form, change)
            services.record_created(customer=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        others = {}
        if change:
            services.update_customer(
                customer=form.instance,
                by=request.user,
                values={name: form.cleaned_data[name] for name in form.changed_data},
                address=primary_address_changes(formsets),
            )
            others = other_address_changes(formsets)
        super().save_related(request, form, formsets, change)
        services.record_changes(customer=form.instance, by=request.user, changes=others)

    @admin.action(description=gettext_lazy("Export personal data (JSON)"))
    def export_personal_data(self, request, queryset):
        exported = [
            privacy.export_customer(customer=customer, by=request.user)
            for customer in queryset.prefetch_related("addresses")
        ]
        response = HttpResponse(
            json.dumps(exported, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(
        description=gettext_lazy("Erase personal data (keeps orders' accounting)"),
        permissions=["change"],
    )
    def erase_personal_data(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Erase personal data"),
                "customers": queryset,
                "opts": self.model._meta,
                "action": "erase_personal_data",
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/customers/erase_confirmation.html", context)
        for customer in queryset:
            privacy.erase_customer(customer=customer, by=request.user)
        self.message_user(
            request,
            _("Personal data of %(count)d customers erased.") % {"count": queryset.count()},
            messages.SUCCESS,
        )
        return None


@admin.register(CustomerEvent)
class CustomerEventAdmin(ManagedCallCenterMixin, EventAdmin):
    """The audit trail: who created, changed, viewed, exported or erased a customer."""

    company_lookup = "customer__company"

    list_display = ["created_at", "customer", "type", "user"]
    list_filter = ["type", "created_at"]
    exact_search = ("customer__account_number", "user__username")
    search_help_text = gettext_lazy("Exact account number or user name.")
    list_select_related = ["customer", "user"]


@admin.register(Address)
class AddressAdmin(ManagedCallCenterMixin, ExactSearchMixin, admin.ModelAdmin):
    company_lookup = "customer__company"
    list_display = [
        "customer",
        "purpose",
        "is_primary",
        "street",
        "city",
        "postal_code",
        "country",
    ]
    # no country filter: listing the countries reads every address
    list_filter = ["purpose", "is_primary"]
    show_full_result_count = False
    ordering = ["-pk"]  # newest first, from the primary key: no sort of every address
    exact_search = ("customer__account_number", "postal_code__iexact", "city__iexact")
    search_help_text = gettext_lazy("Exact account number, postal code or city.")
    list_select_related = ["customer"]
    autocomplete_fields = ["customer"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.customer.erased_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "customer":  # no address is added to an erased customer
            field.queryset = field.queryset.filter(erased_at__isnull=True)
        return field

    # an address changed here is recorded in its customer's history, as on the customer's page
    def save_model(self, request, obj, form, change):
        before = form.initial if change else None
        super().save_model(request, obj, form, change)
        changes = services.address_changes(obj, before=before, after=services.address_values(obj))
        services.record_changes(customer=obj.customer, by=request.user, changes=changes)

    def delete_model(self, request, obj):
        self._record_deleted(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for address in queryset.select_related("customer"):
            self._record_deleted(request, address)
        super().delete_queryset(request, queryset)

    def _record_deleted(self, request, address):
        changes = services.address_changes(
            address, before=services.address_values(address), after=None
        )
        services.record_changes(customer=address.customer, by=request.user, changes=changes)
