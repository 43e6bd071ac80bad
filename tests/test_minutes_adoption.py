"""Minutes that stay true, through the handlers on SQLite and PostgreSQL: frozen at /endmeeting
(later /assign, /due, /done and /undo elsewhere never rewrite them, they show as follow-ups),
corrected only by the chair's /amend while a draft, adopted with /adopt at the next meeting and
read-only from then on; the group gets the minutes in each of its languages."""

from datetime import timedelta

from sqlalchemy import select

from storage.models import Member
from tests.test_records_handlers import CHAIR, MEMBER, SECRETARIAT, group, make_meeting, to


async def held_meeting(bot) -> tuple[int, int, list]:
    """A meeting held and closed, with one action for Samy due 2026-12-15; (meeting, action, what
    /endmeeting sent)."""
    meeting_id = await make_meeting(bot)
    [opened] = await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    await bot.press(MEMBER, opened, opened.button_data("Present"))
    await bot.send(CHAIR, "/decide The 2027 budget is adopted.", group=True)
    replies = await bot.send(CHAIR, "/action Samy: send the budget due 2026-12-15", group=True)
    action_id = int(group(replies)[0].text.split("#")[1].split()[0])
    sent = await bot.send(CHAIR, "/endmeeting", group=True)
    return meeting_id, action_id, sent


def section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1] if heading in text else ""


async def test_minutes_keep_what_was_decided_and_show_changes_as_follow_ups(bot):
    meeting_id, action_id, _ = await held_meeting(bot)
    await bot.send(CHAIR, f"/assign {action_id} Ingrid")
    await bot.send(CHAIR, f"/due {action_id} 2026-12-20")
    [minutes, *_] = await bot.send(SECRETARIAT, f"/minutes {meeting_id} en")
    record, since = minutes.text.split("Since the meeting (not part of the minutes)")
    assert "Draft minutes, to be adopted by the committee." in record
    assert f"Action #{action_id}: send the budget · owner: Samy Arokiasamy · due Tuesday, December 15, 2026" in record
    assert "Ingrid" not in section(record, "Actions by owner") and "December 20" not in record
    assert (f"Action #{action_id} · now with Ingrid Mulamba · now due Sunday, December 20, 2026" in since)
    assert "Present (1): Samy Arokiasamy" in record
    [fr, *_] = await bot.send(SECRETARIAT, f"/minutes {meeting_id} fr")
    assert "Projet de procès-verbal" in fr.text and "désormais confiée à Ingrid Mulamba" in fr.text


