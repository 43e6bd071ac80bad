"""The python-telegram-bot Application for every running mode: builder, update processor and
the jobs that wake the outbox; the bootstrap hangs the handler areas on it."""

import asyncio
import logging
from collections.abc import Awaitable, Mapping
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor, ContextTypes
from telegram.request import BaseRequest

from bot.delivery.dispatcher import Dispatcher, Renderer
from bot.delivery.alerts import FailureCounter, report_failures
from bot.delivery.ratelimit import RateLimiter
from storage.conversation_state import forget_expired
from bot.services.meetings import extend_all_series
from bot.services.reminders import plan_digests
from bot.services import Services, heartbeat
from bot.services.retention import forget_past_retention

log = logging.getLogger("inspir.app")
OFFLINE_TOKEN = "0:offline"
# Updates handled at the same time. Handling one is mostly waiting (database round trips,
# the Bot API), so one at a time left the process idle most of the time: see bench/README.md.
CONCURRENT_UPDATES = 8


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates of different chats are handled concurrently (up to ``max_concurrent_updates``);
    those of one chat one after the other, in the order received, so that a member's messages
    (a guided dialogue, two taps on a button) and the group's meeting record keep their order.
    """

    def __init__(self, max_concurrent_updates: int):
        super().__init__(max_concurrent_updates)
        self._chats: dict[int | None, tuple[asyncio.Lock, int]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat is not None else None
        lock, users = self._chats.get(key) or (asyncio.Lock(), 0)
        self._chats[key] = (lock, users + 1)
        try:
            try:
                await lock.acquire()  # FIFO: the updates of this chat in the order they arrived
            except BaseException:
                getattr(coroutine, "close", lambda: None)()  # cancelled while waiting (shutdown)
                raise
            try:
                await coroutine
            finally:
                lock.release()
        finally:
            lock, users = self._chats[key]
            if users == 1:
                del self._chats[key]
            else:
                self._chats[key] = (lock, users - 1)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def file_url_for(base_url: str) -> str:
    """``http://host/bot`` → ``http://host/file/bot``, as the Bot API serves files."""
    root, _, last = base_url.rstrip("/").rpartition("/")
    return f"{root}/file/{last}" if root else base_url


def build_application(services: Services, renderers: Mapping[str, Renderer],
                      request: BaseRequest | None = None) -> Application:
    """The bot without its handlers; ``request`` replaces HTTP (offline console and tests)."""
    settings = services.settings
    token = settings.telegram.token.get_secret_value() or OFFLINE_TOKEN
    builder = (
        Application.builder()
        .token(token)
        .rate_limiter(RateLimiter(max_retries=3))  # the outbox asks it for no retry
        .concurrent_updates(PerChatUpdateProcessor(CONCURRENT_UPDATES))
    )
    if settings.telegram.base_url:
        builder = builder.base_url(settings.telegram.base_url).base_file_url(
            file_url_for(settings.telegram.base_url))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    application.bot_data["services"] = services
    application.bot_data["dispatcher"] = Dispatcher(services, application.bot, renderers)
    return application


DISPATCH_INTERVAL_SECONDS = 10
EXACT_JOB = "outbox-exact"


