"""Meetings through the real handlers, on SQLite and PostgreSQL: creation (typed and guided),
local times for everyone, DST refusals, series, moves, cancellations, RSVPs, .ics."""

from datetime import datetime, timedelta, timezone

import icalendar
from sqlalchemy import func, select

from bot.telegram.application import upkeep

from storage.models import AuditEntry, Meeting, OutboxMessage, Rsvp

UTC = timezone.utc
CHAIR = "Bart Verstraeten"


def private(bot, messages, name):
    chat = bot.person(name).telegram_id
    return [m for m in messages if m.chat_id == chat]


def group(messages):
    return [m for m in messages if m.chat_id < 0]


async def count(bot, model, *where):
    async with bot.services.db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def go_ahead(bot, who, replies):
    """Answer the night question (a slot at night for someone) with "anyway"; what followed."""
    [question] = [m for m in replies if m.buttons and m.buttons[0][0]["callback_data"].startswith("night:")]
    return replies + await bot.press(who, question, question.buttons[0][0]["callback_data"])


async def create(bot, text="/newmeeting 2026-12-01 15:00 Steering committee", who=CHAIR):
    replies = await bot.send(who, text)
    async with bot.services.db.transaction() as session:
        meeting = await session.scalar(select(Meeting).order_by(Meeting.id.desc()).limit(1))
    return meeting, replies


async def test_chair_creates_and_everyone_sees_their_local_time(bot):
    await bot.send("Santiago Fischer", "/tz Asia/Kathmandu")
    meeting, replies = await create(bot)
    # 15:00 in Brussels (UTC+1 in December) is 14:00 UTC.
    assert meeting.starts_at == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert meeting.timezone == "Europe/Brussels" and meeting.duration_minutes == 90
    [answer] = private(bot, replies, CHAIR)[:1]
    assert f"Meeting #{meeting.id} created" in answer.text
    expected = {"Elly Rosita Silaban": "21:00 (Jakarta, UTC+07:00)",
                "Gabriela Prudencio": "10:00 (La Paz, UTC-04:00)",
                "Santiago Fischer": "19:45 (Kathmandu, UTC+05:45)",
                "Samy Arokiasamy": "19:30 (Kolkata, UTC+05:30)",
                "Mary Karol Luna": "08:00 (Guatemala, UTC-06:00)"}
    for name, local in expected.items():
        [notice] = [m for m in private(bot, replies, name) if "#%d" % meeting.id in m.text and m.buttons]
        assert local in notice.text, (name, notice.text)
        assert notice.buttons and notice.buttons[0][0]["callback_data"] == f"rsvp:{meeting.id}:yes"
    assert "Nueva reunión" in private(bot, replies, "Gabriela Prudencio")[0].text
    assert "Nouvelle réunion" in private(bot, replies, "Ingrid Mulamba")[0].text
    [announcement] = group(replies)
    assert "15:00 (Brussels, UTC+01:00)" in announcement.text and "UTC: 14:00" in announcement.text
    for name, local in expected.items():
        [listing] = await bot.send(name, "/meetings")
        assert f"#{meeting.id}" in listing.text and local in listing.text, (name, listing.text)
    assert await count(bot, AuditEntry, AuditEntry.action == "meeting.created") == 1


async def test_zone_and_duration_given_explicitly(bot):
    meeting, replies = await create(bot, "/newmeeting 2026-12-02 09:00 Asia/Jakarta 60 Asia call")
    replies = await go_ahead(bot, CHAIR, replies)  # 03:00 in Brussels
    assert meeting.starts_at == datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    assert (meeting.timezone, meeting.duration_minutes, meeting.title) == ("Asia/Jakarta", 60, "Asia call")
    [notice] = [m for m in private(bot, replies, "Gabriela Prudencio") if m.buttons]
    assert "22:00 (La Paz, UTC-04:00)" in notice.text and "60 minutos" in notice.text


