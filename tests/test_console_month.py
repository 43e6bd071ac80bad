"""A committee's month played in the console, on SQLite and PostgreSQL (issue 13's "done when"):
the chair plans a monthly series with twelve members not yet linked to Telegram, publishes the
agenda, the clock moves so reminders go, the meeting is run and its minutes sent, the next
meeting adopts them, the series is changed (refused: the date does not fit) and stopped. The
transcript is checked for what it says and for what it must never claim."""

import io
from pathlib import Path

from bot.config import load_settings
from bot.entrypoints.console import run_console

SCRIPT = Path(__file__).resolve().parent.parent / "data" / "console_month.txt"  # the README plays it too
FALSE_CLAIMS = ("everyone has been told", "every member has been told", "every member can be reached", "sent to")


async def test_a_month_of_meetings_in_the_console(db_url):
    out = io.StringIO()
    await run_console(load_settings(None, database={"url": db_url}), None, io.StringIO(SCRIPT.read_text(encoding="utf-8")), out)
    text = out.getvalue()
    lines = text.splitlines()
    lowered = text.lower()
    assert not [claim for claim in FALSE_CLAIMS if claim in lowered]
    created = lines.index("Meeting #1 created: Steering committee, Thursday, March 7, 2030, 15:00 (Brussels, UTC+01:00).")
    assert lines[created + 1] == "Queued for 1 member, in their own language and time zone."  # only Bart is linked
    assert lines[created + 3].startswith("Not told, not linked to Telegram yet: Ángeles Carrión, Bismo Sanyoto")
    assert "Samy Arokiasamy" in lines[created + 3]
    assert "Meeting #1 now repeats every month on the first Thursday, at 15:00 Brussels time." in lines
    assert "[to Samy Arokiasamy] ⏰ Reminder: Steering committee (#1) starts in 1 day." in lines  # Samy linked himself
    closed = lines.index("The record of meeting #1 is closed; its minutes are queued.")
    assert lines[closed + 1] == "Queued for 2 members, each in their own language and time zone."
    assert "[group] Procès-verbal de la réunion #1 : Steering committee" in lines  # the group in its languages
    second = text[text.index("Steering committee (#2) starts in 1 day."):]
    assert "1. Adoption of the minutes of meeting #1\n2. Review of action items" in second
    assert ("The minutes of meeting #1 “Steering committee” were adopted at meeting #2 on Thursday, April 4, "
            "2030.") in lines
    assert [line for line in lines if line.endswith("move the meeting there first with /reschedule. Nothing was "
                                                    "changed.")]
    assert ("⏹ The series “Steering committee” stops: #3 on Thursday, May 2, 2030, 15:00 (Brussels, UTC+02:00) "
            "is its last meeting.") in lines
    upcoming = text[text.rindex("Upcoming meetings (times in Brussels)"):]
    assert "#3 Steering committee" in upcoming and "#4 Steering committee" not in upcoming
