"""Opening a record far from the planned time asks first, through the handlers on both
databases: nothing opens until the chair confirms, the confirmation is re-checked, and minutes
of a meeting held on another day than planned say both days."""

from storage.models import AuditEntry, Meeting
from tests.test_records_handlers import CHAIR, MEMBER, count, group, make_meeting, to

OPENED = Meeting.record_opened_at.is_not(None)


async def test_opening_nine_days_early_asks_and_opens_only_when_confirmed(bot):
    await bot.send(CHAIR, "/lang en")
    meeting_id = await make_meeting(bot, hours_ahead=9 * 24)
    [question] = await bot.send(CHAIR, f"/startmeeting {meeting_id}")
    assert f"Meeting #{meeting_id} “Steering committee” is planned for Wednesday, December 2, 2026" in question.text
    assert "not now" in question.text and await count(bot, Meeting, OPENED) == 0
    assert await count(bot, AuditEntry, AuditEntry.action == "record.opened") == 0

    [kept] = await bot.press(CHAIR, question, question.button_data("Not now"))
    assert kept.text == f"The record of meeting #{meeting_id} stays closed; nothing was changed."
    assert await count(bot, Meeting, OPENED) == 0

    forged = await bot.press(MEMBER, question, f"open:ok:{meeting_id}")  # a member cannot open a record
    assert not [m for m in forged if "is open" in m.text] and await count(bot, Meeting, OPENED) == 0
    for data in (f"open:ok:{meeting_id}9999", "open:maybe:1", "open:ok", f"open:ok:{meeting_id}:x"):
        await bot.press(CHAIR, question, data)
        assert bot.api.callback_answers[-1]["text"] == "This button is no longer valid."
    assert await count(bot, Meeting, OPENED) == 0

    [question] = await bot.send(CHAIR, "/startmeeting")  # the default meeting asks the same
    opened = await bot.press(CHAIR, question, question.button_data("Open the record now"))
    [edited] = to(bot, CHAIR, opened)
    assert f"The record of meeting #{meeting_id} “Steering committee” is open." in edited.text
    assert edited.button_data("Present") == f"att:{meeting_id}:present"
    assert [m for m in group(opened) if "is open" in m.text or "est ouvert" in m.text]
    assert await count(bot, Meeting, OPENED) == 1

    again = await bot.press(CHAIR, question, f"open:ok:{meeting_id}")  # a second tap (two phones)
    assert "is already open" in to(bot, CHAIR, again)[0].text
    assert await count(bot, AuditEntry, AuditEntry.action == "record.opened") == 1

    await bot.send(CHAIR, "/endmeeting")
    [minutes, *_] = await bot.send(CHAIR, f"/minutes {meeting_id} en")
    assert ("Held on Monday, November 23, 2026, 10:00 (Brussels, UTC+01:00); it was planned for Wednesday, "
            "December 2, 2026, 10:00 (Brussels, UTC+01:00).") in minutes.text
    assert "In UTC: Monday, November 23, 2026, 09:00" in minutes.text


async def test_a_meeting_about_to_start_opens_at_once_and_a_cancelled_one_is_refused(bot):
    await bot.send(CHAIR, "/lang fr")
    soon = await make_meeting(bot, hours_ahead=1.5)
    [opened, *_] = await bot.send(CHAIR, f"/startmeeting {soon}")
    assert f"Le compte rendu de la réunion #{soon}" in opened.text and await count(bot, Meeting, OPENED) == 1
    [minutes, *_] = [m for m in await bot.send(CHAIR, "/endmeeting") if m.text]
    late = await make_meeting(bot, title="Old", hours_ahead=-2 * 24)
    [question] = await bot.send(CHAIR, f"/startmeeting {late}")  # two days after: asked too
    assert "n’est pas maintenant" in question.text or "pas maintenant" in question.text
    async with bot.services.db.transaction() as session:
        (await session.get(Meeting, late)).status = "cancelled"
    [refused] = await bot.send(CHAIR, f"/startmeeting {late}")
    assert refused.text == f"La réunion #{late} a été annulée."
