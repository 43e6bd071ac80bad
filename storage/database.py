"""Engine, sessions and migrations, identical on SQLite (embedded) and PostgreSQL (production)."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_BEGIN = "sqlite_begin"
# The PostgreSQL advisory lock key held while migrating (advisory locks are per database, so
# committees sharing a server do not wait for each other); any fixed 64-bit number would do.
MIGRATION_LOCK = 0x1D5B_0B07_0001


def _tune_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL lets readers go on while a transaction writes; a writer waits instead of failing.

    The driver's own transaction handling is switched off (``_begin_immediate`` begins them):
    it sends BEGIN only before the first INSERT/UPDATE, so a SAVEPOINT taken earlier opened a
    transaction of its own, committed at RELEASE whatever the outer transaction did later."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin(connection: Connection) -> None:
    """Take SQLite's one write lock when the transaction begins, not at its first write.

    Every update writes (its update id at least). A deferred transaction that read first and
    writes later cannot take the lock once another transaction has committed since its read,
    and waits the whole busy timeout to fail; beginning IMMEDIATE queues the transactions
    instead, each for the few milliseconds another one holds the lock. Only a read
    (:meth:`Database.reading`) begins deferred, needing no lock at all under WAL."""
    connection.exec_driver_sql("BEGIN " + connection.get_execution_options().get(SQLITE_BEGIN, "IMMEDIATE"))


def create_engine(url: str) -> AsyncEngine:
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        event.listen(engine.sync_engine, "begin", _begin)
        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


class Database:
    """One engine per process; one session (and one explicit transaction) per unit of work."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on any error."""
        async with self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session that only reads: on SQLite it does not wait for (nor hold) the write lock."""
        async with self._sessions() as session:
            await session.connection(execution_options={SQLITE_BEGIN: "DEFERRED"})
            yield session

    async def upgrade(self) -> None:
        """Apply every Alembic migration (``db upgrade``; also run at start), once however many
        instances start together: on PostgreSQL the upgrade's transaction first takes an advisory
        lock (released at its commit), so another instance waits for it, then finds the schema at
        head. On SQLite the transaction begins IMMEDIATE, which already serialises them.
        A schema already at head (every start but the first after an upgrade) is read without
        loading Alembic, which would stay in the bot's memory for nothing (about 11 MiB)."""
        if await self.revision() == head_revision():
            return
        async with self.engine.begin() as connection:
            if self.is_postgresql:
                await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            await connection.run_sync(_upgrade_on, self.url)

    async def revision(self) -> str | None:
        """The schema's Alembic revision, or None for an empty database."""
        async with self.engine.connect() as connection:
            try:
                return await connection.scalar(text("SELECT version_num FROM alembic_version"))
            except Exception:  # noqa: BLE001 - no such table: an empty database
                return None

    async def dispose(self) -> None:
        await self.engine.dispose()


_REVISION = re.compile(r"^revision = ['\"](\w+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision = ['\"](\w+)['\"]", re.M)


@cache
def head_revision() -> str:
    """The newest migration's id, read from the files themselves (the one no other revises)."""
    revisions, revised = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        if found := _REVISION.search(source):
            revisions.add(found.group(1))
        if down := _DOWN.search(source):
            revised.add(down.group(1))
    [head] = revisions - revised
    return head


def alembic_config(url: str) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade_on(connection: Connection, url: str) -> None:
    from alembic import command

    config = alembic_config(url)
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
