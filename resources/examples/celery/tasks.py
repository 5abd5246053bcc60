"""
An example Celery app for a Guildhall custom pool: it finds the cluster's Redis the way
Guildhall tells every custom pool, so the password never sits in the image, the command line
or `docker inspect`.

    GUILDHALL_REDIS_URL_FILE  a file holding redis://default:PASSWORD@redis:6379/0 (preferred)
    GUILDHALL_REDIS_URL       the URL itself (only for images that read env; visible in inspect)
    GUILDHALL_REDIS_CA_FILE   for a rediss:// URL (an external Redis with TLS): the PEM file of
                              the CA its certificate is verified against

Run a worker:  celery -A tasks worker -Q claude_tasks
Send a task:   tasks.add.apply_async((2, 3), queue="claude_tasks").get(timeout=30)
"""
import os
import socket
import ssl

from celery import Celery


def redis_url():
    """The broker URL: the file Guildhall names, else the env var, else a clear error."""
    path = os.environ.get("GUILDHALL_REDIS_URL_FILE", "").strip()
    if path:
        try:
            with open(path, encoding="utf-8") as handle:
                url = handle.read().strip()
        except OSError as err:
            raise SystemExit(
                f"Cannot read GUILDHALL_REDIS_URL_FILE ({path}): {err.strerror}. "
                "Guildhall mounts it into custom pools; outside Guildhall set GUILDHALL_REDIS_URL."
            ) from None
        if url:
            return url
        raise SystemExit(f"GUILDHALL_REDIS_URL_FILE ({path}) is empty.")
    url = os.environ.get("GUILDHALL_REDIS_URL", "").strip()
    if url:
        return url
    raise SystemExit(
        "No Redis URL: set GUILDHALL_REDIS_URL_FILE (a file holding the URL) or "
        "GUILDHALL_REDIS_URL, e.g. the output of `guildhall connect`."
    )


def tls_options(url):
    """For rediss://: verify the server, against GUILDHALL_REDIS_CA_FILE when it is set."""
    if not url.startswith("rediss://"):
        return None
    options = {"ssl_cert_reqs": ssl.CERT_REQUIRED}
    ca_file = os.environ.get("GUILDHALL_REDIS_CA_FILE", "").strip()
    if ca_file:
        options["ssl_ca_certs"] = ca_file
    return options


URL = redis_url()
TLS = tls_options(URL)
app = Celery("tasks", broker=URL, backend=URL)
if TLS:
    # Celery and kombu want these for rediss:// (broker and result backend alike).
    app.conf.update(broker_use_ssl=TLS, redis_backend_use_ssl=TLS)
app.conf.update(
    # Keep results an hour, then let Redis drop them.
    result_expires=3600,
    # One task at a time per worker process: a stopped worker holds no waiting tasks back.
    worker_prefetch_multiplier=1,
    task_acks_late=True,
    # Priorities 0–9 each get their own Redis list (QUEUE, QUEUE\x06\x161 …); Guildhall counts all.
    broker_transport_options={"priority_steps": list(range(10)), "queue_order_strategy": "priority"},
    broker_connection_retry_on_startup=True,
)


@app.task
def add(x, y):
    """Adds two numbers."""
    return x + y


@app.task
def whoami():
    """The worker container that ran the task (its hostname)."""
    return socket.gethostname()
