"""Call center configuration: one admin page per call center, with inlines.

Higher apps add their own per-center inlines (payment methods, price groups)
with :func:`add_call_center_inline`, so this module knows no other app.
Managers see and change only the call centers they manage; superusers all.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .access import memberships
from .admin_views import KeptWhenInUseMixin, deleting_only
from .models import CallCenter, ChannelUser, ChargeRule, DeliveryMode, FinancialDimension
from .roles import GROUPS


def managed_call_centers(request) -> list[CallCenter]:
    """The active call centers the request's user manages (from ``access.memberships``,
    read once a request)."""
    return [m.call_center for m in memberships(request) if m.role == ChannelUser.Role.MANAGER]


def managed_call_center_ids(request) -> list[int]:
    return [center.pk for center in managed_call_centers(request)]


def managed_companies(request) -> set[str]:
    """The companies of those centers: whose customers the user sees in the admin."""
    return {center.company for center in managed_call_centers(request)}


def seen_rows(admin_site, model, request) -> Q | None:
    """The rows of ``model`` the request's user sees in the admin, where its model admin
    keeps them to the user's call centers (``ManagedCallCenterMixin``); None: all rows."""
    model_admin = admin_site._registry.get(model)
    if request.user.is_superuser or not isinstance(model_admin, ManagedCallCenterMixin):
        return None
    return model_admin.managed_rows(request)


class ManagedCallCenterMixin:
    """Non-superusers see only rows of the call centers they manage, and choose only
    those centers in the forms: another center posted anyway is a form error.

    A row belongs to a call center (``call_center_lookup``: the path from the row to
    it), or to a company, as a customer does (``company_lookup``: the path to its
    company), and then to the managers of any call center of that company. A foreign
    key to rows kept so by their own admin (a call center, a customer) offers only the
    rows the user sees, and refuses another posted anyway.

    For a model admin or an inline."""

    call_center_lookup = "call_center"
    company_lookup: str | None = None

    def managed_rows(self, request) -> Q:
        if self.company_lookup is not None:
            return Q(**{f"{self.company_lookup}__in": managed_companies(request)})
        return Q(**{f"{self.call_center_lookup}__in": managed_call_center_ids(request)})

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(self.managed_rows(request))

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        seen = seen_rows(self.admin_site, db_field.remote_field.model, request)
        if seen is None:
            return queryset
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db)
        return queryset.filter(seen)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "call_center" and not request.user.is_superuser:
            kwargs["error_messages"] = {
                **kwargs.get("error_messages", {}),
                "invalid_choice": _("Choose one of the call centers you manage."),
            }
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """A row's own company (a customer's) is one of the companies the user manages."""
        if db_field.name != self.company_lookup or request.user.is_superuser:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        return forms.ChoiceField(
            label=capfirst(db_field.verbose_name),
            choices=[(company, company) for company in sorted(managed_companies(request))],
            error_messages={
                "invalid_choice": _("Choose the company of a call center you manage."),
            },
        )


