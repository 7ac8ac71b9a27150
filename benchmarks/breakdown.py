"""Where a request's server time goes: the database, compiling SQL, templates, the rest.

``instrumented()`` times each request in four parts, by wrapping Django's own entry points
for the length of the benchmark (never in the application):

- database: executing statements (``connection.execute_wrapper``) and commits;
- compiling SQL: the ORM turning querysets into SQL (``SQLCompiler.as_sql`` and its
  INSERT / UPDATE / DELETE / aggregate kinds, outermost call only);
- templates: rendering (``Template.render``, outermost call only), less the database
  and compile time of the queries a template runs itself (a lazy queryset, a tag);
- other Python: the rest (middleware, forms, services, building querysets and model
  objects, the response).

The parts are measured on the same requests as the total, so the wrapping's own cost
(a few microseconds a call) lands in them too: compare the parts, not the total with
an unwrapped run.
"""

import statistics
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, fields

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql import compiler
from django.template import base as template_base

COMPILERS = (
    compiler.SQLCompiler,
    compiler.SQLInsertCompiler,
    compiler.SQLUpdateCompiler,
    compiler.SQLDeleteCompiler,
    compiler.SQLAggregateCompiler,
)


@dataclass(frozen=True)
class Parts:
    total: float
    database: float
    statements: int
    compiling: float
    templates: float

    @property
    def other(self) -> float:
        return self.total - self.database - self.compiling - self.templates


class _Clock:
    """Seconds spent in each part since the last ``reset``, outermost calls only."""

    def __init__(self):
        self.spent = Counter()
        self.statements = 0
        self._inside = Counter()

    def reset(self):
        self.spent.clear()
        self.statements = 0

    def timing(self, part: str, function):
        clock = self

        def timed(*args, **kwargs):
            if clock._inside[part]:
                return function(*args, **kwargs)
            clock._inside[part] += 1
            before = dict(clock.spent)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                clock._inside[part] -= 1
                if part == "templates":  # the queries a template runs are counted apart
                    for nested in ("database", "compiling"):
                        elapsed -= clock.spent[nested] - before.get(nested, 0.0)
                clock.spent[part] += elapsed

        return timed

    def execute(self, execute, sql, params, many, context):
        self.statements += 1
        return self.timing("database", execute)(sql, params, many, context)


@contextmanager
def instrumented():
    """Yields ``measure(request) -> (Parts, response)``; Django's entry points are restored
    after."""
    clock = _Clock()
    patched = [(cls, "as_sql", cls.__dict__["as_sql"]) for cls in COMPILERS]
    patched.append((template_base.Template, "render", template_base.Template.render))
    patched.append((BaseDatabaseWrapper, "_commit", BaseDatabaseWrapper._commit))
    for owner, name, function in patched:
        part = {"as_sql": "compiling", "render": "templates", "_commit": "database"}[name]
        setattr(owner, name, clock.timing(part, function))

    def measure(request) -> tuple[Parts, object]:
        clock.reset()
        start = time.perf_counter()
        response = request()
        total = time.perf_counter() - start
        parts = Parts(
            total=total * 1000,
            database=clock.spent["database"] * 1000,
            statements=clock.statements,
            compiling=clock.spent["compiling"] * 1000,
            templates=clock.spent["templates"] * 1000,
        )
        return parts, response

    try:
        with connection.execute_wrapper(clock.execute):
            yield measure
    finally:
        for owner, name, function in patched:
            setattr(owner, name, function)


def _each_part(samples: list[Parts], combine) -> Parts:
    values = {
        field.name: combine([getattr(sample, field.name) for sample in samples])
        for field in fields(Parts)
    }
    return Parts(**{**values, "statements": round(values["statements"])})


def median_parts(samples: list[Parts]) -> Parts:
    """Each part's median (so the parts of one row need not add up to its total exactly)."""
    return _each_part(samples, statistics.median)


def summed_parts(samples: list[Parts]) -> Parts:
    """Each part summed: the steps of a whole order."""
    return _each_part(samples, sum)


HEADER = (
    f"  {'':<28} {'total':>7} {'database':>9} {'statements':>10} {'compiling':>9} "
    f"{'templates':>9} {'other':>7}"
)


def row(name: str, parts: Parts) -> str:
    return (
        f"  {name:<28} {parts.total:7.2f} {parts.database:9.2f} {parts.statements:10d} "
        f"{parts.compiling:9.2f} {parts.templates:9.2f} {parts.other:7.2f}"
    )
