"""Logs: a request id on every record; with LOG_JSON, JSON lines and one line per request.

In plain text the server's access log (see gunicorn_conf) is the request line. Request lines
carry the method, the path without its query string, the status and the time taken: never
query strings (which may hold tokens), form data, passwords or message bodies.
"""

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, current_app, g, has_request_context, request

LOGGER = "moderation"
REQUEST_LOGGER = "moderation.request"
REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it cannot break a log line or a header.
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_FIELDS = ("request_id", "method", "path", "status", "duration_ms")


def request_id() -> str | None:
    """The current request's id, or None outside a request."""
    return g.get("request_id") if has_request_context() else None


class RequestContextFilter(logging.Filter):
    """Put the request id, method and path on every record logged during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = getattr(record, "request_id", None) or g.get("request_id")
            record.method = getattr(record, "method", None) or request.method
            record.path = getattr(record, "path", None) or request.path
        for name in _FIELDS:
            if not hasattr(record, name):
                setattr(record, name, None)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({name: getattr(record, name, None) for name in _FIELDS})
        # A job's line per pass (`extra={"fields": {...}}`) carries its counts as keys.
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Plain lines with the request id."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        # A copy: other handlers see the same record and must still find None outside requests.
        values = {**record.__dict__, "request_id": getattr(record, "request_id", None) or "-"}
        return self._style._fmt % values


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (test runners and servers swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def make_handler(stream=None, *, json_lines: bool = False) -> logging.Handler:
    """A handler with the desk's filter and format (stderr when no stream is given)."""
    handler = _StderrHandler() if stream is None else logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    return handler


def _install(json_lines: bool) -> None:
    """One desk handler on the package logger, whatever number of apps a process builds."""
    logger = logging.getLogger(LOGGER)
    for handler in logger.handlers:
        if getattr(handler, "_moderation_desk", False):
            handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
            break
    else:
        handler = make_handler(json_lines=json_lines)
        handler._moderation_desk = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)


def _start() -> None:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if _SAFE_ID.fullmatch(offered) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    ident = g.get("request_id")
    if ident:
        response.headers[REQUEST_ID_HEADER] = ident
    if not current_app.config.get("LOG_JSON"):
        return response  # in plain text the server's access log (with the id) has the line
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started else None
    logging.getLogger(REQUEST_LOGGER).info(
        "%s %s %s", request.method, request.path, response.status_code,
        extra={"status": response.status_code, "duration_ms": duration},
    )
    return response


def init_app(app: Flask) -> None:
    """Request ids and request lines for this app; JSON lines when LOG_JSON is true."""
    json_lines = bool(app.config.get("LOG_JSON"))
    _install(json_lines)
    app.before_request(_start)
    app.after_request(_finish)
