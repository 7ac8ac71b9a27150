from .access import current_call_center


def call_center(request):
    """The call center the user works in, for the page header."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"current_call_center": current_call_center(request)}
