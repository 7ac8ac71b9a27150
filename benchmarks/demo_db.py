"""The benchmarks' PostgreSQL databases: a fresh demo database with clerks of its own (what the
soak and the load test start from), or the large data set's, kept between runs."""

import psycopg


def fresh_database(server: str, name: str) -> str:
    """Drop and create database ``name`` on ``server`` (``postgres://user@host:port``); its URL."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def ensure_database(server: str, name: str) -> str:
    """Create database ``name`` on ``server`` unless it is there (kept between runs); its URL."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def demo_clerks(prefix: str, count: int, *, password: str | None = None, start: int = 0):
    """``count`` users ``{prefix}{start}``, ... with the demo ``clerk``'s role in the USRT call
    center (Django set up, the demo data loaded). One password hash for all (none: they cannot
    log in), so a thousand clerks cost one hash."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from callcenter.models import CallCenter, ChannelUser

    center = CallCenter.objects.get(code="USRT-CC")
    hashed = make_password(password)
    users = []
    for i in range(start, start + count):
        user, _ = get_user_model().objects.get_or_create(
            username=f"{prefix}{i}", defaults={"password": hashed}
        )
        ChannelUser.objects.get_or_create(
            call_center=center,
            user=user,
            defaults={"name": f"Clerk {prefix}{i}", "role": ChannelUser.Role.CLERK},
        )
        users.append(user)
    return users