async def test_impossible_times_are_refused_clearly_and_nothing_is_created(bot):
    bot.clock.now = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    cases = {
        "/newmeeting 2026-03-29 02:30 Europe/Brussels Spring": "does not exist in Brussels",
        "/newmeeting 2026-10-25 02:30 Europe/Brussels Autumn": "happens twice in Brussels",
        "/newmeeting 2026-02-30 10:00 Lost day": "does not exist in the calendar",
        "/newmeeting 2025-12-01 10:00 Too late": "already past",
        "/newmeeting 2026-13-01 10:00 Bad month": "does not exist in the calendar",
        "/newmeeting tomorrow 10:00 Vague": "could not read",
        "/newmeeting 2026-05-01 10:00 Mars/Olympus Red planet": "do not know the time zone",
        "/newmeeting 2026-05-01 10:00 999 Too long a meeting": "between 5 and 720 minutes",
        "/newmeeting 2026-05-01 10:00 " + "x" * 201: "too long",
        "/newmeeting 2026-05-01": "Usage",
    }
    for text, expected in cases.items():
        replies = await bot.send(CHAIR, text)
        assert len(replies) == 1 and expected in replies[0].text, (text, replies[0].text)
    [spring] = await bot.send(CHAIR, "/newmeeting 2026-03-29 02:30 Spring")
    assert "02:00" in spring.text and "03:00" in spring.text
    [autumn] = await bot.send("Ingrid Mulamba", "/tz Europe/Brussels") and await bot.send(
        "Denis Mushiya", "/newmeeting 2026-10-25 02:30 Europe/Brussels Automne")
    assert "deux fois" in autumn.text and "UTC+02:00" in autumn.text and "UTC+01:00" in autumn.text
    assert await count(bot, Meeting) == 0
    assert await count(bot, OutboxMessage) == 0


async def test_html_in_titles_is_escaped(bot):
    meeting, replies = await create(bot, "/newmeeting 2026-12-01 15:00 <b>Budget</b> & co")
    assert meeting.title == "<b>Budget</b> & co"
    assert all("<b>Budget" not in m.text for m in replies)
    assert any("&lt;b&gt;Budget&lt;/b&gt; &amp; co" in m.text for m in replies)


async def test_plain_members_and_strangers_cannot_create_or_cancel(bot):
    meeting, _ = await create(bot)
    for text in ("/newmeeting 2026-12-05 10:00 Mine", f"/cancelmeeting {meeting.id}",
                 f"/reschedule {meeting.id} 2026-12-06 10:00", f"/recur {meeting.id} weekly",
                 f"/meetinglink {meeting.id} https://example.org"):
        [reply] = await bot.send("Samy Arokiasamy", text)
        assert "Only the chair or the secretariat" in reply.text
        [reply] = await bot.send(bot.stranger("es"), text)
        assert "comité" in reply.text
    async with bot.services.db.transaction() as session:
        again = await session.get(Meeting, meeting.id)
        assert (again.status, again.sequence, again.recurrence, again.link) == ("scheduled", 0, None, None)
    assert await count(bot, Meeting) == 1
    # the secretariat may
    [reply] = await bot.send("Drissa Soaré", f"/meetinglink #{meeting.id} https://meet.jit.si/inspir")
    assert "https://meet.jit.si/inspir" in reply.text


async def test_ids_are_checked(bot):
    meeting, _ = await create(bot)
    for text, expected in (("/meeting abc", "not a meeting number"), ("/meeting 999", "no meeting #999"),
                           ("/rsvp 99999999999 yes", "not a meeting number"),
                           ("/ics -1", "not a meeting number"), ("/rsvp 1 perhaps-not", "yes, no or maybe")):
        [reply] = await bot.send("Santiago Fischer", text)
        assert expected in reply.text, (text, reply.text)
    [reply] = await bot.send("Santiago Fischer", f"/meeting #{meeting.id}")
    assert f"#{meeting.id} Steering committee" in reply.text
    [bare] = await bot.send("Santiago Fischer", "/meeting")  # no number: the next meeting
    assert bare.text == reply.text
    [calendar] = await bot.send("Santiago Fischer", "/ics")
    assert calendar.document and calendar.document[0].endswith(".ics")
    async with bot.services.db.transaction() as session:
        (await session.get(Meeting, meeting.id)).status = "cancelled"
    [none] = await bot.send("Santiago Fischer", "/meeting")
    assert none.text == "No meeting is planned. Give a number to see an earlier one, e.g. /meeting 12."


