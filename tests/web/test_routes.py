"""The route x role matrix: every route, for anonymous visitors, reviewers and admins.

Adding a route without adding it here fails test_every_route_is_in_the_matrix.
"""

import pytest

from ..conftest import Auth, add_user

LOGIN = 302  # anonymous visitors are sent to the sign-in page

# endpoint: (method, path, {role: expected status})
MATRIX = {
    "auth.login": ("GET", "/login", {"anonymous": 200, "reviewer": 302, "admin": 302}),
    "auth.logout": ("POST", "/logout", {"anonymous": 302, "reviewer": 302, "admin": 302}),
    "auth.set_language": ("POST", "/language", {"anonymous": 302, "reviewer": 302, "admin": 302}),
    "health.healthz": ("GET", "/healthz", {"anonymous": 200, "reviewer": 200, "admin": 200}),
    "health.readyz": ("GET", "/readyz", {"anonymous": 200, "reviewer": 200, "admin": 200}),
    "queue.index": ("GET", "/", {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "articles.index": ("GET", "/articles/", {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "articles.detail": ("GET", "/articles/{article}",
                        {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "articles.raw": ("GET", "/articles/{article}/raw",
                     {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "articles.upload": ("GET", "/articles/import",
                        {"anonymous": LOGIN, "reviewer": 403, "admin": 200}),
    "originals.raw": ("GET", "/originals/{original}/raw",
                      {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "originals.upload": ("GET", "/originals/import",
                         {"anonymous": LOGIN, "reviewer": 403, "admin": 200}),
    "articles.evidence": ("GET", "/articles/{article}/evidence/{original}",
                          {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "queue.bulk": ("POST", "/queue/bulk", {"anonymous": LOGIN, "reviewer": 302, "admin": 302}),
    "cases.detail": ("GET", "/cases/{case}", {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    **{f"cases.{name}": ("POST", f"/cases/{{case}}/{path}",
                         {"anonymous": LOGIN, "reviewer": status, "admin": status})
       for name, path, status in (
           ("claim", "claim", 302), ("release", "release", 302), ("assign", "assign", 302),
           ("request_info", "request-info", 302), ("decide", "decide", 302),
           ("decide_photo", "decide-photo", 302),
           ("reject", "reject", 400), ("merge", "merge", 302), ("withdraw", "withdraw", 302),
           ("restore", "restore", 302), ("uphold", "uphold", 302), ("undo", "undo", 302),
           ("correct_notice_kind", "notice-kind", 302))},
    # The case of the fixture is a takedown: the review decision is refused with a message.
    "review.decide": ("POST", "/cases/{case}/review",
                      {"anonymous": LOGIN, "reviewer": 302, "admin": 302}),
    "originals.index": ("GET", "/originals/", {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "originals.detail": ("GET", "/originals/{original}",
                         {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "reports.index": ("GET", "/reports/", {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "reports.provenance": ("GET", "/reports/provenance",
                           {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "reports.transparency": ("GET", "/reports/transparency",
                             {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    # A download, not a page: HEAD checks its access without the page checks of test_i18n.
    "reports.export": ("HEAD", "/reports/publishers.csv",
                       {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    # Only stored report runs are served; this one does not exist.
    "reports.run_file": ("GET", "/reports/runs/provenance-20240101T000000Z.csv",
                         {"anonymous": LOGIN, "reviewer": 404, "admin": 404}),
    "account.settings": ("GET", "/account/", {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "admin.users": ("GET", "/admin/users", {"anonymous": LOGIN, "reviewer": 403, "admin": 200}),
    "admin.update_user": ("POST", "/admin/users/{user}",
                          {"anonymous": LOGIN, "reviewer": 403, "admin": 302}),
    "settings.edit": ("GET", "/admin/settings", {"anonymous": LOGIN, "reviewer": 403, "admin": 200}),
    "settings.templates": ("GET", "/admin/templates",
                           {"anonymous": LOGIN, "reviewer": 403, "admin": 200}),
    "admin.audit_log": ("GET", "/admin/audit", {"anonymous": LOGIN, "reviewer": 403, "admin": 200}),
    # The licence register: everyone on the staff reads it, administrators write it.
    "licences.index": ("GET", "/licences/", {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "licences.detail": ("GET", "/licences/{licence}",
                        {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "licences.new": ("GET", "/licences/new", {"anonymous": LOGIN, "reviewer": 403, "admin": 200}),
    "licences.edit": ("GET", "/licences/{licence}/edit",
                      {"anonymous": LOGIN, "reviewer": 403, "admin": 200}),
    # Without the confirmation box ticked nothing is revoked; the admin is sent back.
    "licences.revoke": ("POST", "/licences/{licence}/revoke",
                        {"anonymous": LOGIN, "reviewer": 403, "admin": 302}),
    "licences.document": ("HEAD", "/licences/{licence}/document",
                          {"anonymous": LOGIN, "reviewer": 200, "admin": 200}),
    "thresholds.index": ("GET", "/admin/thresholds",
                         {"anonymous": LOGIN, "reviewer": 403, "admin": 200}),
    "thresholds.export": ("HEAD", "/admin/thresholds/feedback.csv",
                          {"anonymous": LOGIN, "reviewer": 403, "admin": 200}),
    # Pictures are drawn for staff only; an unknown one is simply not found.
    "photos.claimed_picture": ("GET", "/photos/claimed/999999.png",
                               {"anonymous": LOGIN, "reviewer": 404, "admin": 404}),
    "photos.our_picture": ("GET", "/photos/ours/999999.png",
                           {"anonymous": LOGIN, "reviewer": 404, "admin": 404}),
    # A browser session is not an API token.
    "api.removed": ("GET", "/api/removed.json", {"anonymous": 401, "reviewer": 401, "admin": 401}),
    "api.check": ("POST", "/api/check", {"anonymous": 401, "reviewer": 401, "admin": 401}),
    # The API's description holds no data: anyone may read it.
    "api.openapi": ("GET", "/api/openapi.json", {"anonymous": 200, "reviewer": 200, "admin": 200}),
}
ROLES = ("anonymous", "reviewer", "admin")


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_answers_each_role(app, client, objects, endpoint, role):
    method, path, expected = MATRIX[endpoint]
    if role != "anonymous":
        Auth(client, app).login(f"{role}@example.org", role)
    user_id = add_user(app, "subject@example.org")
    url = path.format(user=user_id, **objects)
    response = client.open(url, method=method,
                           data={f"u{user_id}-role": "reviewer", "version": "1"})
    assert response.status_code == expected[role], f"{method} {url} as {role}"
    if expected[role] == LOGIN and role == "anonymous" and not endpoint.startswith("auth."):
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", ["/articles/999999", "/originals/999999", "/no/such/page"])
def test_unknown_objects_get_a_friendly_404(client, auth, path):
    auth.login()
    response = client.get(path)
    assert response.status_code == 404
    assert b"There is nothing at this address" in response.data
    assert b"Traceback" not in response.data


def test_every_form_post_needs_a_csrf_token(tmp_path, database_url):
    """With CSRF on, each POST route refuses a form without a token (the API uses tokens)."""
    from ..conftest import make_test_app

    app = make_test_app(tmp_path, database_url, WTF_CSRF_ENABLED=True)
    posts = sorted(e for e, (method, _p, _r) in MATRIX.items() if method == "POST")
    assert posts, "the matrix lists POST routes"
    client = app.test_client()
    for endpoint in posts:
        _method, path, _roles = MATRIX[endpoint]
        response = client.post(path.format(user=1, article=1, original=1, case=1, licence=1),
                               data={"version": "1"})
        # API calls carry a bearer token instead: without one they are refused all the same.
        assert response.status_code == (401 if endpoint.startswith("api.") else 400), endpoint
