"""POST /api/check (a text before it is published) and GET /api/openapi.json, on the API blueprint.

A call refused for any reason (token, rate, size, type, content) stores nothing: the token's
last-used time is committed only once the input has been read and found checkable, and the
check itself only reads. Checked texts are never kept nor logged: they are unpublished drafts.
"""

import json
import logging
import time
from functools import cache
from pathlib import Path

from flask import current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from .. import provenance
from ..accounts.tokens import check_token, token_hash
from ..plumbing.db import get_session
from ..plumbing.ratelimit import Limiter
from ..provenance import checking
from .api import _bearer, _error, bp

log = logging.getLogger(__name__)
OPENAPI = Path(__file__).resolve().parent.parent / "static" / "openapi.json"
FIELDS = {"text", "html", "url", "title"}


def _limiter() -> Limiter:
    limiter = current_app.extensions.get("moderation.check_limiter")
    if limiter is None:
        limiter = Limiter(Path(current_app.instance_path) / "ratelimit",
                          redis_url=str(current_app.config.get("REDIS_URL") or ""))
        current_app.extensions["moderation.check_limiter"] = limiter
    return limiter


def _refuse(status: int, message: str, **headers):
    get_session().rollback()  # drops the token's last-used time noted by check_token
    response = _error(status, message, challenge=headers.pop("challenge", None))
    response.headers.update(headers)
    return response


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _read_body() -> dict:
    """The JSON object sent; Refused says why it cannot be read."""
    limit = int(current_app.config["API_CHECK_MAX_BYTES"])
    if request.content_length is not None and request.content_length > limit:
        raise Refused(413, f"the body is {request.content_length} bytes; at most {limit} are "
                           "accepted")
    if not request.is_json:
        raise Refused(415, "send the text as JSON with 'Content-Type: application/json'")
    request.max_content_length = limit  # a body sent without Content-Length stops here too
    chunks, size = [], 0
    try:
        while size <= limit:  # one byte past the limit says it is too large
            chunk = request.stream.read(min(65536, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except RequestEntityTooLarge:
        size = limit + 1
    if size > limit:
        raise Refused(413, f"the body is larger than the {limit} bytes accepted")
    data = b"".join(chunks)
    try:
        body = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Refused(400, f"the body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise Refused(400, "the body must be a JSON object such as {\"text\": \"...\"}")
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        names = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise Refused(400, f"unknown field(s) {names}; send 'text' or "
                           "'html', and optionally 'url' and 'title'")
    for name, value in body.items():
        if not isinstance(value, str):  # null too: a field is either a string or left out
            raise Refused(400, f"'{name}' must be a string, not {type(value).__name__}")
    return body


@bp.post("/check")
def check():
    """Likely originals, licence, complaints, risk and credit line of a text (OpenAPI doc)."""
    started = time.perf_counter()
    session = get_session()
    plain = _bearer()
    if plain is None:
        return _refuse(401, "an API token is required: send 'Authorization: Bearer <token>'",
                       challenge='Bearer realm="moderation desk"')
    token = check_token(session, plain)
    if token is None:
        return _refuse(401, "this API token is unknown or has been revoked",
                       challenge='Bearer realm="moderation desk", error="invalid_token"')
    per_minute = int(current_app.config["API_CHECK_PER_MINUTE"])
    verdict = _limiter().hit(f"check-{token_hash(plain)[:32]}", per_minute)
    if not verdict.allowed:
        return _refuse(429, f"too many checks: at most {per_minute} a minute per token; "
                            f"try again in {verdict.retry_after} s",
                       **{"Retry-After": str(verdict.retry_after)})
    try:
        body = _read_body()
        draft = checking.read_draft(text=body.get("text"), html=body.get("html"),
                                    url=body.get("url"), title=body.get("title"))
    except Refused as exc:
        return _refuse(exc.status, str(exc))
    except checking.CheckError as exc:
        return _refuse(400, str(exc))
    token_id = token.id
    session.commit()  # the token's last-used time, before the (read-only) check
    result = checking.check_draft(session, provenance.get_index(), draft)
    log.info("api check by token %s: %s, %d original(s), %.0f ms", token_id, result["risk"],
             len(result["originals"]), 1000 * (time.perf_counter() - started))
    response = jsonify(result)
    response.headers["Cache-Control"] = "no-store"
    response.headers["RateLimit-Remaining"] = str(verdict.remaining)
    return response


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI description of the API (public: it holds no data)."""
    response = current_app.response_class(_description(), mimetype="application/json")
    response.cache_control.public, response.cache_control.max_age = True, 300
    return response


@cache
def _description() -> bytes:
    return OPENAPI.read_bytes()
