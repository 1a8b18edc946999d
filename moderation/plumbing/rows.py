"""Building model rows fast: defaults filled in before the model sees them, or no model at all.

Pydantic inspects the signature of a field's ``default_factory`` every time it fills the
default, and for ``list`` that alone costs about 0.3 ms (CPython parses its text signature);
a SQLModel table object also sets each field through two layers of ``__setattr__``. A
MailMessage took some 2-4 ms to construct. The mail importer builds several rows per
message, so it fills the defaults itself (``new_row``) or, for rows it only inserts, keeps
them as plain dicts (``row_values``).
"""

from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic_core import PydanticUndefined
from sqlmodel import Session, SQLModel

Row = TypeVar("Row", bound=SQLModel)


def _defaults(model: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    for name, field in model.model_fields.items():
        if name in values:
            continue
        if field.default_factory is not None:
            values[name] = field.default_factory()
        elif field.default is not PydanticUndefined:
            values[name] = field.default
        else:
            raise TypeError(f"{model.__name__}.{name} needs a value")
    return values


def new_row(model: type[Row], **values: Any) -> Row:
    """``model(**values)``, with every default that comes from a factory made here."""
    for name, field in model.model_fields.items():
        if name not in values and field.default_factory is not None:
            values[name] = field.default_factory()
    return model(**values)


def row_values(model: type[SQLModel], **values: Any) -> dict[str, Any]:
    """The column values ``model(**values)`` would hold, as a dict to insert (no object built).

    A primary key left to the database (None) is left out.
    """
    values = _defaults(model, values)
    for key in [k for k, v in values.items()
                if v is None and getattr(model.model_fields[k], "primary_key", False) is True]:
        del values[key]
    return values


def insert_returning_ids(session: Session, model: type[SQLModel], rows: list[dict]) -> list[int]:
    """Insert rows together (few statements on PostgreSQL); their new ids, in the rows' order.

    Nulls are written as such, so that rows with and without some values stay one group.
    """
    if not rows:
        return []
    statement = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(session.scalars(statement.execution_options(render_nulls=True), rows))
