"""Shared fixtures. Run the suite with DEBUG=1 in the environment (``make test`` does):
the settings need it for the development secret key; the deployment settings are
checked in a process of their own (test_settings.py)."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Logins in tests check passwords with a fast hasher; production keeps PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clerk(db):
    from tests.factories import ChannelUserFactory

    return ChannelUserFactory().user


@pytest.fixture
def call_center(clerk):
    return clerk.channel_memberships.get().call_center
