"""Sends what the outbox owes, exactly once as far as Telegram allows.

A row is claimed in its own short transaction before sending (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so several bot instances never take the same row; a conditional update with a
claim token on SQLite), then marked sent once Telegram confirmed. A crash between the two
leaves the row claimed; after the lease expires it is sent again: at most that one message
is repeated. The JobQueue only wakes the dispatcher; the database is the schedule.
"""

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.outbox import MESSAGE
from bot.sending import Outgoing, deliver
from bot.services import Services
from storage.models import Member, OutboxMessage

log = logging.getLogger("inspir.outbox")
LEASE = timedelta(minutes=2)
BATCH = 50
MAX_ATTEMPTS = 5


@dataclass
class Rendered:
    """What to send for one outbox row, in its reader's language."""

    chat_id: int
    text: str
    buttons: list[list[tuple[str, str]]] | None = None
    document: tuple[str, bytes] | None = None


class Skip(Exception):
    """The row must not be sent (its meeting started, was cancelled...): ``state`` says why."""

    def __init__(self, state: str, reason: str = ""):
        super().__init__(reason)
        self.state = state


Renderer = Callable[[AsyncSession, OutboxMessage, Services], Awaitable[Rendered]]
RENDERERS: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    """Register how rows of ``kind`` are rendered at send time (from the current records)."""
    def register(function: Renderer) -> Renderer:
        RENDERERS[kind] = function
        return function
    return register


@renderer(MESSAGE)
async def render_message(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    chat_id = row.chat_id
    if chat_id is None and row.recipient_id is not None:
        member = await session.get(Member, row.recipient_id)
        chat_id = member.telegram_id if member and member.active else None
    if chat_id is None:
        raise Skip("failed", "recipient has no Telegram account")
    buttons = [[(label, data) for label, data in line] for line in row.payload.get("buttons", [])]
    return Rendered(chat_id, row.payload["text"], buttons or None)


class Dispatcher:
    def __init__(self, services: Services, bot, instance: str | None = None):  # type: ignore[no-untyped-def]
        self.services = services
        self.bot = bot
        self.instance = instance or uuid.uuid4().hex[:12]
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[int]] = set()

    def wake(self) -> None:
        """Send whatever is due, soon, without making the caller wait."""
        task = asyncio.get_running_loop().create_task(self.run_once())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until every woken run has finished (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def run_once(self) -> int:
        """Send every row due now; returns how many were sent."""
        sent = 0
        async with self._lock:
            while True:
                claimed = await self._claim()
                if not claimed:
                    return sent
                for row_id in claimed:
                    sent += await self._send(row_id)

    async def _claim(self) -> list[int]:
        now = self.services.clock()
        claimable = or_(OutboxMessage.state == "pending",
                        (OutboxMessage.state == "claimed") & (OutboxMessage.claimed_at < now - LEASE))
        async with self.services.db.transaction() as session:
            query = (select(OutboxMessage.id).where(claimable, OutboxMessage.due_at <= now)
                     .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(BATCH))
            if self.services.db.is_postgresql:
                query = query.with_for_update(skip_locked=True)
            ids = list(await session.scalars(query))
            if not ids:
                return []
            token = f"{self.instance}:{uuid.uuid4().hex[:8]}"
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(ids), claimable)
                .values(state="claimed", claimed_by=token, claimed_at=now,
                        attempts=OutboxMessage.attempts + 1)
                .execution_options(synchronize_session=False))
            return list(await session.scalars(select(OutboxMessage.id).where(
                OutboxMessage.claimed_by == token).order_by(OutboxMessage.due_at, OutboxMessage.id)))

    async def _send(self, row_id: int) -> int:
        async with self.services.db.transaction() as session:
            row = await session.get(OutboxMessage, row_id)
            if row is None or row.state != "claimed":
                return 0
            try:
                rendered = await RENDERERS[row.kind](session, row, self.services)
            except Skip as skip:
                row.state, row.last_error = skip.state, str(skip)[:500] or None
                return 0
        outcome, error, retry_at = "sent", None, None
        try:
            await deliver(self.bot, Outgoing(rendered.chat_id, rendered.text, rendered.buttons,
                                             rendered.document))
        except RetryAfter as limit:
            outcome, error = "pending", "rate limited"
            retry_at = self.services.clock() + timedelta(seconds=float(limit.retry_after.total_seconds()
                                                         if hasattr(limit.retry_after, "total_seconds")
                                                         else limit.retry_after))
        except Forbidden:
            outcome, error = "failed", "blocked by the recipient"
        except BadRequest as refused:
            outcome, error = "failed", f"refused: {type(refused).__name__}"
        except (TimedOut, NetworkError) as failure:
            outcome, error = "retry", type(failure).__name__
        await self._record(row_id, outcome, error, retry_at)
        return 1 if outcome == "sent" else 0

    async def _record(self, row_id: int, outcome: str, error: str | None, retry_at: datetime | None) -> None:
        now = self.services.clock()
        async with self.services.db.transaction() as session:
            row = await session.get(OutboxMessage, row_id)
            if row is None:
                return
            if outcome == "sent":
                row.state, row.sent_at, row.last_error = "sent", now, None
                return
            row.last_error = error
            if outcome == "retry" and row.attempts < MAX_ATTEMPTS:
                row.state, row.due_at = "pending", now + timedelta(seconds=2 ** row.attempts * 5)
            elif outcome == "pending":
                row.state, row.due_at = "pending", retry_at or now
            else:
                row.state = "failed"
                if error == "blocked by the recipient" and row.recipient_id is not None:
                    member = await session.get(Member, row.recipient_id)
                    if member is not None:
                        member.unreachable_since = member.unreachable_since or now
            log.warning("outbox row %s: %s (%s)", row_id, row.state, error)