async def _dispatch_due(context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot_data["dispatcher"].run_once()


async def _start_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """At start: plan the chair's next weekly digest (idempotent), then catch up on whatever
    fell due while the bot was down (renderers send what is still ahead, mark the rest missed)."""
    services: Services = context.bot_data["services"]
    settings = services.settings
    try:
        async with services.db.transaction() as session:
            await plan_digests(session, settings.reminders.digest_day, settings.reminders.digest_time,
                               settings.committee.timezone, services.clock())
    except Exception as error:  # noqa: BLE001 - the bot must start; the next start retries
        log.error("could not plan the weekly digest: %s", type(error).__name__)
    await context.bot_data["dispatcher"].run_once()


def schedule_dispatcher(application: Application) -> None:
    """The JobQueue only wakes the dispatcher; what is due lives in the database.

    A periodic tick (every 10 s) and, after each run, one exact wake-up at the next row's due
    time, so a reminder due at 14:00:00 leaves at 14:00:00, not up to a tick later."""
    job_queue = application.job_queue
    assert job_queue is not None
    dispatcher: Dispatcher = application.bot_data["dispatcher"]
    services: Services = application.bot_data["services"]

    def wake_at(when: datetime) -> None:
        delay = (when - services.clock()).total_seconds()
        delay = delay if delay > 0 else 1.0  # due already: rows another instance holds; no hot loop
        if delay >= DISPATCH_INTERVAL_SECONDS * 30:
            return  # far ahead: the periodic tick will get closer first
        for job in job_queue.get_jobs_by_name(EXACT_JOB):
            job.schedule_removal()
        job_queue.run_once(_dispatch_due, when=delay, name=EXACT_JOB)

    dispatcher.on_next_due = wake_at
    job_queue.run_once(_start_outbox, when=0, name="outbox-start")
    job_queue.run_repeating(_dispatch_due, interval=DISPATCH_INTERVAL_SECONDS,
                            first=DISPATCH_INTERVAL_SECONDS, name="outbox")


UPKEEP_INTERVAL = timedelta(hours=6)


async def upkeep(services: Services) -> int:
    """Keep recurring series materialised over their rolling horizon (with their reminders)
    even when nobody opens /meetings, forget dialogues and saved questions past their lifetime,
    and drop what ``[retention]`` keeps only for a while (update ids, delivered messages,
    used or dead invitations). Returns how many occurrences were added."""
    now = services.clock()
    async with services.db.transaction() as session:
        created = await extend_all_series(session, now=now, offsets=services.settings.reminders.meeting_offsets)
        await forget_expired(session, now)
        await forget_past_retention(session, services.settings.retention, now)
    return len(created)


async def _upkeep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        if await upkeep(context.bot_data["services"]):
            context.bot_data["dispatcher"].wake()
    except Exception as error:  # noqa: BLE001 - the next run retries
        log.error("upkeep failed: %s", type(error).__name__)


def schedule_upkeep(application: Application) -> None:
    assert application.job_queue is not None
    application.job_queue.run_repeating(_upkeep_job, interval=UPKEEP_INTERVAL, first=60, name="upkeep")


HEARTBEAT_INTERVAL = 30  # seconds; main.py health --running judges the beats


def schedule_heartbeat(application: Application) -> None:
    """Record every 30 s what this instance proves: a running loop and JobQueue, the dispatcher's
    last whole run, an updater still taking updates."""
    assert application.job_queue is not None
    services: Services = application.bot_data["services"]
    instance, started = heartbeat.instance_name(), services.clock()

    async def beat_job(context: ContextTypes.DEFAULT_TYPE) -> None:
        dispatcher: Dispatcher = context.bot_data["dispatcher"]
        updater = context.application.updater
        try:
            async with services.db.transaction() as session:
                await heartbeat.beat(session, instance, started, services.clock(), dispatcher.completed_at,
                                     bool(updater and updater.running))
        except Exception as error:  # noqa: BLE001 - a missed beat is what health will report
            log.warning("could not record the heartbeat: %s", type(error).__name__)

    application.job_queue.run_repeating(beat_job, interval=HEARTBEAT_INTERVAL, first=1, name="heartbeat")


ALERT_INTERVAL = 60  # seconds between two looks at the failures counted


def schedule_alerts(application: Application) -> None:
    """With an operator chat configured: count every error logged and tell the operator, once
    per kind per hour (bot.delivery.alerts)."""
    services: Services = application.bot_data["services"]
    chat_id = services.settings.operator.chat_id
    if chat_id is None:
        return
    assert application.job_queue is not None
    counter = FailureCounter()
    logging.getLogger().addHandler(counter)

    async def alert_job(context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            if await report_failures(services, counter, chat_id, services.clock()):
                context.bot_data["dispatcher"].wake()
        except Exception as error:  # noqa: BLE001 - the log keeps it; counting it again would loop
            log.warning("could not report failures to the operator: %s", type(error).__name__)

    application.job_queue.run_repeating(alert_job, interval=ALERT_INTERVAL, first=ALERT_INTERVAL, name="alerts")
