from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("<str:number>/complete/", views.order_complete, name="complete"),
    path("<str:number>/summary/", views.summary, name="summary"),
    path("<str:number>/payments/new/", views.payment_new, name="payment_new"),
    path("<str:number>/payments/", views.payment_create, name="payment_create"),
    path("<str:number>/payments/fields/", views.payment_fields, name="payment_fields"),
    path("<str:number>/payments/refund/", views.payment_refund, name="payment_refund"),
    path("<str:number>/submit/", views.order_submit, name="submit"),
    path("<str:number>/cancel/", views.order_cancel, name="cancel"),
    path("<str:number>/return/new/", views.order_return, name="return_create"),
]
