"""Setup data kept by an app process is renewed when another process changes it.

One gunicorn worker serves the order page and keeps the call center's scripts;
the script is then edited by another process (``manage.py shell``, as another
app server or an admin's request on one would), which never talks to the worker.
The worker's next page must show the new text: it learns of the change only from
the call center's ``reference_version`` in the shared database.
"""

import pytest

from benchmarks.serving import manage, serving
from tests.http_browser import Browser

PASSWORD = "a-long-pass-phrase"

SETUP = f"""
from tests.factories import ChannelUserFactory, ScriptFactory, UserFactory, make_order
clerk = ChannelUserFactory(user=UserFactory(username="kept-clerk", password={PASSWORD!r}))
ScriptFactory(call_center=clerk.call_center, name="Greeting", text="Welcome to the spring sale.")
print(make_order(clerk=clerk.user).number)
"""

EDIT = """
from catalog.models import Script
script = Script.objects.get(name="Greeting")
script.text = "Welcome to the summer sale."
script.save()
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with serving(
        tmp_path_factory.mktemp("kept"),
        setup=SETUP,
        GUNICORN_WORKERS="1",  # one process that keeps what it read, request after request
        GUNICORN_MAX_REQUESTS="0",
    ) as (port, env, printed):
        yield port, printed.strip().splitlines()[-1], env


def test_a_script_edited_by_another_process_shows_on_the_next_page(served):
    port, number, env = served
    browser = Browser(port)
    browser.log_in("kept-clerk", PASSWORD)
    for _ in range(3):
        response, page = browser.request("GET", f"/orders/{number}/")
        assert response.status == 200
        assert "Welcome to the spring sale." in page
    manage(env, "shell", "-c", EDIT)
    for _ in range(3):
        response, page = browser.request("GET", f"/orders/{number}/")
        assert response.status == 200
        assert "Welcome to the summer sale." in page
        assert "Welcome to the spring sale." not in page
