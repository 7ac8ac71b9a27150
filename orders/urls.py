from django.urls import path

from . import views, views_guided

app_name = "orders"

urlpatterns = [
    path("new/<int:customer_pk>/", views.order_create, name="create"),
    path("<str:number>/", views.order_detail, name="detail"),
    path("<str:number>/header/", views.order_header, name="header"),
    path("<str:number>/history/", views.order_history, name="history"),
    path("<str:number>/lines/", views.order_add_line, name="add_line"),
    path("<str:number>/lines/remove/", views.order_remove_line, name="remove_line"),
    path("<str:number>/lines/quantity/", views.order_line_quantity, name="line_quantity"),
    path("<str:number>/lines/cancel/", views.order_cancel_line, name="cancel_line"),
    path("<str:number>/lines/price/", views.order_override_price, name="override_price"),
    path("<str:number>/coupon/", views.order_coupon, name="coupon"),
    path(
        "<str:number>/returns/<str:return_number>/",
        views.return_detail,
        name="return_detail",
    ),
]

# Guided selling: upsell answers, catalog requests and their export, quick quotes.
urlpatterns += [
    path(
        "<str:number>/upsell/<int:offer_id>/accept/",
        views_guided.accept_upsell,
        name="accept_upsell",
    ),
    path("<str:number>/upsell/dismiss/", views_guided.dismiss_upsell, name="dismiss_upsell"),
    path("guided/quote/<int:customer_pk>/", views_guided.quick_quote, name="quick_quote"),
    path(
        "guided/catalog-requests/new/<int:customer_pk>/",
        views_guided.catalog_request_create,
        name="catalog_request_create",
    ),
    path("guided/catalog-requests/", views_guided.catalog_requests, name="catalog_requests"),
    path(
        "guided/catalog-requests/export/",
        views_guided.catalog_requests_export,
        name="catalog_requests_export",
    ),
]
