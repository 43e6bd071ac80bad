"""The committee's memory: meeting records (topics, decisions, votes, actions, notes,
attendance) and action items between meetings (a member's personal data: personal_data.py).

Service functions only: no Telegram and no sentences. Problems are :class:`RecordError`
with a ``code`` the handlers turn into a message in the reader's language. Every change is
audited (ids and field names, never text) and action items' reminders are re-planned.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.members import audit
from bot.input.numbers import MAX_ID
from storage.outbox import cancel_pending, enqueue
from bot.services.reminders import ACTION_MORNING, replan_action
from storage.models import (
    ActionItem, AgendaItem, Attendance, Ballot, Decision, Meeting, Member, MinutesSnapshot,
    Note, Vote,
)
from storage.upsert import upsert

MAX_TEXT = 1000
CHOICES = ("yes", "no", "abstain")
ATTENDANCE = ("present", "apologies")
TOPIC_KIND = "topic"
CHAIR_OVERDUE = "action_overdue_chair"
FORMER_MEMBER = "former member #"
"""Prefix of an anonymised member's name (``former member #7``): unique, shown translated."""


class RecordError(Exception):
    """Something the user asked cannot be done; ``code`` says what, for the handler."""

    def __init__(self, code: str, **details: Any):
        super().__init__(code)
        self.code = code
        self.details = details


def is_former(member: Member | None) -> bool:
    return member is not None and not member.active and member.name.startswith(FORMER_MEMBER)


MIN_YEAR = 1900
MAX_YEAR = 2100  # dates typed for actions and searches; others are refused as not valid
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> date | None:
    if not DATE.fullmatch(text.strip()):
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    # 9999-12-31: its reminders overflow; 0001-01-01 east of UTC is before datetime's year 1
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def local_today(now: datetime, zone: str) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


# --- the meeting record ---------------------------------------------------------------------


async def open_record(session: AsyncSession) -> Meeting | None:
    """The meeting whose record is open now (the latest opened, if several)."""
    return await session.scalar(select(Meeting).where(
        Meeting.record_opened_at.is_not(None), Meeting.record_closed_at.is_(None),
    ).order_by(Meeting.record_opened_at.desc(), Meeting.id.desc()).limit(1))


async def default_meeting(session: AsyncSession, now: datetime) -> Meeting | None:
    """The next scheduled meeting whose record was never opened: the one going on or next."""
    rows = await session.scalars(select(Meeting).where(
        Meeting.status == "scheduled", Meeting.record_opened_at.is_(None),
        Meeting.starts_at >= now - timedelta(hours=12),
    ).order_by(Meeting.starts_at, Meeting.id))
    for meeting in rows:
        if meeting.starts_at + timedelta(minutes=meeting.duration_minutes) > now:
            return meeting
    return None


OPEN_EARLY = timedelta(hours=2)
OPEN_LATE = timedelta(hours=12)


def far_from_planned(meeting: Meeting, now: datetime) -> bool:
    """Opening a record more than two hours before the planned start or twelve after the planned
    end is most likely a slip of the meeting number: the chair is asked before the minutes take
    that day. Reopening a record is never asked about."""
    if meeting.record_opened_at is not None or meeting.status == "cancelled":
        return False  # a cancelled meeting is refused as such by start_record
    end = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
    return now < meeting.starts_at - OPEN_EARLY or now > end + OPEN_LATE


async def get_meeting(session: AsyncSession, meeting_id: int | None) -> Meeting | None:
    if meeting_id is None or meeting_id > MAX_ID:
        return None
    return await session.get(Meeting, meeting_id)


async def agenda_items(session: AsyncSession, meeting: Meeting) -> list[AgendaItem]:
    """The items the record walks through: approved ones, in order."""
    return list(await session.scalars(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.status == "approved",
    ).order_by(AgendaItem.position, AgendaItem.id)))


async def current_item(session: AsyncSession, meeting: Meeting) -> AgendaItem | None:
    if meeting.current_item_id is None:
        return None
    return await session.get(AgendaItem, meeting.current_item_id)


