"""End-to-end: a meeting recorded through the real ``main.py run`` process and the Bot API
emulator, on SQLite and PostgreSQL: opened in the group, two agenda items, a decision with a
vote, two actions, closed; members reading French, English and Spanish each receive the
minutes in their language (message, Markdown and HTML files) with the decision, the vote
count and the actions."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.i18n.translation import I18n
from storage.database import Database
from storage.models import AgendaItem, Meeting
from tests.databases import require_postgres, run_sync
from tests.e2e.emulator import Chat, EmulatorClient, User
from tests.fake_token import fake_bot_token

ROOT = Path(__file__).resolve().parents[2]
TOKEN = fake_bot_token("records")
I18N = I18n()
TELEGRAM_IDS = {
    "Ingrid Mulamba": 8101, "Denis Mushiya": 8102, "Drissa Soaré": 8105, "Ángeles Carrión": 8106,
    "Gabriela Prudencio": 8108, "Samy Arokiasamy": 8110, "Bart Verstraeten": 8113,
}
CHAIR, SAMY, INGRID, ANGELES = (User(TELEGRAM_IDS[n], n.split()[0]) for n in (
    "Bart Verstraeten", "Samy Arokiasamy", "Ingrid Mulamba", "Ángeles Carrión"))
READERS = {"fr": INGRID, "en": SAMY, "es": ANGELES}
GROUP = Chat(-1008001, "supergroup", "INSP!R steering committee")
VOTE_COUNTS = "yes {yes} · no {no} · abstain {abstain}"



@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'inspir.db'}"
    scratch, reason = request.getfixturevalue("postgres_scratch")
    if scratch is None:
        require_postgres(reason)
    return run_sync(scratch.fresh())


async def _add_meeting(url: str) -> int:
    database = Database(url)
    try:
        async with database.transaction() as session:
            meeting = Meeting(title="Steering committee", timezone="Europe/Brussels", duration_minutes=90,
                              starts_at=datetime.now(timezone.utc) + timedelta(minutes=10), status="scheduled")
            session.add(meeting)
            await session.flush()
            for position, title in enumerate(("Budget 2027", "Elections"), start=1):
                session.add(AgendaItem(meeting_id=meeting.id, position=position, title=title, status="approved"))
            return meeting.id
    finally:
        await database.dispose()


class Installation:
    """The bot as an operator installs it: roster imported with the command line, settings in
    ``INSPIR_*`` variables, ``main.py run`` in the background with its output in a log file."""

    def __init__(self, workdir: Path, database_url: str, tg: EmulatorClient, start_bot) -> None:  # type: ignore[no-untyped-def]
        self.workdir, self.start_bot, self.log = workdir, start_bot, workdir / "bot.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("INSPIR_")}
        self.env.update(INSPIR_TELEGRAM__TOKEN=tg.token, INSPIR_TELEGRAM__BASE_URL=tg.base_url,
                        INSPIR_DATABASE__URL=database_url, INSPIR_LOGGING__LEVEL="INFO")

    def cli(self, *args: str) -> str:
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=self.workdir, env=self.env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def install(self) -> None:
        with (ROOT / "data" / "demo_roster.csv").open(encoding="utf-8") as source:
            reader = csv.DictReader(source)
            fields, rows = list(reader.fieldnames or []), list(reader)
        for row in rows:
            row["telegram_id"] = str(TELEGRAM_IDS.get(row["name"], ""))
        roster = self.workdir / "members.csv"
        with roster.open("w", encoding="utf-8", newline="") as target:
            writer = csv.DictWriter(target, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        self.cli("roster", "import", str(roster))

    def start(self) -> subprocess.Popen:
        with self.log.open("wb") as output:
            return self.start_bot([sys.executable, str(ROOT / "main.py"), "run"], env=self.env, cwd=self.workdir,
                                  stdout=output, stderr=output)


def ask(tg: EmulatorClient, user: User, text: str, chat: Chat, answer: str) -> dict:
    """Sends ``text``; the bot's first new message in the chat containing ``answer`` (the
    outbox's posts, the minutes among them, come on their own schedule)."""
    before = len(tg.messages(chat.id))
    tg.send_message(user, text, chat)
    return tg.next_message(chat.id, before, lambda m: answer in (m.get("text") or ""))


def press(tg: EmulatorClient, user: User, message: dict, suffix: str) -> None:
    """Taps the button whose callback data ends with ``suffix``; waits until it is answered."""
    before = len(tg.calls("answerCallbackQuery"))
    tg.press_button(user, message, button(message, suffix))
    tg.wait_for(lambda: len(tg.calls("answerCallbackQuery")), lambda n: n > before)


