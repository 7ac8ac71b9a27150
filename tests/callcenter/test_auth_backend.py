"""The authentication backend reads the same permissions as Django's, in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission

from callcenter.auth import ModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache


def test_own_and_group_permissions_are_read_in_one_query(django_assert_num_queries):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_customer"))
    group = Group.objects.create(name="Clerks")
    group.permissions.add(
        Permission.objects.get(codename="add_salesorder"),
        Permission.objects.get(codename="view_customer"),  # both ways: counted once
    )
    user.groups.add(group)
    expected = DjangoModelBackend().get_all_permissions(fresh(user))
    assert expected == {"customers.view_customer", "orders.add_salesorder"}
    user = fresh(user)
    with django_assert_num_queries(1):
        assert ModelBackend().get_all_permissions(user) == expected
        assert ModelBackend().has_perm(user, "orders.add_salesorder")
        assert not ModelBackend().has_perm(user, "orders.delete_salesorder")


def test_a_superuser_has_every_permission_and_an_inactive_user_none():
    admin = UserFactory(is_superuser=True)
    assert ModelBackend().get_all_permissions(fresh(admin)) == (
        DjangoModelBackend().get_all_permissions(fresh(admin))
    )
    assert len(ModelBackend().get_all_permissions(fresh(admin))) == Permission.objects.count()
    inactive = UserFactory(is_active=False, is_superuser=True)
    assert ModelBackend().get_all_permissions(fresh(inactive)) == set()
    assert not ModelBackend().has_perm(fresh(inactive), "orders.add_salesorder")
