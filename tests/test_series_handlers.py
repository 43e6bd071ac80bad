"""Series as a committee uses them, through the real handlers on SQLite and PostgreSQL:
"monthly" keeps the weekday position, copies carry their own month, a moved occurrence says
so, the rule changes from one occurrence on and a series stops, each announced once saying
what changed; the .ics follows (UNTIL)."""

from datetime import timezone
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import select

from storage.models import Meeting

UTC = timezone.utc
CHAIR = "Bart Verstraeten"
BRUSSELS = ZoneInfo("Europe/Brussels")


def private(bot, messages, name):
    return [m for m in messages if m.chat_id == bot.person(name).telegram_id]


async def series(bot):
    async with bot.services.db.transaction() as session:
        return list(await session.scalars(select(Meeting).order_by(Meeting.starts_at)))


async def monthly_series(bot):
    await bot.send(CHAIR, "/newmeeting 2026-12-03 15:00 Comité – décembre")  # a first Thursday
    [head] = await series(bot)
    replies = await bot.send(CHAIR, f"/recur {head.id} monthly")
    return head, replies


async def test_monthly_keeps_the_weekday_position_and_each_copy_its_month(bot):
    head, replies = await monthly_series(bot)
    [answer] = private(bot, replies, CHAIR)[:1]
    assert "every month on the first Thursday" in answer.text and "day 3" not in answer.text
    rows = [m for m in await series(bot) if m.status == "scheduled"]
    assert len(rows) >= 4
    for row in rows:
        local = row.starts_at.astimezone(BRUSSELS)
        assert local.weekday() == 3 and local.day <= 7 and local.hour == 15, local
    assert [r.title for r in rows[:4]] == ["Comité – décembre", "Comité – janvier", "Comité – février",
                                           "Comité – mars"]
    [ingrid] = [m for m in private(bot, replies, "Ingrid Mulamba") if "🔁" in m.text]
    assert "chaque mois, le premier jeudi" in ingrid.text


async def test_a_moved_occurrence_no_longer_claims_the_rule(bot):
    await monthly_series(bot)
    january = (await series(bot))[1]
    await bot.send(CHAIR, f"/reschedule {january.id} 2027-01-08 15:00")
    [shown] = await bot.send("Gabriela Prudencio", f"/meeting {january.id}")
    assert "esta se trasladó, estaba prevista el jueves, 7 de enero de 2027" in shown.text


async def test_the_rule_changes_from_one_occurrence_on_and_says_what_changed(bot):
    head, _ = await monthly_series(bot)
    january = (await series(bot))[1]
    replies = await bot.send(CHAIR, f"/recur {january.id} monthly on the first Thursday")
    assert not any("already belongs" in m.text for m in replies)
    replies = await bot.send(CHAIR, f"/recur {january.id} change every 2 weeks")
    [answer] = private(bot, replies, CHAIR)[:1]
    assert f"Meeting #{january.id} now repeats every 2 weeks" in answer.text and "Called off: #" in answer.text
    [ingrid] = [m for m in private(bot, replies, "Ingrid Mulamba") if "🔁" in m.text]
    assert "Jusqu’ici : chaque mois, le premier jeudi" in ingrid.text and "Annulées" in ingrid.text
    assert "toutes les 2 semaines" in ingrid.text
    rows = [m for m in await series(bot) if m.status == "scheduled"]
    assert rows[0].id == head.id and rows[1].id == january.id
    assert (rows[2].starts_at - rows[1].starts_at).days == 14
    # the first series now ends before January; both calendars still build
    for meeting_id in (head.id, january.id):
        [ics] = await bot.send(CHAIR, f"/ics {meeting_id}")
        calendar = icalendar.Calendar.from_ical(ics.document[1])
        master = next(c for c in calendar.walk("VEVENT") if "RRULE" in c)
        if meeting_id == head.id:
            assert master["RRULE"]["UNTIL"][0] < january.starts_at


async def test_stop_ends_the_series_calls_off_the_rest_and_tells_everyone_once(bot):
    head, _ = await monthly_series(bot)
    february = (await series(bot))[2]
    replies = await bot.send(CHAIR, f"/recur {february.id} stop")
    [answer] = private(bot, replies, CHAIR)[:1]
    assert f"#{february.id} on Thursday, February 4, 2027" in answer.text and "is its last meeting" in answer.text
    assert "Called off: #" in answer.text
    spanish = [m for m in private(bot, replies, "Gabriela Prudencio") if "⏹" in m.text]
    [spanish] = spanish
    assert "termina" in spanish.text and "Canceladas" in spanish.text
    later = [m for m in await series(bot) if m.starts_at > february.starts_at]
    assert later and all(m.status == "cancelled" for m in later)
    [ics] = await bot.send(CHAIR, f"/ics {head.id}")
    master = next(c for c in icalendar.Calendar.from_ical(ics.document[1]).walk("VEVENT") if "RRULE" in c)
    assert master["RRULE"]["UNTIL"][0] == february.starts_at
    [again] = await bot.send(CHAIR, f"/recur {february.id} stop")
    assert "already ends with" in again.text
    await bot.send(CHAIR, "/newmeeting 2026-12-10 15:00 One-off")
    one_off = (await series(bot))[1]
    [refused] = await bot.send(CHAIR, f"/recur {one_off.id} stop")
    assert "does not repeat" in refused.text
