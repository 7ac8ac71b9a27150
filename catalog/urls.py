from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("suggestions/", views.suggestions, name="suggestions"),
]
