"""Call center configuration: one admin page per call center, with inlines.

Higher apps add their own per-center inlines (payment methods, price groups)
with :func:`add_call_center_inline`, so this module knows no other app.
Managers see and change only the call centers they manage; superusers all.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .admin_views import KeptWhenInUseMixin, deleting_only
from .models import CallCenter, ChannelUser, ChargeRule, DeliveryMode, FinancialDimension
from .roles import GROUPS


def managed_call_center_ids(user) -> list[int]:
    return list(
        ChannelUser.objects.filter(
            user=user, role=ChannelUser.Role.MANAGER, call_center__is_active=True
        ).values_list("call_center_id", flat=True)
    )


class ManagedCallCenterMixin:
    """Non-superusers see only rows of the call centers they manage."""

    call_center_lookup = "call_center"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            **{f"{self.call_center_lookup}__in": managed_call_center_ids(request.user)}
        )


class ChannelUserInline(admin.TabularInline):
    model = ChannelUser
    extra = 1
    fields = ["user", "name", "role"]
    verbose_name = _("channel user")
    verbose_name_plural = _("channel users")


class CallCenterForm(forms.ModelForm):
    class Meta:
        model = CallCenter
        exclude: list[str] = []

    def clean(self):
        cleaned = super().clean()
        default = cleaned.get("default_delivery_mode")
        offered = cleaned.get("delivery_modes")
        if default is not None and offered is not None and default not in offered:
            self.add_error(
                "default_delivery_mode",
                _("The default mode of delivery must be one of the modes this center offers."),
            )
        dimensions = [value.dimension for value in cleaned.get("financial_dimensions") or []]
        repeated = {d for d in dimensions if dimensions.count(d) > 1}
        if repeated:
            names = ", ".join(sorted(str(FinancialDimension.Dimension(d).label) for d in repeated))
            self.add_error(
                "financial_dimensions",
                _("Choose one value per dimension (more than one for: %(names)s).")
                % {"names": names},
            )
        return cleaned


@admin.register(CallCenter)
class CallCenterAdmin(KeptWhenInUseMixin, ManagedCallCenterMixin, admin.ModelAdmin):
    form = CallCenterForm
    call_center_lookup = "pk"
    list_display = [
        "code",
        "name",
        "company",
        "currency",
        "order_completion_enabled",
        "direct_selling_enabled",
        "is_active",
    ]
    list_filter = ["is_active", "order_completion_enabled", "direct_selling_enabled", "company"]
    search_fields = ["code", "name", "company"]
    filter_horizontal = ["delivery_modes", "financial_dimensions"]
    inlines = [ChannelUserInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "company", "currency", "time_zone", "is_active"]}),
        (
            _("Orders"),
            {
                "fields": [
                    "order_number_prefix",
                    "next_order_number",
                    "tax_rate",
                    "default_warehouse",
                ]
            },
        ),
        (_("Delivery"), {"fields": ["delivery_modes", "default_delivery_mode"]}),
        (_("Financial dimensions"), {"fields": ["financial_dimensions"]}),
        (_("Feature groups"), {"fields": ["order_completion_enabled", "direct_selling_enabled"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            # a manager runs the center; its identity is the administrators' to change
            return ["code", "company", "currency", "is_active"]
        return []


def add_call_center_inline(inline: type[admin.options.InlineModelAdmin]) -> None:
    """Show a higher app's per-center settings on the call center's admin page."""
    if inline not in CallCenterAdmin.inlines:
        CallCenterAdmin.inlines = [*CallCenterAdmin.inlines, inline]


@admin.register(ChannelUser)
class ChannelUserAdmin(ManagedCallCenterMixin, admin.ModelAdmin):
    list_display = ["user", "name", "call_center", "role"]
    list_filter = ["call_center", "role"]
    search_fields = ["user__username", "name", "user__first_name", "user__last_name"]
    list_select_related = ["user", "call_center"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "call_center" and not request.user.is_superuser:
            kwargs["queryset"] = CallCenter.objects.filter(
                pk__in=managed_call_center_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ChargeRuleInline(admin.StackedInline):
    """A mode's charge rules; without any, the mode charges its flat charge per order."""

    model = ChargeRule
    extra = 0
    fields = [
        ("call_center", "category", "description"),
        ("basis", "amount", "taxable"),
        ("tier_basis", "tier_from", "tier_to"),
        "free_from",
    ]


@admin.register(DeliveryMode)
class DeliveryModeAdmin(KeptWhenInUseMixin, admin.ModelAdmin):
    list_display = ["code", "name", "charge", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    inlines = [ChargeRuleInline]


@admin.register(ChargeRule)
class ChargeRuleAdmin(admin.ModelAdmin):
    list_display = [
        "delivery_mode",
        "call_center",
        "category",
        "description",
        "basis",
        "amount",
        "tier_basis",
        "tier_from",
        "tier_to",
        "free_from",
        "taxable",
    ]
    list_filter = ["delivery_mode", "call_center", "category", "basis"]
    list_select_related = ["delivery_mode", "call_center"]


@admin.register(FinancialDimension)
class FinancialDimensionAdmin(admin.ModelAdmin):
    list_display = ["dimension", "code", "name"]
    list_filter = ["dimension"]
    search_fields = ["code", "name"]


class RoleGroupAdmin(GroupAdmin):
    """Django's groups, less the deletion and renaming of the role groups
    (``callcenter.roles.GROUPS``): every channel user's permissions come from them, so
    deleting "Call center clerks" would lock every clerk out while the Channel users page
    still showed them as clerks. Their permissions may still be changed."""

    @staticmethod
    def _is_role_group(obj) -> bool:
        return obj is not None and obj.name in GROUPS.values()

    def has_delete_permission(self, request, obj=None):
        return not self._is_role_group(obj) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "name") if self._is_role_group(obj) else fields

    def get_actions(self, request):
        """ "Delete selected groups" leaves the role groups out, and says so."""
        return deleting_only(super().get_actions(request), self._leave_out_roles)

    @staticmethod
    def _leave_out_roles(modeladmin, request, queryset):
        if queryset.filter(name__in=GROUPS.values()).exists():
            modeladmin.message_user(
                request,
                _("The role groups are kept: channel users get their permissions from them."),
                messages.WARNING,
            )
        return queryset.exclude(name__in=GROUPS.values())


admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)


class KeptUserAdmin(KeptWhenInUseMixin, UserAdmin):
    """Django's users, less the deletion of a user whose name is on orders or history:
    deactivate a clerk who leaves instead."""


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), KeptUserAdmin)
