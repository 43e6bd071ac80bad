"""Which reminders are owed, reconciled with the outbox whenever a meeting or action changes.

Planning is pure (:func:`meeting_reminder_plan`, :func:`action_reminder_plan`); the
``replan_*`` functions compare the plan with the outbox rows of the same meeting or action,
in the caller's transaction: missing rows are added, rows no longer planned are cancelled.
A reminder's key contains the time it reminds of, so a moved meeting gets new reminders and
the old ones are cancelled, and planning twice never doubles anything.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.durations import parse_duration
from bot.outbox import cancel_pending, enqueue
from storage.models import ActionItem, Meeting, Member, Rsvp

MEETING_REMINDER = "meeting_reminder"
ACTION_REMINDER = "action_reminder"
ACTION_OVERDUE = "action_overdue"
ACTION_MORNING = time(9, 0)


@dataclass(frozen=True)
class PlannedReminder:
    recipient_id: int
    due_at: datetime
    dedupe_key: str
    offset_minutes: int


def meeting_reminder_plan(meeting_id: int, starts_at: datetime, offsets: list[timedelta],
                          recipient_ids: list[int], now: datetime) -> list[PlannedReminder]:
    """One reminder per recipient and offset, except those whose time has already passed."""
    stamp = f"{starts_at:%Y%m%dT%H%MZ}"
    plan = []
    for offset in offsets:
        due = starts_at - offset
        if due <= now or starts_at <= now:
            continue
        minutes = int(offset.total_seconds() // 60)
        for recipient in recipient_ids:
            plan.append(PlannedReminder(recipient, due, f"{MEETING_REMINDER}:{meeting_id}:{stamp}:{minutes}:{recipient}",
                                        minutes))
    return plan


def action_reminder_plan(action_id: int, owner_id: int, due: date, owner_zone: str,
                         offsets: list[timedelta], now: datetime) -> list[tuple[str, PlannedReminder]]:
    """Reminders before an action falls due, and one nudge the morning after: at 09:00 in the
    owner's zone, so nobody is reminded at night. Returns (kind, reminder) pairs."""
    zone = ZoneInfo(owner_zone)
    due_morning = datetime.combine(due, ACTION_MORNING, zone)
    plan = []
    for offset in offsets:
        when = due_morning - offset
        if when > now:
            minutes = int(offset.total_seconds() // 60)
            plan.append((ACTION_REMINDER, PlannedReminder(
                owner_id, when, f"{ACTION_REMINDER}:{action_id}:{due:%Y%m%d}:{minutes}:{owner_id}", minutes)))
    nudge = datetime.combine(due + timedelta(days=1), ACTION_MORNING, zone)
    if nudge > now:
        plan.append((ACTION_OVERDUE, PlannedReminder(
            owner_id, nudge, f"{ACTION_OVERDUE}:{action_id}:{due:%Y%m%d}:{owner_id}", 0)))
    return plan


def meeting_offsets(meeting: Meeting, defaults: list[timedelta]) -> list[timedelta]:
    """The chair's per-meeting offsets when set, else the configured ones."""
    if meeting.reminder_offsets:
        return [parse_duration(text) for text in meeting.reminder_offsets]
    return list(defaults)


async def replan_meeting(session: AsyncSession, meeting: Meeting, defaults: list[timedelta],
                         now: datetime) -> None:
    """Bring the meeting's pending reminders in line with its time, status and RSVPs."""
    await session.flush()
    planned: list[PlannedReminder] = []
    if meeting.status == "scheduled":
        declined = set(await session.scalars(select(Rsvp.member_id).where(
            Rsvp.meeting_id == meeting.id, Rsvp.answer == "no")))
        recipients = [m.id for m in await session.scalars(select(Member).where(
            Member.active.is_(True), Member.reminders_enabled.is_(True))) if m.id not in declined]
        planned = meeting_reminder_plan(meeting.id, meeting.starts_at, meeting_offsets(meeting, defaults),
                                        recipients, now)
    for reminder in planned:
        await enqueue(session, kind=MEETING_REMINDER, due_at=reminder.due_at, dedupe_key=reminder.dedupe_key,
                      recipient=await session.get(Member, reminder.recipient_id),
                      ref_type="meeting", ref_id=meeting.id,
                      payload={"offset_minutes": reminder.offset_minutes})
    await cancel_pending(session, "meeting", meeting.id, (MEETING_REMINDER,),
                         keep={r.dedupe_key for r in planned})


async def replan_action(session: AsyncSession, action: ActionItem, offsets: list[timedelta],
                        default_zone: str, now: datetime) -> None:
    """Bring an action item's pending reminders in line with its owner, due date and status."""
    await session.flush()
    planned: list[tuple[str, PlannedReminder]] = []
    owner = await session.get(Member, action.owner_id) if action.owner_id else None
    if (action.status == "open" and action.deleted_at is None and action.due_date is not None
            and owner is not None and owner.active and owner.reminders_enabled):
        planned = action_reminder_plan(action.id, owner.id, action.due_date,
                                       owner.timezone or default_zone, offsets, now)
    for kind, reminder in planned:
        await enqueue(session, kind=kind, due_at=reminder.due_at, dedupe_key=reminder.dedupe_key,
                      recipient=owner, ref_type="action", ref_id=action.id,
                      payload={"offset_minutes": reminder.offset_minutes})
    await cancel_pending(session, "action", action.id, (ACTION_REMINDER, ACTION_OVERDUE),
                         keep={r.dedupe_key for _, r in planned})
