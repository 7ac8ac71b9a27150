"""Places on the customer page that higher apps fill (see ``callcenter.slots``)."""

from callcenter.slots import slot

#: more of the customer's details (``<dt>``/``<dd>`` pairs: price group, account balance)
CUSTOMER_DETAILS = slot("customers.details")
#: buttons in the customer page's action bar, rendered with ``customer``
CUSTOMER_ACTIONS = slot("customers.actions")
#: sections below the customer's details (order history, ...), rendered with ``customer``
CUSTOMER_SECTIONS = slot("customers.sections")
