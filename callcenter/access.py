"""Who may act in which call center.

Only a call center's channel users take or see its orders, and only users of a
company's call centers see its customers; everyone else gets a 404, as if the
order or customer did not exist. What a channel user may do there comes from
the permissions of their role's group *in that call center* (``role_may``): a user
who is a supervisor in one center and a clerk in another is a clerk in the second.
"""

from functools import wraps

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import auth, reference
from .htmx import said_in_place
from .models import CallCenter, ChannelUser
from .roles import GROUPS

SESSION_KEY = "call_center_id"
NOT_A_CHANNEL_USER = _(
    "You are not a user of any active call center, so you cannot look up customers or take "
    "orders. Ask an administrator to add you as a channel user of your call center."
)
#: the attribute ``memberships`` sets on the request's user: their active call centers by id
CALL_CENTERS = "_channel_call_centers"
#: and their role in each, by the call center's id
ROLES = "_channel_roles"


def memberships(request: HttpRequest) -> list[ChannelUser]:
    """The user's channel memberships in active call centers, cached on the request."""
    cached = getattr(request, "_channel_memberships", None)
    if cached is None:
        cached = []
        if request.user.is_authenticated:
            cached = list(
                ChannelUser.objects.filter(user=request.user, call_center__is_active=True)
                .select_related("call_center__default_delivery_mode")
                .order_by("pk")  # the center they joined first comes first
            )
            # the services' own checks in this request use them (``call_centers_of``)
            setattr(request.user, CALL_CENTERS, {m.call_center_id: m.call_center for m in cached})
            setattr(request.user, ROLES, {m.call_center_id: m.role for m in cached})
        if cached:  # the version of the setup data their permissions are kept with
            setattr(request.user, auth.VERSION_FROM, cached[0].call_center)
        request._channel_memberships = cached
    return cached


def call_centers_of(user) -> dict[int, CallCenter] | None:
    """The active call centers ``user`` is a channel user of, by id, as read at the start
    of the request ``user`` came with (``memberships``); None for a user that came with
    none (a command, a test): then they are to be read."""
    return getattr(user, CALL_CENTERS, None)


def membership_in(request: HttpRequest, call_center_id: int | None) -> ChannelUser | None:
    """The user's membership of that active call center, from those the request read."""
    return next((m for m in memberships(request) if m.call_center_id == call_center_id), None)


def current_membership(request: HttpRequest) -> ChannelUser | None:
    """The call center the user works in now: the one chosen this session, else their first."""
    members = memberships(request)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return membership_in(request, chosen) or (members[0] if members else None)


def current_call_center(request: HttpRequest) -> CallCenter | None:
    member = current_membership(request)
    return member.call_center if member else None


def switch_call_center(request: HttpRequest, call_center_id: int) -> CallCenter | None:
    """Make one of the user's call centers the current one; None if they are not its user."""
    member = membership_in(request, call_center_id)
    if member is None:
        return None
    request.session[SESSION_KEY] = call_center_id
    return member.call_center


def companies_of(request: HttpRequest) -> set[str]:
    """The companies whose customers the user may see: those of their call centers."""
    return {member.call_center.company for member in memberships(request)}


def role_permissions(call_center: CallCenter, role: str) -> frozenset[str]:
    """The permissions (``app_label.codename``) of a role's group, kept with the call
    center's setup data (a change of a group's permissions gives it a new version)."""
    return reference.cached(
        call_center,
        "role_permissions",
        lambda: auth.permission_names(Permission.objects.filter(group__name=GROUPS[role])),
        role,
    )


def _own_permissions(call_center: CallCenter, user) -> frozenset[str]:
    """The permissions an administrator gave ``user`` themselves, not through a role."""
    return reference.cached(
        call_center,
        "own_permissions",
        lambda: auth.permission_names(Permission.objects.filter(user=user)),
        user.pk,
    )


def role_in(user, call_center_id: int) -> str | None:
    """``user``'s role in that call center, or None: from the memberships their request
    read (``memberships``), else (a command, a test) read now."""
    roles = getattr(user, ROLES, None)
    if roles is not None:
        return roles.get(call_center_id)
    return (
        ChannelUser.objects.filter(user=user, call_center_id=call_center_id)
        .values_list("role", flat=True)
        .first()
    )


def centers_where(request: HttpRequest, permission: str) -> list[CallCenter]:
    """The user's active call centers where their role carries ``permission``."""
    return [
        member.call_center
        for member in memberships(request)
        if role_may(request.user, permission, member.call_center)
    ]


def role_may(user, permission: str, call_center: CallCenter) -> bool:
    """Whether ``user``'s role in ``call_center`` carries ``permission``: a supervisor of
    one center who is a clerk of another may do there only what a clerk may. A permission
    an administrator gave the user themselves counts in each of their centers; a
    superuser may do anything, as Django's own checks say."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    role = role_in(user, call_center.pk)
    if role is None:
        return False
    return permission in role_permissions(call_center, role) or permission in _own_permissions(
        call_center, user
    )


def require_permission(
    request: HttpRequest, permission: str, *, call_center: CallCenter | None = None
) -> None:
    """Refuse (403) a channel user whose role does not carry the permission (their role
    in ``call_center``, if given: for what is done in one center); a user who is no
    longer a channel user of any active call center (removed while a page was open) is
    told so, not that their role falls short."""
    allowed = (
        request.user.has_perm(permission)
        if call_center is None
        else role_may(request.user, permission, call_center)
    )
    if not allowed:
        if not memberships(request):
            raise PermissionDenied(NOT_A_CHANNEL_USER)
        raise PermissionDenied


def channel_user_required(view):
    """Let through only users of at least one active call center; others get a 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if current_call_center(request) is None:
            # removed from their last call center while a page of it was open
            refused = said_in_place(request, 403, str(NOT_A_CHANNEL_USER))
            return refused or render(
                request,
                "callcenter/not_channel_user.html",
                {"message": NOT_A_CHANNEL_USER},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper
