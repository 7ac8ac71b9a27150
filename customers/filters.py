import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from callcenter.fields import keep_options

from .models import Customer, CustomerGroup
from .normalize import postal_code_forms


class CustomerResultsFilter(django_filters.FilterSet):
    """Narrow the search results when the caller's name is common."""

    city = django_filters.CharFilter(
        label=_("City"), field_name="addresses__city", lookup_expr="iexact", distinct=True
    )
    postal_code = django_filters.CharFilter(
        label=_("Postal code"), method="filter_postal_code", distinct=True
    )
    customer_group = django_filters.ModelChoiceFilter(
        label=_("Customer group"), queryset=CustomerGroup.objects.all()
    )
    is_blocked = django_filters.BooleanFilter(label=_("Blocked"))

    class Meta:
        model = Customer
        fields: list[str] = []

    def filter_postal_code(self, queryset, name, value):
        """In any case, a Canadian or UK one with or without its space ("K1A0B1")."""
        same = Q()
        for form in postal_code_forms(value):
            same |= Q(addresses__postal_code__iexact=form)
        return queryset.filter(same).distinct()


def keep_group_options(filters: CustomerResultsFilter, call_center) -> None:
    """The customer group filter's options, kept with the call center's setup data
    (``callcenter.reference``) for the ``choices`` template filter."""
    keep_options(filters.form.fields["customer_group"], call_center, "customer_groups")