async def start_record(session: AsyncSession, meeting: Meeting, actor: Member, now: datetime) -> None:
    """Open ``meeting``'s record; the first agenda item becomes current. A closed record may be
    reopened (to add what was forgotten); another meeting's open record is refused."""
    other = await open_record(session)
    if other is not None and other.id != meeting.id:
        raise RecordError("other_open", meeting_id=other.id)
    if other is not None:
        raise RecordError("already_open", meeting_id=meeting.id)
    if meeting.status == "cancelled":
        raise RecordError("cancelled", meeting_id=meeting.id)
    reopened = meeting.record_opened_at is not None
    if reopened and await session.scalar(select(MinutesSnapshot.adopted_at).where(
            MinutesSnapshot.meeting_id == meeting.id)) is not None:
        raise RecordError("adopted", meeting_id=meeting.id)  # adopted minutes are read-only
    if not reopened:
        meeting.record_opened_at = now
        items = await agenda_items(session, meeting)
        meeting.current_item_id = items[0].id if items else None
    meeting.record_closed_at = None
    await audit(session, actor, "record.reopened" if reopened else "record.opened", "meeting", meeting.id)


async def end_record(session: AsyncSession, meeting: Meeting, actor: Member, now: datetime) -> list[Vote]:
    """Close the record (and any vote still open); returns the votes it closed."""
    closed = []
    for vote in await session.scalars(select(Vote).where(Vote.meeting_id == meeting.id,
                                                         Vote.closed_at.is_(None))):
        vote.closed_at = now
        closed.append(vote)
    meeting.record_closed_at = now
    await audit(session, actor, "record.closed", "meeting", meeting.id, votes_closed=[v.id for v in closed])
    return closed


async def next_item(session: AsyncSession, meeting: Meeting, actor: Member, now: datetime,
                    title: str | None = None) -> tuple[AgendaItem | None, Note | None]:
    """``/next`` (title None): the following agenda item, None after the last. ``/topic``: a new
    item at the end of the agenda (kind ``topic``), recorded by a topic note for /undo."""
    if title is None:
        items = await agenda_items(session, meeting)
        ids = [item.id for item in items]
        if meeting.current_item_id in ids:
            following = items[ids.index(meeting.current_item_id) + 1:]
        else:
            following = items if meeting.current_item_id is None else []
        item = following[0] if following else None
        if item is None:
            return None, None
        meeting.current_item_id = item.id
        await audit(session, actor, "record.next", "meeting", meeting.id, item=item.id)
        return item, None
    last = await session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id))
    item = AgendaItem(meeting_id=meeting.id, position=(last or 0) + 1, title=title[:300],
                      proposed_by_id=actor.id, status="approved", kind=TOPIC_KIND)
    session.add(item)
    await session.flush()
    note = Note(meeting_id=meeting.id, agenda_item_id=item.id, kind=TOPIC_KIND, text=title,
                author_id=actor.id, created_at=now)
    session.add(note)
    meeting.current_item_id = item.id
    await session.flush()
    await audit(session, actor, "record.topic", "note", note.id, meeting=meeting.id, item=item.id)
    return item, note


async def add_decision(session: AsyncSession, meeting: Meeting, actor: Member, text: str,
                       now: datetime) -> tuple[Decision, Vote | None]:
    """A decision on the current item; the item's latest vote not yet attached to a decision
    is attached to it (and closed if still open)."""
    vote = await session.scalar(select(Vote).where(
        Vote.meeting_id == meeting.id, Vote.decision_id.is_(None),
        Vote.agenda_item_id.is_(meeting.current_item_id) if meeting.current_item_id is None
        else Vote.agenda_item_id == meeting.current_item_id,
    ).order_by(Vote.id.desc()).limit(1))
    decision = Decision(meeting_id=meeting.id, agenda_item_id=meeting.current_item_id, text=text,
                        author_id=actor.id, created_at=now)
    session.add(decision)
    await session.flush()
    if vote is not None:
        vote.decision_id = decision.id
        vote.closed_at = vote.closed_at or now
    await audit(session, actor, "decision.recorded", "decision", decision.id, meeting=meeting.id,
                item=meeting.current_item_id, vote=vote.id if vote else None)
    return decision, vote