def button(message: dict, suffix: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for key in row:
            if key["callback_data"].endswith(suffix):
                return key["callback_data"]
    raise LookupError(suffix)


def test_meeting_recorded_and_minutes_in_each_language(database_url: str, tmp_path: Path, tg: EmulatorClient,
                                                       start_bot) -> None:
    installation = Installation(tmp_path, database_url, tg, start_bot)
    installation.install()
    meeting_id = run_sync(_add_meeting(database_url))
    process = installation.start()
    tg.wait_for(lambda: len(tg.calls("getUpdates")), lambda n: n > 0 or process.poll() is not None, timeout=30)
    assert process.poll() is None, installation.log.read_text()

    ask(tg, CHAIR, "/bindgroup", GROUP, "registered group")
    opened = ask(tg, CHAIR, "/startmeeting", GROUP, "Budget 2027")
    assert f"#{meeting_id}" in opened["text"]
    press(tg, SAMY, opened, ":present")
    press(tg, ANGELES, opened, ":present")
    press(tg, INGRID, opened, ":apologies")

    vote = ask(tg, CHAIR, "/vote Do we adopt the 2027 budget?", GROUP, "Do we adopt the 2027 budget?")
    press(tg, SAMY, vote, ":yes")
    press(tg, ANGELES, vote, ":yes")
    press(tg, INGRID, vote, ":no")
    ask(tg, CHAIR, "/closevote", GROUP, VOTE_COUNTS.format(yes=2, no=1, abstain=0))
    ask(tg, CHAIR, "/decide The 2027 budget is adopted.", GROUP, "Decision #")
    ask(tg, CHAIR, "/next", GROUP, "Elections")
    due = (date.today() + timedelta(days=30)).isoformat()
    ask(tg, CHAIR, f"/action Samy: send the budget to the networks due {due}", GROUP, "Action #")
    ask(tg, CHAIR, "/action Ángeles: prepare the electoral calendar", GROUP, "Action #")

    before = {lang: len(tg.messages(user.id)) for lang, user in READERS.items()}
    ended = ask(tg, CHAIR, "/endmeeting", GROUP, "its minutes are queued")
    # only the members linked to Telegram are counted; the others are named, never claimed
    assert "Queued for 7 members" in ended["text"]
    assert "not linked to Telegram yet:" in ended["text"] and "Santiago Fischer" in ended["text"]
    for lang, user in READERS.items():
        t = I18N.translator(lang)
        expected = {f"minutes-{meeting_id}-{lang}.md", f"minutes-{meeting_id}-{lang}.html"}
        received = tg.wait_for(  # the message and both files, whatever else arrives meanwhile
            lambda: tg.messages(user.id)[before[lang]:],
            lambda found: expected <= {m["document"]["file_name"] for m in found if "document" in m}
            and any("document" not in m for m in found),
            timeout=30)
        text = "\n".join(m.get("text") or "" for m in received if "document" not in m)
        documents = {m["document"]["file_name"]: tg.file_content(m["document"]["file_id"]).decode()
                     for m in received if "document" in m}
        counts = t(VOTE_COUNTS, yes=2, no=1, abstain=0)
        heading = t("Minutes of meeting #{id}: {title}", id=meeting_id, title="Steering committee")
        if lang != "en":
            assert counts != VOTE_COUNTS.format(yes=2, no=1, abstain=0), f"no {lang} translation"
        assert set(documents) == {f"minutes-{meeting_id}-{lang}.md", f"minutes-{meeting_id}-{lang}.html"}
        for content in (text, *documents.values()):
            assert heading.replace("“", "").split(":")[0] in content
            assert "The 2027 budget is adopted." in content
            assert counts in content
            assert "send the budget to the networks" in content and "prepare the electoral calendar" in content
        assert f'<html lang="{lang}">' in documents[f"minutes-{meeting_id}-{lang}.html"]
    wanted = {f"minutes-{meeting_id}-en.md", f"minutes-{meeting_id}-en.html"}
    group_docs = tg.wait_for(lambda: [m["document"]["file_name"] for m in tg.messages(GROUP.id) if "document" in m],
                             lambda names: wanted <= set(names), timeout=30)
    assert wanted <= set(group_docs)
    process.terminate()
    process.wait(timeout=20)
    logs = installation.log.read_text(encoding="utf-8", errors="replace")
    assert "update" in logs and TOKEN not in logs and "budget" not in logs.lower()
