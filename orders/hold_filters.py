from datetime import timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import RangeField

from callcenter.fields import AmountField
from callcenter.models import CallCenter

from .models import HoldCode, OrderHold


class AmountRangeField(RangeField):
    """From and to amounts, each written the reader's way ("1 000,50" in French)."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            (AmountField(required=False), AmountField(required=False)), *args, **kwargs
        )


class AmountRangeFilter(django_filters.RangeFilter):
    field_class = AmountRangeField


class HoldQueueFilter(django_filters.FilterSet):
    """The supervisor's hold queue: by code, call center, age and order amount."""

    AGES = [
        ("1", _("Older than 1 hour")),
        ("4", _("Older than 4 hours")),
        ("24", _("Older than 1 day")),
        ("72", _("Older than 3 days")),
    ]

    code = django_filters.ModelChoiceFilter(
        label=_("Hold code"), queryset=HoldCode.objects.all(), empty_label=_("Any code")
    )
    call_center = django_filters.ModelChoiceFilter(
        label=_("Call center"),
        field_name="call_center",
        queryset=CallCenter.objects.none(),
        empty_label=_("Any call center"),
    )
    age = django_filters.ChoiceFilter(
        label=_("Age"), choices=AGES, method="filter_age", empty_label=_("Any age")
    )
    amount = AmountRangeFilter(label=_("Amount"), field_name="order__total")
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=[("oldest", _("Oldest first")), ("newest", _("Newest first"))],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = OrderHold
        fields: list[str] = []

    def __init__(self, *args, call_centers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["call_center"].queryset = call_centers or CallCenter.objects.none()

    def filter_age(self, queryset, name, value):
        return queryset.filter(created_at__lte=timezone.now() - timedelta(hours=int(value)))

    def filter_sort(self, queryset, name, value):
        if value == "newest":
            return queryset.order_by("-created_at", "-pk")
        return queryset.order_by("created_at", "pk")
