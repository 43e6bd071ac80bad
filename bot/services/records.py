"""The committee's memory: meeting records (topics, decisions, votes, actions, notes,
attendance), action items between meetings, and a member's personal data (GDPR).

Service functions only: no Telegram and no sentences. Problems are :class:`RecordError`
with a ``code`` the handlers turn into a message in the reader's language. Every change is
audited (ids and field names, never text) and action items' reminders are re-planned.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.members import audit, forgotten_key
from bot.domain.names import fold
from bot.input.numbers import MAX_ID, parse_id
from storage.outbox import cancel_pending, enqueue
from bot.services.reminders import ACTION_MORNING, replan_action
from storage.models import (
    ActionItem, AgendaItem, Attendance, AuditEntry, Ballot, Decision, Invite, Meeting, Member, MinutesSnapshot,
    Note, OutboxMessage, PollAnswer, Rsvp, Vote,
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
    if meeting.record_opened_at is not None:
        return False
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


# --- between meetings -------------------------------------------------------------------------


T = TypeVar("T")


@dataclass
class Found(Generic[T]):
    """The first ``limit`` matches, and how many there are in all."""

    total: int
    items: list[T]


async def search_decisions(session: AsyncSession, query: str, committee_zone: str,
                           limit: int) -> Found[Decision]:
    """By words (accents and case ignored), ``#12``/``12`` (a decision or meeting number) or a
    date ``YYYY-MM-DD`` (the meeting's day, or the decision's, in the committee's zone), newest
    first. Only the page shown is loaded: the record grows for years."""
    live = Decision.deleted_at.is_(None)
    query = query.strip()
    number = parse_id(query) if query else None
    day = parse_date(query) if query and number is None else None
    if not query:
        condition = live
    elif number is not None:
        condition = live & or_(Decision.id == number, Decision.meeting_id == number)
    elif day is not None:
        zone = ZoneInfo(committee_zone)
        start = datetime.combine(day, time(0), zone)
        end = datetime.combine(day + timedelta(days=1), time(0), zone)
        on_day = select(Meeting.id).where(Meeting.starts_at >= start, Meeting.starts_at < end)
        condition = live & or_(Decision.created_at.between(start, end - timedelta(microseconds=1)),
                               Decision.meeting_id.in_(on_day))
    else:
        words = fold(query).split()
        rows = await session.execute(select(Decision.id, Decision.text).where(live))
        matching = [row_id for row_id, text in rows if all(w in fold(text) for w in words)]
        condition = Decision.id.in_(matching)
    total = await session.scalar(select(func.count()).select_from(Decision).where(condition)) or 0
    items = list(await session.scalars(select(Decision).where(condition)
                                       .order_by(Decision.created_at.desc(), Decision.id.desc()).limit(limit)))
    return Found(total, items)


async def get_action(session: AsyncSession, action_id: int | None) -> ActionItem | None:
    if action_id is None or action_id > MAX_ID:
        return None
    action = await session.get(ActionItem, action_id)
    return action if action is not None and action.deleted_at is None else None


async def get_decision(session: AsyncSession, decision_id: int | None) -> Decision | None:
    if decision_id is None or decision_id > MAX_ID:
        return None
    decision = await session.get(Decision, decision_id)
    return decision if decision is not None and decision.deleted_at is None else None


def _actions_where(owner: Member | None, status: str | None, overdue_on: date | None):  # type: ignore[no-untyped-def]
    condition = ActionItem.deleted_at.is_(None)
    if owner is not None:
        condition &= ActionItem.owner_id == owner.id
    if status is not None:
        condition &= ActionItem.status == status
    if overdue_on is not None:
        condition &= (ActionItem.status == "open") & (ActionItem.due_date < overdue_on)
    return condition


async def list_actions(session: AsyncSession, *, owner: Member | None = None, status: str | None = "open",
                       overdue_on: date | None = None, limit: int | None = None) -> list[ActionItem]:
    query = (select(ActionItem).where(_actions_where(owner, status, overdue_on))
             .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id).limit(limit))
    return list(await session.scalars(query))


async def find_actions(session: AsyncSession, *, limit: int, owner: Member | None = None,
                       status: str | None = "open", overdue_on: date | None = None) -> Found[ActionItem]:
    """The first ``limit`` action items (soonest due first), and how many there are in all."""
    total = await session.scalar(select(func.count()).select_from(ActionItem).where(
        _actions_where(owner, status, overdue_on))) or 0
    return Found(total, await list_actions(session, owner=owner, status=status, overdue_on=overdue_on,
                                           limit=limit))


def may_change(action: ActionItem, member: Member) -> bool:
    """The owner, the author, the chair and the secretariat may change an action item."""
    return member.access in ("chair", "secretariat") or member.id in (action.owner_id, action.author_id)


async def set_status(session: AsyncSession, action: ActionItem, status: str, actor: Member, now: datetime,
                     offsets: list[timedelta], zone: str) -> None:
    if action.status == status:
        raise RecordError("same_status", action_id=action.id)
    action.status = status
    action.done_at = now if status == "done" else None
    await audit(session, actor, "action.done" if status == "done" else "action.reopened", "action", action.id)
    await replan(session, action, offsets, zone, now)


async def set_due(session: AsyncSession, action: ActionItem, due: date | None, actor: Member, now: datetime,
                  offsets: list[timedelta], zone: str) -> None:
    before = action.due_date
    action.due_date = due
    await audit(session, actor, "action.due", "action", action.id,
                before=before.isoformat() if before else None, after=due.isoformat() if due else None)
    await replan(session, action, offsets, zone, now)


async def assign(session: AsyncSession, action: ActionItem, owner: Member | None, actor: Member,
                 now: datetime, offsets: list[timedelta], zone: str) -> Member | None:
    """Give the action to ``owner`` (None: unassigned); returns the previous owner."""
    previous = await session.get(Member, action.owner_id) if action.owner_id else None
    action.owner_id = owner.id if owner else None
    await audit(session, actor, "action.assigned", "action", action.id,
                before=previous.id if previous else None, after=action.owner_id)
    await replan(session, action, offsets, zone, now)
    return previous


async def history(session: AsyncSession, entity_type: str, entity_id: int) -> list[AuditEntry]:
    """Audit entries about one decision or action (and its vote, for a decision)."""
    conditions = [(AuditEntry.entity_type == entity_type) & (AuditEntry.entity_id == entity_id)]
    if entity_type == "decision":
        votes = list(await session.scalars(select(Vote.id).where(Vote.decision_id == entity_id)))
        if votes:
            conditions.append((AuditEntry.entity_type == "vote") & AuditEntry.entity_id.in_(votes))
    return list(await session.scalars(select(AuditEntry).where(or_(*conditions))
                                      .order_by(AuditEntry.at, AuditEntry.id)))


async def chairs(session: AsyncSession) -> list[Member]:
    return list(await session.scalars(select(Member).where(Member.access == "chair", Member.active.is_(True))
                                      .order_by(Member.id)))


# --- personal data ------------------------------------------------------------------------------

PROFILE_FIELDS = ("id", "name", "roles", "access", "network", "organisation", "country", "timezone",
                  "language", "chosen_language", "working_hours", "night_opt_in", "telegram_id",
                  "telegram_username", "active", "reminders_enabled", "unreachable_since",
                  "created_at", "updated_at")


def plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in fields}


async def personal_data(session: AsyncSession, member: Member) -> dict[str, Any]:
    """Everything the bot holds about ``member``, as plain JSON-ready data."""
    mid = member.id

    async def rows(model, *where, fields):  # type: ignore[no-untyped-def]
        return [_row(r, fields) for r in await session.scalars(select(model).where(*where).order_by(model.id))]

    return {
        "profile": _row(member, PROFILE_FIELDS),
        "rsvps": await rows(Rsvp, Rsvp.member_id == mid, fields=("meeting_id", "answer", "updated_at")),
        "attendance": await rows(Attendance, Attendance.member_id == mid, fields=("meeting_id", "status")),
        "ballots": await rows(Ballot, Ballot.member_id == mid, fields=("vote_id", "choice", "cast_at")),
        "availability_answers": await rows(PollAnswer, PollAnswer.member_id == mid,
                                           fields=("slot_id", "answer", "updated_at")),
        "decisions_recorded": await rows(Decision, Decision.author_id == mid, Decision.deleted_at.is_(None),
                                         fields=("id", "meeting_id", "text", "created_at")),
        "actions_owned": await rows(ActionItem, ActionItem.owner_id == mid, ActionItem.deleted_at.is_(None),
                                    fields=("id", "meeting_id", "text", "due_date", "status", "done_at")),
        "actions_recorded": await rows(ActionItem, ActionItem.author_id == mid, ActionItem.deleted_at.is_(None),
                                       fields=("id", "meeting_id", "text", "owner_id", "created_at")),
        "notes_recorded": await rows(Note, Note.author_id == mid, Note.deleted_at.is_(None),
                                     fields=("id", "meeting_id", "kind", "text", "created_at")),
        "agenda_items": await rows(AgendaItem, or_(AgendaItem.owner_id == mid, AgendaItem.proposed_by_id == mid),
                                   fields=("id", "meeting_id", "title", "status")),
        "votes_opened": await rows(Vote, Vote.opened_by_id == mid, fields=("id", "meeting_id", "question")),
        "audit": await rows(AuditEntry, or_(AuditEntry.actor_id == mid,
                                            (AuditEntry.entity_type == "member") & (AuditEntry.entity_id == mid)),
                            fields=("at", "action", "entity_type", "entity_id", "details")),
    }


async def forget(session: AsyncSession, member: Member, now: datetime, offsets: list[timedelta],
                 zone: str) -> list[ActionItem]:
    """Erase ``member``'s personal data while keeping the committee's record consistent.

    The Member row is anonymised rather than deleted, so decisions, actions, notes and closed
    votes keep their author and counts ("former member"): name → ``former member #id``; Telegram
    id and username, organisation, country, network, zone, languages, roles and hours cleared;
    inactive; only a hash of the folded name stays (``forgotten_key``), so an import does not
    bring them back without a word. RSVPs, availability answers, invitations, ballots of votes
    still open and every message queued for them are deleted. Ballots of closed votes and attendance stay, attached to
    the anonymous row: they are the record (vote counts, quorum), no longer anyone's data.
    Their open action items become unassigned (returned, for the chair to reassign).
    """
    await audit(session, member, "member.forgotten", "member", member.id)
    member.forgotten_key = forgotten_key(member.name)
    member.name = f"{FORMER_MEMBER}{member.id}"
    for name in ("organisation", "country", "timezone", "network", "language", "chosen_language",
                 "working_hours", "telegram_id", "telegram_username", "unreachable_since"):
        setattr(member, name, None)
    member.roles, member.access, member.active = [], "member", False
    member.night_opt_in, member.reminders_enabled = False, False
    mid = member.id
    await session.execute(delete(Rsvp).where(Rsvp.member_id == mid))
    await session.execute(delete(PollAnswer).where(PollAnswer.member_id == mid))
    await session.execute(delete(Invite).where(Invite.member_id == mid))
    open_votes = select(Vote.id).where(Vote.closed_at.is_(None))
    await session.execute(delete(Ballot).where(Ballot.member_id == mid, Ballot.vote_id.in_(open_votes)))
    await session.execute(delete(OutboxMessage).where(OutboxMessage.recipient_id == mid))
    released = await list_actions(session, owner=member, status="open")
    for action in released:
        action.owner_id = None
        await audit(session, None, "action.assigned", "action", action.id, before=mid, after=None)
        await replan(session, action, offsets, zone, now)
    await session.flush()
    return released
