"""POST /api/check refusing bad input and bursts (storing nothing), and its OpenAPI description."""

import io
import json

import pytest

from moderation.accounts import tokens
from moderation.models import LICENCE_KINDS
from moderation.plumbing.db import transaction
from moderation.plumbing.ratelimit import Limiter
from moderation.provenance import checking

from ..conftest import make_test_app
from ..support.check_support import (
    OPENAPI,
    ORIGINAL_FIELDS,
    PUBLIC,
    SEED,
    UNRELATED,
    _counts,
    _last_used,
    _licence,
    _post,
)


@pytest.fixture
def app(any_app):
    """Every test here runs on SQLite and on PostgreSQL (conftest's client uses this app)."""
    return any_app


# --- bad input ---------------------------------------------------------------------------


BAD = [
    ({"text": ""}, 400, "empty"),
    ({"text": "   \n  "}, 400, "empty"),
    ({}, 400, "exactly one of"),
    ({"text": "a", "html": "<p>a</p>"}, 400, "exactly one of"),
    ({"text": 5}, 400, "must be a string"),
    ({"text": None, "html": "<p>A paragraph of text.</p>"}, 400, "must be a string"),
    ({"text": UNRELATED, "title": ["x"]}, 400, "must be a string"),
    ({"text": UNRELATED, "url": "javascript:alert(1)"}, 400, "'url' cannot be used"),
    ({"text": UNRELATED, "url": "https://x.org/" + "a" * 2000}, 400, "at most 2000"),
    ({"text": UNRELATED, "body": "x"}, 400, "unknown field"),
    (["text"], 400, "JSON object"),
]


@pytest.mark.parametrize(("body", "status", "words"), BAD)
def test_bad_bodies_get_clear_json_errors(seeded, client, token, body, status, words):
    before = _counts(seeded)
    response = _post(client, token, body)
    assert response.status_code == status
    assert words in response.get_json()["error"]
    assert _counts(seeded) == before and _last_used(seeded) is None


def test_bad_transport_gets_clear_json_errors_and_stores_nothing(seeded, client, token):
    before = _counts(seeded)
    cases = [
        (_post(client, token, data="{not json"), 400, "not valid JSON"),
        (_post(client, token, data="\xff\xfe", content_type="application/json"), 400, "JSON"),
        (_post(client, token, data=json.dumps({"text": SEED}), content_type="text/plain"), 415,
         "application/json"),
        (_post(client, token, data=b"x" * (10 * 1024 * 1024)), 413, "at most"),
        (_post(client, None, {"text": SEED}), 401, "token is required"),
        (_post(client, "not-a-token", {"text": SEED}), 401, "unknown or has been revoked"),
        (client.get("/api/check"), 405, "method not allowed"),
    ]
    for response, status, words in cases:
        assert response.status_code == status, (status, response.get_data(as_text=True)[:300])
        assert response.is_json and words in response.get_json()["error"]
    assert cases[4][0].headers["WWW-Authenticate"].startswith("Bearer")
    assert _counts(seeded) == before and _last_used(seeded) is None
    assert _post(client, token, {"text": UNRELATED}).status_code == 200
    assert _last_used(seeded) is not None  # only an accepted call counts as use


