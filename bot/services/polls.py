"""Availability polls and the slot finder's inputs from the database: no Telegram, no sentences.

A poll offers a few candidate starts (``PollSlot``); every active member answers each with
``yes``, ``maybe`` (if need be) or ``no`` (``PollAnswer``, one row per slot and member, so an
answer changed replaces the previous one). A poll is open until the chair closes it
(``closed_at``) or its ``closes_at`` passes; answers are refused after that. Each member is owed
one ``poll_reminder`` outbox row 24 h before the poll closes (rendered by the reminders area,
which skips members who already answered); closing the poll cancels the reminders still owed.

The winner is the slot the most members can attend (yes or if need be), then the one with the
most plain yeses, then the earliest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import fair_slots as slots
from storage.outbox import cancel_pending, enqueue
from storage.models import Attendance, AvailabilityPoll, Meeting, Member, PollAnswer, PollSlot
from storage.upsert import upsert

POLL_REMINDER = "poll_reminder"
REMINDER_BEFORE_CLOSE = timedelta(hours=24)
ANSWERS = ("yes", "maybe", "no")

# Limits shared by /findslot and ``main.py slots``.
MIN_DURATION, MAX_DURATION = 15, 480
MIN_DAYS, MAX_DAYS = 1, 31
MIN_STEP, MAX_STEP = 5, 180
MAX_POLL_SLOTS = 8
HISTORY_MEETINGS = 12  # rotation weights decay by half per meeting: older ones no longer matter


# --- the slot finder's inputs ---------------------------------------------------------

def slot_member(member: Member, default_zone: str, default_hours: slots.WorkingHours) -> slots.Member:
    """A roster member as the finder sees them (their zone, else the committee's)."""
    hours = default_hours
    if member.working_hours:
        try:
            hours = slots.WorkingHours.parse(member.working_hours)
        except ValueError:
            hours = default_hours
    return slots.Member(member.name, member.timezone or default_zone, hours, bool(member.night_opt_in))


async def slot_roster(session: AsyncSession, default_zone: str,
                      default_hours: slots.WorkingHours) -> list[tuple[Member, slots.Member]]:
    """Every active member, paired with the finder's view of them, by name."""
    roster = await session.scalars(select(Member).where(Member.active.is_(True)).order_by(Member.name))
    return [(member, slot_member(member, default_zone, default_hours)) for member in roster]


async def meeting_history(session: AsyncSession, now: datetime,
                          limit: int = HISTORY_MEETINGS) -> list[slots.PastMeeting]:
    """Meetings already held (started before ``now``, not cancelled), newest first, with the
    names of those present when attendance was recorded (else everyone is assumed present)."""
    meetings = list(await session.scalars(
        select(Meeting).where(Meeting.starts_at < now, Meeting.status != "cancelled")
        .order_by(Meeting.starts_at.desc()).limit(limit)))
    if not meetings:
        return []
    rows = await session.execute(
        select(Attendance.meeting_id, Attendance.status, Member.name)
        .join(Member, Member.id == Attendance.member_id)
        .where(Attendance.meeting_id.in_([meeting.id for meeting in meetings])))
    recorded: dict[int, set[str]] = {}
    for meeting_id, status, name in rows:
        present = recorded.setdefault(meeting_id, set())
        if status == "present":
            present.add(name)
    return [slots.PastMeeting(meeting.starts_at, max(1, meeting.duration_minutes or 1),
                              frozenset(recorded[meeting.id]) if meeting.id in recorded else None)
            for meeting in meetings]


def window_is_valid(first: date, days: int, duration: int, step: int = 15) -> bool:
    return (MIN_DAYS <= days <= MAX_DAYS and MIN_DURATION <= duration <= MAX_DURATION
            and MIN_STEP <= step <= MAX_STEP and first.year >= 2000)


def spread(candidates: Sequence[slots.SlotCandidate], count: int,
           now: datetime | None = None) -> list[slots.SlotCandidate]:
    """The best ``count`` candidates that do not overlap one another (and start after ``now``):
    a ranking's next entries are usually the best one shifted by a quarter of an hour."""
    chosen: list[slots.SlotCandidate] = []
    for candidate in candidates:
        if now is not None and candidate.start_utc <= now:
            continue
        if any(candidate.start_utc < other.end_utc and other.start_utc < candidate.end_utc for other in chosen):
            continue
        chosen.append(candidate)
        if len(chosen) == count:
            break
    return chosen


# --- polls ---------------------------------------------------------------------------

class AnswerOutcome(Enum):
    RECORDED = "recorded"
    CLOSED = "closed"
    UNKNOWN_SLOT = "unknown_slot"
    INVALID = "invalid"


class CloseOutcome(Enum):
    CLOSED = "closed"
    ALREADY_CLOSED = "already_closed"


@dataclass
class SlotTally:
    slot: PollSlot
    yes: list[str] = field(default_factory=list)
    maybe: list[str] = field(default_factory=list)
    no: list[str] = field(default_factory=list)

    @property
    def can_attend(self) -> int:
        return len(self.yes) + len(self.maybe)


@dataclass
class PollTally:
    poll: AvailabilityPoll
    slots: list[SlotTally]
    respondents: list[Member]
    non_respondents: list[Member]

    @property
    def winner(self) -> SlotTally | None:
        answered = [entry for entry in self.slots if entry.yes or entry.maybe]
        if not answered:
            return None
        return min(answered, key=lambda entry: (-entry.can_attend, -len(entry.yes), entry.slot.starts_at,
                                                entry.slot.id))


def is_open(poll: AvailabilityPoll, now: datetime) -> bool:
    return poll.closed_at is None and (poll.closes_at is None or now < poll.closes_at)


def default_closing(now: datetime, starts: Sequence[datetime]) -> datetime | None:
    """Three days to answer, but closed two hours before the earliest candidate; None when
    that leaves less than an hour (too late for a poll)."""
    closes = min(now + timedelta(days=3), min(starts) - timedelta(hours=2))
    return closes if closes >= now + timedelta(hours=1) else None


async def open_poll(session: AsyncSession, *, title: str, duration_minutes: int, starts: Sequence[datetime],
                    created_by: Member | None, closes_at: datetime, now: datetime,
                    recipients: Sequence[Member]) -> AvailabilityPoll:
    """Create the poll and its slots (in time order), and owe each recipient a reminder 24 h
    before it closes (none when that moment has already passed)."""
    if not starts or len(starts) > MAX_POLL_SLOTS or len(set(starts)) != len(starts):
        raise ValueError("a poll needs between 1 and 8 distinct candidates")
    if not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        raise ValueError("duration out of range")
    poll = AvailabilityPoll(title=title, duration_minutes=duration_minutes,
                            created_by_id=created_by.id if created_by else None, closes_at=closes_at,
                            created_at=now)
    session.add(poll)
    await session.flush()
    for start in sorted(starts):
        session.add(PollSlot(poll_id=poll.id, starts_at=start))
    await session.flush()
    due = closes_at - REMINDER_BEFORE_CLOSE
    if due > now:
        for member in recipients:
            await enqueue(session, kind=POLL_REMINDER, due_at=due,
                          dedupe_key=f"{POLL_REMINDER}:{poll.id}:{member.id}", recipient=member,
                          ref_type="poll", ref_id=poll.id, payload={"poll_id": poll.id})
    return poll


async def get_poll(session: AsyncSession, poll_id: int) -> AvailabilityPoll | None:
    return await session.get(AvailabilityPoll, poll_id)


async def poll_slots(session: AsyncSession, poll_id: int) -> list[PollSlot]:
    return list(await session.scalars(select(PollSlot).where(PollSlot.poll_id == poll_id)
                                      .order_by(PollSlot.starts_at, PollSlot.id)))


async def recent_polls(session: AsyncSession, limit: int = 10) -> list[AvailabilityPoll]:
    return list(await session.scalars(select(AvailabilityPoll).order_by(AvailabilityPoll.id.desc()).limit(limit)))


async def member_answers(session: AsyncSession, poll_id: int, member_id: int) -> dict[int, str]:
    """``{slot id: answer}`` of one member in one poll."""
    rows = await session.execute(select(PollAnswer.slot_id, PollAnswer.answer)
                                 .join(PollSlot, PollSlot.id == PollAnswer.slot_id)
                                 .where(PollSlot.poll_id == poll_id, PollAnswer.member_id == member_id))
    return {slot_id: answer for slot_id, answer in rows}


async def record_answer(session: AsyncSession, poll: AvailabilityPoll, slot_id: int, member: Member,
                        answer: str, now: datetime) -> AnswerOutcome:
    """The member's answer for one slot, replacing any earlier one."""
    if answer not in ANSWERS:
        return AnswerOutcome.INVALID
    if not is_open(poll, now):
        return AnswerOutcome.CLOSED
    slot = await session.get(PollSlot, slot_id)
    if slot is None or slot.poll_id != poll.id:
        return AnswerOutcome.UNKNOWN_SLOT
    await upsert(session, PollAnswer, [{"slot_id": slot_id, "member_id": member.id, "answer": answer,
                                        "updated_at": now}], key=("slot_id", "member_id"), update=("answer", "updated_at"))
    return AnswerOutcome.RECORDED


async def tally(session: AsyncSession, poll: AvailabilityPoll) -> PollTally:
    """Counts and names per slot, and who among the active members has not answered at all."""
    entries = [SlotTally(slot) for slot in await poll_slots(session, poll.id)]
    by_slot = {entry.slot.id: entry for entry in entries}
    roster = list(await session.scalars(select(Member).where(Member.active.is_(True)).order_by(Member.name)))
    rows = await session.execute(select(PollAnswer.slot_id, PollAnswer.answer, Member.id, Member.name)
                                 .join(Member, Member.id == PollAnswer.member_id)
                                 .where(PollAnswer.slot_id.in_(list(by_slot) or [-1]))
                                 .order_by(Member.name))
    answered: set[int] = set()
    for slot_id, answer, member_id, name in rows:
        answered.add(member_id)
        getattr(by_slot[slot_id], answer if answer in ANSWERS else "no").append(name)
    return PollTally(poll, entries, [m for m in roster if m.id in answered],
                     [m for m in roster if m.id not in answered])


async def close_poll(session: AsyncSession, poll: AvailabilityPoll, now: datetime) -> CloseOutcome:
    """Stop answers and cancel the reminders still owed."""
    if poll.closed_at is not None:
        return CloseOutcome.ALREADY_CLOSED
    poll.closed_at = now
    await cancel_pending(session, "poll", poll.id, (POLL_REMINDER,))
    return CloseOutcome.CLOSED


async def attach_meeting(session: AsyncSession, poll: AvailabilityPoll, meeting: Meeting, now: datetime) -> None:
    """The meeting created from the poll's winner (closing the poll if it was still open)."""
    await close_poll(session, poll, now)
    poll.meeting_id = meeting.id

