"""Pagination that reads a page and the total number of rows in one query."""

from django.core.paginator import Paginator
from django.db.models import Count, Window

TOTAL = "_paginator_total"


# no list has this many pages: a larger number in the address is read as this one
MAX_PAGE = 10**9


class CountedPaginator(Paginator):
    """Django's paginator, but ``get_page`` reads the rows with ``COUNT(*) OVER ()``, so
    the page and the count cost one query (and one scan of the matching rows) instead of
    two. A page past the end, or a DISTINCT query (whose window would count duplicates),
    goes the usual way.

    Use it where the page query reads every matching row anyway (results sorted by a
    computed rank, like customer search). Where an index gives the order and LIMIT
    stops early (the hold queue, an order history), Django's separate count is cheaper.
    """

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        number = min(number, MAX_PAGE)  # an OFFSET the database can hold; past it: the last
        if number >= 1 and not self.orphans and not self.object_list.query.distinct:
            bottom = (number - 1) * self.per_page
            counted = self.object_list.annotate(**{TOTAL: Window(Count("pk"))})
            rows = list(counted[bottom : bottom + self.per_page])
            if rows:
                self.__dict__["count"] = getattr(rows[0], TOTAL)  # the cached property
                return self._get_page(rows, number, self)
        return super().get_page(number)
