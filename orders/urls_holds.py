"""Holds, the hold queue, release to fulfilment and the warehouse export (``holds:``).

Included before ``orders.urls`` so that ``/orders/holds/`` is not read as an order number.
"""

from django.urls import path

from . import views_holds

app_name = "holds"

urlpatterns = [
    path("holds/", views_holds.hold_queue, name="queue"),
    path("fulfilment/export.csv", views_holds.fulfilment_csv, name="fulfilment_csv"),
    path("fulfilment/export.json", views_holds.fulfilment_json, name="fulfilment_json"),
    path("<str:number>/holds/place/", views_holds.place_hold, name="place"),
    path("<str:number>/holds/check-out/", views_holds.check_out_hold, name="check_out"),
    path("<str:number>/holds/clear/", views_holds.clear_hold, name="clear"),
    path("<str:number>/release/", views_holds.release_order, name="release"),
]
