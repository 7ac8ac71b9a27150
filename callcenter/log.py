"""What the application's log lines carry, beyond Django's defaults (``LOGGING``)."""

import logging


class OneLineWarning(logging.Filter):
    """Writes the records of its logger as one WARNING line each: the message, without
    the traceback. For refusals that say all there is in their message and that anyone
    on the internet can cause at will (a request for a host name the site does not
    serve), which would otherwise write an error and its traceback every time."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info = record.exc_text = record.stack_info = None
        return logging.getLogger(record.name).isEnabledFor(logging.WARNING)
