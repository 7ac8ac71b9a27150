"""The roles of channel users, and the Django groups behind them.

A channel user's role in a call center (clerk, supervisor, manager) puts the
user in the matching group; the groups carry the permissions. Each app grants
its own permissions to the groups in a migration of its own (``grant``), so
this module needs to know no other app.
"""

from django.contrib.auth.management import create_permissions

CLERK, SUPERVISOR, MANAGER = "clerk", "supervisor", "manager"

GROUPS = {
    CLERK: "Call center clerks",
    SUPERVISOR: "Call center supervisors",
    MANAGER: "Call center managers",
}

#: each role may do what the roles before it may do
RANK = {CLERK: 1, SUPERVISOR: 2, MANAGER: 3}


def roles_from(role: str) -> list[str]:
    """The roles at or above ``role``: the groups that get a permission granted to it."""
    return [name for name, rank in RANK.items() if rank >= RANK[role]]


def grant(apps, app_label: str, permissions: dict[str, list[str]]) -> None:
    """For a data migration: give ``role -> [codename, ...]`` permissions of an app.

    A permission granted to a role is granted to every role above it.
    Permissions are normally created after migrations; create them now.
    """
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in permissions.items():
        perms = list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in perms}
        if missing:
            raise LookupError(f"{app_label}: no permission {sorted(missing)}")
        for holder in roles_from(role):
            group, _ = Group.objects.get_or_create(name=GROUPS[holder])
            group.permissions.add(*perms)


def revoke(apps, app_label: str, permissions: dict[str, list[str]]) -> None:
    """Reverse of :func:`grant`."""
    Group = apps.get_model("auth", "Group")
    for role, codenames in permissions.items():
        for holder in roles_from(role):
            group = Group.objects.filter(name=GROUPS[holder]).first()
            if group:
                group.permissions.remove(
                    *group.permissions.filter(
                        content_type__app_label=app_label, codename__in=codenames
                    )
                )


def sync_groups(user) -> None:
    """Put the user in the groups of the roles they hold in any call center, and no others.

    A manager configures their call centers in the admin, so becoming one gives
    staff status (it is not taken away automatically).
    """
    from django.contrib.auth.models import Group

    from .models import ChannelUser

    held = set(ChannelUser.objects.filter(user=user).values_list("role", flat=True))
    for role, name in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if role in held:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    if MANAGER in held and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
