"""The outbox dispatcher on both databases, through a fake Telegram: exactly-once under races
between instances, crashes around a send, 429 pauses, retries with backoff, 403 marks the
member unreachable and tells the chair. Time is the injectable clock; nothing sleeps."""

import asyncio
import json
import random
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from handlers import all_renderers
from bot.config import load_settings
from bot.delivery.dispatcher import (
    BATCH, BLOCKED, CONCURRENCY, DELIVERY_REPORT, GROUP_GONE, LEASE, MAX_ATTEMPTS, UNREACHABLE, Dispatcher,
    backoff,
)
from bot.i18n.translation import I18n
from bot.telegram.application import build_application
from bot.telegram.offline import OfflineBotApi
from bot.services.members import ensure_committee
from storage.outbox import enqueue, enqueue_text
from bot.services import Services
from storage.database import Database
from bot.services.group_chat import GROUP_LOST, GROUP_MOVED, TOPIC_LOST
from storage.models import Committee, Member, OutboxMessage
from tests.harness import Clock

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
I18N = I18n()
RENDERERS = all_renderers()


class FakeBot:
    """Telegram as the dispatcher sees it: records sends; faults scripted per call or chat."""

    def __init__(self, jitter: bool = False):
        self.sent: list[tuple[int, str]] = []
        self.calls = 0
        self.faults: list[Exception | None] = []
        self.blocked: set[int] = set()
        self.jitter = jitter
        self.topics: list[int | None] = []  # message_thread_id of each message sent

    async def send_message(self, chat_id, text, **_options):  # type: ignore[no-untyped-def]
        self.calls += 1
        await asyncio.sleep(random.random() / 1000 if self.jitter else 0)
        if self.faults:
            fault = self.faults.pop(0)
            if fault is not None:
                raise fault
        if chat_id in self.blocked:
            raise Forbidden("Forbidden: bot was blocked by the user")
        self.sent.append((chat_id, text))
        self.topics.append(_options.get("message_thread_id"))


async def _services(db_url: str, clock: Clock) -> Services:
    services = Services(load_settings(None, database={"url": db_url}), Database(db_url), I18N, clock)
    async with services.db.transaction() as session:
        await ensure_committee(session, "INSP!R", "Europe/Brussels", "en")
    return services


@pytest.fixture
async def world(db_url):  # type: ignore[no-untyped-def]
    clock = Clock(NOW)
    services = await _services(db_url, clock)
    async with services.db.transaction() as session:
        chair = Member(name="Bart Chair", access="chair", telegram_id=900, language="en")
        ana = Member(name="Ana", telegram_id=901, language="es", timezone="America/Lima")
        rai = Member(name="Rai", telegram_id=902, language="en", timezone="Asia/Kathmandu")
        session.add_all([chair, ana, rai])
    yield services, clock
    await services.db.dispose()


async def _owe(services: Services, count: int, *, chat_id: int | None = None, recipient: str | None = None,
               due: datetime | None = None) -> None:
    async with services.db.transaction() as session:
        member = await session.scalar(select(Member).where(Member.name == recipient)) if recipient else None
        for number in range(count):
            await enqueue_text(session, due or services.clock(), f"row {number}",
                               chat_id=None if member else (chat_id or 1000 + number), recipient=member)


async def _states(services: Services) -> Counter[str]:
    async with services.db.transaction() as session:
        rows = await session.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state))
        return Counter(dict(rows.tuples().all()))


async def _rows(services: Services, kind: str | None = None) -> list[OutboxMessage]:
    async with services.db.transaction() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        return list(await session.scalars(query))


async def test_two_dispatchers_race_over_1000_rows_each_sent_exactly_once(world, db_url):
    services, clock = world
    await _owe(services, 1000)
    other = await _services(db_url, clock)  # a second process: its own engine and pool
    bot_a, bot_b = FakeBot(jitter=True), FakeBot(jitter=True)
    first, second = Dispatcher(services, bot_a, RENDERERS, "instance-a"), Dispatcher(other, bot_b, RENDERERS, "instance-b")
    assert first.instance != second.instance
    sent = await asyncio.gather(first.run_once(), second.run_once(), first.run_once(), second.run_once())
    per_row = Counter(text for _, text in bot_a.sent + bot_b.sent)
    assert len(per_row) == 1000 and set(per_row.values()) == {1}
    assert sum(sent) == 1000
    assert await _states(services) == Counter({"sent": 1000})
    claimers = Counter(row.claimed_by.split(":")[0] for row in await _rows(services))
    assert sum(claimers.values()) == 1000
    await other.db.dispose()


