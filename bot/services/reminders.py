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

from bot.domain.durations import parse_duration
from storage.outbox import cancel_pending, enqueue, enqueue_all, owed
from storage.models import ActionItem, AvailabilityPoll, Meeting, Member, OutboxMessage, Rsvp

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
            Member.active.is_(True), Member.reminders_enabled.is_(True)).order_by(Member.id)) if m.id not in declined]
        planned = meeting_reminder_plan(meeting.id, meeting.starts_at, meeting_offsets(meeting, defaults),
                                        recipients, now)
    await enqueue_all(session, [owed(kind=MEETING_REMINDER, due_at=reminder.due_at, dedupe_key=reminder.dedupe_key,
                                     recipient_id=reminder.recipient_id, ref_type="meeting", ref_id=meeting.id,
                                     payload={"offset_minutes": reminder.offset_minutes})
                                for reminder in planned])
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


# --- the chair's weekly digest of overdue action items ---------------------------------

OVERDUE_DIGEST = "overdue_digest"
DIGEST_REF = "digest"
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def next_digest_time(now: datetime, zone: str, day: str, at: str) -> datetime:
    """The first ``day`` at ``at`` (HH:MM, wall clock in ``zone``) strictly after ``now``.

    Wall-clock arithmetic: 09:00 on Monday stays 09:00 across a DST change; a time that does
    not exist that day (a spring-forward gap) is read as zoneinfo does (fold 0, one hour later
    in UTC terms for the gap)."""
    tz = ZoneInfo(zone)
    wanted = WEEKDAY_NAMES.index(day)
    hour, minute = (int(part) for part in at.split(":"))
    local_today = now.astimezone(tz).date()
    for ahead in range(0, 8):
        day_date = local_today + timedelta(days=ahead)
        if day_date.weekday() != wanted:
            continue
        moment = datetime.combine(day_date, time(hour, minute), tz)
        if moment > now:
            return moment
    return datetime.combine(local_today + timedelta(days=7), time(hour, minute), tz)  # pragma: no cover


def digest_key(chair_id: int, moment: datetime, zone: str) -> str:
    return f"{OVERDUE_DIGEST}:{chair_id}:{moment.astimezone(ZoneInfo(zone)):%Y%m%dT%H%M}"


async def plan_digests(session: AsyncSession, day: str, at: str, default_zone: str,
                       now: datetime) -> list[datetime]:
    """Owe every active chair their next weekly digest (one outbox row per chair and week,
    keyed by its local date and time), cancelling digests planned for another moment (the
    configuration or the chair's zone changed) and those of members no longer chair.
    Idempotent: run at start and whenever a digest is sent."""
    chairs = list(await session.scalars(select(Member).where(Member.active.is_(True),
                                                             Member.access == "chair").order_by(Member.id)))
    planned = []
    chair_ids = {chair.id for chair in chairs}
    for chair in chairs:
        zone = chair.timezone or default_zone
        when = next_digest_time(now, zone, day, at)
        key = digest_key(chair.id, when, zone)
        await enqueue(session, kind=OVERDUE_DIGEST, due_at=when, dedupe_key=key, recipient=chair,
                      ref_type=DIGEST_REF, ref_id=chair.id, payload={})
        await cancel_pending(session, DIGEST_REF, chair.id, (OVERDUE_DIGEST,), keep={key})
        planned.append(when)
    stale = await session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == OVERDUE_DIGEST, OutboxMessage.state == "pending"))
    for row in stale:
        if row.ref_id not in chair_ids:
            row.state = "cancelled"
    return planned


# --- a member switching their reminders off and on -------------------------------------

POLL_REMINDER = "poll_reminder"  # planned by bot.services.polls, rendered by the reminders area
MEMBER_REMINDER_KINDS = (MEETING_REMINDER, ACTION_REMINDER, ACTION_OVERDUE, POLL_REMINDER)


async def cancel_member_reminders(session: AsyncSession, member_id: int) -> int:
    """``/reminders off``: cancel every reminder still owed to the member; how many."""
    rows = await session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient_id == member_id, OutboxMessage.kind.in_(MEMBER_REMINDER_KINDS),
        OutboxMessage.state == "pending"))
    cancelled = 0
    for row in rows:
        row.state = "cancelled"
        cancelled += 1
    return cancelled


async def replan_member(session: AsyncSession, member: Member, meeting_defaults: list[timedelta],
                        action_offsets: list[timedelta], default_zone: str, now: datetime) -> int:
    """``/reminders on``: plan again what the member is owed (upcoming meetings, their open
    action items, open polls); how many reminders are now pending for them."""
    meetings = await session.scalars(select(Meeting).where(Meeting.status == "scheduled",
                                                           Meeting.starts_at > now))
    for meeting in list(meetings):
        await replan_meeting(session, meeting, meeting_defaults, now)
    actions = await session.scalars(select(ActionItem).where(ActionItem.owner_id == member.id,
                                                             ActionItem.status == "open"))
    for action in list(actions):
        await replan_action(session, action, action_offsets, default_zone, now)
    polls = await session.execute(select(OutboxMessage, AvailabilityPoll).join(
        AvailabilityPoll, AvailabilityPoll.id == OutboxMessage.ref_id).where(
        OutboxMessage.recipient_id == member.id, OutboxMessage.kind == POLL_REMINDER,
        OutboxMessage.ref_type == "poll", OutboxMessage.state == "cancelled",
        OutboxMessage.due_at > now, AvailabilityPoll.closed_at.is_(None)))
    for row, _poll in polls:
        row.state = "pending"
    await session.flush()
    return len(list(await session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.recipient_id == member.id, OutboxMessage.kind.in_(MEMBER_REMINDER_KINDS),
        OutboxMessage.state == "pending"))))
