"""The bot SIGKILLed at random points of a reminder fan-out (200 members, a one-minute
reminder each), restarted each time: every reminder is eventually sent, and a kill repeats
only what was on its way (sent to Telegram, not yet marked sent) when it struck.

The processes run ``main.py run`` through ``run_bot.py`` with a 4-second lease instead of two
minutes (module constant of ``bot/delivery/dispatcher.py``), so the rows a killed bot had claimed come
back within the test. The random points come from ``FAULTS_SEED`` (printed on failure).

Duplicates: a kill repeats the rows whose message Telegram had accepted but whose "sent" mark
was not yet committed. The dispatcher has ``CONCURRENCY`` (1) message on its way at a time,
so a kill repeats at most one reminder.
"""

from __future__ import annotations

import os
import random

import pytest

from bot.delivery.dispatcher import CONCURRENCY
from tests.e2e.emulator import stop
from tests.faults.conftest import TALLY, count_per_chat, person, reminders

SIZE = 200
KILLS = 3
LEASE_SECONDS = 4
SEED = int(os.environ.get("FAULTS_SEED", random.randrange(1_000_000)))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_killed_mid_fanout_loses_nothing(kind: str, make_bot, tg) -> None:  # type: ignore[no-untyped-def]
    chance = random.Random(f"{SEED}:{kind}")
    bot = make_bot(kind, SIZE)
    bot.plan_reminders()
    expected = {person(index).id for index in range(SIZE)}
    process = bot.start(lease_seconds=LEASE_SECONDS)
    kill_points = []
    for _ in range(KILLS):
        seen = len(tg.messages())
        target = min(seen + chance.randint(1, 40), SIZE - 5)
        tg.wait_for_messages(None, target, timeout=60)
        bot.kill(process)
        kill_points.append(len(tg.messages()))
        process = bot.start(lease_seconds=LEASE_SECONDS)
    context = f"seed {SEED}, kills after {kill_points} messages"
    tg.wait_for(lambda: {m["chat_id"] for m in reminders(tg)}, lambda chats: chats >= expected, timeout=90)
    bot.wait_for_outbox({"sent": SIZE}, timeout=LEASE_SECONDS + 20)  # claimed rows: lease first
    lost, duplicates, per_chat = count_per_chat(tg, expected)
    TALLY.lost += lost
    TALLY.duplicates += duplicates
    TALLY.duplicates_after_kills += duplicates
    assert lost == 0, context
    assert set(per_chat) == expected, context
    # A row is repeated at most once per kill, and a kill can only repeat the rows in flight.
    assert max(per_chat.values()) <= 1 + KILLS, (context, per_chat.most_common(3))
    assert duplicates <= KILLS * CONCURRENCY, (context, duplicates)
    print(f"{kind}: {context}: {duplicates} duplicate(s)")
    assert stop(process) == 0, bot.logs()
