"""The real bot (``main.py run``) as an operator deploys it, for the end-to-end tests.

A :class:`Deployment` is one installation: a database (SQLite file or PostgreSQL
scratch database), a roster CSV written from ``data/demo_roster.csv`` with Telegram
ids filled in, imported with the command line, and bot processes configured only
through ``INSPIR_*`` environment variables, their stderr kept in a log file.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.e2e.emulator import EmulatorClient, User, stop
from tests.fake_token import fake_bot_token

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
DEMO_ROSTER = ROOT / "data" / "demo_roster.csv"
ORGANISATIONS = ROOT / "data" / "organisations.csv"
# Shaped like a real token (digits, colon, 35 characters) so the log redaction is tested
# on the pattern as well as on the exact value.
TOKEN = fake_bot_token("e2e")
CLI_TIMEOUT = 120


@dataclass(frozen=True)
class Person:
    """A roster member the tests act as: their Telegram user and their roster row."""

    name: str
    user: User
    roster_language: str | None
    timezone: str
    network: str | None


def _first_name(name: str) -> str:
    return name.split()[0]


def demo_people(telegram_ids: Mapping[str, int], language_codes: Mapping[str, str | None] | None = None,
                no_roster_language: Iterable[str] = ()) -> dict[str, Person]:
    """The demo roster's members, those in ``telegram_ids`` as linkable Telegram users."""
    language_codes = language_codes or {}
    blank = set(no_roster_language)
    people = {}
    with DEMO_ROSTER.open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            name = row["name"]
            user_id = telegram_ids.get(name)
            user = User(id=user_id or 0, first_name=_first_name(name),
                        language_code=language_codes.get(name))
            people[name] = Person(name, user, None if name in blank else row["language"] or None,
                                  row["timezone"], row["network"] or None)
    return people


def write_roster(path: Path, people: Mapping[str, Person]) -> Path:
    """``data/demo_roster.csv`` with the people's Telegram ids (0 = not linked) and languages."""
    with DEMO_ROSTER.open(encoding="utf-8") as source:
        reader = csv.DictReader(source)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    for row in rows:
        person = people[row["name"]]
        row["telegram_id"] = str(person.user.id) if person.user.id else ""
        row["language"] = person.roster_language or ""
    with path.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def clean_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any INSPIR_ setting, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("INSPIR_")}
    return {**env, **settings}


def cli(workdir: Path, env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess:
    """``main.py ARGS`` as an operator runs it, in ``workdir`` (where there is no config.toml)."""
    result = subprocess.run([sys.executable, str(MAIN), *args], cwd=workdir, env=dict(env),
                            capture_output=True, text=True, timeout=CLI_TIMEOUT)
    assert result.returncode == 0, f"main.py {' '.join(args)} failed:\n{result.stderr}"
    return result


def install(workdir: Path, database_url: str, people: Mapping[str, Person]) -> None:
    """Migrate, import the roster and the organisation directory with the command line."""
    env = clean_environment(INSPIR_DATABASE__URL=database_url)
    roster = write_roster(workdir / "members.csv", people)
    imported = cli(workdir, env, "roster", "import", str(roster))
    assert f"To add ({len(people)}):" in imported.stdout, imported.stdout
    cli(workdir, env, "orgs", "import", str(ORGANISATIONS))


@dataclass
class Deployment:
    """The bot of one installed database: ``main.py run`` processes and their logs."""

    workdir: Path
    database_url: str
    emulator: EmulatorClient
    start_bot: Callable[..., subprocess.Popen]
    log_level: str = "INFO"
    runs: list[tuple[subprocess.Popen, Path]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return clean_environment(
            INSPIR_TELEGRAM__TOKEN=self.emulator.token,
            INSPIR_TELEGRAM__BASE_URL=self.emulator.base_url,
            INSPIR_DATABASE__URL=self.database_url,
            INSPIR_LOGGING__LEVEL=self.log_level,
        )

    def start(self) -> subprocess.Popen:
        """``main.py run`` in the background; its output goes to ``bot-N.log``."""
        log = self.workdir / f"bot-{len(self.runs) + 1}.log"
        with log.open("wb") as output:
            process = self.start_bot([sys.executable, str(MAIN), "run"], env=self.env,
                                     cwd=self.workdir, stdout=output, stderr=output)
        self.runs.append((process, log))
        return process

    def stop(self, process: subprocess.Popen) -> int:
        """SIGTERM, as systemd or ``docker stop`` send it; the exit code."""
        return stop(process, signal.SIGTERM)

    def stop_all(self) -> None:
        for process, _ in self.runs:
            if process.returncode is None:
                assert self.stop(process) == 0, self.logs()

    def logs(self) -> str:
        """Everything the bot processes wrote so far."""
        return "".join(log.read_text(encoding="utf-8", errors="replace") for _, log in self.runs)


# ---- reading what the bot said ----

def texts(messages: list[dict]) -> list[str]:
    return [message.get("text") or "" for message in messages]


def minutes_between(since: datetime, until: datetime | None = None) -> list[datetime]:
    """Every minute from ``since`` to ``until`` (now): what a clock shown in between may read."""
    until = until or datetime.now(timezone.utc)
    moment = since.replace(second=0, microsecond=0)
    found = []
    while moment <= until:
        found.append(moment)
        moment += timedelta(minutes=1)
    return found


def local_times(zone: str, since: datetime, until: datetime | None = None) -> set[str]:
    """``HH:MM`` in ``zone`` at any minute from ``since`` to ``until`` (the minute may roll over)."""
    return {moment.astimezone(ZoneInfo(zone)).strftime("%H:%M") for moment in minutes_between(since, until)}
