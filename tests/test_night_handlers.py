"""Night slots are flagged before anyone is told, through the real handlers on SQLite and
PostgreSQL: the chair is named who and at what local time, the meeting stays a draft until
confirmed or dropped, a move into the night is asked about, /meeting marks night with 🌙."""

from sqlalchemy import func, select

from storage.models import Meeting, OutboxMessage

CHAIR = "Bart Verstraeten"
NIGHT = "/newmeeting 2026-12-10 17:30 Europe/Brussels 60 Steering committee"  # 23:30 in Jakarta


def private(bot, messages, name):
    return [m for m in messages if m.chat_id == bot.person(name).telegram_id]


async def latest(bot):
    async with bot.services.db.transaction() as session:
        meeting = await session.scalar(select(Meeting).order_by(Meeting.id.desc()).limit(1))
        owed = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.ref_type == "meeting", OutboxMessage.ref_id == meeting.id,
            OutboxMessage.state != "cancelled"))
    return meeting, owed


async def test_night_slot_is_a_draft_naming_whom_until_the_chair_confirms(bot):
    replies = await bot.send(CHAIR, NIGHT)
    [question] = replies
    assert "would be at night for 2 members" in question.text
    assert "Bismo Sanyoto: 23:30 (Jakarta, UTC+07:00)" in question.text
    assert "Elly Rosita Silaban: 23:30 (Jakarta, UTC+07:00)" in question.text and "nobody has been told" in question.text
    meeting, owed = await latest(bot)
    assert meeting.status == "draft" and owed == 0
    [[create, _drop]] = question.buttons
    [listing] = await bot.send("Samy Arokiasamy", "/meetings")
    assert f"#{meeting.id}" not in listing.text
    confirmed = await bot.press(CHAIR, question, create["callback_data"])
    assert any(m.chat_id == bot.person("Elly").telegram_id and "New meeting" in m.text for m in confirmed)
    [edited] = [m for m in confirmed if m.chat_id == bot.person(CHAIR).telegram_id and "created" in m.text]
    assert "Queued for 13 members" in edited.text
    meeting, owed = await latest(bot)
    assert meeting.status == "scheduled" and owed > 0
    [shown] = await bot.send(CHAIR, f"/meeting {meeting.id}")
    elly = next(line for line in shown.text.splitlines() if "Elly" in line)
    assert elly.endswith("🌙")


async def test_dropped_draft_tells_nobody_and_french_chair_reads_it_in_french(bot):
    [question] = await bot.send("Denis Mushiya", NIGHT)
    assert "aurait lieu la nuit pour 2 membres" in question.text and "Elly Rosita Silaban : 23:30" in question.text
    [[_create, drop]] = question.buttons
    replies = await bot.press("Denis Mushiya", question, drop["callback_data"])
    assert [m.chat_id for m in replies] == [bot.person("Denis").telegram_id]
    assert "personne n’a été prévenu" in replies[0].text
    meeting, owed = await latest(bot)
    assert meeting.status == "cancelled" and owed == 0
    again = await bot.press("Denis Mushiya", question, drop["callback_data"])
    assert not [m for m in again if m.chat_id != bot.person("Denis").telegram_id]


async def test_a_move_into_the_night_is_asked_first(bot):
    await bot.send(CHAIR, "/newmeeting 2026-12-10 15:00 Steering committee")
    meeting, _ = await latest(bot)
    [question] = await bot.send("Gabriela Prudencio", f"/reschedule {meeting.id} 2026-12-11 17:30 Europe/Brussels")
    assert "la dejaría de noche para 3 miembros" in question.text and "Todavía no se ha cambiado nada" in question.text
    unchanged, _ = await latest(bot)
    assert unchanged.starts_at == meeting.starts_at
    [[move, keep]] = question.buttons
    moved = await bot.press("Gabriela Prudencio", question, move["callback_data"])
    assert any(m.chat_id == bot.person("Elly").telegram_id and "has moved" in m.text for m in moved)
    after, _ = await latest(bot)
    assert after.starts_at.hour == 16 and after.starts_at.minute == 30  # 17:30 Brussels = 16:30 UTC
    forged = await bot.press(CHAIR, question, f"night:mv:{meeting.id}:abc")
    assert not [m for m in forged if m.chat_id != bot.person(CHAIR).telegram_id]
    assert (await latest(bot))[0].starts_at == after.starts_at