async def test_links_must_be_http(bot):
    meeting, _ = await create(bot)
    for bad in ("javascript:alert(1)", "ftp://example.org", "https://", "http://exa mple.org",
                'https://x.org/"><script>'):
        [reply] = await bot.send(CHAIR, f"/meetinglink {meeting.id} {bad}")
        assert "not a web link" in reply.text or "Usage" in reply.text
    async with bot.services.db.transaction() as session:
        assert (await session.get(Meeting, meeting.id)).link is None


async def test_meeting_table_marks_members_outside_working_hours(bot):
    async with bot.services.db.transaction() as session:
        from storage.models import Member
        elly = await session.scalar(select(Member).where(Member.name == "Elly Rosita Silaban"))
        elly.working_hours = "08:00-22:30"
    meeting, _ = await create(bot)
    [reply] = await bot.send("Gabriela Prudencio", f"/meeting {meeting.id}")
    lines = {line.split(" (")[0].lstrip("·✅❌❔ "): line for line in reply.text.splitlines() if " (" in line}
    assert "21:00 (UTC+07:00)" in lines["Elly Rosita Silaban"] and "⚠️" not in lines["Elly Rosita Silaban"]
    assert "⚠️" in lines["Bismo Sanyoto"]  # 21:00 in Jakarta, outside 08:00-20:00
    assert "08:00 (UTC-06:00)" in lines["Mary Karol Luna"] and "⚠️" not in lines["Mary Karol Luna"]
    assert "10:00 (UTC-04:00)" in lines["Gabriela Prudencio"]
    assert "miembros fuera de su horario laboral" in reply.text
    assert reply.buttons  # RSVP from the details too


async def test_rsvp_buttons_and_command(bot):
    meeting, replies = await create(bot)
    [elly_notice] = [m for m in private(bot, replies, "Elly Rosita Silaban") if m.buttons]
    await bot.press("Elly Rosita Silaban", elly_notice, f"rsvp:{meeting.id}:no")
    assert "no" in bot.api.callback_answers[-1]["text"]
    assert "Your answer: ❌ no" in elly_notice.text
    # another member tapping Elly's message answers for herself, never for Elly
    await bot.press("Samy Arokiasamy", elly_notice, f"rsvp:{meeting.id}:yes")
    for forged in (f"rsvp:{meeting.id}:yes:{bot.person('Elly').telegram_id}", "rsvp:999:yes",
                   f"rsvp:{meeting.id}:absolutely", "rsvp:x:yes", f"rsvp:{meeting.id}", "rsvp:0:yes"):
        await bot.press("Elly Rosita Silaban", elly_notice, forged)
        assert bot.api.callback_answers[-1]["text"] == "This button is no longer valid."
    [reply] = await bot.send("Ingrid Mulamba", f"/rsvp #{meeting.id} peut-être")
    assert "peut-être" in reply.text
    [reply] = await bot.send("Gabriela Prudencio", f"/rsvp {meeting.id} sí")
    assert "registrada: sí" in reply.text
    elly_id = (await bot.member("Elly")).id  # before the transaction: one connection at a time on SQLite
    async with bot.services.db.transaction() as session:
        answers = {(await session.get(__import__("storage.models").models.Member, r.member_id)).name: r.answer
                   for r in await session.scalars(select(Rsvp))}
        declined_reminders = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "meeting_reminder", OutboxMessage.state == "pending",
            OutboxMessage.recipient_id == elly_id))
    assert answers == {"Elly Rosita Silaban": "no", "Samy Arokiasamy": "yes", "Ingrid Mulamba": "maybe",
                       "Gabriela Prudencio": "yes"}
    assert declined_reminders == 0
    [listing] = await bot.send(CHAIR, "/meetings")
    assert "✅ 2 · ❔ 1 · ❌ 1" in listing.text
    assert await count(bot, AuditEntry, AuditEntry.action == "meeting.rsvp") == 4


async def _reminders(bot, meeting_id):
    async with bot.services.db.transaction() as session:
        rows = await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "meeting_reminder", OutboxMessage.ref_id == meeting_id,
            OutboxMessage.state == "pending"))
        return sorted({r.due_at for r in rows})


