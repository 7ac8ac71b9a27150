import django_filters
from django.utils.translation import gettext_lazy as _

from .models import SalesOrder


class OrderHistoryFilter(django_filters.FilterSet):
    """The customer page's order history: by status and by date."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SalesOrder.Status.choices, empty_label=_("Any status")
    )
    created = django_filters.DateFromToRangeFilter(
        label=_("Date"),
        field_name="created_at",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = SalesOrder
        fields: list[str] = []