def test_a_streamed_body_over_the_limit_is_cut_off(app, client, token):
    app.config["API_CHECK_MAX_BYTES"] = 1000
    body = json.dumps({"text": "word " * 1000}).encode()
    response = client.post("/api/check", input_stream=io.BytesIO(body),
                           headers={"Authorization": f"Bearer {token}",
                                    "Content-Type": "application/json",
                                    "Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413 and "larger than the 1000 bytes" in \
        response.get_json()["error"]


def test_a_burst_is_rate_limited_per_token_and_stores_nothing(seeded, token, tmp_path):
    seeded.config["API_CHECK_PER_MINUTE"] = 5
    # Another worker: its own app and process state, the same instance folder and database.
    other = make_test_app(tmp_path, seeded.config["DATABASE_URL"], API_CHECK_PER_MINUTE=5)
    clients = [seeded.test_client(), other.test_client()]
    with seeded.app_context(), transaction() as session:
        second = tokens.create_token(session, name="other cms", actor="test")[1]
    before, statuses, retry = _counts(seeded), [], set()
    for number in range(100):
        response = _post(clients[number % 2], token, {"text": UNRELATED})
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert "too many checks" in response.get_json()["error"]
            retry.add(int(response.headers["Retry-After"]))
    assert statuses.count(200) == 5 and statuses.count(429) == 95
    assert min(retry) >= 1 and max(retry) <= 120
    assert _counts(seeded) == before
    assert _post(clients[1], second, {"text": UNRELATED}).status_code == 200  # per token
    other.extensions["moderation.engine"].dispose()


def test_the_limit_is_shared_through_redis_when_configured(app, token, tmp_path):
    import redis

    url = "redis://127.0.0.1:6379/0"
    redis.Redis.from_url(url).ping()  # Redis runs on the test machine: no silent skip
    hosts = [make_test_app(tmp_path / f"host{n}", app.config["DATABASE_URL"], REDIS_URL=url,
                           API_CHECK_PER_MINUTE=3) for n in (1, 2)]
    statuses = [_post(hosts[n % 2].test_client(), token, {"text": UNRELATED}).status_code
                for n in range(8)]
    assert statuses == [200, 200, 200] + [429] * 5
    for host in hosts:
        host.extensions["moderation.engine"].dispose()


def test_an_unreachable_redis_falls_back_to_counting_on_this_host(app, token, caplog):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", API_CHECK_PER_MINUTE=2)
    client = app.test_client()
    statuses = [_post(client, token, {"text": UNRELATED}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "Redis unavailable" in caplog.text


def test_the_sliding_window_lets_calls_through_when_retry_after_says(tmp_path):
    limiter = Limiter(tmp_path / "ratelimit")
    start = 60 * 28_000_000 + 0.5  # half a second into a minute
    verdicts = [limiter.hit("k", 10, now=start) for _ in range(11)]
    assert [v.allowed for v in verdicts] == [True] * 10 + [False]
    assert verdicts[0].remaining == 9 and verdicts[9].remaining == 0
    assert verdicts[10].retry_after == 60
    assert not limiter.hit("k", 10, now=start + 59).allowed
    assert limiter.hit("k", 10, now=start + 60).allowed  # the old minute counts a bit less
    # Half-way through that minute half of the old minute's ten calls still count.
    allowed = sum(limiter.hit("k", 10, now=start + 89.5).allowed for _ in range(10))
    assert allowed == 4  # 10 * 0.5 + 1 already made + 4 = 10
    assert limiter.hit("other", 10, now=start + 89.5).allowed  # each key apart


# --- the OpenAPI description ---------------------------------------------------------------


def test_the_openapi_description_is_public_and_documents_every_field(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.is_json
    spec = response.get_json()
    assert spec == json.loads(OPENAPI.read_text(encoding="utf-8"))
    assert spec["openapi"].startswith("3.1")
    assert {"/api/check", "/api/removed.json"} <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    result = schemas["CheckResult"]
    assert set(result["required"]) == set(result["properties"]) == set(PUBLIC)
    original = schemas["MatchedOriginal"]
    assert set(original["required"]) == set(original["properties"]) == ORIGINAL_FIELDS
    for schema in (result, original, schemas["Licence"], schemas["Complaints"],
                   schemas["Reason"]):
        assert all(field.get("description") or "$ref" in field
                   for field in schema["properties"].values())
    assert result["properties"]["risk"]["enum"] == list(checking.RISKS)
    assert schemas["Licence"]["properties"]["kind"]["enum"] == list(LICENCE_KINDS)
    codes = {checking.rule(checking.Finding(kind, cov, **flags))[1]
             for kind, cov, flags in [("none", 0, {}), ("excerpt", 0, {}),
                                      ("excerpt", 0, {"credited": True}),
                                      ("verbatim", 1, {}), ("verbatim", 1, {"complained": True}),
                                      ("verbatim", 1, {"licensed": True}),
                                      ("verbatim", 1, {"licensed": True,
                                                       "credit_required": True}),
                                      ("rewritten", 0.3, {"possible": True})]}
    assert set(schemas["Reason"]["properties"]["code"]["enum"]) == codes
    check = spec["paths"]["/api/check"]["post"]["responses"]
    assert {"200", "400", "401", "413", "415", "429"} <= set(check)


def test_real_answers_conform_to_the_description(seeded, token):
    import schemathesis
    from schemathesis.specs.openapi.checks import (
        response_schema_conformance,
        status_code_conformance,
    )

    _licence(seeded, full_repost=True, translation_allowed=True, credit_wording="来源:ABC")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", seeded)
    operation = schema["/api/check"]["POST"]
    headers = {"Authorization": f"Bearer {token}"}
    for body in ({"text": SEED}, {"text": UNRELATED}, {"text": ""}):
        case = operation.Case(body=body, media_type="application/json")
        response = case.call(headers=headers)
        case.validate_response(response, checks=[response_schema_conformance,
                                                 status_code_conformance])


def test_schemathesis_finds_no_server_error(seeded, token):
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import (
        response_schema_conformance,
        status_code_conformance,
    )

    seeded.config["API_CHECK_PER_MINUTE"] = 10**6
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", seeded)
    headers = {"Authorization": f"Bearer {token}"}
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    seen = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @given(case=schema.as_strategy(generation_mode=mode))
        @settings(max_examples=60, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call(headers=headers)
            seen.append(response.status_code)
            case.validate_response(response, checks=checks, headers=headers)

        run()
    assert 200 in seen and any(400 <= s < 500 for s in seen)
