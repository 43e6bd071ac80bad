"""``INSERT … ON CONFLICT`` on SQLite and PostgreSQL, for rows two updates can write at once.

A select-then-insert loses when the same member answers from the group and from the private
chat at the same moment (or two instances plan the same reminder): both see no row, both
insert, and the second fails on the unique key, rolling back its whole update. An upsert lets
the database decide, so the second write updates the row instead.
"""

from collections.abc import Mapping, Sequence
from importlib import import_module
from typing import Any

from sqlalchemy import ColumnElement, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, ProcessedUpdate, utcnow

ROWS_PER_STATEMENT = 500  # well under both databases' limit on bound parameters


def _insert(session: AsyncSession, model: type[Base], rows: Sequence[Mapping[str, Any]]):  # type: ignore[no-untyped-def]
    # The dialect's module by name: a SQLite bot never loads PostgreSQL's (2 MiB of idle memory).
    dialect = import_module(f"sqlalchemy.dialects.{session.get_bind().dialect.name}")
    return dialect.insert(model).values(list(rows))


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


_TABLE = ProcessedUpdate.__table__
# Written as SQL because it runs on every update: the dialects' ON CONFLICT constructs carry no
# cache key in SQLAlchemy 2.0, so they are compiled again each time; a text statement is not.
_RECORD_UPDATE = text(
    "INSERT INTO processed_update (update_id, at) VALUES (:update_id, :at) "
    "ON CONFLICT (update_id) DO NOTHING RETURNING update_id",
).bindparams(bindparam("update_id", type_=_TABLE.c.update_id.type), bindparam("at", type_=_TABLE.c.at.type))


async def record_update_once(session: AsyncSession, update_id: int) -> bool:
    """Record a Telegram update id as handled; False when it already was (same statement on
    SQLite and PostgreSQL)."""
    found = await session.scalar(_RECORD_UPDATE, {"update_id": update_id, "at": utcnow()})
    return found is not None
