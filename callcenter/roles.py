"""The roles of channel users, and the Django groups behind them.

A channel user's role in a call center (clerk, supervisor, manager) puts the
user in the matching group; the groups carry the permissions. Each app declares
which role gets which of its permissions (``role_permissions`` on its
AppConfig), so this module needs to know no other app.
"""

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


def grant_role_permissions(app_config, *, using: str = "default", **kwargs) -> None:
    """``post_migrate``: give each role group the permissions its app declares.

    An app declares ``role_permissions = {role: [codename, ...]}`` on its
    AppConfig; a permission granted to a role goes to every role above it. Run
    after every ``migrate`` (and after a test flush): groups and grants that are
    missing are created, nothing is taken away.
    """
    from django.contrib.auth.models import Group, Permission

    declared = getattr(app_config, "role_permissions", None)
    if not declared:
        return
    # a partial migrate (``migrate contenttypes``): the permissions and groups, or the
    # app's own models, are not in the database yet; the full migrate grants them
    state = kwargs.get("apps")
    if state is not None:
        try:
            state.get_model("auth", "Permission")
            state.get_app_config(app_config.label)
        except LookupError:
            return
    for role, codenames in declared.items():
        perms = list(
            Permission.objects.using(using).filter(
                content_type__app_label=app_config.label, codename__in=codenames
            )
        )
        missing = set(codenames) - {p.codename for p in perms}
        if missing:
            raise LookupError(f"{app_config.label}: no permission {sorted(missing)}")
        for holder in roles_from(role):
            group, _ = Group.objects.using(using).get_or_create(name=GROUPS[holder])
            group.permissions.add(*perms)


def sync_groups(user) -> None:
    """Put the user in the groups of the roles they hold in any call center, and no others.

    A manager configures their call centers in the admin, so becoming one gives
    staff status. A manager who is one no longer (in no call center) loses it, unless
    they are a superuser or hold admin rights of their own (their own permissions, or
    a group that is no role's): those an administrator gave, not the role.
    """
    from django.contrib.auth.models import Group

    from .models import ChannelUser

    held = set(ChannelUser.objects.filter(user=user).values_list("role", flat=True))
    member_of = set(user.groups.filter(name__in=GROUPS.values()).values_list("name", flat=True))
    for role, name in GROUPS.items():
        if (role in held) == (name in member_of):
            continue  # a change of groups renews every call center's setup data version
        group, _ = Group.objects.get_or_create(name=name)
        if role in held:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    if MANAGER in held and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    elif (
        MANAGER not in held
        and GROUPS[MANAGER] in member_of
        and user.is_staff
        and not user.is_superuser
        and not user.user_permissions.exists()
        and not user.groups.exclude(name__in=GROUPS.values()).exists()
    ):
        user.is_staff = False
        user.save(update_fields=["is_staff"])
