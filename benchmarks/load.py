"""The load test: LOAD_CLERKS clerks (50) take orders for LOAD_SECONDS (300) through gunicorn.

    make load

Makes a fresh PostgreSQL database (``LOAD_DB``, default callcenter_load, on
``LOAD_PG``, default postgres://postgres@127.0.0.1:5432) with the demo data and a
clerk account for every simulated clerk, serves it with gunicorn as production
does (``gunicorn.conf.py``, DEBUG off, whitenoise, sessions cached in Redis at
``LOAD_REDIS_URL`` when it answers; ``GUNICORN_WORKERS`` as in production), and
runs Locust headless with ``benchmarks/locustfile.py`` (``LOAD_SPAWN_RATE``
clerks a second join, default 10). When the time is up every clerk finishes the
order in hand, gunicorn stops, and the database is checked: what
``check_consistency`` finds, every order a clerk saw submitted is submitted and
paid to the cent, no order holds two payments (each is paid once, double clicks
included), no idempotency key is used twice, no order holds more than its total.

Prints the result table (requests, failures and latency per step, throughput,
the checks, the machine) and writes it as Markdown to ``LOAD_REPORT`` (default
docs/benchmarks/load.md). Exits with status 1 on any failed request, error in
the clerks' code, server error logged, or finding.
"""

