"""Benchmark: a fan-out of 1,000 meeting reminders through the real dispatcher and renderers,
the real python-telegram-bot stack (AIORateLimiter included) and the Bot API emulator, on
SQLite and PostgreSQL. Prints the time from the first claim to the 1,000th message the emulator
received, the rate, and the share of Telegram's 30 messages/second limit it reaches.

    .venv/bin/python bench/bench_reminders.py [--count 1000] [--databases sqlite,postgresql]

Needs node (the emulator, tests/e2e/server.js) and, for PostgreSQL, the server the tests use
(INSPIR_TEST_POSTGRES_URL); without it that line says why it was skipped.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.telegram.application import build_application  # noqa: E402
from bot.bootstrap import prepared_services  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.services.reminders import replan_meeting  # noqa: E402
from storage.models import AgendaItem, Meeting, Member  # noqa: E402
from tests.databases import postgres_or_reason  # noqa: E402
from tests.e2e.emulator import Emulator  # noqa: E402
from tests.harness import Clock  # noqa: E402

TELEGRAM_LIMIT = 30.0
TOKEN = "123456:BENCH-REMINDERS"
LANGUAGES = ("fr", "en", "es")
ZONES = ("America/Guatemala", "America/Lima", "Europe/Brussels", "Africa/Kinshasa", "Asia/Kolkata",
         "Asia/Kathmandu", "Asia/Jakarta")


async def fan_out(url: str, emulator_url: str, count: int) -> tuple[float, int]:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    start = now + timedelta(hours=2)
    clock = Clock(now)
    settings = load_settings(None, database={"url": url},
                             telegram={"token": TOKEN, "base_url": f"{emulator_url}/bot"})
    services = await prepared_services(settings, clock=clock)
    async with services.db.transaction() as session:
        members = [Member(name=f"Member {n:04d}", telegram_id=800_000 + n, language=LANGUAGES[n % 3],
                          timezone=ZONES[n % len(ZONES)]) for n in range(count)]
        session.add_all(members)
        meeting = Meeting(title="Benchmark meeting", starts_at=start, timezone="Europe/Brussels",
                          link="https://meet.example/bench")
        session.add(meeting)
        await session.flush()
        session.add_all([AgendaItem(meeting_id=meeting.id, position=p, title=f"Item {p}") for p in (1, 2, 3)])
        await replan_meeting(session, meeting, [timedelta(hours=1)], now)
    application = build_application(services)
    await application.initialize()
    dispatcher = application.bot_data["dispatcher"]
    clock.now = start - timedelta(hours=1)
    began = time.perf_counter()
    sent = 0
    while sent < count:
        sent += await dispatcher.run_once()
    elapsed = time.perf_counter() - began
    await application.shutdown()
    await services.db.dispose()
    return elapsed, sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    emulator = Emulator.start()
    try:
        print(f"fan-out of {args.count} reminders through the emulator "
              f"(Telegram's limit: {TELEGRAM_LIMIT:.0f} messages/second overall)")
        for kind in args.databases.split(","):
            client = emulator.client(TOKEN)
            client.reset()
            scratch = None
            if kind == "sqlite":
                url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db"
            else:
                scratch, reason = postgres_or_reason()
                if scratch is None:
                    print(f"{kind:>10}: skipped ({reason})")
                    continue
                url = scratch.url
            try:
                elapsed, sent = asyncio.run(fan_out(url, emulator.api_url, args.count))
            finally:
                if scratch is not None:
                    scratch.drop()
            received = len(client.messages())
            rate = sent / elapsed
            print(f"{kind:>10}: {sent} sent ({received} received) in {elapsed:6.1f} s = {rate:5.1f} msg/s, "
                  f"{rate / TELEGRAM_LIMIT:4.0%} of the limit")
            client.close()
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
