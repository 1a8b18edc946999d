"""gunicorn settings: `gunicorn -c python:moderation.gunicorn_conf 'moderation:create_app()'`.

MODERATION_BIND (default 127.0.0.1:8000) and MODERATION_WORKERS (default 2 x cores + 1, at
most 8) choose where and how many; anything else can still be given on the command line.
"""

import os

from moderation import instance_folder
from moderation.plumbing.config import ConfigError, read_env_config, read_file_config


def _workers() -> int:
    configured = os.environ.get("MODERATION_WORKERS", "").strip()
    if configured:
        return max(1, int(configured))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not every system has affinity masks
        cores = os.cpu_count() or 1
    # More than eight synchronous workers mostly wait on the same database.
    return min(2 * cores + 1, 8)


def _log_json() -> bool:
    try:
        settings = {**read_file_config(instance_folder()), **read_env_config()}
    except ConfigError:
        return False  # the app itself will refuse to start and say why
    return bool(settings.get("LOG_JSON"))


bind = os.environ.get("MODERATION_BIND", "127.0.0.1:8000")
workers = _workers()
worker_class = "sync"
# Heartbeat files on a memory file system: a slow disk cannot make a worker look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Imports of large folders and matching run inside a request; readiness probes take seconds.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Each worker builds its own app, engine and memory map: nothing shared across a fork.
preload_app = False
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
errorlog = "-"
# With LOG_JSON the app writes one JSON line per request itself, so gunicorn's line would
# only repeat it. The path is logged without its query string, which may hold a token.
accesslog = None if _log_json() else "-"
access_log_format = '%(h)s %({x-request-id}o)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
