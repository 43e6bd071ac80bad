"""Reminders through the real Application and dispatcher (tests/harness.py), on both databases:
each member's language and zone, DST, moves, cancellation, downtime, /reminders, the chair's
commands, action items, polls, the weekly digest and unreachable members."""

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from bot.services.polls import open_poll
from bot.services.reminders import OVERDUE_DIGEST, plan_digests, replan_action, replan_meeting
from storage.models import ActionItem, AgendaItem, Meeting, Member, OutboxMessage, PollAnswer, PollSlot, Rsvp

UTC = timezone.utc
H = timedelta(hours=1)
OFFSETS = [24 * H, H]


async def _meeting(bot, starts_at: datetime, title: str = "Steering committee", *, offsets=OFFSETS,
                   declined: tuple[str, ...] = (), link: str | None = "https://meet.example/inspir") -> int:
    async with bot.services.db.transaction() as session:
        meeting = Meeting(title=title, starts_at=starts_at, timezone="Europe/Brussels", link=link)
        session.add(meeting)
        await session.flush()
        session.add_all([AgendaItem(meeting_id=meeting.id, position=1, title="Budget <2027>", status="approved"),
                         AgendaItem(meeting_id=meeting.id, position=2, title="Secret idea", status="proposed")])
        for name in declined:
            member = await session.scalar(select(Member).where(Member.name == name))
            session.add(Rsvp(meeting_id=meeting.id, member_id=member.id, answer="no"))
        await replan_meeting(session, meeting, offsets, bot.clock.now)
        return meeting.id


async def _change(bot, meeting_id: int, **values) -> None:
    async with bot.services.db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        for key, value in values.items():
            setattr(meeting, key, value)
        await replan_meeting(session, meeting, OFFSETS, bot.clock.now)


def _to(bot, messages, name: str):
    chat = bot.person(name).telegram_id
    return [m for m in messages if m.chat_id == chat]


async def _states(bot, kind: str) -> dict[str, int]:
    async with bot.services.db.transaction() as session:
        rows = await session.scalars(select(OutboxMessage.state).where(OutboxMessage.kind == kind))
        counts: dict[str, int] = {}
        for state in rows:
            counts[state] = counts.get(state, 0) + 1
        return counts


async def test_meeting_reminder_in_each_language_and_zone_rendered_at_send_time(bot):
    start = bot.clock.now + 48 * H
    meeting_id = await _meeting(bot, start, declined=("Ángeles Carrión",))
    bot.clock.advance(24 * H - timedelta(minutes=1))
    assert await bot.dispatch() == []
    bot.clock.advance(timedelta(minutes=1))
    sent = await bot.dispatch()
    assert len(sent) == 12  # 13 members, one declined
    assert _to(bot, sent, "Ángeles Carrión") == []
    (samy,) = _to(bot, sent, "Samy Arokiasamy")
    assert "Reminder: Steering committee" in samy.text and "starts in 1 day" in samy.text
    assert "(Kolkata, UTC+05:30)" in samy.text and "14:30" in samy.text  # 09:00 UTC
    assert "https://meet.example/inspir" in samy.text
    assert "Budget &lt;2027&gt;" in samy.text and "Secret idea" not in samy.text
    assert samy.button_data("yes") == f"rsvp:{meeting_id}:yes"
    assert {b["callback_data"] for b in samy.buttons[0]} == {f"rsvp:{meeting_id}:{a}" for a in ("yes", "no", "maybe")}
    assert samy.parse_mode == "HTML"
    (ingrid,) = _to(bot, sent, "Ingrid Mulamba")
    assert "Rappel" in ingrid.text and "(Kinshasa, UTC+01:00)" in ingrid.text and "10:00" in ingrid.text
    (mary,) = _to(bot, sent, "Mary Karol Luna")
    assert "Recordatorio" in mary.text and "(Guatemala, UTC-06:00)" in mary.text and "03:00" in mary.text
    # Renamed, and Ingrid now reads English: the next reminder shows both.
    await _change(bot, meeting_id, title="Steering committee (budget)")
    await bot.send("Ingrid", "/lang en")
    bot.clock.advance(23 * H)
    sent = await bot.dispatch()
    (ingrid,) = _to(bot, sent, "Ingrid Mulamba")
    assert "Reminder: Steering committee (budget)" in ingrid.text and "starts in 1 hour" in ingrid.text
    assert await _states(bot, "meeting_reminder") == {"sent": 24}


