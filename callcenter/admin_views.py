"""Admin building blocks for records that change only through services.

Orders, payments and their events are written by the services (which lock,
validate and record history); the admin shows them and never edits them.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# what the change lists of large tables search: exact values, found from an index
ORDER_NUMBER = _("Exact sales order number.")
ORDER_OR_ACCOUNT = _("Exact sales order number or customer account number.")
# at most this many related records found by one search term (a user's, say)
MAX_RELATED = 1000


class CappedCountPaginator(Paginator):
    """Counts up to ``cap`` rows and no further.

    A change list counts its rows on every page: on the tables that grow with the
    business (17 million order events, 2 million orders) that count alone takes seconds.
    Past ``cap`` the page says "more than ..." (``templates/admin/pagination.html``) and
    pages through the first rows; a filter or a search finds the others.
    """

    cap = 10_000

    @cached_property
    def count(self) -> int:
        # COUNT(*) over a subquery that stops after cap + 1 rows
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class ExactSearchMixin:
    """A search box for a table of millions of rows.

    ``exact_search`` names what the search box matches exactly, each value found from
    an index: a field of the table (``"number"``, ``"postal_code__iexact"``) or of a
    related record (``"order__number"``, ``"customer__account_number"``). The related
    records are looked up first, then the rows by their keys, so the search is one
    indexed condition per name on this table, where Django's own (a contains search
    of every field, OR'd across joins) reads every row.
    """

    exact_search: tuple[str, ...] = ()

    def get_search_fields(self, request):
        return self.exact_search or super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not self.exact_search or not term:
            return super().get_search_results(request, queryset, search_term)
        condition = Q(pk__in=[])
        for path in self.exact_search:
            first, _sep, rest = path.partition("__")
            field = self.model._meta.get_field(first)
            try:
                if field.is_relation and rest:
                    related = field.related_model._default_manager.filter(**{rest: term})
                    keys = list(related.values_list("pk", flat=True)[:MAX_RELATED])
                    condition |= Q(**{f"{first}__in": keys})
                else:
                    field.get_prep_value(term)  # a value this field cannot hold matches nothing
                    condition |= Q(**{path: term})
            except (ValueError, ValidationError):
                continue
        return queryset.filter(condition), False


class LargeTableAdmin(ExactSearchMixin, admin.ModelAdmin):
    """A change list for a table of millions of rows: no full count, no second one of
    the whole table beside a filtered list, and searches by exact values."""

    paginator = CappedCountPaginator
    show_full_result_count = False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    fields = ["created_at", "type", "user", "parameters"]


class ReadOnlyAdmin(LargeTableAdmin):
    """Shows every field; no add, no delete. What the services write (orders, payments,
    their history) grows without end: counted up to a cap (``LargeTableAdmin``)."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventAdmin(ReadOnlyAdmin):
    """History is never rewritten: events cannot even be saved again."""

    def has_change_permission(self, request, obj=None):
        return False