import datetime
import json
import os
import platform
import runpy
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVER = os.environ.get("LOAD_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("LOAD_DB", "callcenter_load")
CLERKS = int(os.environ.get("LOAD_CLERKS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "300"))
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "10")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/3")
REPORT = Path(os.environ.get("LOAD_REPORT", ROOT / "docs" / "benchmarks" / "load.md"))
PREFIX, PASSWORD = "load-clerk-", "a-load-test-pass-phrase"
# the steps in the order a clerk takes them (Locust's names)
STEPS = [
    "login page",
    "login",
    "search",
    "customer page",
    "new order",
    "item suggestions",
    "add line",
    "complete",
    "payment dialog",
    "pay",
    "pay (double click)",
    "submit",
    "submit (double click)",
    "order page",
]

os.environ.update(DJANGO_SETTINGS_MODULE="callcenter.settings", DEBUG="1")

from benchmarks.demo_db import demo_clerks, fresh_database  # noqa: E402
from benchmarks.serving import free_port, production_env, start_gunicorn  # noqa: E402

DATABASE_URL = fresh_database(SERVER, DB)
os.environ["DATABASE_URL"] = DATABASE_URL

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F, Q, Sum  # noqa: E402

from orders.models import SalesOrder  # noqa: E402
from payments.consistency import find_problems  # noqa: E402
from payments.models import Payment  # noqa: E402


def redis_version() -> str:
    """Redis's version when ``REDIS_URL`` answers; empty (sessions in the database only) if not."""
    if not REDIS_URL:
        return ""
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=2).info("server")["redis_version"]
    except redis.RedisError:
        return ""


class CpuUse(threading.Thread):
    """CPU seconds per user of the machine while the clerks run, read from /proc every second:
    gunicorn (``server`` and its workers), Locust, PostgreSQL (the backends of database DB)
    and other work (any other process: Redis, the kernel, whatever else runs)."""

    def __init__(self, server: int, locust: int):
        super().__init__(daemon=True)
        self.server, self.locust = server, locust
        self.tick = os.sysconf("SC_CLK_TCK")
        self.seen: dict[int, tuple[str, float]] = {}  # pid: (whose, CPU seconds so far)
        self.used = dict.fromkeys(["gunicorn", "Locust", "PostgreSQL", "other work"], 0.0)
        self.stopping = threading.Event()
        self.sample(first=True)
        self.start_time = time.monotonic()

    def whose(self, pid: int, ppid: int) -> str:
        if pid == self.locust:
            return "Locust"
        if self.server in (pid, ppid):
            return "gunicorn"
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            return "other work"
        words = command.replace("\0", " ").split()
        return "PostgreSQL" if words[:1] == ["postgres:"] and DB in words else "other work"

    def sample(self, first: bool = False) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # it ended
            pid, cpu = int(entry.name), (int(fields[11]) + int(fields[12])) / self.tick
            whose, before = self.seen.get(pid, ("other work", cpu if first else 0.0))
            if whose == "other work":  # a new PostgreSQL backend may not have its name yet
                whose = self.whose(pid, int(fields[1]))
            self.used[whose] += cpu - before
            self.seen[pid] = (whose, cpu)

    def run(self) -> None:
        while not self.stopping.wait(1):
            self.sample()

    def stop(self) -> dict[str, float]:
        """The average number of cores each used."""
        self.stopping.set()
        self.join()
        self.sample()
        seconds = time.monotonic() - self.start_time
        return {whose: used / seconds for whose, used in self.used.items()}


def start_locust(port: int, tmp: Path, orders_file: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "LOAD_USERNAME": PREFIX + "{n}",
        "LOAD_PASSWORD": PASSWORD,
        "LOAD_ORDERS_FILE": str(orders_file),
        "LOAD_RESULTS": str(tmp / "results.json"),
    }
    command = [
        str(BIN / "locust"),
        "-f",
        "benchmarks/locustfile.py",
        "--headless",
        "--users",
        str(CLERKS),
        "--spawn-rate",
        SPAWN_RATE,
        "--run-time",
        f"{SECONDS}s",
        "--stop-timeout",
        "120",  # every clerk finishes the order in hand
        "--host",
        f"http://127.0.0.1:{port}",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    log = (tmp / "locust.log").open("w")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)


def database_checks(submitted_seen: set[str]) -> list[tuple[str, int, bool]]:
    """(what, how many, must be zero) after the run."""
    good = Q(payments__status__in=Payment.GOOD_STATUSES)
    orders = SalesOrder.objects.annotate(
        paid=Sum("payments__amount", filter=good), good_payments=Count("payments", filter=good)
    )
    submitted = set(
        SalesOrder.objects.filter(status=SalesOrder.Status.SUBMITTED).values_list(
            "number", flat=True
        )
    )
    twice_used = Payment.objects.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1)
    return [
        ("orders", SalesOrder.objects.count(), False),
        ("orders submitted", len(submitted), False),
        ("orders a clerk saw submitted", len(submitted_seen), False),
        ("payments", Payment.objects.count(), False),
        (
            "payments captured or authorized",
            Payment.objects.filter(status__in=Payment.GOOD_STATUSES).count(),
            False,
        ),
        ("orders a clerk saw submitted, not submitted", len(submitted_seen - submitted), True),
        (
            "submitted orders not paid to the cent",
            orders.filter(status=SalesOrder.Status.SUBMITTED).exclude(paid=F("total")).count(),
            True,
        ),
        ("orders with more than one payment", orders.filter(good_payments__gt=1).count(), True),
        ("idempotency keys on two payments", twice_used.count(), True),
        ("orders holding more than their total", orders.filter(paid__gt=F("total")).count(), True),
        ("findings of check_consistency", len(list(find_problems())), True),
    ]


