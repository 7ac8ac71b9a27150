"""The app as production runs it: gunicorn with several workers, DEBUG off, whitenoise.

A clerk's session must survive whichever worker answers (nothing is kept per
process), and static files are served with hashed names and long cache lives.
The same holds for N servers behind a load balancer sharing one database.
"""

import http.client
import json
import re

import pytest

from benchmarks.serving import serving
from tests.http_browser import Browser

PASSWORD = "a-long-pass-phrase"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(
        tmp_path_factory.mktemp("production"),
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
