"""gunicorn settings for production: ``gunicorn callcenter.wsgi`` reads this file.

Every value can be set from the environment, so the same image runs on a small
or a large machine. App processes keep no state of their own (sessions in the
database or Redis, static files hashed by whitenoise): run as many servers as
needed behind a load balancer.
"""

import multiprocessing
import os
import re

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Synchronous workers: each request is a short database transaction.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# A statement still running when the worker is about to be killed is cancelled first
# (the request is answered 503, "try again"), rather than left running in PostgreSQL.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", str(max(timeout - 5, 1)))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak never grows; jitter keeps them
# from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# gunicorn's usual line without the query string and the referer (a search, the
# screen-pop and the pages they lead to carry callers' names, phone numbers and e-mail
# addresses there), then the time the request took on this server (ms) and the load
# balancer's request id, if it sends one: enough to follow a slow or failed click from
# the balancer's log to this one and to watch the p95 of each page
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT",
    '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(M)sms %({x-request-id}i)s',
)
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn's control socket (``gunicornc``): one per server, named after its bind, so that
# two servers on one host do not take each other's (gunicorn's default is one path per
# user). GUNICORN_CONTROL_SOCKET gives another path; set empty, there is none.
_runtime_dir = os.environ.get("XDG_RUNTIME_DIR", "")
if not os.path.isdir(_runtime_dir):
    _runtime_dir = os.path.join(os.path.expanduser("~"), ".gunicorn")
control_socket = os.environ.get(
    "GUNICORN_CONTROL_SOCKET",
    os.path.join(_runtime_dir, f"gunicorn-{re.sub(r'[^A-Za-z0-9.]+', '-', bind)}.ctl"),
)
control_socket_disable = not control_socket
