from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("<str:number>/complete/", views.order_complete, name="complete"),
    path("<str:number>/summary/", views.summary, name="summary"),
    path("<str:number>/payments/new/", views.payment_new, name="payment_new"),
    path("<str:number>/payments/", views.payment_create, name="payment_create"),
    path("<str:number>/submit/", views.order_submit, name="submit"),
]
