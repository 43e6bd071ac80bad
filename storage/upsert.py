"""``INSERT … ON CONFLICT`` on SQLite and PostgreSQL, for rows two updates can write at once.

A select-then-insert loses when the same member answers from the group and from the private
chat at the same moment (or two instances plan the same reminder): both see no row, both
insert, and the second fails on the unique key, rolling back its whole update. An upsert lets
the database decide, so the second write updates the row instead.
"""

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base

_DIALECTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
Row = TypeVar("Row", bound=Base)


def _insert(session: AsyncSession, model: type[Base], values: Mapping[str, Any]):  # type: ignore[no-untyped-def]
    return _DIALECTS[session.get_bind().dialect.name](model).values(**values)


async def upsert(session: AsyncSession, model: type[Row], values: Mapping[str, Any], *,
                 key: Sequence[str], update: Sequence[str],
                 where: ColumnElement[bool] | None = None) -> Row | None:
    """Insert ``values``, or on a ``key`` conflict overwrite the ``update`` columns of the row
    already there, only when ``where`` holds for it. The row as written (the session's copy
    refreshed), or None when ``where`` left the existing row alone."""
    statement = _insert(session, model, values)
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={column: statement.excluded[column] for column in update},
        where=where)
    return await session.scalar(statement.returning(model).execution_options(populate_existing=True))


async def insert_once(session: AsyncSession, model: type[Base], values: Mapping[str, Any], *,
                      key: Sequence[str]) -> bool:
    """Insert ``values`` unless a row with the same ``key`` exists; True when inserted."""
    statement = _insert(session, model, values).on_conflict_do_nothing(index_elements=list(key))
    return await session.scalar(statement.returning(*model.__table__.primary_key.columns)) is not None
