"""How a refusal answers a click that htmx sent (``HX-Request``)."""

import json

from django.http import HttpRequest, HttpResponse


def said_in_place(request: HttpRequest, status: int, message: str) -> HttpResponse | None:
    """A refusal of an htmx click: no page to swap into the panel it was to change (a whole
    page with its menus would land there), but the message alone, which the page script
    shows where the clerk is looking (``request-refused`` in ``static/js/app.js``), the
    panel left as it was. None for any other request: it gets the page."""
    if request.headers.get("HX-Request") != "true":
        return None
    response = HttpResponse(status=status)
    response["HX-Reswap"] = "none"
    response["HX-Trigger"] = json.dumps({"request-refused": message})  # ASCII: \u escapes
    return response
