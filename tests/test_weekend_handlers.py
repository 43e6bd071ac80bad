"""Weekend days flagged beside night hours, through the real handlers on SQLite and PostgreSQL: a
meeting on a Saturday or Sunday in a member's own zone is said at creation (who, and their local
day), marked 📅 in /meeting, and /recur names the occurrences that fall on someone's weekend."""

from sqlalchemy import select

from storage.models import Meeting

CHAIR = "Bart Verstraeten"


async def latest_id(bot) -> int:
    async with bot.services.db.transaction() as session:
        return await session.scalar(select(Meeting.id).order_by(Meeting.id.desc()).limit(1))


async def test_a_saturday_meeting_names_each_members_local_day(bot):
    replies = await bot.send(CHAIR, "/newmeeting 2026-12-12 14:00 Europe/Brussels 60 Saturday assembly")
    [created] = [m for m in replies if m.chat_id == bot.person(CHAIR).telegram_id and "created" in m.text]
    meeting_id = await latest_id(bot)
    assert f"Meeting #{meeting_id} created" in created.text
    assert f"📅 Meeting #{meeting_id} falls on a weekend day for 13 members:" in created.text
    assert "📅 Elly Rosita Silaban: Saturday, December 12, 2026 (Jakarta)" in created.text
    assert "📅 Mary Karol Luna: Saturday, December 12, 2026 (Guatemala)" in created.text
    [shown] = await bot.send("Samy Arokiasamy", f"/meeting {meeting_id}")
    assert "📅 13 members on their Saturday or Sunday" in shown.text
    elly = next(line for line in shown.text.splitlines() if "Elly Rosita Silaban" in line)
    assert elly.endswith("📅")
    [french] = await bot.send("Ingrid Mulamba", f"/meeting {meeting_id}")
    assert "📅 13 membres un samedi ou un dimanche chez eux" in french.text


async def test_a_weekday_meeting_says_nothing_of_weekends(bot):
    replies = await bot.send(CHAIR, "/newmeeting 2026-12-10 14:00 Europe/Brussels 60 Thursday meeting")
    [created] = [m for m in replies if m.chat_id == bot.person(CHAIR).telegram_id and "created" in m.text]
    assert "created" in created.text and "📅" not in created.text
    [shown] = await bot.send("Samy Arokiasamy", f"/meeting {await latest_id(bot)}")
    assert "📅" not in shown.text


async def test_friday_evening_in_guatemala_is_saturday_in_asia_and_europe(bot):
    [question] = await bot.send(CHAIR, "/newmeeting 2026-12-11 17:30 America/Guatemala 60 Late Friday")
    [[create, _drop]] = question.buttons
    confirmed = await bot.press(CHAIR, question, create["callback_data"])
    [created] = [m for m in confirmed if m.chat_id == bot.person(CHAIR).telegram_id and "created" in m.text]
    assert "📅 Bismo Sanyoto: Saturday, December 12, 2026 (Jakarta)" in created.text
    assert "📅 Bart Verstraeten: Saturday, December 12, 2026 (Brussels)" in created.text
    assert "Mary Karol Luna" not in created.text  # still Friday in Guatemala
    meeting_id = await latest_id(bot)
    replies = await bot.send(CHAIR, f"/recur {meeting_id} weekly")
    [answer] = [m for m in replies if m.chat_id == bot.person(CHAIR).telegram_id and "Each occurrence" in m.text]
    occurrences = [line for line in answer.text.splitlines() if line.startswith("#")]
    assert occurrences and all("📅 weekend for" in line and "Bismo Sanyoto" in line for line in occurrences)
    assert all("Mary Karol Luna" not in line for line in occurrences)
    assert "(Saturday, December 19, 2026)" in answer.text
