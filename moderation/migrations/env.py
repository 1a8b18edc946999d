"""Alembic environment: runs against the engine the desk hands over (see moderation.plumbing.db)."""

from alembic import context
from sqlmodel import SQLModel

import moderation.models  # noqa: F401  (registers every table on SQLModel.metadata)
from moderation.cases.search import include_name
from moderation.models.base import UTCDateTime

config = context.config
target_metadata = SQLModel.metadata


def render_item(type_, obj, autogen_context):
    """Write the desk's UTC type as the plain column type it stores, so revisions stay portable."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from moderation.plumbing.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=render_item,
            include_name=include_name,  # the search indexes of 0007 are not in the models
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `moderation init-db`.")
run_migrations_online()
