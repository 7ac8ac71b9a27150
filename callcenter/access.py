"""Who may act in which call center.

Only a call center's channel users take or see its orders; everyone else gets
a 404, as if the order did not exist.
"""

from functools import wraps

from django.http import HttpRequest
from django.shortcuts import render

from .models import CallCenter, ChannelUser


def call_centers_of(user) -> "list[CallCenter]":
    return list(CallCenter.objects.of_user(user).select_related("default_delivery_mode"))


def current_call_center(request: HttpRequest) -> CallCenter | None:
    """The call center the user works in now: their first one until they can choose."""
    centers = getattr(request, "_call_centers", None)
    if centers is None:
        centers = request._call_centers = call_centers_of(request.user)
    return centers[0] if centers else None


def is_channel_user(user, call_center_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return ChannelUser.objects.filter(
        user=user, call_center_id=call_center_id, call_center__is_active=True
    ).exists()


def role_in(user, call_center_id: int) -> str | None:
    return (
        ChannelUser.objects.filter(user=user, call_center_id=call_center_id)
        .values_list("role", flat=True)
        .first()
    )


def channel_user_required(view):
    """Let through only users of at least one active call center; others get a 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if current_call_center(request) is None:
            return render(request, "callcenter/not_channel_user.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
