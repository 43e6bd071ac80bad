"""Injected faults (issue 8): the real bot process against the Bot API emulator while the
Bot API answers 429/500, times out or resets connections, PostgreSQL drops the bot's
connections, and the bot is SIGKILLed in the middle of a reminder fan-out.

Every test feeds :data:`TALLY`; the terminal summary (tests/conftest.py, summed over the
xdist workers) prints one line with what was injected and what was lost or repeated.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import asyncpg
import pytest

from bot.bootstrap import open_services
from bot.config import load_settings
from bot.delivery.dispatcher import CONCURRENCY
from bot.services.reminders import replan_meeting
from storage.database import Database
from storage.models import AgendaItem, Meeting, Member, OutboxMessage
from tests.databases import POSTGRES_ADMIN_URL, PostgresScratch, postgres_or_reason, require_postgres, run_sync
from tests.e2e.emulator import EmulatorClient, User, stop
from tests.fake_token import fake_bot_token

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
RUN_BOT = Path(__file__).resolve().parent / "run_bot.py"
TOKEN = fake_bot_token("faults")
LANGUAGES = ("fr", "en", "es")
ZONES = ("Europe/Brussels", "America/Lima", "Asia/Kathmandu", "Africa/Kinshasa")
TELEGRAM_BASE = 910_000
MEETING_TITLE = "Fault drill"
OFFSET = timedelta(minutes=1)


# ---- the tally printed at the end ----

@dataclass
class Tally:
    faults: Counter = field(default_factory=Counter)
    lost: int = 0
    duplicates: int = 0
    duplicates_after_kills: int = 0
    lost_answers_repeated: int = 0

    def from_emulator(self, tg: EmulatorClient) -> None:
        """Count the faults the emulator served (read before the emulator is reset)."""
        for call in tg.calls():
            if call.get("error_code") in (429, 500):
                self.faults[str(call["error_code"])] += 1
            elif call.get("fault") == "timeout":
                self.faults["timeouts"] += 1
            elif call.get("fault") == "reset":
                self.faults["resets"] += 1

    def counts(self) -> dict[str, int]:
        """Plain numbers, as an xdist worker hands them to the controller (tests/conftest.py)."""
        numbers = {name: getattr(self, name) for name in ("lost", "duplicates", "duplicates_after_kills",
                                                           "lost_answers_repeated")}
        return {**numbers, **{f"faults.{kind}": count for kind, count in self.faults.items()}}

    def add(self, counts: dict[str, int]) -> None:
        for name, count in counts.items():
            if name.startswith("faults."):
                self.faults[name.removeprefix("faults.")] += count
            else:
                setattr(self, name, getattr(self, name) + count)

    def summary(self) -> tuple[str, str] | None:
        return ("injected faults", self.line()) if sum(self.faults.values()) else None

    def line(self) -> str:
        f = self.faults
        total = sum(f.values())
        return (f"faults injected: {total} (429: {f['429']}, 500: {f['500']}, timeouts: {f['timeouts']}, "
                f"resets: {f['resets']}, db drops: {f['db drops']}, kills: {f['kills']}); "
                f"messages lost: {self.lost}; duplicates: {self.duplicates} (after kills: "
                f"{self.duplicates_after_kills}, bound kills x {CONCURRENCY} rows in flight = "
                f"{f['kills'] * CONCURRENCY}; answers lost after Telegram delivered, sent again: "
                f"{self.lost_answers_repeated}; the rest after db drops)")


TALLY = Tally()  # this process's; tests/conftest.py sums the workers' and prints the summary


@pytest.fixture
def tally() -> Tally:
    return TALLY


# ---- the committee: N members linked to Telegram, a meeting whose reminders fall due ----

def person(index: int) -> User:
    return User(id=TELEGRAM_BASE + index, first_name=f"Member{index}",
                language_code=LANGUAGES[index % len(LANGUAGES)])


async def _populate(url: str, size: int) -> None:
    settings = load_settings(None, database={"url": url})
    async with open_services(settings) as services, services.db.transaction() as session:
        for index in range(size):
            session.add(Member(name=f"Member {index:04d}", access="chair" if index == 0 else "member",
                               telegram_id=person(index).id, language=LANGUAGES[index % len(LANGUAGES)],
                               timezone=ZONES[index % len(ZONES)]))


async def _plan_reminders(url: str, due_in: timedelta) -> int:
    """A meeting whose one-minute reminders fall due in ``due_in`` (one per active member)."""
    database = Database(url)
    now = datetime.now(timezone.utc)
    try:
        async with database.transaction() as session:
            meeting = Meeting(title=MEETING_TITLE, starts_at=now + OFFSET + due_in, timezone="Europe/Brussels",
                              link="https://meet.example/faults")
            session.add(meeting)
            await session.flush()
            session.add(AgendaItem(meeting_id=meeting.id, position=1, title="Budget", status="approved"))
            await replan_meeting(session, meeting, [OFFSET], now)
            return meeting.id
    finally:
        await database.dispose()


async def _outbox_states(url: str) -> Counter:
    from sqlalchemy import func, select
    database = Database(url)
    try:
        async with database.transaction() as session:
            rows = await session.execute(select(OutboxMessage.state, func.count()).where(
                OutboxMessage.kind == "meeting_reminder").group_by(OutboxMessage.state))
            return Counter(dict(rows.tuples().all()))
    finally:
        await database.dispose()


def reminders(tg: EmulatorClient) -> list[dict]:
    return [m for m in tg.messages() if MEETING_TITLE in (m.get("text") or "")]


@dataclass
class FaultBot:
    """One installation (``size`` members) and its ``main.py run`` processes."""

    workdir: Path
    database_url: str
    tg: EmulatorClient
    start_bot: Callable[..., subprocess.Popen]
    size: int
    scratch: str | None = None  # the PostgreSQL database name
    runs: list[tuple[subprocess.Popen, Path]] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("INSPIR_")}
        return {**env, "INSPIR_TELEGRAM__TOKEN": self.tg.token, "INSPIR_TELEGRAM__BASE_URL": self.tg.base_url,
                "INSPIR_DATABASE__URL": self.database_url, "INSPIR_LOGGING__LEVEL": "INFO",
                "INSPIR_REMINDERS__MEETING_OFFSETS": '["1m"]', **extra}

    def start(self, lease_seconds: float | None = None, backoff_seconds: float | None = None) -> subprocess.Popen:
        """``main.py run``; with a lease or backoff, ``run_bot.py`` (main.py run with the
        dispatcher's module constants shortened). Returns once the bot polls."""
        log = self.workdir / f"bot-{len(self.runs) + 1}.log"
        extra = {}
        if lease_seconds is not None:
            extra["FAULTS_LEASE_SECONDS"] = str(lease_seconds)
        if backoff_seconds is not None:
            extra["FAULTS_BACKOFF_BASE_SECONDS"] = str(backoff_seconds)
        script = RUN_BOT if extra else MAIN
        before = len(self.tg.calls("getUpdates"))
        with log.open("wb") as output:
            process = self.start_bot([sys.executable, str(script), "run"], env=self.env(**extra),
                                     cwd=self.workdir, stdout=output, stderr=output)
        self.runs.append((process, log))
        self.tg.wait_for(lambda: len(self.tg.calls("getUpdates")),
                         lambda count: count > before or process.poll() is not None, timeout=60)
        assert process.poll() is None, self.logs()
        return process

    def kill(self, process: subprocess.Popen) -> None:
        stop(process, signal.SIGKILL)
        TALLY.faults["kills"] += 1

    def logs(self) -> str:
        return "".join(log.read_text(encoding="utf-8", errors="replace") for _, log in self.runs)

    def plan_reminders(self, due_in: timedelta = timedelta(seconds=1)) -> int:
        return run_sync(_plan_reminders(self.database_url, due_in))

    def outbox_states(self) -> Counter:
        return run_sync(_outbox_states(self.database_url))

    def wait_for_outbox(self, states: dict[str, int], timeout: float) -> Counter:
        """Polls the reminder rows' states until they are ``states`` (all settled)."""
        deadline = time.monotonic() + timeout
        while (found := self.outbox_states()) != states:
            assert time.monotonic() < deadline, f"outbox {dict(found)}, expected {states}\n{self.logs()[-3000:]}"
            time.sleep(0.3)
        return found

    def drop_connections(self, keep_pid: int | None = None) -> int:
        """Terminate every connection to this scratch database (PostgreSQL restarted, as the
        bot sees it); the number terminated."""
        assert self.scratch is not None
        killed = run_sync(_terminate(self.scratch, keep_pid))
        TALLY.faults["db drops"] += 1
        return killed


async def _terminate(name: str, keep_pid: int | None) -> int:
    connection = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://", 1),
                                       timeout=5)
    try:
        return len(await connection.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 "
            "AND pid <> pg_backend_pid() AND pid <> $2", name, keep_pid or 0))
    finally:
        await connection.close()


