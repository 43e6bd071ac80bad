"""``INSERT … ON CONFLICT`` on SQLite and PostgreSQL, for rows two updates can write at once.

A select-then-insert loses when the same member answers from the group and from the private
chat at the same moment (or two instances plan the same reminder): both see no row, both
insert, and the second fails on the unique key, rolling back its whole update. An upsert lets
the database decide, so the second write updates the row instead.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base

_DIALECTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
ROWS_PER_STATEMENT = 500  # well under both databases' limit on bound parameters


def _insert(session: AsyncSession, model: type[Base], rows: Sequence[Mapping[str, Any]]):  # type: ignore[no-untyped-def]
    return _DIALECTS[session.get_bind().dialect.name](model).values(list(rows))


async def upsert(session: AsyncSession, model: type[Base], rows: Sequence[Mapping[str, Any]], *,
                 key: Sequence[str], update: Sequence[str],
                 where: ColumnElement[bool] | None = None) -> None:
    """Insert ``rows``, or on a ``key`` conflict overwrite the ``update`` columns of the row
    already there, only when ``where`` holds for it. A few statements for many rows, so a
    re-plan holds SQLite's write lock for milliseconds. Objects of ``model`` already loaded in
    the session are stale afterwards (read them again with ``populate_existing``)."""
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        statement = _insert(session, model, rows[start:start + ROWS_PER_STATEMENT])
        await session.execute(statement.on_conflict_do_update(
            index_elements=list(key), set_={column: statement.excluded[column] for column in update},
            where=where))


async def insert_once(session: AsyncSession, model: type[Base], values: Mapping[str, Any], *,
                      key: Sequence[str]) -> bool:
    """Insert ``values`` unless a row with the same ``key`` exists; True when inserted."""
    statement = _insert(session, model, [values]).on_conflict_do_nothing(index_elements=list(key))
    return await session.scalar(statement.returning(*model.__table__.primary_key.columns)) is not None
