"""Shared fixtures. Run the suite with DEBUG=1 in the environment (``make test`` does):
the settings need it for the development secret key; the deployment settings are
checked in a process of their own (test_settings.py)."""

import pytest
from django.utils import translation


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run in the PostgreSQL run of the suite (``make test`` does
    both runs, CI requires both), tests marked ``sqlite`` in the SQLite run; each run
    leaves the others' out and says how many."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    other = "sqlite" if on_postgres else "postgres"
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(other)]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Logins in tests check passwords with a fast hasher; production keeps PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request in French (the locale
    middleware activates the caller's language for the thread) does not leak into
    the next test's messages."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def clerk(db):
    from tests.factories import ChannelUserFactory

    return ChannelUserFactory().user


@pytest.fixture
def logged_in(client, clerk):
    """The test client logged in as the clerk."""
    client.force_login(clerk)
    return client


@pytest.fixture
def counted_client(client, clerk):
    """The clerk's client, for counting a page's queries: logged in, and its session's
    first request (which records when it was seen, a session save) already made, so
    the requests measured all do the same work."""
    from django.urls import reverse

    client.force_login(clerk)
    client.get(reverse("customers:service"))
    return client


@pytest.fixture
def call_center(clerk):
    return clerk.channel_memberships.get().call_center


@pytest.fixture
def manager(call_center):
    """A manager of the clerk's call center (staff, from the role), for the admin."""
    from callcenter.models import ChannelUser
    from tests.factories import ChannelUserFactory

    return ChannelUserFactory(call_center=call_center, role=ChannelUser.Role.MANAGER).user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def superuser_client(client):
    """The test client logged in as an administrator (a superuser, staff)."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client
