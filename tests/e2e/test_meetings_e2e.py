"""End-to-end: meetings through the real ``main.py run`` process and the Bot API emulator.

The chair plans a meeting; members in Jakarta, La Paz and Kathmandu each read their own local
time; a plain member can neither create nor cancel; an .ics arrives by sendDocument and parses.
Small helpers of its own, so this file does not depend on other end-to-end modules in progress.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.e2e.emulator import Chat, EmulatorClient, User

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
IDS = {"Bart Verstraeten": 8113, "Elly Rosita Silaban": 8109, "Gabriela Prudencio": 8108,
       "Santiago Fischer": 8112, "Samy Arokiasamy": 8110, "Ingrid Mulamba": 8101}
USERS = {name: User(uid, name.split()[0]) for name, uid in IDS.items()}
CHAIR, ELLY, GABRIELA, SANTIAGO, SAMY = (USERS[n] for n in (
    "Bart Verstraeten", "Elly Rosita Silaban", "Gabriela Prudencio", "Santiago Fischer", "Samy Arokiasamy"))
GROUP = Chat(-100555000111, "supergroup", "INSP!R steering committee")


@pytest.fixture
def deployed(tmp_path: Path, emulator: EmulatorClient, start_bot) -> Iterator[EmulatorClient]:
    """The demo roster (some members linked) on SQLite, and ``main.py run`` polling the emulator."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPIR_")}
    env.update(INSPIR_TELEGRAM__TOKEN=emulator.token, INSPIR_TELEGRAM__BASE_URL=emulator.base_url,
               INSPIR_DATABASE__URL=f"sqlite+aiosqlite:///{tmp_path / 'inspir.db'}")
    with (ROOT / "data" / "demo_roster.csv").open(encoding="utf-8") as source:
        reader = csv.DictReader(source)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        row["telegram_id"] = str(IDS.get(row["name"], ""))
    with (tmp_path / "roster.csv").open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    subprocess.run([sys.executable, str(MAIN), "roster", "import", str(tmp_path / "roster.csv")], cwd=tmp_path,
                   env=env, check=True, capture_output=True, timeout=120)
    log = (tmp_path / "bot.log").open("wb")
    process = start_bot([sys.executable, str(MAIN), "run"], env=env, cwd=tmp_path, stdout=log, stderr=log)
    emulator.wait_for(lambda: len(emulator.calls("getUpdates")), lambda n: n > 0 or process.poll() is not None)
    assert process.poll() is None, (tmp_path / "bot.log").read_text()
    yield emulator
    log.close()


def ask(tg: EmulatorClient, user: User, text: str, answer: str, chat: Chat | None = None) -> str:
    """Sends ``text``; the bot's first new message in that chat containing ``answer`` (the
    outbox's notices, sent on their own schedule, may come in between)."""
    chat_id = chat.id if chat else user.id
    before = len(tg.messages(chat_id))
    tg.send_message(user, text, chat)
    return tg.next_message(chat_id, before, lambda m: answer in (m.get("text") or "")).get("text") or ""


def ask_document(tg: EmulatorClient, user: User, text: str) -> dict:
    """Sends ``text`` privately; the first document the bot then sends to that chat."""
    before = len(tg.messages(user.id))
    tg.send_message(user, text)
    return tg.next_message(user.id, before, lambda m: "document" in m)


def wait_text(tg: EmulatorClient, chat_id: int, needle: str) -> dict:
    """The bot's first message in the chat containing ``needle`` (waiting for it)."""
    found = tg.wait_for(lambda: [m for m in tg.messages(chat_id) if needle in (m.get("text") or "")], bool)
    return found[0]


def local(moment: datetime, zone: str, lang: str = "en") -> str:
    """``21:00 (Yakarta``: the clock and the zone's city as the reader's language names it."""
    from bot.i18n.translation import zone_place
    return f"{moment.astimezone(ZoneInfo(zone)):%H:%M} ({zone_place(zone, lang)}"


def test_meeting_planned_by_the_chair_reaches_everyone_in_their_time(deployed: EmulatorClient) -> None:
    tg = deployed
    ask(tg, CHAIR, "/bindgroup", "registered group", GROUP)
    ask(tg, SANTIAGO, "/tz Asia/Kathmandu", "Asia/Kathmandu")
    day = (datetime.now(timezone.utc) + timedelta(days=20)).date()
    starts = datetime(day.year, day.month, day.day, 15, 0, tzinfo=ZoneInfo("Europe/Brussels")).astimezone(timezone.utc)

    # a plain member can neither create nor cancel
    ask(tg, SAMY, f"/newmeeting {day:%Y-%m-%d} 15:00 Europe/Brussels Not mine", "Only the chair or the secretariat")

    created = ask(tg, CHAIR, f"/newmeeting {day:%Y-%m-%d} 15:00 Europe/Brussels 90 Steering <committee>",
                  "Meeting #1 created")
    assert "Steering &lt;committee&gt;" in created
    for user, zone, lang in ((ELLY, "Asia/Jakarta", "en"), (GABRIELA, "America/La_Paz", "es"),
                             (SANTIAGO, "Asia/Kathmandu", "en")):
        notice = wait_text(tg, user.id, "#1")
        assert local(starts, zone, lang) in notice["text"], (zone, notice["text"])
        data = [b["callback_data"] for row in notice["reply_markup"]["inline_keyboard"] for b in row]
        assert data == ["rsvp:1:yes", "rsvp:1:no", "rsvp:1:maybe"]
    assert "Nueva reunión #1" in wait_text(tg, GABRIELA.id, "#1")["text"]
    assert "UTC: " in wait_text(tg, GROUP.id, "#1")["text"]

    listing = ask(tg, SANTIAGO, "/meetings", "<b>Upcoming meetings</b>")
    assert local(starts, "Asia/Kathmandu") in listing
    ask(tg, SAMY, "/cancelmeeting 1", "Only the chair or the secretariat")

    # Elly answers with a button; the .ics arrives as a document and parses
    notice = wait_text(tg, ELLY.id, "#1")
    tg.press_button(ELLY, notice, "rsvp:1:yes")
    tg.wait_for(lambda: tg.calls("answerCallbackQuery"), bool)
    document = ask_document(tg, SAMY, "/ics #1")
    assert document["method"] == "sendDocument" and document["document"]["file_name"].endswith(".ics")
    calendar = icalendar.Calendar.from_ical(tg.file_content(document["document"]["file_id"]))
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == starts and str(event["UID"]) == "meeting-1@inspir-bot"
    assert int(event["SEQUENCE"]) == 0

    # the chair cancels: everyone is told, and the calendar says so
    ask(tg, CHAIR, "/cancelmeeting 1", "is cancelled")
    assert "cancelada" in wait_text(tg, GABRIELA.id, "cancelada")["text"]
    document = ask_document(tg, SAMY, "/ics 1")
    assert document["method"] == "sendDocument"
    [event] = icalendar.Calendar.from_ical(tg.file_content(document["document"]["file_id"])).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
