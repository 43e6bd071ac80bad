"""End-to-end: two ``main.py run --webhook`` instances on one PostgreSQL database, as behind
a load balancer, against the Bot API emulator.

- The same update posted to both instances (Telegram retrying, or a balancer replaying) is
  answered once: the update id is recorded in the handler's transaction.
- A stream of updates alternating between the instances: each answered exactly once.
- A meeting with a reminder due while both run: each member reminded once (outbox claims
  with FOR UPDATE SKIP LOCKED), although both instances' JobQueues wake at the due time.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.databases import postgres_or_reason, require_postgres, run_sync
from tests.e2e.emulator import Emulator, EmulatorClient, User, stop
from tests.e2e.test_webhook_e2e import TOKEN, WebhookBot, assert_no_secrets, install_roster, message_update

NAMES = ["Ingrid Mulamba", "Denis Mushiya", "Sabine Jenifère Medetadji Degue", "Niwa Soulima",
         "Drissa Soaré", "Ángeles Carrión", "Mary Karol Luna", "Gabriela Prudencio",
         "Elly Rosita Silaban", "Samy Arokiasamy", "Bismo Sanyoto", "Santiago Fischer", "Bart Verstraeten"]
IDS = {name: 9500 + number for number, name in enumerate(NAMES, start=1)}  # everyone linked
USERS = [User(uid, name.split()[0]) for name, uid in IDS.items()]
TITLE = "Two instances check"
LEAD = timedelta(seconds=25)  # the reminder falls due this long after the meeting is planned


@dataclass
class Pair:
    tg: EmulatorClient
    bots: list[WebhookBot]
    database_url: str
    meeting_id: int
    reminder_due: datetime


async def _plan_meeting(url: str) -> tuple[int, datetime]:
    """A meeting starting in LEAD + 1 minute, its 1-minute reminders planned (bot.services.reminders)."""
    from bot.services.meetings import create_meeting
    from storage.database import Database

    database = Database(url)
    now = datetime.now(UTC)
    try:
        async with database.transaction() as session:
            meeting = await create_meeting(session, title=TITLE, starts_at=now + LEAD + timedelta(minutes=1),
                                           zone="Europe/Brussels", duration_minutes=60, by=None, now=now,
                                           offsets=[timedelta(minutes=1)])
            return meeting.id, now + LEAD
    finally:
        await database.dispose()


async def _outbox(url: str, meeting_id: int) -> list[tuple[int | None, str, int]]:
    from storage.database import Database
    from storage.models import OutboxMessage

    database = Database(url)
    try:
        async with database.transaction() as session:
            rows = await session.execute(select(OutboxMessage.recipient_id, OutboxMessage.state,
                                                OutboxMessage.attempts)
                                         .where(OutboxMessage.ref_type == "meeting",
                                                OutboxMessage.ref_id == meeting_id))
            return [tuple(row) for row in rows]
    finally:
        await database.dispose()


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, emulator_server: Emulator) -> Iterator[Pair]:
    scratch, reason = postgres_or_reason()
    if scratch is None:
        require_postgres(reason)
    workdir = tmp_path_factory.mktemp("instances")
    tg = emulator_server.client(TOKEN)
    tg.reset()
    processes = []

    def start(argv, env=None, **popen):  # type: ignore[no-untyped-def]
        from tests.e2e.emulator import spawn
        process = spawn(argv, env=env, **popen)
        processes.append(process)
        return process

    bots: list[WebhookBot] = []
    try:
        install_roster(workdir, scratch.url, IDS)
        meeting_id, due = run_sync(_plan_meeting(scratch.url))
        bots = [WebhookBot(workdir, f"instance-{n}", scratch.url, tg, start,
                           INSPIR_REMINDERS__MEETING_OFFSETS='["1m"]') for n in (1, 2)]
        for bot in bots:
            bot.wait_ready()
        yield Pair(tg, bots, scratch.url, meeting_id, due)
        for bot in bots:
            assert stop(bot.process) == 0, bot.logs()
            assert_no_secrets(bot.logs())
    finally:
        for process in processes:
            stop(process)
        for bot in bots:
            bot.close()
        tg.close()
        scratch.drop()


def answers(tg: EmulatorClient, chat_id: int) -> list[dict]:
    """The bot's messages in this private chat that are not the meeting reminder."""
    return [m for m in tg.messages(chat_id) if TITLE not in (m.get("text") or "")]


def handled(logs: str, update_id: int) -> list[str]:
    """How each instance's log says it handled this update (``ok``, ``duplicate``...)."""
    return re.findall(rf"update {update_id} handled by \w+ in private chat: (\w+)", logs)


def test_same_update_on_both_instances_is_answered_once(pair: Pair) -> None:
    user = USERS[9]
    update = message_update(7001, user, "/help")
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(lambda bot: bot.post(update).status_code, pair.bots))
    assert statuses == [200, 200]
    pair.tg.wait_for(lambda: answers(pair.tg, user.id), lambda found: len(found) >= 1)
    outcomes = [handled(bot.logs(), 7001) for bot in pair.bots]
    deadline = time.monotonic() + 20
    while sum(map(len, outcomes)) < 2 and time.monotonic() < deadline:  # both saw it
        time.sleep(0.2)
        outcomes = [handled(bot.logs(), 7001) for bot in pair.bots]
    assert sorted(sum(outcomes, [])) == ["duplicate", "ok"], outcomes
    assert len(answers(pair.tg, user.id)) == 1


def test_alternating_stream_is_answered_once_each(pair: Pair) -> None:
    sent: Counter[int] = Counter()
    for number in range(40):
        user = USERS[number % len(USERS)]
        bot = pair.bots[number % 2]
        assert bot.post(message_update(7100 + number, user, "/help")).status_code == 200
        sent[user.id] += 1
    pair.tg.wait_for(lambda: {u.id: len(answers(pair.tg, u.id)) for u in USERS},
                     lambda got: all(got[uid] >= sent[uid] + (uid == USERS[9].id) for uid in sent), timeout=60)
    time.sleep(1.5)
    expected = {uid: count + (uid == USERS[9].id) for uid, count in sent.items()}  # + the first test's
    assert {u.id: len(answers(pair.tg, u.id)) for u in USERS} == expected
    for number, bot in ((n, pair.bots[n % 2]) for n in range(40)):
        assert handled(bot.logs(), 7100 + number) == ["ok"]
        assert handled(pair.bots[1 - number % 2].logs(), 7100 + number) == []


def test_meeting_reminder_sent_once_with_both_instances_running(pair: Pair) -> None:
    wait = (pair.reminder_due - datetime.now(UTC)).total_seconds() + 40
    reminded = pair.tg.wait_for(
        lambda: [m for m in pair.tg.messages() if TITLE in (m.get("text") or "")],
        lambda found: len(found) >= len(USERS), timeout=max(wait, 40))
    time.sleep(12)  # more than a dispatcher tick of each instance: nothing more may come
    reminded = [m for m in pair.tg.messages() if TITLE in (m.get("text") or "")]
    assert sorted(m["chat_id"] for m in reminded) == sorted(IDS.values())
    rows = run_sync(_outbox(pair.database_url, pair.meeting_id))
    assert len(rows) == len(USERS) and {(state, attempts) for _, state, attempts in rows} == {("sent", 1)}
    for bot in pair.bots:
        assert bot.process.poll() is None, bot.logs()
