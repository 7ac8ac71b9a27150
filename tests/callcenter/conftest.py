import pytest

from tests.factories import CallCenterFactory, ChannelUserFactory, UserFactory


@pytest.fixture
def elsewhere():
    """Another company's call center, with a clerk of its own."""
    center = CallCenterFactory(code="OTHER", company="CONTOSO")
    ChannelUserFactory(call_center=center, user=UserFactory(username="otherclerk"))
    return center
