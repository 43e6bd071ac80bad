"""Shared helpers of the process-level benchmarks (bench_throughput.py, bench_startup.py).

Scratch databases (a temporary SQLite file, or a PostgreSQL database created on the local
server and dropped afterwards), a committee of 1,000 members with 10,000 decisions and
10,000 action items written with bulk inserts, the Bot API emulator of tests/e2e, bot
processes (``main.py run`` configured only by INSPIR_* variables, or the echo bot) and the
figures (percentiles, resident memory).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for entry in (str(ROOT), str(ROOT / "bench")):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from tests.e2e.emulator import Emulator, EmulatorClient, spawn, stop  # noqa: E402

MAIN = ROOT / "main.py"
ECHO_BOT = ROOT / "tests" / "e2e" / "echo_bot.py"
PYTHON = sys.executable
DEFAULT_POSTGRES = os.environ.get("INSPIR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TELEGRAM_ID_BASE = 700_000_000
LANGUAGE_OF_NETWORK = {"Central Africa": "fr", "West Africa": "fr", "Latin America and the Caribbean": "es"}
ZONE_OF_NETWORK = {"Central Africa": "Africa/Kinshasa", "West Africa": "Africa/Lome", "Asia": "Asia/Jakarta",
                   "Latin America and the Caribbean": "America/Lima", "Europe": "Europe/Brussels"}
DECISION_WORDS = ("budget", "campaign", "social protection floor", "minimum wage", "health insurance",
                  "pensions", "informal workers", "statement", "congress", "training", "report", "audit")


def machine() -> str:
    """One line: CPU model, cores, memory, OS, Python (for the README's figures)."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    cores = len(os.sched_getaffinity(0))
    return (f"{model or platform.machine()}, {cores} cores{memory}, {platform.system()} {platform.release()},"
            f" Python {platform.python_version()}")


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p50 of [1, 2, 3, 4] is 2)."""
    ordered = sorted(samples)
    rank = max(1, int(-(-len(ordered) * fraction // 1)))  # ceil
    return ordered[min(rank, len(ordered)) - 1]


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of a process from /proc/<pid>/status (VmRSS, or VmHWM for the peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process used so far (/proc/<pid>/stat): unlike wall time, it
    hardly moves when other work shares the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---- databases ----

@contextlib.contextmanager
def scratch_database(kind: str, admin_url: str = DEFAULT_POSTGRES) -> Iterator[str]:
    """An empty database URL for the bot: a SQLite file in a temporary directory, or a
    PostgreSQL database created on ``admin_url``'s server and dropped (FORCE) at the end."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="inspir-bench-") as directory:
            yield f"sqlite+aiosqlite:///{directory}/bench.db"
        return
    import asyncpg

    admin = admin_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    name = f"inspir_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"

    async def execute(sql: str) -> None:
        connection = await asyncpg.connect(admin, timeout=5)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(execute(f'CREATE DATABASE "{name}"'))
    try:
        base = admin.rpartition("/")[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        yield f"{base}/{name}"
    finally:
        asyncio.run(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def bot_environment(database_url: str, emulator: EmulatorClient | None = None, **extra: str) -> dict[str, str]:
    """This environment without any INSPIR_ setting, plus the bot's (INFO logs, as deployed)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("INSPIR_")}
    env["INSPIR_DATABASE__URL"] = database_url
    env["INSPIR_LOGGING__LEVEL"] = "INFO"
    if emulator is not None:
        env["INSPIR_TELEGRAM__TOKEN"] = emulator.token
        env["INSPIR_TELEGRAM__BASE_URL"] = emulator.base_url
    return {**env, **extra}


def cli(database_url: str, workdir: Path, *args: str) -> str:
    """``main.py ARGS`` in ``workdir`` (no config.toml there); its standard output."""
    result = subprocess.run([PYTHON, str(MAIN), *args], cwd=workdir, env=bot_environment(database_url),
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"main.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


@dataclass(frozen=True)
class Population:
    """What was written: sizes, and the Telegram users of the first members (the senders)."""

    members: int
    organisations: int
    meetings: int
    upcoming: int
    decisions: int
    actions: int
    telegram_ids: list[int]
    languages: list[str]


def populate(database_url: str, workdir: Path, members: int = 1_000, decisions: int = 10_000,
             actions: int = 10_000, past_meetings: int = 400, upcoming: int = 12) -> Population:
    """``main.py db upgrade``, the organisation directory (the importer ``orgs import`` runs),
    then bulk inserts: ``members`` members
    (the 2023 committee first, then synthetic ones as in bench_lookup_domain.py), every one
    linked to a Telegram id; past meetings carrying the decisions and action items; a few
    upcoming meetings."""
    cli(database_url, workdir, "db", "upgrade")
    return asyncio.run(_bulk_insert(database_url, members, decisions, actions, past_meetings, upcoming))


async def _bulk_insert(database_url: str, size: int, decisions: int, actions: int,
                       past_meetings: int, upcoming: int) -> Population:
    from sqlalchemy import func, insert, select

    from bench_lookup_domain import synthetic_people
    from bot.domain.lookup.csv_source import load_people
    from storage.database import Database
    from bot.services.importers import import_organisations
    from storage.models import ActionItem, Decision, Meeting, Member, Organisation

    chance = random.Random(2026)
    data = ROOT / "data"
    people = synthetic_people(load_people(data / "committee.csv", data / "committee-demo-profiles.csv"))[:size]
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    member_rows, telegram_ids, languages = [], [], []
    for number, person in enumerate(people):
        language = LANGUAGE_OF_NETWORK.get(person.network or "", "en")
        telegram_id = TELEGRAM_ID_BASE + number
        member_rows.append(dict(
            name=person.name, roles=list(person.roles), network=person.network,
            organisation=person.organisation, country=person.country,
            timezone=person.timezone or ZONE_OF_NETWORK.get(person.network or "", "Europe/Brussels"),
            language=language, telegram_id=telegram_id,
            access="chair" if number == 0 else "secretariat" if number < 3 else "member"))
        telegram_ids.append(telegram_id)
        languages.append(language)
    meeting_rows = [dict(title=f"Steering committee {number + 1}", starts_at=now - timedelta(days=3 * (past_meetings - number)),
                         duration_minutes=90, timezone="Europe/Brussels", status="scheduled",
                         record_opened_at=now - timedelta(days=3 * (past_meetings - number)),
                         record_closed_at=now - timedelta(days=3 * (past_meetings - number), minutes=-90))
                    for number in range(past_meetings)]
    meeting_rows += [dict(title=f"Steering committee {past_meetings + number + 1}",
                          starts_at=now + timedelta(days=2 * number + 1, hours=number % 5), duration_minutes=90,
                          timezone="Europe/Brussels", status="scheduled") for number in range(upcoming)]

    database = Database(database_url)
    try:
        async with database.transaction() as session:
            await import_organisations(session, data / "organisations.csv")
            await session.execute(insert(Member), member_rows)
            await session.execute(insert(Meeting), meeting_rows)
        async with database.transaction() as session:
            member_ids = list(await session.scalars(select(Member.id).order_by(Member.id)))
            past_ids = list(await session.scalars(select(Meeting.id).where(Meeting.starts_at < now)
                                                  .order_by(Meeting.id)))
            decision_rows = [dict(meeting_id=past_ids[number % len(past_ids)], author_id=chance.choice(member_ids[:3]),
                                  text=f"The committee agrees on the {chance.choice(DECISION_WORDS)} "
                                       f"proposal number {number + 1} of the {chance.choice(DECISION_WORDS)} group.")
                             for number in range(decisions)]
            today = now.date()
            action_rows = []
            for number in range(actions):
                done = chance.random() < 0.4
                action_rows.append(dict(
                    meeting_id=past_ids[number % len(past_ids)],
                    owner_id=member_ids[number % len(member_ids)], author_id=member_ids[0],
                    text=f"Prepare the {chance.choice(DECISION_WORDS)} note {number + 1}",
                    due_date=today + timedelta(days=chance.randint(-120, 120)),
                    status="done" if done else "open", done_at=now if done else None))
            for start in range(0, len(decision_rows), 2_000):
                await session.execute(insert(Decision), decision_rows[start:start + 2_000])
            for start in range(0, len(action_rows), 2_000):
                await session.execute(insert(ActionItem), action_rows[start:start + 2_000])
        async with database.transaction() as session:
            counts = [await session.scalar(select(func.count()).select_from(model))
                      for model in (Member, Organisation, Meeting, Decision, ActionItem)]
    finally:
        await database.dispose()
    return Population(counts[0] or 0, counts[1] or 0, counts[2] or 0, upcoming, counts[3] or 0, counts[4] or 0,
                      telegram_ids, languages)


# ---- processes ----

def start_inspir(database_url: str, emulator: EmulatorClient, log_path: Path,
                 python_args: tuple[str, ...] = (), code: str | None = None) -> subprocess.Popen:
    """``main.py run`` against the emulator (``code`` instead of the script: ``python -c``)."""
    argv = [PYTHON, *python_args, *(["-c", code] if code else [str(MAIN), "run"])]
    with log_path.open("wb") as output:
        return spawn(argv, env=bot_environment(database_url, emulator), cwd=log_path.parent,
                     stdout=output, stderr=output)


def start_echo(emulator: EmulatorClient, log_path: Path, rate_limiter: bool = False) -> subprocess.Popen:
    argv = [PYTHON, str(ECHO_BOT), "--base-url", emulator.base_url, "--token", emulator.token]
    with log_path.open("wb") as output:
        return spawn(argv + (["--rate-limiter"] if rate_limiter else []), stdout=output, stderr=output)


def wait_for_polling(emulator: EmulatorClient, process: subprocess.Popen, timeout: float = 60.0) -> float:
    """Waits (server-side) until the bot's first getUpdates call; the emulator's time of it."""
    deadline = time.monotonic() + timeout
    while True:
        calls = emulator.calls("getUpdates")
        if calls:
            return float(calls[0]["time"])
        if process.poll() is not None:
            raise RuntimeError(f"the bot exited with {process.returncode} before polling")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the bot did not poll in time")
        version = emulator._call("GET", "/e2e/version")
        emulator._call("GET", "/e2e/version", since=version, timeout=min(remaining, 1.0))


__all__ = ["Emulator", "EmulatorClient", "Population", "ROOT", "bot_environment", "cli", "cpu_seconds", "date", "machine",
           "percentile", "populate", "rss_mib", "scratch_database", "spawn", "start_echo", "start_inspir",
           "stop", "wait_for_polling"]