class SharedRowsMixin(ManagedCallCenterMixin):
    """Rows a manager sees beside their own, read-only: those shared with other companies'
    call centers (``shared_rows``), which are an administrator's. A manager adds, changes
    and deletes only their own."""

    def shared_rows(self) -> Q:
        raise NotImplementedError

    def is_shared(self, obj) -> bool:
        raise NotImplementedError

    def managed_rows(self, request) -> Q:
        return super().managed_rows(request) | self.shared_rows()

    def _shared_for(self, request, obj) -> bool:
        return isinstance(obj, self.model) and not request.user.is_superuser and self.is_shared(obj)

    def has_change_permission(self, request, obj=None):
        if self._shared_for(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._shared_for(request, obj):
            return False
        return super().has_delete_permission(request, obj)


class CenterSettingsMixin(SharedRowsMixin):
    """A call center's settings (its fraud rules, price override limits, scripts, upsell
    rules, hold settings, charge rules), which its managers keep.

    A row is of one call center, or of every call center when its call center is left
    blank. A manager sees the rows of the centers they manage and those of every center
    (they apply to their centers too), and adds, changes and deletes only the first: a
    row of every center applies to other companies' centers as well, so it is an
    administrator's, and a manager's new row names one of their centers.

    For a model admin or an inline (which shows a manager the same rows)."""

    def shared_rows(self) -> Q:
        return Q(**{f"{self.call_center_lookup}__isnull": True})

    def is_shared(self, obj) -> bool:
        return getattr(obj, f"{self.call_center_lookup}_id") is None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.call_center_lookup and not request.user.is_superuser:
            kwargs["required"] = True
            kwargs["error_messages"] = {
                "required": _(
                    "Choose one of the call centers you manage: a setting of every call "
                    "center is an administrator's."
                ),
            }
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        """The call center filter names only the centers the user sees."""
        return [
            (name, ManagedRelatedFieldListFilter) if name == self.call_center_lookup else name
            for name in super().get_list_filter(request)
        ]


class CompanySettingsMixin(SharedRowsMixin):
    """Rows of a company (a catalog, its source codes, a coupon) that its call centers use,
    or of every company when the company is blank.

    ``company_lookup`` is the path to the company: the row's own field (``"company"``), or
    through a foreign key (``"catalog__company"``). A manager sees the rows of the
    companies of the centers they manage and those of every company, and adds, changes and
    deletes only the first: a row of every company is used by other companies' centers
    too, so it is an administrator's. A manager's new row is of one of their companies
    (its company field offers only those; a model admin whose rows read their company
    through a foreign key offers only the rows of those companies there).

    For a model admin."""

    company_lookup = "company"

    def shared_rows(self) -> Q:
        return Q(**{self.company_lookup: ""})

    def is_shared(self, obj) -> bool:
        company = obj
        for name in self.company_lookup.split("__"):
            company = getattr(company, name)
        return company == ""


class CompanyForm(forms.ModelForm):
    """The form of a row of a company, or of every company (``CompanySettingsMixin``): a
    company typed is a call center's, else the row would be used nowhere."""

    #: said when no call center has the company typed
    unknown_company = _(
        "No call center belongs to company %(company)s: enter the company of "
        "the call centers that use it, or leave it blank for every company."
    )

    def clean_company(self):
        company = self.cleaned_data.get("company")
        if company and not CallCenter.objects.filter(company=company).exists():
            raise forms.ValidationError(self.unknown_company % {"company": company})
        return company


class ManagedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a foreign key that offers only the rows the user sees (the call
    centers they manage), where Django's offers every row. Unlike
    ``RelatedOnlyFieldListFilter``, it reads only the related table, never the listed
    one (millions of orders) to find which related rows it refers to."""

    def field_choices(self, field, request, model_admin):
        seen = seen_rows(model_admin.admin_site, field.remote_field.model, request)
        if seen is None:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=seen, ordering=ordering)


def case_variant(form, field: str):
    """Another row whose ``field`` is the form's value but for upper and lower case, or
    None: codes a caller reads out ("fab26", "FAB26") are one code to a clerk.

    Checked when the value is new or changed, so that rows saved before the check can
    still be saved (deactivated, or renamed out of the clash)."""
    value = form.cleaned_data.get(field)
    if not value or (form.instance.pk is not None and field not in form.changed_data):
        return None
    rows = form._meta.model._default_manager.filter(**{f"{field}__iexact": value})
    if form.instance.pk is not None:
        rows = rows.exclude(pk=form.instance.pk)
    return rows.first()


class PeriodForm(forms.ModelForm):
    """A record valid from one date to another (``valid_from``, ``valid_to``): the end
    cannot come before the start. Forms of such records extend it."""

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("valid_from"), cleaned.get("valid_to")
        if first is not None and last is not None and last < first:
            self.add_error("valid_to", _("The end of the period cannot come before its start."))
        return cleaned


def channel_user_choices(request):
    """The users a manager may make channel users of their centers: the users of those
    centers and the users of no call center yet (not another center's users)."""
    managed = managed_call_center_ids(request)
    return get_user_model().objects.filter(
        Q(pk__in=ChannelUser.objects.filter(call_center__in=managed).values("user_id"))
        | ~Exists(ChannelUser.objects.filter(user=OuterRef("pk"))),
        is_superuser=False,  # an administrator's memberships are an administrator's to give
    )


class ChannelUserForm(forms.ModelForm):
    """A channel user: for a manager (``restricted``), without the manager role, which only
    superusers give; a manager's own row keeps its user, center and role as they are."""

    restricted = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.restricted:
            return
        if self.instance.pk is not None and self.instance.role == ChannelUser.Role.MANAGER:
            for name in ("call_center", "user", "role"):
                if name in self.fields:
                    self.fields[name].disabled = True
        elif "role" in self.fields:
            role = self.fields["role"]
            role.choices = [
                (value, label) for value, label in role.choices if value != ChannelUser.Role.MANAGER
            ]
            role.error_messages["invalid_choice"] = _(
                "Only an administrator makes a channel user a manager: choose clerk or supervisor."
            )


class ManagersChannelUserForm(ChannelUserForm):
    restricted = True


class ChannelUserFormMixin:
    """The channel user's form for the request's user: a manager picks among their
    centers' users (and users of no center yet) and does not give the manager role."""

    form = ChannelUserForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = channel_user_choices(request)
            kwargs["error_messages"] = {
                "invalid_choice": _(
                    "Choose a user of a call center you manage, or a user of no call center."
                ),
            }
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _form_for(self, request, kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = ManagersChannelUserForm
        return kwargs


MANAGER_REMOVED_BY_ADMINISTRATOR = _(
    "%(user)s is a manager of this call center: only an administrator removes a manager, "
    "as only an administrator makes one."
)


class ManagersChannelUserFormSet(forms.BaseInlineFormSet):
    """The channel users on a call center's page, for a manager: a manager's row is not
    theirs to delete (as on the channel users' own page)."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk is not None and form.instance.role == ChannelUser.Role.MANAGER:
                raise forms.ValidationError(
                    MANAGER_REMOVED_BY_ADMINISTRATOR % {"user": form.instance.user}
                )


class ChannelUserInline(ChannelUserFormMixin, admin.TabularInline):
    model = ChannelUser
    extra = 1
    fields = ["user", "name", "role"]
    verbose_name = _("channel user")
    verbose_name_plural = _("channel users")

    def get_formset(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["formset"] = ManagersChannelUserFormSet
        return super().get_formset(request, obj, **self._form_for(request, kwargs))


class CallCenterForm(forms.ModelForm):
    class Meta:
        model = CallCenter
        exclude: list[str] = []

    def clean_order_number_prefix(self):
        prefix = self.cleaned_data.get("order_number_prefix")
        other = case_variant(self, "order_number_prefix")
        if other is not None:
            raise forms.ValidationError(
                _(
                    "Call center %(center)s already numbers its orders with the prefix "
                    "%(prefix)s: choose another prefix, so that order numbers do not repeat."
                )
                % {"center": other, "prefix": other.order_number_prefix}
            )
        return prefix

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
class ChannelUserAdmin(ChannelUserFormMixin, ManagedCallCenterMixin, admin.ModelAdmin):
    list_display = ["user", "name", "call_center", "role"]
    # the centers of the rows the user sees: a manager's filter names no other center
    list_filter = [("call_center", admin.RelatedOnlyFieldListFilter), "role"]
    search_fields = ["user__username", "name", "user__first_name", "user__last_name"]
    list_select_related = ["user", "call_center"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return super().get_form(request, obj, change, **self._form_for(request, kwargs))

    def has_delete_permission(self, request, obj=None):
        """A manager's membership is an administrator's to remove, as to give."""
        manager_row = obj is not None and obj.role == ChannelUser.Role.MANAGER
        if manager_row and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class ChargeRuleInline(CenterSettingsMixin, admin.StackedInline):
    """A mode's charge rules; without any, the mode charges its flat charge per order."""

    model = ChargeRule
    extra = 0
    fields = [
        ("call_center", "category", "description"),
        ("basis", "amount", "taxable"),
        ("tier_basis", "tier_from", "tier_to"),
        "free_from",
    ]


class DeliveryModeForm(forms.ModelForm):
    class Meta:
        model = DeliveryMode
        exclude: list[str] = []

    def clean_is_active(self):
        """A mode an active call center opens its orders with stays active: its clerks'
        new orders would start without one (and with a stale charge on the drafts)."""
        active = self.cleaned_data.get("is_active")
        if not active and self.instance.pk is not None:
            centers = CallCenter.objects.filter(default_delivery_mode=self.instance, is_active=True)
            codes = ", ".join(centers.order_by("code").values_list("code", flat=True))
            if codes:
                raise forms.ValidationError(
                    _(
                        "This mode of delivery is the default of call center %(codes)s: choose "
                        "another default there first, then deactivate it."
                    )
                    % {"codes": codes}
                )
        return active


@admin.register(DeliveryMode)
class DeliveryModeAdmin(KeptWhenInUseMixin, admin.ModelAdmin):
    form = DeliveryModeForm
    list_display = ["code", "name", "charge", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    inlines = [ChargeRuleInline]


@admin.register(ChargeRule)
class ChargeRuleAdmin(CenterSettingsMixin, admin.ModelAdmin):
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


class ManagedAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' failed logins, also for managers: a manager sees the attempts of the
    usernames of their call centers' clerks and supervisors (not of administrators or
    managers), and unlocks one by deleting its attempts.
    The attempts of other usernames (another center's users, names that are no user) stay
    for superusers."""

    @staticmethod
    def _manages(request) -> bool:
        return bool(managed_call_centers(request))

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._manages(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._manages(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or self._manages(request)

    def get_actions(self, request):
        """Without axes' own permission, less "Clean up expired attempts" (every username's)."""
        actions = super().get_actions(request)
        if not super().has_view_permission(request):
            actions.pop("cleanup_expired_attempts", None)
        return actions

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if super().has_view_permission(request):  # a superuser, or given axes' permission
            return queryset
        # their centers' clerks and supervisors: not an administrator, not another manager,
        # whose lockout guards an account that can do more than theirs
        users = ChannelUser.objects.filter(
            call_center__in=managed_call_center_ids(request), user__is_superuser=False
        ).exclude(user__channel_memberships__role=ChannelUser.Role.MANAGER)
        return queryset.filter(username__in=users.values("user__username"))


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, ManagedAccessAttemptAdmin)
