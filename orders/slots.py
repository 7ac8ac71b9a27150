"""Places on the sales order page that higher apps fill (see ``callcenter.slots``)."""

from callcenter.slots import slot

#: buttons in the sales order's action pane, rendered with ``order``
ORDER_ACTIONS = slot("orders.actions")
