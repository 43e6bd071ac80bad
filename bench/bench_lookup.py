"""Lookups through the Telegram handler path (offline Bot API, real Application, real
database) with 1,000 members and 5,000 organisations, on SQLite and on PostgreSQL.

Each lookup is one update: the frame's transaction and member identification, the
directory cache's fingerprint query, the lookup itself, rendering and the (in-memory) Bot
API call. The synthetic roster and directory are those of bench_lookup_domain.py.

    .venv/bin/python bench/bench_lookup.py [--rounds 10] [--only sqlite|postgresql]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

By default the deployed rate limiter (AIORateLimiter, Telegram's 30 messages/s) is turned
off so the figures are the bot's own cost; --rate-limiter keeps it.
PostgreSQL: a scratch database is created on that server and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import asyncpg  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench_lookup_domain import (  # noqa: E402
    ORGANISATIONS, PEOPLE, synthetic_organisations, synthetic_people,
)
from bot.services.directory_cache import cache_for  # noqa: E402
from bot.domain.lookup.csv_source import load_organisations, load_people  # noqa: E402
from storage.models import Member, Organisation  # noqa: E402
from tests.harness import start_harness  # noqa: E402
from tests.lookup_questions import QUESTIONS  # noqa: E402

ASKER = {"fr": "Ingrid Mulamba", "en": "Samy Arokiasamy", "es": "Gabriela Prudencio"}
PREFIX = {"ask": "", "who": "/who ", "org": "/org "}
TIMEZONES = {"Central Africa": "Africa/Kinshasa", "West Africa": "Africa/Lome", "Asia": "Asia/Jakarta",
             "Latin America and the Caribbean": "America/Lima", "Europe": "Europe/Brussels"}


async def fill(harness) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Grow the demo committee to PEOPLE members and ORGANISATIONS organisations."""
    data = ROOT / "data"
    real_people = load_people(data / "committee.csv", data / "committee-demo-profiles.csv")
    real_orgs = load_organisations(data / "organisations.csv")
    async with harness.services.db.transaction() as session:
        for person in synthetic_people(real_people)[len(real_people):]:
            session.add(Member(name=person.name, roles=list(person.roles), network=person.network,
                               country=person.country, language="en",
                               timezone=TIMEZONES.get(person.network or "", "Europe/Brussels")))
        for org in synthetic_organisations(real_orgs)[len(real_orgs):]:
            session.add(Organisation(acronym=org.acronym, name=org.name, country=org.country,
                                     network=org.network, kind=org.kind))
    async with harness.services.db.transaction() as session:
        people = await session.scalar(select(func.count()).select_from(Member))
        organisations = await session.scalar(select(func.count()).select_from(Organisation))
    return people or 0, organisations or 0


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * fraction) - 1)]


async def run(label: str, url: str, rounds: int, rate_limiter: bool) -> None:
    harness, application = await start_harness(url)
    if not rate_limiter:
        # AIORateLimiter holds sends to Telegram's 30 messages/s: back to back, it is all one
        # would measure. Without it, what remains is the bot's own cost per lookup.
        application.bot._rate_limiter = None
    try:
        people, organisations = await fill(harness)
        calls = [(ASKER[case["lang"]], PREFIX[case["via"]] + case["question"]) for case in QUESTIONS]
        cache = cache_for(harness.services.db)

        started = time.perf_counter()
        await harness.send(*calls[0])
        cold_ms = (time.perf_counter() - started) * 1000
        for who, text in calls:  # warm-up
            await harness.send(who, text)

        latencies: list[float] = []
        per_question: dict[str, list[float]] = {}
        wall = time.perf_counter()
        for _ in range(rounds):
            for who, text in calls:
                started = time.perf_counter()
                replies = await harness.send(who, text)
                elapsed = (time.perf_counter() - started) * 1000
                assert replies, text
                latencies.append(elapsed)
                per_question.setdefault(text, []).append(elapsed)
        wall = time.perf_counter() - wall
        builds = cache.builds

        baseline: list[float] = []  # the same path for a command that looks nothing up
        for _ in range(len(calls)):
            started = time.perf_counter()
            await harness.send("Samy Arokiasamy", "/me")
            baseline.append((time.perf_counter() - started) * 1000)

        # One roster change: the next lookup rebuilds the Directory.
        await harness.send("Santiago Fischer", "/tz Lima")
        started = time.perf_counter()
        await harness.send("Samy Arokiasamy", "/who Santiago")
        rebuild_ms = (time.perf_counter() - started) * 1000

        limiter = "with" if rate_limiter else "without"
        print(f"\n{label}: {people} members, {organisations} organisations ({limiter} the rate limiter)")
        print(f"  first lookup (builds the directory): {cold_ms:.0f} ms;"
              f" lookup right after a roster change: {rebuild_ms:.0f} ms")
        print(f"  {len(latencies)} lookups ({len(calls)} questions x {rounds} rounds),"
              f" directory built {builds} time(s)")
        print(f"  throughput: {len(latencies) / wall:,.0f} lookups/s (one at a time, through the handlers)")
        print(f"  latency: p50 {percentile(latencies, 0.5):.2f} ms, p90 {percentile(latencies, 0.9):.2f} ms,"
              f" p99 {percentile(latencies, 0.99):.2f} ms, max {max(latencies):.2f} ms")
        print(f"  baseline, /me through the same path: p50 {percentile(baseline, 0.5):.2f} ms,"
              f" p99 {percentile(baseline, 0.99):.2f} ms")
        slowest = sorted(per_question.items(), key=lambda item: -statistics.median(item[1]))[:3]
        print("  slowest questions (median):")
        for text, samples in slowest:
            print(f"    {statistics.median(samples):6.2f} ms  {text}")
    finally:
        await application.shutdown()
        await harness.services.db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--rate-limiter", action="store_true",
                        help="keep the deployed AIORateLimiter (caps sends at ~30/s)")
    parser.add_argument("--postgres", default=os.environ.get(
        "INSPIR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    print(f"target size: {PEOPLE} members, {ORGANISATIONS} organisations")

    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as directory:
            await run("SQLite", f"sqlite+aiosqlite:///{directory}/bench.db", args.rounds, args.rate_limiter)

    if args.only in (None, "postgresql"):
        admin = args.postgres.replace("postgresql+asyncpg://", "postgresql://", 1)
        name = f"inspir_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        connection = await asyncpg.connect(admin, timeout=5)
        try:
            await connection.execute(f'CREATE DATABASE "{name}"')
            base = admin.rpartition("/")[0].replace("postgresql://", "postgresql+asyncpg://", 1)
            await run("PostgreSQL", f"{base}/{name}", args.rounds, args.rate_limiter)
        finally:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.close()


if __name__ == "__main__":
    asyncio.run(main())
