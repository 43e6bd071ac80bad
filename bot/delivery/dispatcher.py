"""Sends what the outbox owes, exactly once as far as Telegram allows.

Claiming. A batch of due rows is claimed in its own short transaction before sending
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several bot instances never take the same row;
on SQLite one conditional ``UPDATE ... WHERE id IN (SELECT ... LIMIT n)`` that writes a claim
token, SQLite serialising writers). A row is then rendered from the current records, sent,
and marked sent once Telegram confirmed, each step checking the row still carries this run's
claim token. A crash between the send and the mark leaves the row claimed; once the lease
expires another run sends it again: at most that one message is repeated, never more.

The lease outlives any send: it is renewed as each row's send begins (a batch may take longer
than the lease), and a send is one attempt (``rate_limit_args=NO_RETRY``: the rate limiter
throttles but never sleeps out a 429 inside it), so it takes seconds, never minutes.

Time. The database is the schedule. The JobQueue wakes the dispatcher every few seconds
and, after each run, exactly at the next row's due time (``on_next_due``). Rows that fell due
while the bot was down are sent at the next run; each renderer decides whether what it
reminds of is still ahead (sent, marked late when useful) or already past
(``Skip("missed")``, not sent).

Failures. Telegram's 429 pauses every send of this dispatcher until ``retry_after``: the row
that got it is due again then, and it and the rows not yet tried are released without counting
an attempt (a 429 means "later", never "failed"); network errors, timeouts and 5xx are
retried with exponential backoff up to :data:`MAX_ATTEMPTS`, then the row is failed and the
chair told (one :data:`DELIVERY_REPORT` per chair and hour, rendered from the failed rows);
a recipient with no linked Telegram account gets the distinct state ``unlinked`` (nothing was
tried, nothing failed); 403 marks the member unreachable (``Member.unreachable_since``), tells the chair once, and
later rows for that member are not even tried until any update from them clears the mark.
A 403 in the committee's group (the bot removed) unbinds the group, cancels what was owed to it
and tells the chair once (:func:`bot.services.group_chat.lose_group`); "group chat was upgraded to
a supergroup" (``ChatMigrated``) rebinds the group to the new id, re-addresses the rows owed to
the old one and sends this row again to the new id (:func:`bot.services.group_chat.follow_migration`).
Rows for the group go to the topic the chair bound it in; a topic deleted or closed since sends
them to General from then on, and the chair is told once.
"""

import asyncio
import logging
import uuid
import warnings
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from storage.outbox import MESSAGE, enqueue
from bot.services.group_chat import follow_migration, lose_group, lose_topic
from bot.services.members import committee
from bot.services.reach import NOT_LINKED, UNLINKED
from bot.delivery.ratelimit import NO_RETRY
from bot.delivery.sending import Outgoing, deliver
from bot.services import Services
from storage.models import Member, OutboxMessage

log = logging.getLogger("inspir.outbox")
LEASE = timedelta(minutes=2)
BATCH = 50
# Messages on their way at once. A crash repeats exactly those (sent to Telegram, not yet
# marked sent), so one at a time keeps the promise "at most one duplicate per crash"; one
# sender still reaches Telegram's 30 messages per second on a good link, and the committee
# is a few dozen people.
CONCURRENCY = 1
MAX_ATTEMPTS = 5
BACKOFF_BASE_SECONDS = 5
DELIVERY_REPORT = "delivery_report"
REPORT_DELAY = timedelta(minutes=1)
BLOCKED = "blocked by the recipient"
GROUP_GONE = "the bot cannot post in the group"
TOPIC_GONE = ("thread not found", "topic_closed", "topic_deleted")  # Bad Request descriptions
UNREACHABLE = "recipient unreachable"


@dataclass
class Rendered:
    """What to send for one outbox row, in its reader's language."""

    chat_id: int
    text: str
    buttons: list[list[tuple[str, str]]] | None = None
    document: tuple[str, bytes] | None = None
    covers: tuple[int, ...] = ()  # held rows this message delivers too (a daily digest)


@dataclass(frozen=True)
class Claim:
    row_id: int
    token: str
    chat_key: str


class Skip(Exception):
    """The row must not be sent (its meeting started, was cancelled...): ``state`` says why."""

    def __init__(self, state: str, reason: str = ""):
        super().__init__(reason)
        self.state = state


# How rows of one kind are phrased at send time, from the current records. Each handler area
# declares its own in ``RENDERERS``; the bootstrap hands them all to the dispatcher.
Renderer = Callable[[AsyncSession, OutboxMessage, Services], Awaitable[Rendered]]


