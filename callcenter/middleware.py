import time
import zoneinfo
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.defaults import bad_request
from django_htmx.http import HttpResponseClientRedirect

from .access import current_call_center
from .htmx import said_in_place

ADMIN_PATH = reverse_lazy("admin:index")


class RefuseNulMiddleware:
    """Answer 400 to a request whose path, query string, cookies or form hold a NUL
    character (a session cookie is looked up in the database, a path names an order).

    No field of the application takes one, PostgreSQL cannot store or compare one
    (psycopg refuses the query), and Django's own admin filters pass it on: refused
    here, once, it is a 400 page instead of a 500 wherever it is typed or forged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path_info
            or "\x00" in unquote(request.META.get("QUERY_STRING", ""))
            or any("\x00" in value for value in request.COOKIES.values())
            or _nul_in_form(request)
        ):
            raise SuspiciousOperation(
                "A NUL character in the request's path, query, cookies or form"
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        """An admin list filtered by a number too large for the database (a year of 23
        digits in its address): Django's filters pass it on, and it is a 400, not a 500."""
        if isinstance(exception, OverflowError) and request.path.startswith(str(ADMIN_PATH)):
            return bad_request(request, SuspiciousOperation(str(exception)))
        return None


def _nul_in_form(request) -> bool:
    if request.method != "POST" or request.content_type != "application/x-www-form-urlencoded":
        return False
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.POST.lists()
    )


class CallCenterTimeZoneMiddleware:
    """Show dates and times in the time zone of the call center the user works in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        center = current_call_center(request) if request.user.is_authenticated else None
        if center is not None:
            timezone.activate(zoneinfo.ZoneInfo(center.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class IdleSessionMiddleware:
    """End a session after SESSION_IDLE_MINUTES without a request, not while a clerk works.

    Django's session expiry runs from the last save; saving on every request would
    write the session row on every click, so the expiry is pushed forward at most once
    every SESSION_REFRESH_SECONDS, and a session lives that much longer than the idle
    time (SESSION_COOKIE_AGE): it never ends before SESSION_IDLE_MINUTES without a request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("_seen", 0) >= settings.SESSION_REFRESH_SECONDS:
                session["_seen"] = now
        return self.get_response(request)


SESSION_ENDED = _(
    "Your session has ended, so nothing was looked up. Copy what you typed if you need it, "
    "then reload the page and log in again."
)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, except for a click on an order screen (an htmx request) made after the
    session ended: the whole page goes to the login page, and once logged in back to the
    page the click was made on.

    Answered with a plain redirect, htmx would follow it itself and put the login page
    inside the panel the click was to change, and the login would then send the clerk
    to the click's own address, which only takes posts.
    """

    def handle_no_permission(self, request, view_func):
        if not getattr(request, "htmx", False):
            return super().handle_no_permission(request, view_func)
        if request.method == "GET" and request.htmx.trigger_name:
            # a lookup made while typing (the item suggestions): the page and what was
            # typed stay; the clerk is told to log in again
            return said_in_place(request, 401, str(SESSION_ENDED))
        login = redirect_to_login(
            request.htmx.current_url_abs_path or "/",  # None from another site
            resolve_url(self.get_login_url(view_func)),
            self.get_redirect_field_name(view_func),
        )
        return HttpResponseClientRedirect(login.url)
