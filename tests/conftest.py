import os

import pytest

# Tests run with DEBUG on so the development secret key and static files serve;
# the deployment settings are checked separately (test_settings.py).
os.environ.setdefault("DEBUG", "1")


@pytest.fixture
def clerk(db):
    from tests.factories import ChannelUserFactory

    return ChannelUserFactory().user


@pytest.fixture
def call_center(clerk):
    return clerk.channel_memberships.get().call_center
