"""The app as production runs it: gunicorn with several workers, DEBUG off, whitenoise.

A clerk's session must survive whichever worker answers (nothing is kept per
process), and static files are served with hashed names and long cache lives.
The same holds for N servers behind a load balancer sharing one database.
"""

import http.client
import json
import re
import time

import pytest

from benchmarks.serving import serving
from tests.http_browser import Browser

PASSWORD = "a-long-pass-phrase"


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    return tmp_path_factory.mktemp("production")


@pytest.fixture(scope="module")
def server(directory):
    with serving(
        directory,
        GUNICORN_ACCESS_LOG=str(directory / "access.log"),
        setup="from tests.factories import ChannelUserFactory, UserFactory; "
        f"ChannelUserFactory(user=UserFactory(username='prod-clerk', password={PASSWORD!r}))",
        GUNICORN_WORKERS="3",
        # every worker serves one request and is replaced: no request can lean on
        # anything an earlier one left in a process
        GUNICORN_MAX_REQUESTS="1",
        GUNICORN_MAX_REQUESTS_JITTER="0",
    ) as (port, _env, _printed):
        yield port


def test_a_clerk_stays_logged_in_though_every_request_meets_a_new_worker(server):
    browser = Browser(server)
    browser.log_in("prod-clerk", PASSWORD)  # asserts the login's redirect
    for _ in range(8):
        response, page = browser.request("GET", "/")
        assert response.status == 200
        assert re.search(r"<h1[^>]*>Customer service</h1>", page)
    assert response.getheader("Strict-Transport-Security").startswith("max-age=")


def test_the_load_balancer_s_health_check_is_answered_by_address_over_plain_http(server):
    """A balancer asks by the server's address, which is not one of ALLOWED_HOSTS."""
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    connection.request("GET", "/healthz", headers={"Host": "10.1.2.3:8000"})
    response = connection.getresponse()
    states = json.loads(response.read())
    assert response.status == 200
    assert states["status"] == "ok" and states["database"] == "ok"
    assert response.getheader("Set-Cookie") is None
    connection.request("GET", "/accounts/login/", headers={"Host": "10.1.2.3:8000"})
    assert connection.getresponse().status == 400  # pages are still refused that way
    connection.close()


def test_static_files_have_hashed_names_and_long_cache_lives(server):
    browser = Browser(server)
    _, page = browser.request("GET", "/accounts/login/")
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the hashed file name"
    response, _ = browser.request("GET", stylesheet.group(1))
    assert response.status == 200
    assert "max-age=315360000" in response.getheader("Cache-Control")


def test_each_request_is_logged_with_its_time_on_the_server_and_the_balancer_s_id(
    server, directory
):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    connection.request(
        "GET", "/healthz?q=karen.berg", headers={"X-Request-ID": "lb-access-log-test"}
    )
    assert connection.getresponse().status == 200
    connection.close()
    log = directory / "access.log"
    deadline = time.monotonic() + 10
    while "lb-access-log-test" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)  # a worker writes its line as the response goes out
    line = next(line for line in log.read_text().splitlines() if "lb-access-log-test" in line)
    # the path without its query string: what a search carries stays out of the log
    assert re.search(r'"GET /healthz HTTP/1\.1" 200 \d+ .* \d+ms lb-access-log-test$', line)
    assert "karen" not in line
