"""The two databases every storage and handler test runs on.

SQLite: a migrated template file copied for each test. PostgreSQL: one scratch database
per test session (per xdist worker), migrated once and emptied between tests. Without a
reachable PostgreSQL the PostgreSQL half is skipped with a notice, except under ``CI=true``,
where it fails: CI must never pass having tested only SQLite.

Neither waits for the disk at each commit, which no test is about: the SQLite files live in
memory (tmpfs) where the machine has it, and the scratch databases commit asynchronously
(``synchronous_commit = off``: what is committed is visible at once, only a crash of
PostgreSQL itself could lose the last commits).
"""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
import shutil
import tempfile
import uuid
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from storage.database import Database
from storage.models import Base

POSTGRES_ADMIN_URL = os.environ.get("INSPIR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
MEMORY = Path("/dev/shm")


def scratch_directory(fallback: Path) -> Path:
    """A new directory in memory (tmpfs) when the machine has one, else ``fallback``."""
    if MEMORY.is_dir() and os.access(MEMORY, os.W_OK):
        return Path(tempfile.mkdtemp(prefix="inspir-test-", dir=MEMORY))
    return fallback


def _asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1)


def run_sync(coroutine):  # type: ignore[no-untyped-def]
    """Run set-up work to completion even when called from inside a running event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _migrate(url: str) -> None:
    database = Database(url)
    await database.upgrade()
    await database.dispose()


class SqliteTemplate:
    def __init__(self, directory: Path):
        self.directory = directory
        self.template = directory / "template.db"
        run_sync(_migrate(f"sqlite+aiosqlite:///{self.template}"))

    def fresh(self, directory: Path) -> str:
        target = directory / f"test-{uuid.uuid4().hex[:8]}.db"
        shutil.copy(self.template, target)
        return f"sqlite+aiosqlite:///{target}"


class PostgresScratch:
    """A database created for this test session and dropped at its end."""

    def __init__(self, migrated: bool = True) -> None:
        self.name = f"inspir_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = _asyncpg_url(POSTGRES_ADMIN_URL)
        run_sync(self._admin(admin, f'CREATE DATABASE "{self.name}"'))
        run_sync(self._admin(admin, f'ALTER DATABASE "{self.name}" SET synchronous_commit TO off'))
        base, _, _ = _sqlalchemy_url(POSTGRES_ADMIN_URL).rpartition("/")
        self.url = f"{base}/{self.name}"
        if migrated:
            run_sync(_migrate(self.url))
        # Emptied row by row, the tables' dependants first, and every id sequence restarted: on
        # these small tables a DELETE takes a tenth of the 0.5 s a TRUNCATE (new files for every
        # table and index) took at each test.
        self.emptying = [text(f'DELETE FROM "{t.name}"') for t in reversed(Base.metadata.sorted_tables)]
        self.emptying.append(text("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'"))

    @staticmethod
    async def _admin(url: str, statement: str) -> None:
        connection = await asyncpg.connect(url, timeout=5)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    async def fresh(self) -> str:
        database = Database(self.url)
        async with database.transaction() as session:
            for statement in self.emptying:
                await session.execute(statement)
        await database.dispose()
        return self.url

    def drop(self) -> None:
        run_sync(self._admin(_asyncpg_url(POSTGRES_ADMIN_URL),
                                f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


def postgres_or_reason() -> tuple[PostgresScratch | None, str]:
    try:
        return PostgresScratch(), ""
    except (OSError, asyncpg.PostgresError, asyncio.TimeoutError) as error:
        return None, f"PostgreSQL unreachable at {POSTGRES_ADMIN_URL}: {type(error).__name__}: {error}"


def require_postgres(reason: str) -> None:
    """Skip on a laptop without PostgreSQL; fail under CI, where it must be tested."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(reason)