async def add_note(session: AsyncSession, meeting: Meeting, actor: Member, text: str, now: datetime) -> Note:
    note = Note(meeting_id=meeting.id, agenda_item_id=meeting.current_item_id, kind="info", text=text,
                author_id=actor.id, created_at=now)
    session.add(note)
    await session.flush()
    await audit(session, actor, "note.recorded", "note", note.id, meeting=meeting.id)
    return note


async def add_action(session: AsyncSession, meeting: Meeting | None, actor: Member, owner: Member | None,
                     text: str, due: date | None, now: datetime, offsets: list[timedelta],
                     zone: str) -> ActionItem:
    action = ActionItem(meeting_id=meeting.id if meeting else None,
                        agenda_item_id=meeting.current_item_id if meeting else None,
                        owner_id=owner.id if owner else None, text=text, due_date=due, status="open",
                        author_id=actor.id, created_at=now)
    session.add(action)
    await session.flush()
    await audit(session, actor, "action.recorded", "action", action.id,
                meeting=meeting.id if meeting else None, owner=action.owner_id,
                due=due.isoformat() if due else None)
    await replan(session, action, offsets, zone, now)
    return action


async def replan(session: AsyncSession, action: ActionItem, offsets: list[timedelta], zone: str,
                 now: datetime) -> None:
    """The owner's reminders (:func:`bot.services.reminders.replan_action`), and the chair's notice the
    morning after an open action's due date (committee zone), cancelled once it is done,
    re-dated, reassigned or removed: the renderer also checks the action is still overdue."""
    await replan_action(session, action, offsets, zone, now)
    keep: set[str] = set()
    if action.status == "open" and action.deleted_at is None and action.due_date is not None:
        when = datetime.combine(action.due_date + timedelta(days=1), ACTION_MORNING, ZoneInfo(zone))
        if when > now:
            for chair in await chairs(session):
                if chair.id == action.owner_id:
                    continue  # the owner's own nudge is enough
                key = f"{CHAIR_OVERDUE}:{action.id}:{action.due_date:%Y%m%d}:{chair.id}"
                keep.add(key)
                await enqueue(session, kind=CHAIR_OVERDUE, due_at=when, dedupe_key=key, recipient=chair,
                              ref_type="action", ref_id=action.id,
                              payload={"action_id": action.id, "due": action.due_date.isoformat()})
    await cancel_pending(session, "action", action.id, (CHAIR_OVERDUE,), keep=keep)


# --- votes ------------------------------------------------------------------------------------


async def open_vote(session: AsyncSession, meeting: Meeting, actor: Member, question: str, now: datetime) -> Vote:
    vote = Vote(meeting_id=meeting.id, agenda_item_id=meeting.current_item_id, question=question,
                opened_by_id=actor.id, opened_at=now)
    session.add(vote)
    await session.flush()
    await audit(session, actor, "vote.opened", "vote", vote.id, meeting=meeting.id)
    return vote


async def latest_open_vote(session: AsyncSession, meeting: Meeting) -> Vote | None:
    return await session.scalar(select(Vote).where(Vote.meeting_id == meeting.id, Vote.closed_at.is_(None))
                                .order_by(Vote.id.desc()).limit(1))


async def close_vote(session: AsyncSession, vote: Vote, actor: Member, now: datetime) -> dict[str, int]:
    if vote.closed_at is not None:
        raise RecordError("vote_closed", vote_id=vote.id)
    vote.closed_at = now
    counts = await vote_counts(session, vote.id)
    await audit(session, actor, "vote.closed", "vote", vote.id, **counts)
    return counts


async def cast_ballot(session: AsyncSession, vote: Vote, member: Member, choice: str, now: datetime) -> bool:
    """One ballot per member, changeable until the vote closes; True when it changed a ballot."""
    if choice not in CHOICES:
        raise RecordError("forged")
    if vote.closed_at is not None:
        raise RecordError("vote_closed", vote_id=vote.id)
    changed = await session.scalar(select(Ballot.id).where(Ballot.vote_id == vote.id,
                                                           Ballot.member_id == member.id)) is not None
    await upsert(session, Ballot, [{"vote_id": vote.id, "member_id": member.id, "choice": choice, "cast_at": now}],
                 key=("vote_id", "member_id"), update=("choice", "cast_at"))
    await audit(session, member, "ballot.changed" if changed else "ballot.cast", "vote", vote.id)
    return changed