async def test_reschedule_notifies_everyone_and_moves_reminders(bot):
    meeting, _ = await create(bot)
    assert await _reminders(bot, meeting.id) == [datetime(2026, 11, 30, 14, 0, tzinfo=UTC),
                                                 datetime(2026, 12, 1, 13, 0, tzinfo=UTC)]
    replies = await bot.send("Gabriela Prudencio", f"/reschedule {meeting.id} 2026-12-03 09:00")
    # Gabriela typed 09:00 in La Paz (UTC-4): 13:00 UTC.
    async with bot.services.db.transaction() as session:
        moved = await session.get(Meeting, meeting.id)
    assert moved.starts_at == datetime(2026, 12, 3, 13, 0, tzinfo=UTC) and moved.sequence == 1
    assert "movida" in private(bot, replies, "Gabriela Prudencio")[-1].text or \
        "trasladada" in "".join(m.text for m in private(bot, replies, "Gabriela Prudencio"))
    [elly] = [m for m in private(bot, replies, "Elly Rosita Silaban") if "#%d" % meeting.id in m.text]
    assert "20:00 (Jakarta, UTC+07:00)" in elly.text and "21:00" in elly.text  # new and previous
    [ingrid] = private(bot, replies, "Ingrid Mulamba")
    assert "déplacée" in ingrid.text and "14:00 (Kinshasa, UTC+01:00)" in ingrid.text
    assert len([m for m in replies if m.chat_id > 0]) == 13 + 1
    assert group(replies) and "(Brussels, UTC+01:00)" in group(replies)[0].text
    assert await _reminders(bot, meeting.id) == [datetime(2026, 12, 2, 13, 0, tzinfo=UTC),
                                                 datetime(2026, 12, 3, 12, 0, tzinfo=UTC)]
    async with bot.services.db.transaction() as session:
        cancelled = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "meeting_reminder", OutboxMessage.state == "cancelled"))
    assert cancelled == 2 * 13
    # the reminder is really sent at its new time
    bot.clock.now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    await bot.dispatch()


async def test_cancel_notifies_and_stops_reminders(bot):
    meeting, _ = await create(bot)
    replies = await bot.send(CHAIR, f"/cancelmeeting #{meeting.id}")
    assert any("is cancelled" in m.text for m in private(bot, replies, CHAIR))
    [mary] = private(bot, replies, "Mary Karol Luna")
    assert "cancelada" in mary.text and "08:00 (Guatemala, UTC-06:00)" in mary.text and not mary.buttons
    assert group(replies)
    assert await _reminders(bot, meeting.id) == []
    [again] = await bot.send(CHAIR, f"/cancelmeeting {meeting.id}")
    assert "was cancelled" in again.text
    [late] = await bot.send("Samy Arokiasamy", f"/rsvp {meeting.id} yes")
    assert "was cancelled" in late.text
    [listing] = await bot.send(CHAIR, "/meetings")
    assert "No meeting is planned" in listing.text


def _calendar(message):
    assert message.document and message.document[0].endswith(".ics")
    return icalendar.Calendar.from_ical(message.document[1])


async def test_ics_stable_uid_growing_sequence_and_cancellation(bot):
    meeting, _ = await create(bot)
    [first] = await bot.send("Samy Arokiasamy", f"/ics {meeting.id}")
    [event] = _calendar(first).walk("VEVENT")
    uid = str(event["UID"])
    assert event.decoded("DTSTART") == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert int(event["SEQUENCE"]) == 0 and str(event["SUMMARY"]) == "Steering committee"
    await go_ahead(bot, CHAIR, await bot.send(CHAIR, f"/reschedule {meeting.id} 2026-12-02 16:00"))
    [second] = await bot.send("Samy Arokiasamy", f"/ics #{meeting.id}")
    [event] = _calendar(second).walk("VEVENT")
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    await bot.send(CHAIR, f"/cancelmeeting {meeting.id}")
    [third] = await bot.send("Samy Arokiasamy", f"/ics {meeting.id}")
    calendar = _calendar(third)
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED" and str(calendar["METHOD"]) == "PUBLISH"


