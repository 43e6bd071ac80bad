"""The composition root: every entry point (run, console, each CLI command, tests, benchmarks)
gets its services, a migrated database and the assembled bot from here, so none wires things
its own way."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from functools import cache

from telegram.ext import Application
from telegram.request import BaseRequest

import handlers
from bot.config import Settings
from bot.delivery.dispatcher import DELIVERY_REPORT
from bot.i18n.translation import I18n, now_utc
from bot.services import Services, members
from bot.services.departures import MEMBER_DEPARTED
from bot.services.group_chat import GROUP_LOST, GROUP_MOVED, MEMBER_LEFT_GROUP, TOPIC_LOST
from bot.services.minutes_snapshot import MINUTES
from bot.services.notifications import DAILY_DIGEST
from bot.services.polls import POLL_REMINDER
from bot.services.records import CHAIR_OVERDUE
from bot.services.reminders import ACTION_OVERDUE, ACTION_REMINDER, MEETING_REMINDER, OVERDUE_DIGEST
from bot.services.roster_changes import ROSTER_CHANGED
from bot.telegram.application import build_application
from storage.database import Database
from storage.outbox import MESSAGE

# Every kind of row the use cases and handlers put in the outbox: the bot refuses to start
# unless each has a renderer, rather than fail those rows for good once they fall due.
OUTBOX_KINDS = frozenset({MESSAGE, DELIVERY_REPORT, MEETING_REMINDER, ACTION_REMINDER, ACTION_OVERDUE,
                          OVERDUE_DIGEST, POLL_REMINDER, CHAIR_OVERDUE, MINUTES, MEMBER_DEPARTED,
                          ROSTER_CHANGED, GROUP_MOVED, GROUP_LOST, TOPIC_LOST, MEMBER_LEFT_GROUP, DAILY_DIGEST})


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


def build_bot(services: Services, request: BaseRequest | None = None) -> Application:
    """The application with every handler area, the outbox renderers checked complete; the
    command list kept for /help and the command menus."""
    renderers = handlers.all_renderers()
    missing = sorted(OUTBOX_KINDS - renderers.keys())
    if missing:
        raise handlers.WiringError(f"no renderer for outbox kind(s) {', '.join(missing)}")
    application = build_application(services, renderers, request)
    handlers.register_all(application)
    application.bot_data["commands"] = tuple(handlers.all_commands())
    return application
