"""Where a posted form asks to go back to."""

from django.utils.http import url_has_allowed_host_and_scheme


def posted_next(request) -> str:
    """The ``next`` address the form posted when it is on this site, else "" (an address
    off the site is never followed)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""
