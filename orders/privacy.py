"""The copies of a customer's personal data that orders hold, for export and erasure.

Orders keep their numbers, dates, amounts and tax jurisdiction (country and
state) when a customer is erased: only the delivery address text and the
mailing addresses of catalog requests are personal.
"""

from typing import Any

from customers import privacy
from customers.privacy import ERASED

from .models import CatalogRequest, SalesOrder


def export(customer) -> dict[str, Any]:
    orders = SalesOrder.objects.filter(customer=customer).order_by("created_at", "pk")
    requests = CatalogRequest.objects.filter(customer=customer).order_by("requested_at", "pk")
    return {
        "orders": [
            {
                "number": order.number,
                "created_at": order.created_at.isoformat(),
                "status": order.status,
                "delivery_address": order.delivery_address,
                "total": str(order.total),
            }
            for order in orders
        ],
        "catalog_requests": [
            {
                "requested_at": request.requested_at.isoformat(),
                "catalog": str(request.catalog),
                "name": request.name,
                "address": ", ".join(
                    part
                    for part in [
                        request.street,
                        request.city,
                        request.state,
                        request.postal_code,
                        request.country,
                    ]
                    if part
                ),
            }
            for request in requests.select_related("catalog")
        ],
    }


def erase(customer) -> None:
    SalesOrder.objects.filter(customer=customer).update(delivery_address=ERASED)
    CatalogRequest.objects.filter(customer=customer).update(
        name=ERASED, street="", city="", postal_code=""
    )


def register() -> None:
    privacy.register(exporter=export, eraser=erase)