async def test_crash_after_claim_before_send_is_sent_once_after_the_lease(world):
    services, clock = world
    await _owe(services, 3)
    crashed = Dispatcher(services, FakeBot(), RENDERERS, "crashed")
    claimed = await crashed._claim()  # then the process dies: nothing sent, nothing marked
    assert len(claimed) == 3
    bot = FakeBot()
    survivor = Dispatcher(services, bot, RENDERERS, "survivor")
    assert await survivor.run_once() == 0  # still leased to the dead instance
    clock.advance(LEASE + timedelta(seconds=1))
    assert await survivor.run_once() == 3
    assert Counter(text for _, text in bot.sent) == Counter({"row 0": 1, "row 1": 1, "row 2": 1})
    assert {row.attempts for row in await _rows(services)} == {2}


async def test_crash_after_send_before_marking_repeats_that_message_at_most_once(world):
    services, clock = world
    await _owe(services, 2)
    bot = FakeBot()
    crashed = Dispatcher(services, bot, RENDERERS, "crashed")
    claimed = await crashed._claim()
    await bot.send_message(1000, "row 0")  # Telegram took it; the process died before marking it
    survivor = Dispatcher(services, bot, RENDERERS, "survivor")
    clock.advance(LEASE + timedelta(seconds=1))
    assert await survivor.run_once() == 2
    counts = Counter(text for _, text in bot.sent)
    assert counts == Counter({"row 0": 2, "row 1": 1})  # the one duplicate the design allows
    # A late mark by the dead instance cannot undo or double the survivor's work.
    await crashed._record(claimed[0].row_id, claimed[0].token, "sent", None, None)
    assert await _states(services) == Counter({"sent": 2})
    assert await survivor.run_once() == 0


async def test_429_pauses_everything_until_retry_after_without_failing(world):
    services, clock = world
    await _owe(services, 20)
    bot = FakeBot()
    bot.faults = [RetryAfter(timedelta(seconds=30))]
    dispatcher = Dispatcher(services, bot, RENDERERS)
    woken: list[datetime] = []
    dispatcher.on_next_due = woken.append
    in_flight = await dispatcher.run_once()  # sends already under way when the 429 came may land
    rows = await _rows(services)
    (limited,) = [row for row in rows if row.last_error == "rate limited"]
    assert limited.state == "pending" and limited.attempts == 0  # "later", not a failed attempt
    assert limited.due_at == NOW + timedelta(seconds=30)
    released = [row for row in rows if row.state == "pending" and row.id != limited.id]
    assert released and len(released) == 19 - in_flight and all(row.attempts == 0 for row in released)
    assert in_flight <= CONCURRENCY  # at most the sends already under way
    assert woken[-1] == NOW + timedelta(seconds=30)  # the exact wake-up waits out the pause
    clock.advance(timedelta(seconds=10))
    assert await dispatcher.run_once() == 0
    clock.advance(timedelta(seconds=21))
    assert await dispatcher.run_once() == 20 - in_flight
    assert sorted(Counter(text for _, text in bot.sent).values()) == [1] * 20


async def test_429s_do_not_use_up_the_attempts_a_network_failure_is_allowed(world):
    services, clock = world
    await _owe(services, 1, recipient="Ana")
    bot = FakeBot()
    bot.faults = [RetryAfter(timedelta(seconds=5))] * (MAX_ATTEMPTS + 1) + [TimedOut()] * (MAX_ATTEMPTS - 1)
    dispatcher = Dispatcher(services, bot, RENDERERS)
    for _ in range(MAX_ATTEMPTS + 1):
        assert await dispatcher.run_once() == 0
        clock.advance(timedelta(seconds=5))
    for attempt in range(1, MAX_ATTEMPTS):
        assert await dispatcher.run_once() == 0
        clock.advance(backoff(attempt))
    assert await dispatcher.run_once() == 1
    (row,) = await _rows(services, "message")
    assert (row.state, row.attempts) == ("sent", MAX_ATTEMPTS)
    assert bot.calls == 2 * MAX_ATTEMPTS + 1 and await _rows(services, DELIVERY_REPORT) == []


