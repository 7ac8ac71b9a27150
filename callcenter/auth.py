"""Authentication backend: Django's ModelBackend, reading a user's permissions in one query.

Every order-taking request checks a permission of the clerk's role; ModelBackend
reads the user's own permissions and their groups' in two queries. Here one
query reads both (the same set, cached on the user for the request), and a
channel user's set is kept with the setup data of their call center
(``callcenter.reference``): a change of any user's groups or permissions, or of
a group's permissions, gives every call center a new version, so every app
server reads the set again on its next request.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from . import reference

#: the attribute ``callcenter.access.memberships`` sets on a channel user: a call center
#: read in this request, whose version says whether kept permissions are current
VERSION_FROM = "_permissions_version_from"


class ModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            center = getattr(user_obj, VERSION_FROM, None)
            if center is None:
                user_obj._perm_cache = _read_permissions(user_obj)
            else:
                user_obj._perm_cache = reference.cached(
                    center,
                    "permissions",
                    lambda: _read_permissions(user_obj),
                    user_obj.pk,
                    user_obj.is_superuser,
                )
        return user_obj._perm_cache


def _read_permissions(user) -> frozenset[str]:
    permissions = Permission.objects.all()
    if not user.is_superuser:
        permissions = permissions.filter(Q(user=user) | Q(group__user=user))
    return permission_names(permissions)


def permission_names(permissions) -> frozenset[str]:
    """The ``app_label.codename`` names of a queryset of permissions, in one query."""
    return frozenset(
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list(
            "content_type__app_label", "codename"
        ).distinct()
    )