async def test_weekly_series_keeps_brussels_wall_clock_across_dst(bot):
    bot.clock.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    head, _ = await create(bot, "/newmeeting 2026-03-19 15:00 Europe/Brussels 60 Weekly coordination")
    replies = await bot.send(CHAIR, f"/recur {head.id} every week")
    assert any(f"Meeting #{head.id} now repeats every week, at 15:00 Brussels time" in m.text
               for m in private(bot, replies, CHAIR))
    async with bot.services.db.transaction() as session:
        rows = list(await session.scalars(select(Meeting).where(Meeting.series_id == head.id).order_by(Meeting.starts_at)))
    starts = [r.starts_at for r in rows]
    assert starts[:3] == [datetime(2026, 3, 19, 14, 0, tzinfo=UTC), datetime(2026, 3, 26, 14, 0, tzinfo=UTC),
                          datetime(2026, 4, 2, 13, 0, tzinfo=UTC)]
    horizon = bot.clock.now + timedelta(days=90)  # every occurrence within 90 days is materialised
    assert starts[-1] <= horizon < starts[-1] + timedelta(days=7) and len(rows) == 11
    assert all(r.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Brussels")).hour == 15 for r in rows)
    [elly] = [m for m in private(bot, replies, "Elly Rosita Silaban") if "#%d" % head.id in m.text]
    assert "21:00 (Jakarta, UTC+07:00)" in elly.text and "20:00 (Jakarta, UTC+07:00)" in elly.text
    [listing] = await bot.send("Elly Rosita Silaban", "/meetings")
    assert listing.text.count("21:00 (Jakarta, UTC+07:00)") == 2 and "20:00 (Jakarta, UTC+07:00)" in listing.text
    # moving one occurrence and cancelling another leaves the rest of the series alone
    second, third = rows[1], rows[2]
    await go_ahead(bot, CHAIR, await bot.send(CHAIR, f"/reschedule {second.id} 2026-03-27 10:00"))
    await bot.send(CHAIR, f"/cancelmeeting {third.id}")
    async with bot.services.db.transaction() as session:
        after = {r.id: (r.starts_at, r.status) for r in await session.scalars(
            select(Meeting).where(Meeting.series_id == head.id))}
    assert after[second.id] == (datetime(2026, 3, 27, 9, 0, tzinfo=UTC), "scheduled")
    assert after[third.id] == (datetime(2026, 4, 2, 13, 0, tzinfo=UTC), "cancelled")
    assert after[rows[3].id] == (datetime(2026, 4, 9, 13, 0, tzinfo=UTC), "scheduled")
    [ics] = await bot.send("Samy Arokiasamy", f"/ics {third.id}")
    calendar = _calendar(ics)
    master, moved = [e for e in calendar.walk("VEVENT") if "RRULE" in e], [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    [master] = master
    assert master["RRULE"]["FREQ"] == ["WEEKLY"] and str(master["UID"]) == f"meeting-{head.id}@inspir-bot"
    assert master.decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 3, 19, 15, 0)
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert [d.replace(tzinfo=None) for d in exdates] == [datetime(2026, 4, 2, 15, 0)]
    [moved] = moved
    assert moved.decoded("DTSTART") == datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
    assert moved.decoded("RECURRENCE-ID").replace(tzinfo=None) == datetime(2026, 3, 26, 15, 0)
    assert int(master["SEQUENCE"]) >= 3
    # time passes: the upkeep rolls the horizon forward; listing meetings writes nothing
    bot.clock.now = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
    await bot.send("Samy Arokiasamy", "/meetings")
    async with bot.services.db.transaction() as session:
        unchanged = await session.scalar(select(func.max(Meeting.starts_at)).where(Meeting.series_id == head.id))
    assert unchanged == rows[-1].starts_at
    await upkeep(bot.services)
    async with bot.services.db.transaction() as session:
        last = await session.scalar(select(func.max(Meeting.starts_at)).where(Meeting.series_id == head.id))
    assert last >= datetime(2026, 8, 13, 13, 0, tzinfo=UTC)


async def test_recurrence_rules_in_three_languages_and_refusals(bot):
    async def reply_to(name, text):
        return private(bot, await bot.send(name, text), name)[0].text

    a, _ = await create(bot, "/newmeeting 2026-12-01 15:00 Premier mardi")  # a first Tuesday
    assert "chaque mois, le premier mardi" in await reply_to("Denis Mushiya", f"/recur {a.id} mensuel le premier mardi")
    b, _ = await create(bot, "/newmeeting 2026-12-02 15:00 Mittwoch")
    refused = await reply_to("Gabriela Prudencio", f"/recur {b.id} el primer martes de cada mes")
    assert "no corresponde" in refused and "martes, 5 de enero de 2027" in refused
    assert "cada 2 semanas" in await reply_to("Gabriela Prudencio", f"/recur {b.id} cada dos semanas")
    changed = await reply_to(CHAIR, f"/recur {b.id} weekly")  # already a series: the rule changes
    assert f"Meeting #{b.id} now repeats every week" in changed and "Called off: #" in changed
    c, _ = await create(bot, "/newmeeting 2026-12-03 15:00 Thursday")
    assert "did not understand" in await reply_to(CHAIR, f"/recur {c.id} now and then")


async def test_guided_creation_with_buttons_and_replies(bot):
    [ask] = await bot.send(CHAIR, "/newmeeting")
    assert "What is its title" in ask.text
    [when] = await bot.send(CHAIR, "Budget <review>")
    assert "When does it start?" in when.text and "in your time (Brussels)" in when.text  # the date first
    # a forged or stale button does not advance the chair's flow
    for stale in ("nm:dur:90", "nm:keep", "nm:zone:me", "nm:ok"):
        await bot.press(CHAIR, when, stale)
        assert bot.api.callback_answers[-1]["text"] == "This button is no longer valid.", stale
    [wrong] = await bot.send(CHAIR, "2026-01-05 10:00")
    assert "already past" in wrong.text
    [unknown] = await bot.send(CHAIR, "2026-12-04 16:00 Atlantis")
    assert "I do not know the time zone" in unknown.text
    [durations] = await bot.send(CHAIR, "2026-12-04 16:00")
    assert "How long" in durations.text
    [confirm] = await bot.press(CHAIR, durations, durations.button_data("120"))
    assert "Budget &lt;review&gt;" in confirm.text and "120 minutes" in confirm.text
    replies = await bot.press(CHAIR, confirm, "nm:ok")
    assert "draft" in confirm.text  # 16:00 to 18:00 in Brussels is 22:00 to 00:00 in Jakarta
    replies = await go_ahead(bot, CHAIR, replies)
    async with bot.services.db.transaction() as session:
        meeting = await session.scalar(select(Meeting))
    assert (meeting.title, meeting.duration_minutes) == ("Budget <review>", 120)
    assert meeting.starts_at == datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    assert any(f"Meeting #{meeting.id} created" in m.text for m in replies)
    assert len(private(bot, replies, "Elly Rosita Silaban")) == 1
    # the flow is over: a plain message is no longer taken as an answer
    await bot.send(CHAIR, "2026-12-05 10:00")
    assert await count(bot, Meeting) == 1


async def test_guided_creation_in_another_zone_then_cancelled(bot):
    await bot.send("Bismo Sanyoto", "/newmeeting")
    await bot.send("Bismo Sanyoto", "Asia network")
    [durations] = await bot.send("Bismo Sanyoto", "2026-12-05 10:00 Kathmandu")
    [confirm] = await bot.press("Bismo Sanyoto", durations, durations.button_data("60"))
    assert "10:00 (Kathmandu, UTC+05:45)" in confirm.text
    await bot.press("Bismo Sanyoto", confirm, "nm:cancel")
    assert "nothing was created" in confirm.text
    await bot.send("Bismo Sanyoto", "2026-12-05 10:00")
    assert await count(bot, Meeting) == 0
    [reply] = await bot.send("Samy Arokiasamy", "/newmeeting")
    assert "Only the chair or the secretariat" in reply.text


async def test_rename_by_chair_only_with_valid_title(bot):
    meeting, _ = await create(bot)
    [reply] = await bot.send(CHAIR, f"/renamemeeting #{meeting.id} Comité <b>de pilotage</b> 🌍")
    assert "Comité &lt;b&gt;de pilotage&lt;/b&gt; 🌍" in reply.text
    [refused] = await bot.send("Samy Arokiasamy", f"/renamemeeting {meeting.id} Mine now")
    assert "Only the chair or the secretariat" in refused.text
    [too_long] = await bot.send(CHAIR, f"/renamemeeting {meeting.id} {'x' * 300}")
    assert "too long" in too_long.text
    async with bot.services.db.transaction() as session:
        stored = await session.get(Meeting, meeting.id)
        assert stored.title == "Comité <b>de pilotage</b> 🌍"
        assert stored.sequence == meeting.sequence + 1