async def test_server_errors_and_timeouts_retry_with_backoff_then_fail_and_tell_the_chair(world):
    services, clock = world
    await _owe(services, 1, recipient="Ana")
    bot = FakeBot()
    bot.faults = [TimedOut(), None]  # a timeout, then Telegram answers
    dispatcher = Dispatcher(services, bot, RENDERERS)
    assert await dispatcher.run_once() == 0
    clock.advance(backoff(1) - timedelta(seconds=1))
    assert await dispatcher.run_once() == 0  # not before the backoff
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.run_once() == 1
    await _owe(services, 1, recipient="Rai")
    bot.faults = [NetworkError("Internal Server Error (500)")] * MAX_ATTEMPTS
    for attempt in range(1, MAX_ATTEMPTS + 1):
        await dispatcher.run_once()
        clock.advance(backoff(attempt))
    failed = [row for row in await _rows(services, "message") if row.state == "failed"]
    assert len(failed) == 1 and failed[0].attempts == MAX_ATTEMPTS and failed[0].last_error == "NetworkError"
    reports = await _rows(services, DELIVERY_REPORT)
    assert len(reports) == 1
    await dispatcher.run_once()
    chair_text = next(text for chat, text in bot.sent if chat == 900)
    assert "Rai" in chair_text and "could not be reached" in chair_text
    assert "row 0" not in chair_text  # the report names no message text


async def test_403_marks_the_member_unreachable_tells_the_chair_once_and_stops_trying(world):
    services, clock = world
    await _owe(services, 2, recipient="Rai")
    bot = FakeBot()
    bot.blocked.add(902)
    dispatcher = Dispatcher(services, bot, RENDERERS)
    await dispatcher.run_once()
    assert bot.calls == 1  # the second row is not even tried
    rows = await _rows(services, "message")
    assert [(row.state, row.last_error) for row in rows] == [("failed", BLOCKED), ("failed", UNREACHABLE)]
    async with services.db.transaction() as session:
        rai = await session.scalar(select(Member).where(Member.name == "Rai"))
        assert rai.unreachable_since == NOW
    clock.advance(timedelta(hours=2))
    await _owe(services, 1, recipient="Rai")
    await dispatcher.run_once()
    assert bot.calls == 2  # only the chair's report went out, Rai was not tried again
    assert len(await _rows(services, DELIVERY_REPORT)) == 1
    (chair_chat, report), = bot.sent
    assert chair_chat == 900 and "Rai" in report and "blocked" in report


async def test_refused_message_fails_without_retry(world):
    services, _clock = world
    await _owe(services, 1, recipient="Ana")
    bot = FakeBot()
    bot.faults = [BadRequest("Bad Request: can't parse entities")]
    await Dispatcher(services, bot, RENDERERS).run_once()
    (row,) = await _rows(services, "message")
    assert row.state == "failed" and row.attempts == 1 and row.last_error.startswith("refused")


async def test_next_due_wakes_exactly_at_the_next_row(world):
    services, clock = world
    await _owe(services, 1, due=NOW + timedelta(minutes=7, seconds=13))
    dispatcher = Dispatcher(services, FakeBot(), RENDERERS)
    woken: list[datetime] = []
    dispatcher.on_next_due = woken.append
    assert await dispatcher.run_once() == 0
    assert woken == [NOW + timedelta(minutes=7, seconds=13)]


async def test_batches_larger_than_one_claim_all_go_out(world):
    services, _clock = world
    await _owe(services, BATCH * 2 + 3)
    bot = FakeBot()
    assert await Dispatcher(services, bot, RENDERERS).run_once() == BATCH * 2 + 3


async def test_a_retried_meeting_reminder_is_still_sent_not_taken_for_a_moved_meeting(world):
    from bot.services.reminders import replan_meeting
    from storage.models import Meeting

    services, clock = world
    async with services.db.transaction() as session:
        meeting = Meeting(title="Budget", starts_at=NOW + timedelta(hours=2), timezone="Europe/Brussels")
        session.add(meeting)
        await replan_meeting(session, meeting, [timedelta(hours=1)], NOW)
    clock.advance(timedelta(hours=1))
    bot = FakeBot()
    bot.faults = [NetworkError("Bad Gateway")]
    dispatcher = Dispatcher(services, bot, RENDERERS)
    assert await dispatcher.run_once() == 2  # one of three failed, retried later
    clock.advance(backoff(1))
    assert await dispatcher.run_once() == 1
    assert sorted(chat for chat, _ in bot.sent) == [900, 901, 902]
    assert all("Budget" in text and "late" not in text for _, text in bot.sent)


