from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_service, name="service"),
    path("customers/select/", views.customer_select, name="select"),
    path("customers/<int:pk>/", views.customer_detail, name="detail"),
]