async def vote_counts(session: AsyncSession, vote_id: int) -> dict[str, int]:
    counts = dict.fromkeys(CHOICES, 0)
    rows = await session.execute(select(Ballot.choice, func.count()).where(Ballot.vote_id == vote_id)
                                 .group_by(Ballot.choice))
    for choice, number in rows:
        if choice in counts:
            counts[choice] = number
    return counts


# --- attendance -------------------------------------------------------------------------------


async def set_attendance(session: AsyncSession, meeting: Meeting, member: Member, status: str,
                         actor: Member) -> None:
    if status not in ATTENDANCE:
        raise RecordError("forged")
    await upsert(session, Attendance, [{"meeting_id": meeting.id, "member_id": member.id, "status": status}],
                 key=("meeting_id", "member_id"), update=("status",))
    await audit(session, actor, "attendance." + status, "meeting", meeting.id, member=member.id)


# --- undo ---------------------------------------------------------------------------------------


@dataclass
class Undone:
    kind: str  # decision | action | info | topic
    id: int
    text: str
    owner_id: int | None = None  # an action's owner, who was told it was theirs


async def undo_last(session: AsyncSession, meeting: Meeting, actor: Member, anyone: bool, now: datetime,
                    offsets: list[timedelta], zone: str) -> Undone | None:
    """Remove (``deleted_at``) the actor's last record in this meeting, or anyone's for the chair."""
    candidates: list[tuple[datetime, int, str, Any]] = []
    for model, kind in ((Decision, "decision"), (ActionItem, "action"), (Note, "note")):
        query = select(model).where(model.meeting_id == meeting.id, model.deleted_at.is_(None))
        if not anyone:
            query = query.where(model.author_id == actor.id)
        row = await session.scalar(query.order_by(model.created_at.desc(), model.id.desc()).limit(1))
        if row is not None:
            candidates.append((row.created_at, row.id, kind, row))
    if not candidates:
        return None
    _at, _id, kind, row = max(candidates, key=lambda c: (c[0], c[1]))
    row.deleted_at = now
    if kind == "decision":
        for vote in await session.scalars(select(Vote).where(Vote.decision_id == row.id)):
            vote.decision_id = None
    elif kind == "action":
        await replan(session, row, offsets, zone, now)
    elif row.kind == TOPIC_KIND:
        kind = TOPIC_KIND
        await _drop_empty_topic(session, meeting, row)
    else:
        kind = "info"
    await audit(session, actor, f"{'note' if kind in ('info', TOPIC_KIND) else kind}.undone",
                "note" if kind in ("info", TOPIC_KIND) else kind, row.id, meeting=meeting.id,
                author=row.author_id)
    return Undone(kind, row.id, row.text, row.owner_id if kind == "action" else None)


async def _drop_empty_topic(session: AsyncSession, meeting: Meeting, note: Note) -> None:
    """A topic undone takes its agenda item away when nothing else was recorded under it."""
    item = await session.get(AgendaItem, note.agenda_item_id) if note.agenda_item_id else None
    if item is None or item.kind != TOPIC_KIND:
        return
    await session.flush()
    for model in (Decision, ActionItem, Note):
        if await session.scalar(select(func.count()).select_from(model).where(
                model.agenda_item_id == item.id, model.deleted_at.is_(None))):
            return
    if await session.scalar(select(func.count()).select_from(Vote).where(Vote.agenda_item_id == item.id)):
        return
    if meeting.current_item_id == item.id:
        items = [i for i in await agenda_items(session, meeting) if i.position < item.position]
        meeting.current_item_id = items[-1].id if items else None
    note.agenda_item_id = None
    await session.flush()
    await session.delete(item)


async def chairs(session: AsyncSession) -> list[Member]:
    return list(await session.scalars(select(Member).where(Member.access == "chair", Member.active.is_(True))
                                      .order_by(Member.id)))
