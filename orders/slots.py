"""Places on the sales order page that higher apps fill (see ``callcenter.slots``)."""

from callcenter.slots import slot

#: buttons in the sales order's action pane, rendered with ``order``
ORDER_ACTIONS = slot("orders.actions")

#: next to the order's status (the "On hold" badge), rendered with ``order``
ORDER_STATUS = slot("orders.status")
#: sections below the order's lines (holds, history), rendered with ``order``
ORDER_SECTIONS = slot("orders.sections")
#: buttons on each row of the hold queue (payments adds Cancel order), rendered with ``order``
HOLD_QUEUE_ACTIONS = slot("orders.hold_queue_actions")
