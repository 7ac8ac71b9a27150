from django.urls import path

from . import views_continuity

app_name = "continuity"

urlpatterns = [
    path("<int:pk>/skip/", views_continuity.enrolment_skip, name="skip"),
    path("<int:pk>/address/", views_continuity.enrolment_address, name="address"),
    path("<int:pk>/cancel/", views_continuity.enrolment_cancel, name="cancel"),
]