async def test_offsets_across_the_brussels_dst_changes(bot):
    # Spring: 2026-03-29. Meeting Monday 30 March 10:00 Brussels (CEST) = 08:00 UTC; 2 days before is
    # 48 hours before: Saturday 08:00 UTC, when Brussels is still on CET (09:00 local).
    bot.clock.now = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    start = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    await _meeting(bot, start, offsets=[48 * H])
    bot.clock.now = datetime(2026, 3, 28, 7, 59, tzinfo=UTC)
    assert await bot.dispatch() == []
    bot.clock.now = datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    sent = await bot.dispatch()
    (santiago,) = _to(bot, sent, "Santiago Fischer")
    assert "10:00 (Brussels, UTC+02:00)" in santiago.text and "starts in 2 days" in santiago.text
    (elly,) = _to(bot, sent, "Elly Rosita Silaban")
    assert "15:00 (Jakarta, UTC+07:00)" in elly.text
    # Autumn: 2026-10-25. Meeting Monday 26 October 10:00 Brussels (CET) = 09:00 UTC, 1 day before.
    bot.clock.now = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    await _meeting(bot, datetime(2026, 10, 26, 9, 0, tzinfo=UTC), "Autumn", offsets=[24 * H])
    bot.clock.now = datetime(2026, 10, 25, 9, 0, tzinfo=UTC)
    sent = await bot.dispatch()
    (santiago,) = _to(bot, sent, "Santiago Fischer")
    assert "10:00 (Brussels, UTC+01:00)" in santiago.text
    (samy,) = _to(bot, sent, "Samy Arokiasamy")
    assert "14:30 (Kolkata, UTC+05:30)" in samy.text


async def test_meeting_moved_twice_then_cancelled_reminders_follow(bot):
    now = bot.clock.now
    meeting_id = await _meeting(bot, now + 48 * H, offsets=OFFSETS)
    await _change(bot, meeting_id, starts_at=now + 72 * H)
    await _change(bot, meeting_id, starts_at=now + 30 * H)
    bot.clock.advance(6 * H)  # the latest plan's 24 h reminder
    sent = await bot.dispatch()
    assert len(sent) == 13 and all("starts in 1 day" in m.text or "dans 1 jour" in m.text
                                   or "en 1 día" in m.text for m in sent)
    bot.clock.advance(18 * H)  # the first plan's 24 h reminder would have been due now
    assert await bot.dispatch() == []
    bot.clock.advance(5 * H)  # the latest plan's 1 h reminder
    sent = await bot.dispatch()
    assert len(sent) == 13 and "starts in 1 hour" in _to(bot, sent, "Samy Arokiasamy")[0].text
    bot.clock.advance(19 * H)  # the second plan's 24 h reminder would have been due now
    assert await bot.dispatch() == []
    later = await _meeting(bot, bot.clock.now + 10 * H, "Later")
    await _change(bot, later, status="cancelled")
    bot.clock.advance(10 * H)
    assert await bot.dispatch() == []


async def test_downtime_late_reminders_sent_with_a_mark_missed_ones_not_sent(bot):
    now = bot.clock.now
    ahead = await _meeting(bot, now + 3 * H, "Still ahead", offsets=[2 * H])
    started = await _meeting(bot, now + 90 * timedelta(minutes=1), "Already started", offsets=[H])
    bot.clock.advance(2 * H)  # the bot was down for two hours
    sent = await bot.dispatch()
    assert len(sent) == 13 and all("Still ahead" in m.text for m in sent)
    (samy,) = _to(bot, sent, "Samy Arokiasamy")
    assert "late" in samy.text and "starts in 1 hour" in samy.text
    async with bot.services.db.transaction() as session:
        states = {ref: set(await session.scalars(select(OutboxMessage.state).where(
            OutboxMessage.ref_id == ref, OutboxMessage.ref_type == "meeting"))) for ref in (ahead, started)}
    assert states == {ahead: {"sent"}, started: {"missed"}}