async def render_message(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    chat_id = row.chat_id
    if chat_id is None and row.recipient_id is not None:
        member = await session.get(Member, row.recipient_id)
        chat_id = member.telegram_id if member and member.active else None
    if chat_id is None:
        raise Skip(UNLINKED, NOT_LINKED)
    buttons = [[(label, data) for label, data in line] for line in row.payload.get("buttons", [])]
    return Rendered(chat_id, row.payload["text"], buttons or None)


CORE_RENDERERS: dict[str, Renderer] = {MESSAGE: render_message}


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s, 80 s... after the 1st, 2nd, 3rd, 4th failed attempt."""
    return timedelta(seconds=BACKOFF_BASE_SECONDS * 2 ** max(attempts, 1))


def _retry_after_seconds(limit: RetryAfter) -> float:
    """Seconds to wait: PTB 22 gives an int and warns that a timedelta will come instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = limit.retry_after
    return float(value.total_seconds() if isinstance(value, timedelta) else value)


async def report_to_chairs(session: AsyncSession, now: datetime) -> None:
    """Owe the chair (else the secretariat) a delivery report: one row per recipient and hour,
    rendered when sent from the failed rows and unreachable members of that hour."""
    recipients = list(await session.scalars(select(Member).where(
        Member.active.is_(True), Member.access == "chair", Member.unreachable_since.is_(None),
        Member.telegram_id.is_not(None)).order_by(Member.id)))
    if not recipients:
        recipients = list(await session.scalars(select(Member).where(
            Member.active.is_(True), Member.access == "secretariat", Member.unreachable_since.is_(None),
            Member.telegram_id.is_not(None)).order_by(Member.id)))
    hour = now.replace(minute=0, second=0, microsecond=0)
    for member in recipients:
        await enqueue(session, kind=DELIVERY_REPORT, due_at=now + REPORT_DELAY,
                      dedupe_key=f"{DELIVERY_REPORT}:{member.id}:{hour:%Y%m%dT%H}", recipient=member,
                      ref_type="member", ref_id=member.id, payload={"since": hour.isoformat()})


async def _group_topic(session: AsyncSession, row: OutboxMessage, rendered: Rendered) -> int | None:
    """Rows for the committee's group go to the topic the chair chose (None: General)."""
    if row.recipient_id is not None:
        return None
    bound = await committee(session)
    return bound.group_thread_id if rendered.chat_id == bound.group_chat_id else None


class Dispatcher:
    """Claims and sends due rows of the kinds it has a renderer for. Rows of another kind (a
    newer version's, during a rolling upgrade) stay pending for an instance that knows them."""

    def __init__(self, services: Services, bot, renderers: Mapping[str, Renderer],  # type: ignore[no-untyped-def]
                 instance: str | None = None):
        self.services = services
        self.bot = bot
        self.renderers = dict(renderers)
        self.instance = instance or uuid.uuid4().hex[:12]
        self.on_next_due: Callable[[datetime], None] | None = None
        self._lock = asyncio.Lock()
        self.completed_at: datetime | None = None  # the end of the last whole run
        self._tasks: set[asyncio.Task[int]] = set()
        self._paused_until: datetime | None = None

    def wake(self) -> None:
        """Send whatever is due, soon, without making the caller wait."""
        task = asyncio.get_running_loop().create_task(self.run_once())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until every woken run has finished (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _paused(self) -> bool:
        return self._paused_until is not None and self.services.clock() < self._paused_until

    async def run_once(self) -> int:
        """Send every row due now; returns how many were sent. Then ask for a wake-up at the
        next row's due time."""
        sent = 0
        async with self._lock:
            try:
                while not self._paused():
                    claimed = await self._claim()
                    if not claimed:
                        break
                    sent += await self._send_batch(claimed)
                self.completed_at = self.services.clock()  # the heartbeat reports it
            finally:
                await self._announce_next_due()
        return sent

    async def next_due(self) -> datetime | None:
        """When the next pending row falls due (or a claimed one's lease expires)."""
        async with self.services.db.transaction() as session:
            pending = await session.scalar(select(func.min(OutboxMessage.due_at)).where(
                OutboxMessage.state == "pending", self._renderable))
            claimed = await session.scalar(select(func.min(OutboxMessage.claimed_at)).where(
                OutboxMessage.state == "claimed", self._renderable))
        candidates = [moment for moment in (pending, claimed + LEASE if claimed else None) if moment]
        if self._paused_until is not None and candidates:
            candidates = [max(moment, self._paused_until) for moment in candidates]
        return min(candidates) if candidates else None

    async def _announce_next_due(self) -> None:
        if self.on_next_due is None:
            return
        try:
            when = await self.next_due()
        except Exception as error:  # noqa: BLE001 - the periodic tick still runs
            log.warning("could not read the next due time: %s", type(error).__name__)
            return
        if when is not None:
            self.on_next_due(when)

    @property
    def _renderable(self):  # type: ignore[no-untyped-def]
        return OutboxMessage.kind.in_(self.renderers)

    async def _claim(self) -> list["Claim"]:
        now = self.services.clock()
        token = f"{self.instance}:{uuid.uuid4().hex[:8]}"
        claimable = or_(OutboxMessage.state == "pending",
                        (OutboxMessage.state == "claimed") & (OutboxMessage.claimed_at < now - LEASE))
        due = (select(OutboxMessage.id).where(claimable, OutboxMessage.due_at <= now, self._renderable)
               .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(BATCH))
        async with self.services.db.transaction() as session:
            if self.services.db.is_postgresql:
                ids = list(await session.scalars(due.with_for_update(skip_locked=True)))
                if not ids:
                    return []
                target = OutboxMessage.id.in_(ids)
            else:
                # One statement: SQLite takes the write lock before reading, so two
                # processes cannot both see a row as claimable.
                target = OutboxMessage.id.in_(due.scalar_subquery())
            await session.execute(
                update(OutboxMessage).where(target, claimable)
                .values(state="claimed", claimed_by=token, claimed_at=now,
                        attempts=OutboxMessage.attempts + 1)
                .execution_options(synchronize_session=False))
            rows = (await session.execute(select(
                OutboxMessage.id, OutboxMessage.recipient_id, OutboxMessage.chat_id).where(
                OutboxMessage.claimed_by == token, OutboxMessage.state == "claimed")
                .order_by(OutboxMessage.due_at, OutboxMessage.id))).tuples().all()
        return [Claim(row_id, token, f"m{recipient}" if recipient is not None else f"c{chat}")
                for row_id, recipient, chat in rows]

    async def _send_batch(self, claimed: list["Claim"]) -> int:
        """Rows for different chats go out concurrently (up to :data:`CONCURRENCY`); rows for
        one chat one after the other, in due order, so they arrive in order and a chat that
        blocked the bot costs one refused call, not a burst."""
        gate = asyncio.Semaphore(CONCURRENCY)
        by_chat: dict[str, list[Claim]] = {}
        for claim in claimed:
            by_chat.setdefault(claim.chat_key, []).append(claim)

        async def one(row_id: int, token: str) -> int:
            if self._paused():
                await self._release(row_id, token)
                return 0
            try:
                return await self._send(row_id, token)
            except Exception as error:  # noqa: BLE001 - one row must not stop the others
                log.error("outbox row %s: unexpected %s", row_id, type(error).__name__)
                await self._record(row_id, token, "retry", type(error).__name__, None)
                return 0

        async def chat(claims: list[Claim]) -> int:
            async with gate:
                return sum([await one(claim.row_id, claim.token) for claim in claims])

        return sum(await asyncio.gather(*(chat(claims) for claims in by_chat.values())))

    async def _release(self, row_id: int, token: str) -> None:
        """Give back a claimed row not tried (paused by a 429): not an attempt."""
        async with self.services.db.transaction() as session:
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == token,
                                            OutboxMessage.state == "claimed")
                .values(state="pending", claimed_by=None, attempts=OutboxMessage.attempts - 1)
                .execution_options(synchronize_session=False))

    async def _send(self, row_id: int, token: str) -> int:
        async with self.services.db.transaction() as session:
            # Renew the lease for this send (the batch was claimed earlier), in one conditional
            # statement: either this run still holds the row and gets LEASE from now, or another
            # instance took it over and this run leaves it.
            renewed = await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == token,
                                            OutboxMessage.state == "claimed")
                .values(claimed_at=self.services.clock()).execution_options(synchronize_session=False))
            if renewed.rowcount != 1:  # type: ignore[attr-defined]
                return 0
            row = await session.get(OutboxMessage, row_id)
            if row is None:
                return 0
            if row.recipient_id is not None:
                member = await session.get(Member, row.recipient_id)
                if member is not None and member.unreachable_since is not None:
                    row.state, row.last_error = "failed", UNREACHABLE
                    return 0
                if member is not None and member.active and member.telegram_id is None:
                    row.state, row.last_error = UNLINKED, NOT_LINKED  # not a failure: never linked
                    return 0
            try:
                rendered = await self.renderers[row.kind](session, row, self.services)
            except Skip as skip:
                row.state, row.last_error = skip.state, str(skip)[:500] or None
                return 0
            topic = await _group_topic(session, row, rendered)
        outcome, error, retry_at, moved_to = "sent", None, None, None
        try:
            # One attempt: a 429 comes back at once instead of being slept out inside the send.
            await deliver(self.bot, Outgoing(rendered.chat_id, rendered.text, rendered.buttons,
                                             rendered.document, thread_id=topic), rate_limit_args=NO_RETRY)
        except RetryAfter as limit:
            outcome, error = "rate_limited", "rate limited"
            retry_at = self.services.clock() + timedelta(seconds=_retry_after_seconds(limit))
            self._paused_until = max(self._paused_until or retry_at, retry_at)
        except ChatMigrated as migrated:  # before TelegramError, which it is
            outcome, error, moved_to = "migrated", "group upgraded to a supergroup", migrated.new_chat_id
        except Forbidden:
            outcome, error = "blocked", BLOCKED
        except BadRequest as refused:
            outcome, error = "failed", f"refused: {type(refused).__name__}"
            if topic is not None and any(sign in refused.message.lower() for sign in TOPIC_GONE):
                outcome, error = "topic_gone", "the group's topic was deleted or closed"
        except NetworkError as failure:  # TimedOut and 5xx (python-telegram-bot's NetworkError) too
            outcome, error = "retry", type(failure).__name__
        except TelegramError as other:
            outcome, error = "retry", type(other).__name__
        await self._record(row_id, token, outcome, error, retry_at, rendered.chat_id, moved_to, rendered.covers)
        return 1 if outcome == "sent" else 0

    async def _record(self, row_id: int, token: str, outcome: str, error: str | None,
                      retry_at: datetime | None, chat_id: int | None = None,
                      moved_to: int | None = None, covers: tuple[int, ...] = ()) -> None:
        now = self.services.clock()
        async with self.services.db.transaction() as session:
            row = await session.get(OutboxMessage, row_id)
            if row is None or row.claimed_by != token:
                return  # another run took the row over after our lease expired
            if outcome == "sent":
                row.state, row.sent_at, row.last_error = "sent", now, None
                if covers:
                    await session.execute(update(OutboxMessage).where(
                        OutboxMessage.id.in_(covers), OutboxMessage.state == "held").values(state="sent", sent_at=now))
                return
            row.last_error = error
            tell_chair = False
            if outcome == "retry" and row.attempts < MAX_ATTEMPTS:
                row.state, row.due_at = "pending", now + backoff(row.attempts)
            elif outcome == "rate_limited":
                # Telegram said "later", not "failed": the attempt is given back, as a release does.
                row.state, row.due_at, row.attempts = "pending", retry_at or now, row.attempts - 1
            elif outcome == "migrated" and moved_to is not None and row.attempts < MAX_ATTEMPTS:
                if chat_id is not None:
                    await follow_migration(session, chat_id, moved_to, now)
                row.state, row.due_at, row.claimed_by = "pending", now, None  # sent again at once
                if row.recipient_id is None:
                    row.chat_id = moved_to
            elif outcome == "topic_gone" and row.attempts < MAX_ATTEMPTS and chat_id is not None:
                await lose_topic(session, chat_id, now)  # General from now on, this row first
                row.state, row.due_at, row.claimed_by = "pending", now, None
            elif outcome == "blocked" and row.recipient_id is None and chat_id is not None:
                await lose_group(session, chat_id, now, "forbidden")  # tells the chairs itself
                row.state, row.last_error = "failed", GROUP_GONE
            elif outcome == "blocked":
                row.state = "failed"
                member = await session.get(Member, row.recipient_id) if row.recipient_id else None
                if member is not None and member.unreachable_since is None:
                    member.unreachable_since = now
                    tell_chair = row.kind != DELIVERY_REPORT
            else:
                row.state = "failed"
                tell_chair = row.kind != DELIVERY_REPORT
            if row.state == "failed" and covers:  # what the digest carried failed with it
                await session.execute(update(OutboxMessage).where(
                    OutboxMessage.id.in_(covers), OutboxMessage.state == "held").values(state="failed", last_error=error))
            if tell_chair:
                await report_to_chairs(session, now)
            log.warning("outbox row %s (%s): %s after %s attempt(s): %s", row_id, row.kind, row.state,
                        row.attempts, error)