async def test_rows_of_a_kind_this_version_cannot_render_stay_pending_for_one_that_can(world):
    services, clock = world
    await _owe(services, 2)
    async with services.db.transaction() as session:
        await enqueue(session, kind="from_a_newer_version", due_at=clock(), dedupe_key="newer:1",
                      chat_id=1234, payload={"text": "later"})
    bot = FakeBot()
    dispatcher = Dispatcher(services, bot, RENDERERS)
    assert await dispatcher.run_once() == 2
    assert await dispatcher.next_due() is None  # no hot loop on a row nobody here can send
    [row] = await _rows(services, "from_a_newer_version")
    assert (row.state, row.attempts) == ("pending", 0)


async def _bind_group(services: Services, chat_id: int) -> None:
    async with services.db.transaction() as session:
        (await session.scalar(select(Committee))).group_chat_id = chat_id


async def test_chat_migrated_rebinds_readdresses_owed_rows_and_sends_to_the_new_id(world):
    services, clock = world
    await _bind_group(services, -4001)
    await _owe(services, 1, chat_id=-4001)
    await _owe(services, 1, chat_id=-4001, due=NOW + timedelta(hours=1))
    bot = FakeBot()
    bot.faults = [ChatMigrated(-1004001)]  # "group chat was upgraded to a supergroup chat"
    dispatcher = Dispatcher(services, bot, RENDERERS)
    assert await dispatcher.run_once() == 2  # the row, sent again to the new id, and the chair's notice
    assert sorted(chat for chat, _ in bot.sent) == [-1004001, 900]
    async with services.db.transaction() as session:
        assert (await session.scalar(select(Committee))).group_chat_id == -1004001
    later = [row for row in await _rows(services, "message") if row.state == "pending"]
    assert [row.chat_id for row in later] == [-1004001]
    bot.faults = [ChatMigrated(-1004001)]  # a row still addressed to the old id: followed, no new notice
    await _owe(services, 1, chat_id=-4001)
    assert await dispatcher.run_once() == 1
    assert len(await _rows(services, GROUP_MOVED)) == 1 and bot.sent[-1][0] == -1004001


async def test_forbidden_in_the_group_unbinds_it_cancels_the_rest_and_tells_the_chair_once(world):
    services, clock = world
    await _bind_group(services, -1005)
    await _owe(services, 3, chat_id=-1005)
    bot = FakeBot()
    bot.blocked.add(-1005)  # "Forbidden: bot was kicked from the supergroup chat"
    dispatcher = Dispatcher(services, bot, RENDERERS)
    assert await dispatcher.run_once() == 1  # the chair's notice only
    assert bot.calls == 2 and bot.sent[0][0] == 900
    states = sorted((row.state, row.last_error) for row in await _rows(services, "message"))
    assert states == [("cancelled", "group lost"), ("cancelled", "group lost"), ("failed", GROUP_GONE)]
    assert len(await _rows(services, GROUP_LOST)) == 1 and await _rows(services, DELIVERY_REPORT) == []
    async with services.db.transaction() as session:
        assert (await session.scalar(select(Committee))).group_chat_id is None


async def test_group_rows_go_to_the_chosen_topic_and_to_general_once_it_is_gone(world):
    services, clock = world
    await _bind_group(services, -1006)
    async with services.db.transaction() as session:
        (await session.scalar(select(Committee))).group_thread_id = 42
    await _owe(services, 1, chat_id=-1006)
    bot = FakeBot()
    dispatcher = Dispatcher(services, bot, RENDERERS)
    assert await dispatcher.run_once() == 1 and bot.topics == [42]
    await _owe(services, 1, chat_id=-1006)
    bot.faults = [BadRequest("Bad Request: message thread not found")]  # the topic was deleted
    assert await dispatcher.run_once() == 2
    assert bot.topics == [42, None, None] and bot.calls == 4  # sent again at once, in General
    assert sorted(chat for chat, _ in bot.sent) == [-1006, -1006, 900]  # and the chair told
    async with services.db.transaction() as session:
        assert (await session.scalar(select(Committee))).group_thread_id is None
    await _owe(services, 1, chat_id=-1006)
    bot.faults = [BadRequest("Bad Request: message thread not found")]  # now General itself refuses
    await dispatcher.run_once()
    assert len(await _rows(services, TOPIC_LOST)) == 1  # told once; a refusal in General is a refusal


