"""The console as a test bench, driven by a scripted session on SQLite and PostgreSQL: a
stranger is refused, /press taps only buttons in the speaker's own chat and prints the toast,
and the simulated clock sends the reminders that fell due on the way, naming each recipient."""

import io

from bot.config import load_settings
from bot.entrypoints.console import run_console

SCRIPT = """\
/clock 2030-03-04 09:00
/newmeeting 2030-03-05 15:00 Europe/Brussels 60 Spring meeting
/as Samy
/press 1
/as stranger es
/meetings
/as Bart
/whoami
/press 1
/clock +1d
/clock +3h
/clock 2030-01-01 10:00
/clock +soon
"""


async def test_scripted_console_session(db_url):
    out = io.StringIO()
    await run_console(load_settings(None, database={"url": db_url}), None, io.StringIO(SCRIPT), out)
    lines = out.getvalue().splitlines()
    text = "\n".join(lines)
    assert "Simulated now: 2030-03-04 08:00 UTC, Monday 2030-03-04 09:00 in Europe/Brussels." in lines
    assert "Queued for 1 member, in their own language and time zone." in text  # only Bart was linked
    samy = lines.index("You are now Samy Arokiasamy.")
    assert lines[samy + 1] == "No message with buttons in this chat."  # Bart's buttons are not Samy's
    assert "Lo sentimos, este bot está reservado a los miembros" in text
    assert "You are Bart Verstraeten, in your private chat." in lines
    assert "(toast) Your answer is recorded: yes." in lines
    day_later = lines.index("Simulated now: 2030-03-05 08:00 UTC, Tuesday 2030-03-05 09:00 in Europe/Brussels.")
    assert lines[day_later + 1] == "[to Samy Arokiasamy] ⏰ Reminder: Spring meeting (#1) starts in 1 day."
    assert "⏰ Reminder: Spring meeting (#1) starts in 1 day." in lines[day_later + 2:]  # Bart's own, unprefixed
    assert "You said you will attend." in lines[day_later:]
    hours_later = lines.index("Simulated now: 2030-03-05 11:00 UTC, Tuesday 2030-03-05 12:00 in Europe/Brussels.")
    assert lines[hours_later + 1] == "Nothing fell due."
    assert "The simulated clock only moves forward." in lines[hours_later + 3]
    assert lines[hours_later + 4].startswith("Usage: /clock, /clock +24h")
