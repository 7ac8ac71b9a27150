import sys

from django.conf import settings
from django.contrib import messages
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_GET, require_POST
from redis.exceptions import ConnectionError as CacheConnectionError
from redis.exceptions import TimeoutError as CacheTimeoutError

from .access import channel_user_required, switch_call_center
from .htmx import said_in_place


@require_POST
@channel_user_required
def switch(request):
    """Make another of the user's call centers the current one (remembered for the session)."""
    try:
        call_center_id = int(request.POST.get("call_center", ""))
    except ValueError:
        call_center_id = None
    center = switch_call_center(request, call_center_id) if call_center_id else None
    if center is None:
        messages.error(request, _("You are not a user of that call center."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "customers:service"
    return redirect(next_url)


def login_locked_out(request, response=None, credentials=None):
    """What django-axes answers to a login refused after too many failures (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"lockout_minutes": minutes}, status=429)


@require_GET
@channel_user_required
def shortcuts(request):
    """The list of keyboard shortcuts, opened with "?" (a dialog swapped into the page)."""
    return render(request, "callcenter/_shortcuts.html")


#: seconds a client is asked to wait before trying again when the database did not answer
RETRY_AFTER = 5

#: what a database or the shared cache (Redis, where the sessions are read with
#: ``REDIS_URL``) raises when it is busy or cannot be reached
UNAVAILABLE = (OperationalError, InterfaceError, CacheConnectionError, CacheTimeoutError)


def server_error(request):
    """The page of an error the application did not expect (500), or of a database or
    cache that did not answer in time or at all (503: a lock waited on past
    ``lock_timeout``, a lost connection, Redis down), which tells the clerk to try again
    in a moment.

    Django calls it while handling the exception, after logging it; neither page reads
    the database or the cache. An htmx request gets the same status, and the page script
    says it.
    """
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return defaults.server_error(request)


def _refused(request, title: str, message: str) -> HttpResponse:
    return said_in_place(request, 403, message) or render(
        request, "403.html", {"title": title, "message": message}, status=403
    )


def bad_request(request, exception):
    """A request that could not be read (400): too large, or not well formed. The page is
    rendered without the request, as Django's own is: what made it bad may be in it."""
    message = _(
        "The page could not accept what was sent: it was too large or not well formed. Go "
        "back, shorten what you typed, and try again; nothing was saved."
    )
    page = loader.get_template("400.html").render({"message": message})
    return said_in_place(request, 400, message) or HttpResponseBadRequest(page)


def permission_denied(request, exception=None):
    """What the clerk's role does not allow (403)."""
    message = str(exception or "") or _(
        "Your role in this call center does not allow this. Ask a supervisor."
    )
    return _refused(request, _("Not allowed"), message)


def csrf_failure(request, reason=""):
    """A form sent from a page opened before the clerk last logged in: logging in renews
    the token every form of the page carries, so the old page's forms are refused (403)."""
    message = _(
        "This page is out of date: it was opened before you last logged in. Reload the "
        "page, then do it again; nothing was changed."
    )
    return _refused(request, _("Page out of date"), message)


def page_not_found(request, exception):
    """Nothing there for this user (404): an address typed wrong, or an order or customer
    of a call center they do not work in now, as if it did not exist. A click on a page
    whose order is no longer theirs to see (the call center switched in another tab) is
    told to reload."""
    message = _(
        "What this page shows is no longer there for you (was the call center switched in "
        "another tab?). Reload the page."
    )
    return said_in_place(request, 404, message) or defaults.page_not_found(request, exception)