async def test_reminders_off_and_on(bot):
    meeting_id = await _meeting(bot, bot.clock.now + 48 * H)
    reply = await bot.send("Samy", "/reminders off")
    assert "2 pending reminders were cancelled" in reply[0].text
    bot.clock.advance(24 * H)
    assert _to(bot, await bot.dispatch(), "Samy Arokiasamy") == []
    reply = await bot.send("Samy", "/reminders on")
    assert "1 reminder is planned" in reply[0].text
    bot.clock.advance(23 * H)
    (samy,) = _to(bot, await bot.dispatch(), "Samy Arokiasamy")
    assert f"#{meeting_id}" in samy.text
    reply = await bot.send("Samy", "/reminders")
    assert "Your reminders are on" in reply[0].text


async def test_chair_sets_a_meetings_offsets(bot):
    meeting_id = await _meeting(bot, bot.clock.now + 72 * H)
    refused = await bot.send("Samy", f"/meetingreminders {meeting_id} 2d")
    assert "Only the chair" in refused[0].text
    reply = await bot.send("Bart", f"/meetingreminders {meeting_id} 3h 2d")
    assert "2d, 3h" in reply[0].text and "26 reminders are planned" in reply[0].text
    async with bot.services.db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        assert meeting.reminder_offsets == ["2d", "3h"]
        dues = set(await session.scalars(select(OutboxMessage.due_at).where(
            OutboxMessage.ref_id == meeting_id, OutboxMessage.state == "pending")))
    start = bot.clock.now + 72 * H
    assert dues == {start - 48 * H, start - 3 * H}
    reply = await bot.send("Bart", f"/meetingreminders {meeting_id} default")
    assert "1d, 1h" in reply[0].text and "default" in reply[0].text
    for bad in (f"/meetingreminders {meeting_id} soon", "/meetingreminders x 2d",
                f"/meetingreminders {meeting_id} 40d", "/meetingreminders 999 2d"):
        reply = await bot.send("Bart", bad)
        assert "Usage" in reply[0].text or "30 days" in reply[0].text or "no meeting" in reply[0].text


async def test_action_reminder_overdue_nudge_and_done(bot):
    samy = await bot.member("Samy")
    async with bot.services.db.transaction() as session:
        first = ActionItem(text="Send the <budget>", owner_id=samy.id, due_date=date(2026, 11, 27))
        second = ActionItem(text="Book the room", owner_id=samy.id, due_date=date(2026, 11, 27))
        session.add_all([first, second])
        await session.flush()
        for action in (first, second):
            await replan_action(session, action, [48 * H], "Europe/Brussels", bot.clock.now)
        ids = first.id, second.id
    # 09:00 in Kolkata on the 25th (48 h before the due morning) = 03:30 UTC.
    bot.clock.now = datetime(2026, 11, 25, 3, 30, tzinfo=UTC)
    sent = _to(bot, await bot.dispatch(), "Samy Arokiasamy")
    assert len(sent) == 2 and "Send the &lt;budget&gt;" in sent[0].text and f"/done {ids[0]}" in sent[0].text
    async with bot.services.db.transaction() as session:
        (await session.get(ActionItem, ids[1])).status = "done"
    bot.clock.now = datetime(2026, 11, 28, 3, 30, tzinfo=UTC)
    (nudge,) = _to(bot, await bot.dispatch(), "Samy Arokiasamy")
    assert f"#{ids[0]} is overdue" in nudge.text


async def test_poll_reminder_only_for_members_who_have_not_answered(bot):
    async with bot.services.db.transaction() as session:
        roster = list(await session.scalars(select(Member)))
        poll = await open_poll(session, title="December meeting", duration_minutes=60,
                               starts=[bot.clock.now + 96 * H, bot.clock.now + 100 * H], created_by=None,
                               closes_at=bot.clock.now + 72 * H, now=bot.clock.now, recipients=roster)
        poll_id = poll.id
    async with bot.services.db.transaction() as session:
        slot = await session.scalar(select(PollSlot).where(PollSlot.poll_id == poll_id).limit(1))
        samy = await session.scalar(select(Member).where(Member.name == "Samy Arokiasamy"))
        session.add(PollAnswer(slot_id=slot.id, member_id=samy.id, answer="yes"))
    bot.clock.advance(48 * H)
    sent = await bot.dispatch()
    assert len(sent) == 12 and _to(bot, sent, "Samy Arokiasamy") == []
    (mary,) = _to(bot, sent, "Mary Karol Luna")
    assert "December meeting" in mary.text and mary.buttons[0][0]["callback_data"].startswith(f"poll:a:{poll_id}:")
    assert (await _states(bot, "poll_reminder")) == {"sent": 12, "cancelled": 1}


