"""Named places on a page that higher apps fill in.

Imports point down only: the customer page (``customers``) cannot import
``orders``, yet it must show the customer's orders and a "New sales order"
button. The lower app declares a :class:`Slot`; the higher app registers a
template (and a function that builds its context) in its ``AppConfig.ready``.
Templates render a slot with ``{% slot "customers.actions" customer=customer %}``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Contribution:
    template_name: str
    get_context: Callable[..., dict[str, Any] | None] | None = None
    order: int = 100


@dataclass
class Slot:
    name: str
    contributions: list[Contribution] = field(default_factory=list)

    def register(
        self,
        template_name: str,
        *,
        get_context: Callable[..., dict[str, Any] | None] | None = None,
        order: int = 100,
    ) -> None:
        """Add a template to this slot; ``get_context`` returning None hides it."""
        if any(c.template_name == template_name for c in self.contributions):
            return
        self.contributions.append(Contribution(template_name, get_context, order))
        self.contributions.sort(key=lambda c: c.order)

    def render_items(self, request: HttpRequest, **kwargs: Any) -> list[tuple[str, dict]]:
        items = []
        for contribution in self.contributions:
            context = dict(kwargs)
            if contribution.get_context is not None:
                extra = contribution.get_context(request, **kwargs)
                if extra is None:
                    continue
                context.update(extra)
            items.append((contribution.template_name, context))
        return items


_slots: dict[str, Slot] = {}


def slot(name: str) -> Slot:
    """The slot called ``name``, created on first use."""
    return _slots.setdefault(name, Slot(name))
