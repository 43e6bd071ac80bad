"""The composition root: every entry point (run, console, each CLI command, tests, benchmarks)
gets its services and a migrated database from here, so none wires things its own way."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from functools import cache

from bot.services import members
from bot.config import Settings
from bot.i18n.translation import I18n, now_utc
from bot.services import Services
from storage.database import Database


@cache
def shared_i18n() -> I18n:
    """The catalogs, compiled once per process (compiling them is the slow part of start-up)."""
    return I18n()


async def prepare_database(services: Services) -> None:
    """Migrate the schema and make the committee row match the configuration."""
    await services.db.upgrade()
    committee = services.settings.committee
    async with services.db.transaction() as session:
        await members.ensure_committee(session, committee.name, committee.timezone,
                                       committee.default_language)


async def prepared_services(settings: Settings, *, clock: Callable[[], datetime] = now_utc,
                            database_url: str | None = None) -> Services:
    """Services on a migrated database; the caller disposes of ``services.db``."""
    services = Services(settings, Database(database_url or settings.database.url), shared_i18n(), clock)
    try:
        await prepare_database(services)
    except BaseException:
        await services.db.dispose()
        raise
    return services


@asynccontextmanager
async def open_services(settings: Settings, **options) -> AsyncIterator[Services]:  # type: ignore[no-untyped-def]
    """``prepared_services`` for one piece of work, the database disposed of afterwards."""
    services = await prepared_services(settings, **options)
    try:
        yield services
    finally:
        await services.db.dispose()
