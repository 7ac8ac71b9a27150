from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_service, name="service"),
    path("customers/select/", views.customer_select, name="select"),
    path("customers/new/", views.customer_create, name="create"),
    path("customers/lookup", views.lookup, name="lookup"),
    path("customers/<int:pk>/", views.customer_detail, name="detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="edit"),
    path("customers/<int:pk>/notes/", views.note_add, name="add_note"),
]
