import sys

from django.conf import settings
from django.contrib import messages
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_GET, require_POST

from .access import channel_user_required, switch_call_center


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


def server_error(request):
    """The page of an error the application did not expect (500), or of a database that did
    not answer in time or at all (503: a lock waited on past ``lock_timeout``, a lost
    connection), which tells the clerk to try again in a moment.

    Django calls it while handling the exception, after logging it; neither page reads
    the database. An htmx request gets the same status, and the page script says it.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return defaults.server_error(request)
