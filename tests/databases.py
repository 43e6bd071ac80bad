"""The two databases every storage and handler test runs on.

SQLite: a migrated template file copied for each test. PostgreSQL: one scratch database
per test session, migrated once and truncated between tests. Without a reachable
PostgreSQL the PostgreSQL half is skipped with a notice, except under ``CI=true``, where
it fails: CI must never pass having tested only SQLite.
"""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
import shutil
import uuid
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from storage.database import Database
from storage.models import Base

POSTGRES_ADMIN_URL = os.environ.get("INSPIR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


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
        base, _, _ = _sqlalchemy_url(POSTGRES_ADMIN_URL).rpartition("/")
        self.url = f"{base}/{self.name}"
        if migrated:
            run_sync(_migrate(self.url))
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        self.truncate = text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")

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
            await session.execute(self.truncate)
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
