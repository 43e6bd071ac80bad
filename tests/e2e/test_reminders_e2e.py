"""End-to-end reminders: the real ``main.py run`` against the Bot API emulator, on SQLite and
PostgreSQL. A meeting 80 seconds ahead with a one-minute offset
(``INSPIR_REMINDERS__MEETING_OFFSETS='["1m"]'``) reminds every member once, on time, in their
language and local time; a bot killed (SIGKILL) before the due time and restarted after it
still sends each reminder exactly once."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.i18n.translation import I18n
from bot.services.reminders import replan_meeting
from storage.database import Database
from storage.models import AgendaItem, Meeting, Member
from tests.databases import require_postgres, run_sync
from tests.e2e.emulator import EmulatorClient, stop
from tests.fake_token import fake_bot_token

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
DEMO_ROSTER = ROOT / "data" / "demo_roster.csv"
TOKEN = fake_bot_token("reminders")
I18N = I18n()
TITLE = "Steering e2e <check>"
OFFSET = timedelta(minutes=1)
LEAD = OFFSET + timedelta(seconds=20)  # due 20 s after planning: room for the bot to start (and be killed)


def _roster_rows() -> tuple[list[str], list[dict[str, str]]]:
    with DEMO_ROSTER.open(encoding="utf-8") as source:
        reader = csv.DictReader(source)
        return list(reader.fieldnames or []), list(reader)


NAMES = [row["name"] for row in _roster_rows()[1]]
TELEGRAM_IDS = {name: 7300 + index for index, name in enumerate(NAMES, start=1)}


@dataclass
class ReminderDeployment:
    """One installation configured only through INSPIR_* variables, as an operator runs it."""

    workdir: Path
    database_url: str
    emulator: EmulatorClient
    start_bot: Callable[..., subprocess.Popen]
    runs: list[Path] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("INSPIR_")}
        return {**env, "INSPIR_TELEGRAM__TOKEN": self.emulator.token,
                "INSPIR_TELEGRAM__BASE_URL": self.emulator.base_url,
                "INSPIR_DATABASE__URL": self.database_url, "INSPIR_LOGGING__LEVEL": "INFO",
                "INSPIR_REMINDERS__MEETING_OFFSETS": '["1m"]'}

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, str(MAIN), *args], cwd=self.workdir, env=self.env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result

    def install(self) -> None:
        fields, rows = _roster_rows()
        for row in rows:
            row["telegram_id"] = str(TELEGRAM_IDS[row["name"]])
        roster = self.workdir / "members.csv"
        with roster.open("w", encoding="utf-8", newline="") as target:
            writer = csv.DictWriter(target, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        self.cli("roster", "import", str(roster))

    def start(self) -> subprocess.Popen:
        log = self.workdir / f"bot-{len(self.runs) + 1}.log"
        self.runs.append(log)
        with log.open("wb") as output:
            process = self.start_bot([sys.executable, str(MAIN), "run"], env=self.env, cwd=self.workdir,
                                     stdout=output, stderr=output)
        before = len(self.emulator.calls("getUpdates"))
        self.emulator.wait_for(lambda: len(self.emulator.calls("getUpdates")),
                               lambda count: count > before or process.poll() is not None, timeout=30)
        assert process.poll() is None, self.logs()
        return process

    def logs(self) -> str:
        return "".join(log.read_text(encoding="utf-8", errors="replace") for log in self.runs)



@pytest.fixture(params=["sqlite", "postgresql"])
def deployment(request: pytest.FixtureRequest, tmp_path: Path, tg: EmulatorClient, start_bot) -> ReminderDeployment:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'inspir.db'}"
    else:
        scratch, reason = request.getfixturevalue("postgres_scratch")
        if scratch is None:
            require_postgres(reason)
        url = run_sync(scratch.fresh())
    deployed = ReminderDeployment(tmp_path, url, tg, start_bot)
    deployed.install()
    return deployed


async def _plan_meeting(url: str, starts_at: datetime) -> int:
    database = Database(url)
    try:
        async with database.transaction() as session:
            meeting = Meeting(title=TITLE, starts_at=starts_at, timezone="Europe/Brussels",
                              link="https://meet.example/e2e")
            session.add(meeting)
            await session.flush()
            session.add(AgendaItem(meeting_id=meeting.id, position=1, title="Budget", status="approved"))
            await replan_meeting(session, meeting, [OFFSET], datetime.now(timezone.utc))
            return meeting.id
    finally:
        await database.dispose()


async def _languages(url: str) -> dict[int, tuple[str, str]]:
    database = Database(url)
    try:
        async with database.transaction() as session:
            from sqlalchemy import select
            return {m.telegram_id: (m.language or "en", m.timezone or "Europe/Brussels")
                    for m in await session.scalars(select(Member)) if m.telegram_id}
    finally:
        await database.dispose()


def _reminders(tg: EmulatorClient) -> list[dict]:
    return [m for m in tg.messages() if "e2e &lt;check&gt;" in (m.get("text") or "")]


def _check_each_member_once(tg: EmulatorClient, url: str, meeting_id: int, starts_at: datetime) -> list[dict]:
    messages = tg.wait_for(lambda: _reminders(tg), lambda found: len(found) >= len(TELEGRAM_IDS), timeout=150)
    time.sleep(3)  # a duplicate would come right after
    messages = _reminders(tg)
    per_chat = Counter(m["chat_id"] for m in messages)
    assert set(per_chat) == set(TELEGRAM_IDS.values()) and set(per_chat.values()) == {1}, per_chat
    readers = run_sync(_languages(url))
    for message in messages:
        lang, zone = readers[message["chat_id"]]
        t = I18N.translator(lang)
        assert t("When: {when}", when=t.datetime(starts_at, zone)) in message["text"], (lang, message["text"])
        if lang != "en":
            assert "Reminder:" not in message["text"]
        data = [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
        assert data == [f"rsvp:{meeting_id}:yes", f"rsvp:{meeting_id}:no", f"rsvp:{meeting_id}:maybe"]
        assert message["parse_mode"] == "HTML"
    return messages


def test_reminders_on_time_in_each_language_and_zone(deployment: ReminderDeployment, tg: EmulatorClient):
    starts_at = (datetime.now(timezone.utc) + LEAD).replace(microsecond=0)
    meeting_id = run_sync(_plan_meeting(deployment.database_url, starts_at))
    process = deployment.start()
    messages = _check_each_member_once(tg, deployment.database_url, meeting_id, starts_at)
    due = (starts_at - OFFSET).timestamp()
    dates = [m["date"] for m in messages]
    # Woken exactly at the due time (not up to a 10 s tick later); the rate limiter spreads 13 sends.
    assert min(dates) >= due - 1 and max(dates) <= due + 5, (due, dates)
    assert stop(process) == 0


def test_killed_before_due_and_restarted_after_sends_each_reminder_once(deployment: ReminderDeployment,
                                                                        tg: EmulatorClient):
    starts_at = (datetime.now(timezone.utc) + LEAD).replace(microsecond=0)
    meeting_id = run_sync(_plan_meeting(deployment.database_url, starts_at))
    process = deployment.start()
    stop(process, signal.SIGKILL)
    due = starts_at - OFFSET
    time.sleep(max((due - datetime.now(timezone.utc)).total_seconds() + 2, 0))
    assert _reminders(tg) == []
    restarted = deployment.start()
    _check_each_member_once(tg, deployment.database_url, meeting_id, starts_at)
    result = deployment.cli("outbox", "--state", "sent", "--kind", "meeting_reminder")
    assert f"sent: {len(TELEGRAM_IDS)}" in result.stdout and "e2e" not in result.stdout
    assert stop(restarted) == 0
