import time
import zoneinfo

from django.utils import timezone

from .access import current_call_center


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
    write the session row on every click, so the expiry is pushed forward at most
    once a minute.
    """

    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("_seen", 0) >= self.REFRESH_SECONDS:
                session["_seen"] = now
        return self.get_response(request)
