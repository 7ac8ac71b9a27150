"""The app as production runs it: gunicorn with several workers, DEBUG off, whitenoise.

A clerk's session must survive whichever worker answers (nothing is kept per
process), and static files are served with hashed names and long cache lives.
The same holds for N servers behind a load balancer sharing one database.
"""

import re

import pytest

from benchmarks.serving import free_port, manage, production_env, start_gunicorn
from tests.http_browser import Browser

PASSWORD = "a-long-pass-phrase"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    port = free_port()
    env = production_env(
        tmp=tmp,
        port=port,
        database_url=f"sqlite:///{tmp / 'db.sqlite3'}",
        GUNICORN_WORKERS="3",
        # every worker serves one request and is replaced: no request can lean on
        # anything an earlier one left in a process
        GUNICORN_MAX_REQUESTS="1",
        GUNICORN_MAX_REQUESTS_JITTER="0",
    )

    manage(env, "migrate", "--noinput")
    manage(
        env,
        "shell",
        "-c",
        "from tests.factories import ChannelUserFactory, UserFactory; "
        "ChannelUserFactory(user=UserFactory(username='prod-clerk', password=PASSWORD))".replace(
            "PASSWORD", repr(PASSWORD)
        ),
    )
    process = start_gunicorn(env, port, tmp / "gunicorn.log", timeout=30)
    yield port
    process.terminate()
    process.wait(timeout=30)


def test_a_clerk_stays_logged_in_though_every_request_meets_a_new_worker(server):
    browser = Browser(server)
    _, page = browser.request("GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response, _ = browser.request(
        "POST",
        "/accounts/login/",
        {"username": "prod-clerk", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status == 302
    for _ in range(8):
        response, page = browser.request("GET", "/")
        assert response.status == 200
        assert re.search(r"<h1[^>]*>Customer service</h1>", page)
    assert response.getheader("Strict-Transport-Security").startswith("max-age=")


def test_static_files_have_hashed_names_and_long_cache_lives(server):
    browser = Browser(server)
    _, page = browser.request("GET", "/accounts/login/")
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the hashed file name"
    response, _ = browser.request("GET", stylesheet.group(1))
    assert response.status == 200
    assert "max-age=315360000" in response.getheader("Cache-Control")
