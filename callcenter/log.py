"""What the application's log lines carry, beyond Django's defaults (``LOGGING``)."""

import contextvars
import logging
import re

#: the load balancer's X-Request-ID of the request being served ("-" outside one)
REQUEST_ID = contextvars.ContextVar("request_id", default="-")
# what an id may hold: a header anyone can send must not write a line of its own
_READABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")


def request_started(sender, environ=None, **kwargs) -> None:
    """``request_started``: keep the request's ``X-Request-ID`` (the one gunicorn's access
    log line ends with) for the application's log lines of that request, Django's own
    "Not Found" and "Internal Server Error" lines included (written after the middleware
    have returned): a traceback is then found from the access log line of its click."""
    sent = (environ or {}).get("HTTP_X_REQUEST_ID", "")
    REQUEST_ID.set(sent if _READABLE_ID.fullmatch(sent) else "-")


def request_finished(sender, **kwargs) -> None:
    """``request_finished`` (the response sent and closed): no request any more."""
    REQUEST_ID.set("-")


class RequestId(logging.Filter):
    """Gives each record the ``request_id`` of the request it was logged in."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class OneLineWarning(logging.Filter):
    """Writes the records of its logger as one WARNING line each: the message, without
    the traceback. For refusals that say all there is in their message and that anyone
    on the internet can cause at will (a request for a host name the site does not
    serve), which would otherwise write an error and its traceback every time."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = record.exc_text = record.stack_info = None
        return logging.getLogger(record.name).isEnabledFor(logging.WARNING)