def count_per_chat(tg: EmulatorClient, expected: set[int]) -> tuple[int, int, Counter]:
    """(lost, duplicates, per chat) for the reminders seen at the emulator."""
    per_chat = Counter(m["chat_id"] for m in reminders(tg))
    lost = len(expected - set(per_chat))
    duplicates = sum(count - 1 for chat, count in per_chat.items() if chat in expected)
    return lost, duplicates, per_chat


@pytest.fixture
def tg(emulator_server) -> Iterator[EmulatorClient]:  # type: ignore[no-untyped-def]
    client = emulator_server.client(TOKEN)
    client.reset()
    yield client
    TALLY.from_emulator(client)
    client.close()


@pytest.fixture
def make_bot(tmp_path: Path, tg: EmulatorClient, start_bot) -> Iterator[Callable[..., FaultBot]]:  # type: ignore[no-untyped-def]
    """``make_bot(kind, size)``: a fresh installation on ``sqlite`` or ``postgresql`` (its own
    scratch database, so terminating its connections touches nothing else)."""
    scratches: list[PostgresScratch] = []

    def make(kind: str, size: int) -> FaultBot:
        if kind == "sqlite":
            url, name = f"sqlite+aiosqlite:///{tmp_path / 'inspir.db'}", None
        else:
            scratch, reason = postgres_or_reason()
            if scratch is None:
                require_postgres(reason)
            scratches.append(scratch)
            url, name = scratch.url, scratch.name
        run_sync(_populate(url, size))
        return FaultBot(tmp_path, url, tg, start_bot, size, name)

    yield make
    for scratch in scratches:
        scratch.drop()
