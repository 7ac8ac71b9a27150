from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("new/<int:customer_pk>/", views.order_create, name="create"),
    path("<str:number>/", views.order_detail, name="detail"),
    path("<str:number>/header/", views.order_header, name="header"),
    path("<str:number>/lines/", views.order_add_line, name="add_line"),
    path("<str:number>/lines/remove/", views.order_remove_line, name="remove_line"),
    path("<str:number>/lines/price/", views.order_override_price, name="override_price"),
    path("<str:number>/coupon/", views.order_coupon, name="coupon"),
]
