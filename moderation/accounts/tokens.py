"""API tokens for the site's systems: shown once, kept only as a SHA-256 hash, revocable."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from ..models import ApiToken, User, utcnow
from ..plumbing import audit

# Writing last_used_at on every call would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_NAME_LENGTH = 100


class TokenError(ValueError):
    """A token request that cannot be carried out; the message says why."""


def token_hash(plain: str) -> str:
    """The stored form of a token (a fast hash suffices: tokens carry 256 random bits)."""
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def create_token(
    session: Session, *, name: str, actor: User | str | None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its plain value, which is never stored; caller commits."""
    name = " ".join((name or "").split())
    if not name:
        raise TokenError("an API token needs a name saying who uses it")
    if len(name) > MAX_NAME_LENGTH:
        raise TokenError(f"the name may have at most {MAX_NAME_LENGTH} characters")
    plain = secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=token_hash(plain), active=True,
                     created_by_id=actor.id if isinstance(actor, User) else None)
    session.add(token)
    session.flush()
    audit.record(session, "token.create", actor=actor, object_type="api_token",
                 object_id=token.id, after={"name": name})
    return token, plain


def check_token(
    session: Session, plain: str | None, *, now: datetime | None = None
) -> ApiToken | None:
    """The active token with this value, or None; notes when it was used (the caller commits)."""
    if not plain:
        return None
    # Looking up the hash, not the token, means timing reveals nothing about stored tokens.
    token = session.exec(
        select(ApiToken).where(ApiToken.token_hash == token_hash(plain), ApiToken.active.is_(True))
    ).first()
    if token is None:
        return None
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.add(token)
    return token


def revoke_token(session: Session, token: ApiToken, actor: User | str | None) -> bool:
    """Stop a token working at once; False if it was already revoked. The caller commits."""
    if not token.active:
        return False
    token.active = False
    session.add(token)
    audit.record(session, "token.revoke", actor=actor, object_type="api_token",
                 object_id=token.id, before={"active": True}, after={"active": False})
    return True
