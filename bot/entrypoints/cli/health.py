"""``main.py health``: can this installation work? For monitoring, systemd and Docker.

    python main.py health [--database-only | --running]

Checks the database (connect, ``SELECT 1``, schema at the newest migration) and the Bot API
(``getMe`` against ``telegram.base_url``, i.e. the token is accepted). Changes nothing: it
neither migrates nor creates a missing SQLite file. One line per check on standard output
when it passes, one line per failure on standard error (never the token), exit status 1 if
anything failed. ``--database-only`` skips the Bot API (no token needed, no call to Telegram).
``--running`` also judges the running bot by its heartbeat (``bot.services.heartbeat``): an
instance beat within ``health.heartbeat_stale``, its outbox dispatcher finished a run, its
updater receives, no message overdue by ``health.outbox_lag``: for monitoring a bot in service.
"""

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.logsafe import RedactTokens
from storage.database import Database, head_revision

NAME = "health"
HELP = "check the database and the Bot API; exit status 1 with one line per failure"
TIMEOUT_SECONDS = 15
REQUEST_TIMEOUT_SECONDS = 10


class Unhealthy(Exception):
    """A failed check, phrased for the operator."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--database-only", action="store_true",
                       help="check the database only (no Bot API call, no token needed)")
    which.add_argument("--running", action="store_true",
                       help="also judge the running bot: heartbeat, outbox dispatcher, updater, overdue messages")


def _describe(error: BaseException) -> str:
    if isinstance(error, asyncio.TimeoutError):
        return f"no answer within {TIMEOUT_SECONDS} s"
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


async def check_database(url: str) -> str:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).is_file():
            raise Unhealthy(f"SQLite file not found: {parsed.database} (run main.py db upgrade to create it)")
    head = head_revision()
    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            if await connection.scalar(text("SELECT 1")) != 1:
                raise Unhealthy("SELECT 1 did not answer 1")
        current = await database.revision()
    except Unhealthy:
        raise
    except Exception as error:  # noqa: BLE001 - any driver error is one line for the operator
        where = parsed.render_as_string(hide_password=True)
        raise Unhealthy(f"cannot use {where}: {_describe(error)}") from None
    finally:
        await database.dispose()
    if current != head:
        found = f"schema at {current}" if current else "no schema (empty database)"
        raise Unhealthy(f"{found}, the code expects {head}: run main.py db upgrade")
    return f"{backend}, schema at {head}"


async def check_bot_api(settings: Settings) -> str:
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError
    from telegram.request import HTTPXRequest

    token = settings.telegram.token.get_secret_value()
    if not token:
        raise Unhealthy("no token configured (telegram.token or INSPIR_TELEGRAM__TOKEN)")
    where = settings.telegram.base_url or "api.telegram.org"
    extra = {"base_url": settings.telegram.base_url} if settings.telegram.base_url else {}
    http = HTTPXRequest(connect_timeout=REQUEST_TIMEOUT_SECONDS, read_timeout=REQUEST_TIMEOUT_SECONDS)
    try:
        async with Bot(token, request=http, get_updates_request=HTTPXRequest(), **extra) as bot:
            me = bot.bot  # initialize() called getMe
    except InvalidToken:
        raise Unhealthy(f"{where} refused the token (revoked or mistyped?)") from None
    except TelegramError as error:
        raise Unhealthy(f"getMe failed at {where}: {_describe(error)}") from None
    return f"{where}, bot @{me.username}"


async def check_running_bot(settings: Settings) -> str:
    from bot.services.heartbeat import judge
    from storage.models import utcnow

    database = Database(settings.database.url)
    try:
        async with database.reading() as session:
            verdict = await judge(session, utcnow(), settings.health.heartbeat_stale, settings.health.outbox_lag)
    finally:
        await database.dispose()
    if verdict.problems:
        raise Unhealthy("; ".join(verdict.problems))
    return verdict.detail


async def _one(name: str, check, failures: list[str]) -> None:  # type: ignore[no-untyped-def]
    try:
        detail = await asyncio.wait_for(check, TIMEOUT_SECONDS)
    except Unhealthy as problem:
        failures.append(f"{name}: {problem}")
    except Exception as error:  # noqa: BLE001 - a health check reports, it does not crash
        failures.append(f"{name}: {_describe(error)}")
    else:
        print(f"{name}: ok ({detail})")


async def run(args: argparse.Namespace, settings: Settings) -> int:
    failures: list[str] = []
    await _one("database", check_database(settings.database.url), failures)
    if not args.database_only:
        await _one("bot api", check_bot_api(settings), failures)
    if args.running:
        await _one("running bot", check_running_bot(settings), failures)
    redact = RedactTokens(settings.telegram.token.get_secret_value())
    for line in failures:
        print(f"inspir-bot: health: {redact.filter_text(line)}", file=sys.stderr)
    return 1 if failures else 0
