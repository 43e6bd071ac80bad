"""Shared fixtures: both databases, and a bot driven through its real handlers."""

import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.databases import PostgresScratch, SqliteTemplate, postgres_or_reason, require_postgres


def pytest_report_header(config: pytest.Config) -> str:
    return "databases: SQLite and PostgreSQL (INSPIR_TEST_POSTGRES_URL)"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgres_scratch() -> Iterator[tuple[PostgresScratch | None, str]]:
    scratch, reason = postgres_or_reason()
    if scratch is None:
        warnings.warn(reason, stacklevel=1)
    yield scratch, reason
    if scratch is not None:
        scratch.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path,
                 sqlite_template: SqliteTemplate) -> AsyncIterator[str]:
    """A migrated, empty database URL: the test runs once on each database."""
    if request.param == "sqlite":
        yield sqlite_template.fresh(tmp_path)
        return
    scratch, reason = request.getfixturevalue("postgres_scratch")
    if scratch is None:
        require_postgres(reason)
    yield await scratch.fresh()


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator["BotHarness"]:
    """The demo committee, linked and in its group, behind the real handlers."""
    from tests.harness import start_harness

    harness, application = await start_harness(db_url)
    yield harness
    await application.shutdown()
    await harness.services.db.dispose()