class FloodingBotApi(OfflineBotApi):
    """The Bot API behind the real PTB bot and rate limiter: the first sendMessage gets a 429
    whose retry_after is longer than the lease."""

    RETRY_AFTER = int((LEASE + timedelta(minutes=3)).total_seconds())

    def __init__(self) -> None:
        super().__init__()
        self.flooded = asyncio.Event()

    async def do_request(self, url, method, request_data=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        if url.endswith("/sendMessage") and not self.flooded.is_set():
            self.flooded.set()
            return 429, json.dumps({"ok": False, "error_code": 429, "parameters": {"retry_after": self.RETRY_AFTER},
                                    "description": f"Too Many Requests: retry after {self.RETRY_AFTER}"}).encode()
        return await super().do_request(url, method, request_data, *args, **kwargs)


@pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
async def test_a_429_longer_than_the_lease_is_not_slept_out_inside_the_send(world, db_url):
    """Through PTB's bot and the application's rate limiter: the first attempt's 429 reschedules
    the row at retry_after instead of sleeping inside the send past the lease, so a second
    instance claiming meanwhile finds nothing to take over, and the row is sent once."""
    services, clock = world
    await _owe(services, 1, recipient="Ana")
    api = FloodingBotApi()
    other = await _services(db_url, clock)
    first, second = build_application(services, RENDERERS, api), build_application(other, RENDERERS, api)
    await first.initialize()
    await second.initialize()
    a, b = first.bot_data["dispatcher"], second.bot_data["dispatcher"]
    in_flight = asyncio.create_task(a.run_once())
    try:
        await asyncio.wait_for(api.flooded.wait(), 10)
        await asyncio.wait({in_flight}, timeout=3)  # done at once, unless it sleeps out the 429
        clock.advance(LEASE + timedelta(seconds=30))
        assert await b.run_once() == 0, "a second instance took the row over during the send"
        assert in_flight.done() and in_flight.result() == 0, "the send was still sleeping out the 429"
        (row,) = await _rows(services)
        assert row.state == "pending" and row.last_error == "rate limited"
        assert row.due_at == NOW + timedelta(seconds=FloodingBotApi.RETRY_AFTER)
        clock.advance(timedelta(seconds=FloodingBotApi.RETRY_AFTER))
        assert sum(await asyncio.gather(a.run_once(), b.run_once())) == 1
    finally:
        in_flight.cancel()
        await first.shutdown()
        await second.shutdown()
        await other.db.dispose()
    assert [message.chat_id for message in api.messages] == [901]
    assert await _states(services) == Counter({"sent": 1})


class SlowBot(FakeBot):
    """A send during which something else happens (another instance runs)."""

    def __init__(self, during) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.during = during

    async def send_message(self, chat_id, text, **options):  # type: ignore[no-untyped-def]
        if self.during is not None:
            during, self.during = self.during, None
            await during()
        await super().send_message(chat_id, text, **options)


async def test_the_lease_is_renewed_as_each_send_of_a_long_batch_begins(world, db_url):
    """A batch claimed more than a lease ago (slow earlier sends): the row about to be sent gets
    a fresh lease, so an instance claiming during that send does not send it too (it may take
    the rows not yet begun, which this instance then leaves)."""
    services, clock = world
    await _owe(services, 2)
    other = await _services(db_url, clock)
    other_bot = FakeBot()
    second = Dispatcher(other, other_bot, RENDERERS, "instance-b")
    taken_over: list[int] = []

    async def second_instance_runs() -> None:
        taken_over.append(await second.run_once())

    bot = SlowBot(second_instance_runs)
    first = Dispatcher(services, bot, RENDERERS, "instance-a")
    claimed = await first._claim()
    clock.advance(LEASE + timedelta(seconds=1))  # the batch's earlier sends took that long
    assert await first._send_batch(claimed) == 1
    await other.db.dispose()
    assert taken_over == [1] and other_bot.sent == [(1001, "row 1")]  # not the row in flight
    assert bot.sent == [(1000, "row 0")]
    assert await _states(services) == Counter({"sent": 2})
