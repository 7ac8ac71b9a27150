from .access import current_membership, memberships


def call_center(request):
    """The call center the user works in, and the others they may switch to, for the header."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = current_membership(request)
    return {
        "current_call_center": current.call_center if current else None,
        "current_role": current.get_role_display() if current else "",
        "channel_memberships": memberships(request),
    }
