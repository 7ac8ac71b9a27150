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
