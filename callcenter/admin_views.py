"""Admin building blocks for records that change only through services.

Orders, payments and their events are written by the services (which lock,
validate and record history); the admin shows them and never edits them.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.db.models.deletion import get_candidate_relations_to_delete
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
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


# how far deletions that cascade are followed to what they would reach
IN_USE_DEPTH = 4


def _kept_paths(model, admin_site, prefix: str = "", depth: int = IN_USE_DEPTH, seen=()):
    """The records that keep a ``model`` row from being deleted, as (model, lookup from that
    model back to the row): those that protect it (``PROTECT``, ``RESTRICT``) and those the
    admin never changes (orders, their lines, payments, history: ``ReadOnlyAdmin``) that a
    deletion would take along or rewrite (``CASCADE``, ``SET_NULL``: a sales line would lose
    its product), however many deletions that cascade lie between."""
    paths = []
    for relation in get_candidate_relations_to_delete(model._meta):  # Django's own list
        related = relation.related_model
        lookup = f"{relation.field.name}__{prefix}" if prefix else relation.field.name
        name = relation.on_delete.__name__
        related_admin = admin_site._registry.get(related)
        if name in ("PROTECT", "RESTRICT") or isinstance(related_admin, ReadOnlyAdmin):
            paths.append((related, lookup))
        elif name == "CASCADE" and depth > 1 and related not in seen:
            paths.extend(_kept_paths(related, admin_site, lookup, depth - 1, (*seen, model)))
    return paths


def in_use(queryset, admin_site) -> dict[int, list[str]]:
    """The rows of ``queryset`` that must stay, by key, each with the names of the
    records that keep it (sales orders, order events...). One query: a row is in use
    when one such record exists, found from the index of its foreign key."""
    paths = _kept_paths(queryset.model, admin_site)
    if not paths:
        return {}
    marks = {
        f"_in_use_{i}": Exists(related._base_manager.filter(**{lookup: OuterRef("pk")}))
        for i, (related, lookup) in enumerate(paths)
    }
    found: dict[int, list[str]] = {}
    for row in queryset.order_by().annotate(**marks).values("pk", *marks):
        names = [
            paths[i][0]._meta.verbose_name_plural for i in range(len(paths)) if row[f"_in_use_{i}"]
        ]
        if names:
            found[row["pk"]] = list(dict.fromkeys(str(name) for name in names))
    return found


def in_use_message(obj, names: list[str], advice=None) -> str:
    """Why ``obj`` stays, and what to do instead: ``advice``, else to deactivate it."""
    message = gettext(
        "The %(kind)s “%(name)s” is in use, so it cannot be deleted. "
        "Records that refer to it: %(records)s."
    ) % {"kind": obj._meta.verbose_name, "name": obj, "records": ", ".join(names)}
    if advice is None and any(field.name == "is_active" for field in obj._meta.fields):
        advice = _("Deactivate it instead: untick Active and save.")
    return f"{message} {advice}" if advice else message


class KeptWhenInUseMixin:
    """Deleting what orders, payments or their history refer to is refused with a sentence
    that says why and what to do instead, before Django reads every related record.

    Django would list them all (millions, for a mode of delivery in use) and then blame
    the account's permissions ("doesn't have permission to delete ... order events")
    where the records are kept by design. A bulk delete leaves those rows out and says so.
    ``in_use_advice`` says what to do instead; by default, to deactivate the record.
    """

    in_use_advice = None

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_delete_permission(request, obj):
            names = in_use(self.model._default_manager.filter(pk=obj.pk), self.admin_site)
            if names:
                message = in_use_message(obj, names[obj.pk], self.in_use_advice)
                self.message_user(request, message, messages.ERROR)
                opts = self.model._meta
                return redirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                )
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        return deleting_only(super().get_actions(request), self._leave_out_used)

    @staticmethod
    def _leave_out_used(modeladmin, request, queryset):
        used = in_use(queryset, modeladmin.admin_site)
        for obj in queryset.filter(pk__in=used):
            advice = modeladmin.in_use_advice
            modeladmin.message_user(
                request, in_use_message(obj, used[obj.pk], advice), messages.WARNING
            )
        return queryset.exclude(pk__in=used)


def deleting_only(actions: dict, kept_out) -> dict:
    """``actions`` with Django's "Delete selected" deleting only the rows
    ``kept_out(modeladmin, request, queryset)`` returns (it tells the user what it left out)."""
    if "delete_selected" not in actions:
        return actions
    delete_selected, name, description = actions["delete_selected"]

    def delete_selected_but(modeladmin, request, queryset):
        others = kept_out(modeladmin, request, queryset)
        return delete_selected(modeladmin, request, others) if others.exists() else None

    return {**actions, "delete_selected": (delete_selected_but, name, description)}
