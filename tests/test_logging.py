"""The application's log lines: each says when, which process, how grave and from which
logger, and a request for a host name the site does not serve is one warning line."""

import logging
import re

import pytest

from tests.test_settings import manage

LINE = re.compile(
    r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[(?P<process>\d+)\] "
    r"\[(?P<level>[A-Z]+)\] \[(?P<request>[^\]]+)\] (?P<logger>[\w.]+): (?P<message>.*)"
)


def test_a_log_line_says_when_which_process_how_grave_and_from_where():
    result = manage(
        "shell",
        "-c",
        "import logging, os; print(os.getpid()); "
        "logging.getLogger('callcenter.health').warning('the %s is unavailable', 'cache')",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    lines = [LINE.fullmatch(line) for line in result.stderr.splitlines()]
    logged = [line.groupdict() for line in lines if line]
    assert logged == [
        {
            "process": result.stdout.strip().splitlines()[-1],
            "level": "WARNING",
            "request": "-",  # no request: no id
            "logger": "callcenter.health",
            "message": "the cache is unavailable",
        }
    ], result.stderr


@pytest.mark.django_db
def test_a_request_for_a_host_not_served_is_one_warning_line_without_traceback(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/", HTTP_HOST="scanner.example")
    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.levelname == "WARNING"
    assert record.getMessage().startswith("Invalid HTTP_HOST header: 'scanner.example'.")
    assert record.exc_info is None and record.exc_text is None
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "logged"),
    [("lb-7f3c-42", "lb-7f3c-42"), ("forged\n[ERROR] line", "-"), ("", "-")],
)
def test_a_request_s_log_lines_carry_the_balancer_s_request_id(client, caplog, sent, logged):
    """The id gunicorn's access log line ends with: a traceback is found from the click.
    One that is not a plain id (a line break, to forge a log line) is not written."""
    from callcenter.log import RequestId

    caplog.handler.addFilter(RequestId())
    caplog.set_level(logging.INFO)
    client.get("/", HTTP_HOST="scanner.example", HTTP_X_REQUEST_ID=sent)
    [record] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.request_id == logged


@pytest.mark.django_db
def test_django_s_not_found_line_carries_the_request_id_too(client, clerk, caplog):
    """Written after the middleware have returned: the id is kept until the response is
    sent (``request_finished``), then forgotten."""
    from callcenter.log import REQUEST_ID, RequestId

    caplog.handler.addFilter(RequestId())
    caplog.set_level(logging.INFO)
    client.force_login(clerk)
    response = client.get("/orders/NO-SUCH-ORDER/", HTTP_X_REQUEST_ID="lb-404")
    assert response.status_code == 404
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Not Found")
    assert record.request_id == "lb-404"
    assert REQUEST_ID.get() == "-"  # the request is over
