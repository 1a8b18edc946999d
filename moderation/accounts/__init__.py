"""Staff accounts and API tokens: passwords, sign-in with throttling, roles.

Staff accounts: password hashing, creation, sign-in with throttling, role changes.

May import: plumbing, models. Imported by: cases (the case file), web, commands.
"""

import functools
import time
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlmodel import Session, func, or_, select

from ..models import ROLES, LoginAttempt, User, utcnow
from ..models.users import new_session_token
from ..plumbing import audit

MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so both failures take the same time.
    Made on first sign-in, not at import: hashing costs half a second of every command's start."""
    return _hasher.hash("not a real password, only for equal timing")


# Active staff as the assignment menus list them, per database: (read at, changes seen, staff).
_STAFF: dict[str, tuple[float, int, tuple["StaffMember", ...]]] = {}
_staff_changes = 0  # accounts created or changed by this process


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


class TooManyAttempts(Exception):
    """Sign-in refused for a while after repeated failures."""


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str


def active_staff(session: Session, *, max_age: float = 0.0) -> tuple[StaffMember, ...]:
    """Active staff by e-mail, for the menus that assign a case.

    ``max_age``: seconds for which the list read by this process is good enough. Every case
    page lists the staff, who change rarely; an account created or changed by this process
    shows at once, one changed by another process within max_age.
    """
    key, now = str(session.get_bind().url), time.monotonic()
    read_at, seen, staff = _STAFF.get(key, (0.0, -1, ()))
    if seen != _staff_changes or now - read_at >= max_age:
        staff = tuple(StaffMember(user_id, email) for user_id, email in session.exec(
            select(User.id, User.email).where(User.active.is_(True)).order_by(User.email)))
        _STAFF[key] = (now, _staff_changes, staff)
    return staff


def _staff_changed() -> None:
    global _staff_changes
    _staff_changes += 1


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def validate_new_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password must have at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)
        )


def create_user(
    *, session: Session, email: str, password: str, role: str, actor: User | str | None = None
) -> User:
    """Add a member of staff; the caller commits."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(_("%(email)s is not an e-mail address.", email=email))
    if role not in ROLES:
        raise AccountError(_("The role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    validate_new_password(password)
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError(_("There is already an account for %(email)s.", email=email))
    user = User(email=email, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    _staff_changed()
    audit.record(session, "user.create", actor=actor, object_type="user", object_id=user.id,
                 after={"email": email, "role": role})
    return user


@dataclass
class Throttle:
    """How many failures in which window lock sign-in for an account or an address."""

    max_failures: int = 5
    window_seconds: int = 60


def recent_failures(session: Session, *, email: str, address: str, window: timedelta) -> int:
    since = utcnow() - window
    query = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.success.is_(False),
        LoginAttempt.at >= since,
        or_(LoginAttempt.email == email, LoginAttempt.address == address),
    )
    failures_by_either = session.exec(query).one()
    return int(failures_by_either)


def authenticate(
    *, session: Session, email: str, password: str, address: str, throttle: Throttle
) -> User | None:
    """Return the user if the credentials are right; record the attempt either way.

    Raises TooManyAttempts before checking anything once the account or the address
    has failed too often in the window. The caller commits.
    """
    email = normalise_email(email)[:254]
    window = timedelta(seconds=throttle.window_seconds)
    if recent_failures(session, email=email, address=address, window=window) >= throttle.max_failures:
        audit.record(session, "login.throttled", actor=email or "anonymous",
                     object_type="user", address=address)
        raise TooManyAttempts()
    user = session.exec(select(User).where(User.email == email)).first()
    valid = check_password(user.password_hash if user else _dummy_hash(), password or "")
    success = bool(user and valid and user.active)
    session.add(LoginAttempt(email=email, address=address, success=success))
    if success:
        user.last_login_at = utcnow()
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        audit.record(session, "login.success", actor=user, object_type="user",
                     object_id=user.id, address=address)
        return user
    audit.record(session, "login.failure", actor=email or "anonymous", object_type="user",
                 object_id=user.id if user else None, address=address)
    return None


def end_sessions(*, session: Session, user: User, actor: User | str | None = None) -> None:
    """Sign the user out everywhere: cookies holding the old token stop working."""
    user.session_token = new_session_token()
    session.add(user)
    audit.record(session, "logout", actor=actor or user, object_type="user", object_id=user.id)


def admins_left(session: Session, excluding: User) -> int:
    query = select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != excluding.id
    )
    return int(session.exec(query).one())


def update_user(
    *, session: Session, user: User, actor: User, role: str | None = None,
    active: bool | None = None,
) -> User:
    """Change a user's role or active flag; the desk always keeps one active admin."""
    before = {"role": user.role, "active": user.active}
    if role is not None and role not in ROLES:
        raise AccountError(_("The role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    losing_admin = (role is not None and role != "admin") or active is False
    if user.role == "admin" and losing_admin and admins_left(session, user) == 0:
        raise AccountError(_("The desk needs at least one active administrator."))
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
        if not active:
            user.session_token = new_session_token()
        _staff_changed()
    session.add(user)
    audit.record(session, "user.update", actor=actor, object_type="user", object_id=user.id,
                 before=before, after={"role": user.role, "active": user.active})
    return user


def set_password(*, session: Session, user: User, password: str, actor: User | str | None) -> None:
    validate_new_password(password)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    session.add(user)
    audit.record(session, "user.password", actor=actor, object_type="user", object_id=user.id)
