"""Places on the customer page that higher apps fill (see ``callcenter.slots``)."""

from callcenter.slots import slot

#: buttons in the customer page's action bar, rendered with ``customer``
CUSTOMER_ACTIONS = slot("customers.actions")
#: sections below the customer's details (order history, ...), rendered with ``customer``
CUSTOMER_SECTIONS = slot("customers.sections")
