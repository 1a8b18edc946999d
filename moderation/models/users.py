"""Staff accounts and sign-in attempts."""

import secrets
from datetime import datetime

from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow

ROLES = ("reviewer", "admin")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(SQLModel, table=True):
    """A member of staff who signs in to the desk."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(default="reviewer", max_length=20)
    active: bool = Field(default=True)
    # Part of the login cookie; rotating it signs out every session of this user.
    session_token: str = Field(default_factory=new_session_token, max_length=64)
    locale: str | None = Field(default=None, max_length=16)
    timezone: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    # Flask-Login protocol, written out so the model needs no mixin.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class LoginAttempt(SQLModel, table=True):
    """One sign-in try, kept in the database so throttling holds across web workers."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    success: bool = Field(default=False)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