async def test_the_chair_corrects_the_draft_then_adopts_it_at_the_next_meeting(bot):
    meeting_id, _, _ = await held_meeting(bot)
    [refused] = await bot.send(MEMBER, f"/amend {meeting_id} Samy was late.")
    assert "Only the chair" in refused.text
    [usage] = await bot.send(CHAIR, f"/amend {meeting_id}")
    assert "Usage: /amend NUMBER TEXT" in usage.text
    [amended] = await bot.send(CHAIR, f"/amend {meeting_id} The budget figure is 12 000 EUR, not 21 000.")
    assert f"Correction 1 added to the draft minutes of meeting #{meeting_id}" in amended.text
    [draft, *_] = await bot.send(MEMBER, f"/minutes {meeting_id} en")
    assert "The budget figure is 12 000 EUR, not 21 000. (Bart Verstraeten," in section(draft.text, "Corrections")

    next_id = await make_meeting(bot, title="December meeting", hours_ahead=24 * 30)
    [agenda] = await bot.send("Ingrid Mulamba", f"/agenda {next_id}")  # the standing items, translated
    lines = [line for line in agenda.text.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert f"<b>Adoption du procès-verbal de la réunion #{meeting_id}</b> (5 min)" in lines[0]
    assert "<b>Suivi des actions</b> (10 min)" in lines[1]
    assert "Budget 2027" in lines[2]
    [again] = await bot.send("Ingrid Mulamba", f"/agenda {next_id}")  # added once
    assert again.text.count("Adoption du procès-verbal") == 1
    bot.clock.advance(timedelta(days=30))
    replies = await bot.start_meeting(CHAIR, f"/startmeeting {next_id}")
    opened = next(m for m in to(bot, CHAIR, replies) if "is open" in m.text)  # overdue reminders too
    assert f"Current item: Adoption of the minutes of meeting #{meeting_id}" in opened.text
    told = await bot.send(CHAIR, f"/adopt {meeting_id}")
    mine = next(m for m in to(bot, CHAIR, told) if "adopted" in m.text)  # overdue reminders came due too
    assert (f"The minutes of meeting #{meeting_id} “Steering committee” were adopted at meeting #{next_id} on "
            "Wednesday, December 23, 2026.") in mine.text
    [posted] = group(told)
    assert "were adopted at meeting" in posted.text and "a été adopté à la réunion" in posted.text
    assert "se aprobó en la reunión" in posted.text
    [adopted, *_] = await bot.send(MEMBER, f"/minutes {meeting_id} en")
    assert f"Adopted on Wednesday, December 23, 2026 at meeting #{next_id}." in adopted.text
    assert "Draft" not in adopted.text and "12 000 EUR" in adopted.text
    for attempt in (f"/amend {meeting_id} one more", f"/adopt {meeting_id}"):
        [no] = await bot.send(CHAIR, attempt)
        assert (f"The minutes of meeting #{meeting_id} were adopted on Wednesday, December 23, 2026: they can no "
                "longer be changed.") in no.text, attempt
    await bot.send(CHAIR, "/endmeeting")
    [reopen] = await bot.start_meeting(CHAIR, f"/startmeeting {meeting_id}")
    assert "adopted: its record can no longer be reopened" in reopen.text


async def test_adopt_refuses_what_is_not_a_closed_draft(bot):
    meeting_id = await make_meeting(bot)
    [none] = await bot.send(CHAIR, f"/adopt {meeting_id}")
    assert f"Meeting #{meeting_id} has no record yet." in none.text
    await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    [still] = await bot.send(CHAIR, f"/adopt {meeting_id}")
    assert "is still open: close it with /endmeeting first" in still.text
    for bad in ("/adopt", "/adopt 999", "/adopt abc", f"/adopt {meeting_id} {meeting_id}"):
        [reply] = await bot.send(CHAIR, bad)
        assert ("Usage: /adopt NUMBER" in reply.text or "There is no meeting" in reply.text
                or "“abc” is not a meeting number" in reply.text), bad


async def test_reopening_a_draft_and_closing_again_freezes_the_additions(bot):
    meeting_id, action_id, _ = await held_meeting(bot)
    await bot.start_meeting(CHAIR, f"/startmeeting {meeting_id}")
    await bot.send(CHAIR, "/info The venue is confirmed.")
    [live, *_] = await bot.send(CHAIR, f"/minutes {meeting_id} en")
    assert "still open" in live.text and "The venue is confirmed." in live.text
    await bot.send(CHAIR, "/endmeeting")
    await bot.send(MEMBER, f"/done {action_id}")
    [frozen, *_] = await bot.send(CHAIR, f"/minutes {meeting_id} en")
    record, since = frozen.text.split("Since the meeting")
    assert "The venue is confirmed." in record and "Draft minutes" in record
    assert f"Action #{action_id} · done" in since


async def test_the_group_gets_the_minutes_in_each_of_its_languages(bot):
    meeting_id, _, sent = await held_meeting(bot)
    posts = group(sent)
    files = sorted(m.document[0] for m in posts if m.document)
    assert files == sorted(f"minutes-{meeting_id}-{lang}.{part}" for lang in ("en", "es", "fr")
                           for part in ("html", "md"))
    texts = [m.text for m in posts if not m.document]
    for title in ("Minutes of meeting", "Procès-verbal de la réunion", "Acta de la reunión"):
        assert any(text.startswith(f"<b>{title} #{meeting_id}") for text in texts), (title, texts)


async def test_roster_changes_after_the_meeting_leave_the_attendance_as_it_was(bot):
    meeting_id, _, _ = await held_meeting(bot)
    [before, *_] = await bot.send(CHAIR, f"/minutes {meeting_id} en")
    async with bot.services.db.transaction() as session:
        session.add(Member(name="Nueva Integrante", timezone="America/Guatemala"))  # joined after
        (await session.scalar(select(Member).where(Member.name == "Ingrid Mulamba"))).active = False  # left
    [after, *_] = await bot.send(CHAIR, f"/minutes {meeting_id} en")
    attendance = before.text.split("Agenda and record")[0]
    assert "Ingrid Mulamba" in attendance and "Absent (12)" in attendance
    assert after.text.split("Agenda and record")[0] == attendance
