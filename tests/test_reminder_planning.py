"""Reminder planning: pure plans, then reconciliation with the outbox on both databases."""

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from bot.services.reminders import action_reminder_plan, meeting_reminder_plan, replan_action, replan_meeting
from storage.database import Database
from storage.models import ActionItem, Meeting, Member, OutboxMessage, Rsvp

UTC = timezone.utc
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_meeting_plan_skips_past_offsets():
    start = NOW + 2 * H
    plan = meeting_reminder_plan(7, start, [24 * H, H], [1, 2], NOW)
    assert [(r.recipient_id, r.due_at, r.offset_minutes) for r in plan] == [
        (1, start - H, 60), (2, start - H, 60)]
    assert len({r.dedupe_key for r in plan}) == 2
    assert meeting_reminder_plan(7, NOW - H, [H], [1], NOW) == []


def test_action_plan_is_morning_in_owner_zone_across_dst():
    # Brussels moves to summer time on 2026-03-29: 09:00 local is 08:00 UTC before, 07:00 after.
    plan = action_reminder_plan(3, 9, date(2026, 3, 30), "Europe/Brussels", [48 * H], NOW)
    (kind1, before), (kind2, nudge) = plan
    assert kind1 == "action_reminder" and before.due_at == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    assert kind2 == "action_overdue" and nudge.due_at == datetime(2026, 3, 31, 7, 0, tzinfo=UTC)
    kathmandu = action_reminder_plan(3, 9, date(2026, 3, 30), "Asia/Kathmandu", [48 * H], NOW)
    assert kathmandu[0][1].due_at == datetime(2026, 3, 28, 3, 15, tzinfo=UTC)


async def _pending(db, ref_type, ref_id):
    async with db.transaction() as session:
        rows = await session.scalars(select(OutboxMessage).where(
            OutboxMessage.ref_type == ref_type, OutboxMessage.ref_id == ref_id,
            OutboxMessage.state == "pending").order_by(OutboxMessage.due_at, OutboxMessage.recipient_id))
        return [(r.recipient_id, r.due_at) for r in rows]


async def test_replan_meeting_follows_moves_rsvps_and_cancellation(db_url):
    db = Database(db_url)
    async with db.transaction() as session:
        ana, bob = Member(name="Ana"), Member(name="Bob")
        session.add_all([ana, bob])
        meeting = Meeting(title="Steering", starts_at=NOW + 48 * H, timezone="Europe/Brussels")
        session.add(meeting)
        await replan_meeting(session, meeting, [24 * H, H], NOW)
        await replan_meeting(session, meeting, [24 * H, H], NOW)
        ids = (ana.id, bob.id, meeting.id)
    ana_id, bob_id, meeting_id = ids
    assert len(await _pending(db, "meeting", meeting_id)) == 4
    async with db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        meeting.starts_at = NOW + 72 * H
        session.add(Rsvp(meeting_id=meeting_id, member_id=bob_id, answer="no"))
        await replan_meeting(session, meeting, [24 * H, H], NOW)
    assert await _pending(db, "meeting", meeting_id) == [(ana_id, NOW + 48 * H), (ana_id, NOW + 71 * H)]
    async with db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        meeting.status = "cancelled"
        await replan_meeting(session, meeting, [24 * H, H], NOW)
    assert await _pending(db, "meeting", meeting_id) == []
    await db.dispose()


async def test_replan_action_follows_owner_and_status(db_url):
    db = Database(db_url)
    async with db.transaction() as session:
        ana = Member(name="Ana", timezone="America/Lima")
        session.add(ana)
        action = ActionItem(text="Send the report", due_date=date(2026, 4, 10))
        session.add(action)
        await session.flush()
        action.owner_id = ana.id
        await replan_action(session, action, [48 * H], "Europe/Brussels", NOW)
        action_id = action.id
    assert await _pending(db, "action", action_id) == [
        (ana.id, datetime(2026, 4, 8, 14, 0, tzinfo=UTC)), (ana.id, datetime(2026, 4, 11, 14, 0, tzinfo=UTC))]
    async with db.transaction() as session:
        action = await session.get(ActionItem, action_id)
        action.status = "done"
        await replan_action(session, action, [48 * H], "Europe/Brussels", NOW)
    assert await _pending(db, "action", action_id) == []
    await db.dispose()
