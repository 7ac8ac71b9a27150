from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

# a database that did not answer gets a 503 asking to try again rather than a 500
handler500 = "callcenter.views.server_error"
# refusals answer an htmx click with a message, not a page swapped into a panel
handler400 = "callcenter.views.bad_request"
handler403 = "callcenter.views.permission_denied"
handler404 = "callcenter.views.page_not_found"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("call-center/", views.switch, name="switch_call_center"),
    path("shortcuts/", views.shortcuts, name="shortcuts"),
    # the login page offers the language switch too
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("catalog/", include("catalog.urls")),
    path("orders/", include("orders.urls_holds")),
    path("enrolments/", include("orders.urls_continuity")),
    path("orders/", include("orders.urls")),
    path("orders/", include("payments.urls")),
    path("", include("customers.urls")),
]
