"""Liveness for load balancers and process managers (no sign-in needed)."""

from flask import Blueprint, jsonify

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    return jsonify(status="ok")