def machine(workers: int, redis: str, load_average) -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "?")
    kib = int(Path("/proc/meminfo").read_text().split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    return [
        ("cores", str(os.cpu_count())),
        ("CPU", model),
        ("memory", f"{kib / 1024 / 1024:.0f} GiB"),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("PostgreSQL", postgres.split()[0]),
        ("sessions", f"database, cached in Redis {redis}" if redis else "database"),
        ("gunicorn", f"{version('gunicorn')}, {workers} synchronous workers"),
        ("Locust", f"{version('locust')}, one process, on the same machine"),
        ("load average before the run", " ".join(f"{x:.2f}" for x in load_average)),
    ]


def report(results, errors, checks, machine_rows, cores) -> tuple[str, bool]:
    """The Markdown report, and whether the run passed."""
    total, steps = results["all"], results["steps"]
    seconds = total["requests"] / total["per_second"] if total["per_second"] else 0
    orders = next(n for what, n, _ in checks if what == "orders a clerk saw submitted")
    failed_checks = [what for what, n, must_be_zero in checks if must_be_zero and n]
    passed = not total["failures"] and not errors and not failed_checks and orders > 0
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Load test: clerks taking orders through gunicorn and PostgreSQL",
        "",
        f"`make load`, {now}: {CLERKS} clerks (Locust users, {SPAWN_RATE} a second joining) "
        f"for {SECONDS} s, 0.5–2 s of think time between two clicks, each taking the seed's "
        "order again and again (search, customer page, new order, three lines with their item "
        "suggestions, complete, payment dialog, pay cash, submit, order page); one order in "
        "five double-clicks pay and submit. When the time is up each clerk finishes the order "
        f"in hand. **{'Passed' if passed else 'FAILED'}.**",
        "",
        f"Throughput: **{total['per_second']:.1f} requests/s**, **{orders / seconds * 60:.0f} "
        f"orders submitted a minute** ({orders:,} orders in {seconds:.0f} s). Failed requests: "
        f"**{total['failures']}**; errors in the clerks' code or in the server's log: "
        f"**{len(errors)}**. CPU, in cores used on average during the run (of "
        f"{os.cpu_count()}): "
        + ", ".join(f"{whose} {used:.2f}" for whose, used in cores.items())
        + "."
        + (
            " Other work shared the machine: the times include waiting for it."
            if cores["other work"] > 0.25
            else ""
        ),
        "",
        "| step | requests | failures | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    names = [n for n in STEPS if n in steps] + sorted(set(steps) - set(STEPS))
    for label, row in [*((n, steps[n]) for n in names), ("**all**", total)]:
        lines.append(
            f"| {label} | {row['requests']:,} | {row['failures']:,} | {row['p50']:,} | "
            f"{row['p95']:,} | {row['p99']:,} | {row['max'] or 0:,.0f} |"
        )
    lines += ["", "The database afterwards:", "", "| check | count |", "|---|---:|"]
    lines += [f"| {what}{' (must be 0)' if zero else ''} | {n:,} |" for what, n, zero in checks]
    lines += ["", "The machine:", "", "| | |", "|---|---|"]
    lines += [f"| {what} | {value} |" for what, value in machine_rows]
    problems = results["failures"] + errors + [f"finding: {what}" for what in failed_checks]
    if problems:
        lines += ["", "Failures and errors:", ""] + [f"- {problem}" for problem in problems[:20]]
    return "\n".join(lines) + "\n", passed


def main() -> int:
    load_average = os.getloadavg()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    demo_clerks(PREFIX, CLERKS, password=PASSWORD, start=1)
    connection.close()
    tmp = Path(tempfile.mkdtemp(prefix="callcenter-load-"))
    port, redis = free_port(), redis_version()
    cache = {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": f"load-{DB}-{os.getpid()}"}
    env = production_env(
        tmp=tmp,
        port=port,
        database_url=DATABASE_URL,
        LOG_LEVEL="WARNING",
        **(cache if redis else {}),
    )
    workers = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
    print(f"{CLERKS} clerks for {SECONDS} s against gunicorn ({workers} workers) on {DB}…")
    gunicorn_log = tmp / "gunicorn.log"
    try:
        server = start_gunicorn(env, port, gunicorn_log)
    except RuntimeError as refusal:
        sys.exit(str(refusal))
    orders_file = tmp / "orders.txt"
    orders_file.touch()
    try:
        locust = start_locust(port, tmp, orders_file)
        cpu_use = CpuUse(server.pid, locust.pid)
        cpu_use.start()
        locust.wait()
        cores = cpu_use.stop()
    finally:
        server.terminate()
        server.wait(timeout=60)
    results_file = tmp / "results.json"
    if not results_file.exists():
        sys.exit(f"Locust wrote no results:\n{(tmp / 'locust.log').read_text()[-3000:]}")
    results = json.loads(results_file.read_text())
    errors = results["exceptions"] + [
        f"server log: {line}"
        for line in gunicorn_log.read_text().splitlines()
        if "Traceback" in line or "ERROR" in line or "CRITICAL" in line
    ]
    checks = database_checks(set(orders_file.read_text().split()))
    machine_rows = machine(workers, redis, load_average)
    text, passed = report(results, errors, checks, machine_rows, cores)
    print(text)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text)
    print(f"Written to {REPORT}; Locust's and gunicorn's logs are in {tmp}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