async def test_weekly_digest_for_the_chair_replanned_when_sent(bot):
    samy = await bot.member("Samy")
    settings = bot.services.settings.reminders
    async with bot.services.db.transaction() as session:
        session.add(ActionItem(text="Overdue report", owner_id=samy.id, due_date=date(2026, 11, 20)))
        await plan_digests(session, settings.digest_day, settings.digest_time, "Europe/Brussels", bot.clock.now)
        await plan_digests(session, settings.digest_day, settings.digest_time, "Europe/Brussels", bot.clock.now)
    async with bot.services.db.transaction() as session:
        (row,) = await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == OVERDUE_DIGEST))
    assert row.due_at == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 09:00 in Brussels
    bot.clock.now = row.due_at
    (digest,) = await bot.dispatch()
    assert digest.chat_id == bot.person("Bart").telegram_id
    assert "1 overdue action item" in digest.text and "Samy Arokiasamy" in digest.text and "10 days late" in digest.text
    async with bot.services.db.transaction() as session:
        pending = list(await session.scalars(select(OutboxMessage.due_at).where(
            OutboxMessage.kind == OVERDUE_DIGEST, OutboxMessage.state == "pending")))
    assert pending == [datetime(2026, 12, 7, 8, 0, tzinfo=UTC)]


async def test_blocked_member_is_marked_unreachable_chair_told_and_cleared_by_their_next_message(bot):
    samy = bot.person("Samy")
    bot.api.blocked_chats.add(samy.telegram_id)
    await _meeting(bot, bot.clock.now + 2 * H, offsets=[H])
    bot.clock.advance(H)
    sent = await bot.dispatch()
    assert len(sent) == 12
    assert (await bot.member("Samy")).unreachable_since == bot.clock.now
    bot.clock.advance(timedelta(minutes=1))
    (report,) = await bot.dispatch()
    assert report.chat_id == bot.person("Bart").telegram_id and "Samy Arokiasamy" in report.text
    status = await bot.send("Bart", "/reminders status")
    assert "Samy Arokiasamy" in status[0].text and "sent: 13" in status[0].text
    assert "Only the chair or the secretariat" in (await bot.send("Elly", "/reminders status"))[0].text
    bot.api.blocked_chats.discard(samy.telegram_id)
    await bot.send("Samy", "/meetings", group=True)  # the group proves nothing of the private chat
    assert (await bot.member("Samy")).unreachable_since is not None
    await bot.send("Samy", "/reminders")
    assert (await bot.member("Samy")).unreachable_since is None


async def test_no_reminder_of_a_meeting_already_held_early(bot):
    meeting_id = await _meeting(bot, bot.clock.now + 5 * H, offsets=[H])
    await bot.start_meeting("Bart", "/startmeeting", group=True)  # held four hours early
    await bot.send("Bart", "/endmeeting", group=True)
    bot.clock.advance(4 * H)
    assert [m for m in await bot.dispatch() if "Reminder" in m.text] == []
    async with bot.services.db.reading() as session:
        states = set(await session.scalars(select(OutboxMessage.state).where(
            OutboxMessage.kind == "meeting_reminder", OutboxMessage.ref_id == meeting_id)))
    assert states == {"cancelled"}


async def test_poll_reminders_are_not_sent_to_members_who_chose_less(bot):
    await bot.send("Samy", "/notify important")
    await bot.send("Ingrid", "/notify résumé 7h")
    async with bot.services.db.transaction() as session:
        roster = list(await session.scalars(select(Member)))
        await open_poll(session, title="December meeting", duration_minutes=60,
                        starts=[bot.clock.now + 96 * H, bot.clock.now + 100 * H], created_by=None,
                        closes_at=bot.clock.now + 72 * H, now=bot.clock.now, recipients=roster)
    bot.clock.advance(48 * H)
    sent = await bot.dispatch()
    assert _to(bot, sent, "Samy Arokiasamy") == [] and _to(bot, sent, "Ingrid Mulamba") == []
    assert len(_to(bot, sent, "Mary Karol Luna")) == 1
    assert (await _states(bot, "poll_reminder")) == {"sent": 11, "cancelled": 2}
