"""Setup data read on every click, kept in each app process until it changes.

Tax rates, charge rules, scripts, price override reasons... are set up in the
admin and read by nearly every request of the order-taking flow. Each app
process keeps what it read, keyed by the call center's ``reference_version``;
a change to such data (a save or delete in the admin, a fixture, a script) gives
the call centers it concerns a new random version in the same transaction. Every
request reads that version with the call center row it loads anyway (joined to
the order, or to the clerk's membership), so a change made on any app server is
seen by all of them on their next request, without messages between servers.

Changes that bypass model signals (``QuerySet.update``, raw SQL) are not seen
until the entry is ``REFERENCE_DATA_SECONDS`` old (60 s by default): call
:func:`changed` (or ``manage.py refresh_setup_data``) after such a change.

Cached values are shared between requests: loaders return tuples or frozen
objects, and callers never modify them.
"""

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

MAX_ENTRIES = 16384  # setup data, and the trade agreements of the products sold

_entries: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


def new_version() -> int:
    """A version no call center had before: a rolled-back change's version never comes back."""
    return secrets.randbits(62)


_MISSING = object()


def _full_key(call_center, name: str, *key) -> tuple:
    return (name, call_center.pk, call_center.reference_version, *key)


def _kept(full_key: tuple, now: float):
    """The value kept under ``full_key`` and not expired, else ``_MISSING``; the caller
    holds ``_lock``."""
    entry = _entries.get(full_key)
    if entry is None or entry[0] <= now:
        return _MISSING
    _entries.move_to_end(full_key)
    return entry[1]


def _keep(values: dict[tuple, object], now: float) -> None:
    """Keep each value under its full key, the oldest entries going past ``MAX_ENTRIES``."""
    expiry = now + settings.REFERENCE_DATA_SECONDS
    with _lock:
        for full_key, value in values.items():
            _entries[full_key] = (expiry, value)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def cached(call_center, name: str, load: Callable[[], T], *key) -> T:
    """``load()``, or what it returned before for the same call center data.

    ``call_center`` must have been read in this request (its ``reference_version``
    says which data is current); ``key`` names whatever else ``load`` depends on
    (a country, a mode of delivery, the language of translated texts, today's date).
    """
    full_key = _full_key(call_center, name, *key)
    now = time.monotonic()
    with _lock:
        value = _kept(full_key, now)
    if value is _MISSING:
        value = load()
        _keep({full_key: value}, now)
    return value  # type: ignore[return-value]


def cached_each(
    call_center, name: str, keys: Iterable, load_missing: Callable[[set], dict]
) -> dict:
    """For each of ``keys``, what ``load_missing`` returned for it, kept as ``cached``
    keeps a value; ``load_missing(keys)`` is called once, with the keys not kept, and
    must return a value for every key it is given."""
    now = time.monotonic()
    found, missing = {}, set()
    with _lock:
        for key in keys:
            value = _kept(_full_key(call_center, name, key), now)
            if value is _MISSING:
                missing.add(key)
            else:
                found[key] = value
    if missing:
        loaded = load_missing(missing)
        _keep({_full_key(call_center, name, key): loaded[key] for key in missing}, now)
        found.update((key, loaded[key]) for key in missing)
    return found


def clear() -> None:
    """Forget everything this process read."""
    with _lock:
        _entries.clear()


def changed(call_center_ids: Iterable[int] | None = None) -> None:
    """Setup data of these call centers (None: of every call center) changed.

    Runs in the changing transaction: if it rolls back, so does the new version.
    """
    from .models import CallCenter

    clear()
    centers = CallCenter.objects.all()
    if call_center_ids is not None:
        centers = centers.filter(pk__in=[pk for pk in call_center_ids if pk is not None])
    centers.update(reference_version=new_version())


def watch(*models, call_center_of: Callable[[object], int | None] | None = None) -> None:
    """Treat every save and delete of ``models`` (and changes of their many-to-many
    fields) as a change of setup data: of the call center ``call_center_of(instance)``
    names when a row is created or deleted, else (or when it names none) of all."""

    def receiver(sender, instance, **kwargs) -> None:
        if kwargs.get("action", "post_").startswith("pre_"):
            return  # many-to-many: act once, after the change
        center = None
        # a row created or deleted concerns its own center; an edited one may have
        # moved from another center, which is not known here: then every center
        own_row = kwargs.get("created", True) and "action" not in kwargs
        if call_center_of is not None and own_row and isinstance(instance, models):
            center = call_center_of(instance)
        changed(None if center is None else [center])

    for model in models:
        uid = f"reference-data-{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                receiver, sender=field.remote_field.through, weak=False, dispatch_uid=uid
            )


def watch_links(through) -> None:
    """Treat a change of the many-to-many links ``through`` holds (a call center's modes
    of delivery...) as a change of setup data of every call center."""

    def receiver(sender, action, pk_set=None, **kwargs) -> None:
        if action.startswith("post_") and (pk_set is None or pk_set):  # not an add of nothing
            changed()

    m2m_changed.connect(
        receiver, sender=through, weak=False, dispatch_uid=f"reference-links-{through._meta.label}"
    )
