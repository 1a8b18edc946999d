"""Security headers on every response: content policy, framing, referrer, caching, HSTS."""

from flask import Flask, Response, request

# Scripts only from our own files (the queue loads /static/queue.js); the inline SVG charts
# carry style attributes, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
))
STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def needs_login(endpoint: str | None) -> bool:
    """Whether the endpoint shows something only staff (or a token holder) may see."""
    from . import PUBLIC_ENDPOINTS  # the package imports this module first

    if endpoint is None:
        return False
    return endpoint not in PUBLIC_ENDPOINTS or endpoint.startswith("api.")


def add_security_headers(response: Response) -> Response:
    for name, value in STATIC_HEADERS.items():
        response.headers.setdefault(name, value)
    # Over plain HTTP the header is ignored by browsers and would only mislead.
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    # Case files and mail must not stay in a shared browser's or proxy's cache.
    if needs_login(request.endpoint):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
