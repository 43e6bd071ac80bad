"""The minutes of a meeting as a plain structure, built from the stored records.

No sentences here: :mod:`handlers.shared.minutes_text` renders the structure in each reader's
language (Telegram HTML, Markdown and a standalone HTML page). Removed records (``deleted_at``)
are left out. While the record is open the minutes are built live; once it is closed they are
read from the snapshot taken then (:mod:`bot.services.minutes_snapshot`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.names import fold
from bot.services.records import CHOICES, is_former
from storage.models import (
    ActionItem, AgendaItem, Attendance, Ballot, Decision, Meeting, Member, Note, Rsvp, Vote,
)


@dataclass(frozen=True)
class Person:
    """A name as the record shows it; ``former`` for a member who asked to be forgotten."""

    id: int | None
    name: str
    former: bool = False


@dataclass
class VoteRecord:
    id: int
    question: str
    counts: dict[str, int]
    closed: bool


@dataclass
class DecisionRecord:
    id: int
    text: str
    vote: VoteRecord | None = None


@dataclass
class NoteRecord:
    id: int
    text: str
    author: Person | None


@dataclass
class ActionRecord:
    id: int
    text: str
    owner: Person | None
    due: date | None
    status: str
    item_title: str | None = None


@dataclass
class ItemRecord:
    id: int | None  # None: what was recorded before the first item
    position: int
    title: str
    kind: str
    decisions: list[DecisionRecord] = field(default_factory=list)
    votes: list[VoteRecord] = field(default_factory=list)  # votes not attached to a decision
    notes: list[NoteRecord] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.decisions or self.votes or self.notes or self.actions)


@dataclass(frozen=True)
class Correction:
    """An explicit correction of draft minutes, by whom and when."""

    text: str
    author: Person | None
    at: datetime


@dataclass(frozen=True)
class FollowUp:
    """What became of an action since the minutes were frozen (the minutes keep the original)."""

    id: int
    text: str
    owner: Person | None
    due: date | None
    status: str
    withdrawn: bool
    owner_changed: bool
    due_changed: bool


@dataclass
class Minutes:
    meeting_id: int
    title: str
    starts_at: datetime
    duration_minutes: int
    opened_at: datetime | None
    closed_at: datetime | None
    present: list[Person]
    apologies: list[Person]
    items: list[ItemRecord]
    actions_by_owner: list[tuple[Person | None, list[ActionRecord]]]
    absent: list[Person]
    state: str = "open"  # open (the record is being kept) | draft (frozen) | adopted
    adopted_at: datetime | None = None
    adopted_in: int | None = None  # the meeting at which they were adopted
    corrections: list[Correction] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def decision_count(self) -> int:
        return sum(len(item.decisions) for item in self.items)


def person(member: Member | None) -> Person | None:
    if member is None:
        return None
    return Person(member.id, member.name, is_former(member))


async def build(session: AsyncSession, meeting: Meeting) -> Minutes:
    """Everything recorded for ``meeting``, grouped under its agenda items."""
    members = {m.id: m for m in await session.scalars(select(Member))}

    def who(member_id: int | None) -> Person | None:
        return person(members.get(member_id)) if member_id else None

    present, apologies = [], []
    for row in await session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)):
        target = present if row.status == "present" else apologies
        found = who(row.member_id)
        if found is not None:
            target.append(found)
    # An RSVP "no" is an apology unless the member came after all; the rest of the roster is absent.
    recorded = {p.id for p in present} | {p.id for p in apologies}
    for member_id in await session.scalars(select(Rsvp.member_id).where(Rsvp.meeting_id == meeting.id,
                                                                         Rsvp.answer == "no")):
        found = who(member_id)
        if found is not None and member_id not in recorded:
            apologies.append(found)
            recorded.add(member_id)
    absent = [person(m) for m in members.values() if m.active and m.id not in recorded]
    for group in (present, apologies, absent):
        group.sort(key=lambda p: (p.former, fold(p.name)))

    items_rows = list(await session.scalars(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.status == "approved",
    ).order_by(AgendaItem.position, AgendaItem.id)))
    loose = ItemRecord(None, 0, "", "loose")
    items = {row.id: ItemRecord(row.id, row.position, row.title, row.kind) for row in items_rows}

    def under(item_id: int | None) -> ItemRecord:
        return items.get(item_id or 0, loose)

    votes = list(await session.scalars(select(Vote).where(Vote.meeting_id == meeting.id).order_by(Vote.id)))
    counts: dict[int, dict[str, int]] = {vote.id: dict.fromkeys(CHOICES, 0) for vote in votes}
    if votes:
        for ballot in await session.scalars(select(Ballot).where(Ballot.vote_id.in_(list(counts)))):
            if ballot.choice in CHOICES:
                counts[ballot.vote_id][ballot.choice] += 1
    vote_records = {v.id: VoteRecord(v.id, v.question, counts[v.id], v.closed_at is not None) for v in votes}
    decisions = list(await session.scalars(select(Decision).where(
        Decision.meeting_id == meeting.id, Decision.deleted_at.is_(None)).order_by(Decision.created_at, Decision.id)))
    attached = {}
    for vote in votes:
        if vote.decision_id is not None:
            attached[vote.decision_id] = vote_records[vote.id]
    live = {d.id for d in decisions}
    for decision in decisions:
        under(decision.agenda_item_id).decisions.append(
            DecisionRecord(decision.id, decision.text, attached.get(decision.id)))
    for vote in votes:
        if vote.decision_id is None or vote.decision_id not in live:
            under(vote.agenda_item_id).votes.append(vote_records[vote.id])
    for note in await session.scalars(select(Note).where(
            Note.meeting_id == meeting.id, Note.deleted_at.is_(None), Note.kind == "info")
            .order_by(Note.created_at, Note.id)):
        under(note.agenda_item_id).notes.append(NoteRecord(note.id, note.text, who(note.author_id)))
    all_actions: list[ActionRecord] = []
    for action in await session.scalars(select(ActionItem).where(
            ActionItem.meeting_id == meeting.id, ActionItem.deleted_at.is_(None))
            .order_by(ActionItem.created_at, ActionItem.id)):
        target = under(action.agenda_item_id)
        record = ActionRecord(action.id, action.text, who(action.owner_id), action.due_date, action.status,
                              target.title or None)
        target.actions.append(record)
        all_actions.append(record)

    ordered = ([loose] if not loose.empty else []) + [items[row.id] for row in items_rows]
    return Minutes(meeting.id, meeting.title, meeting.starts_at, meeting.duration_minutes,
                   meeting.record_opened_at, meeting.record_closed_at, present, apologies,
                   ordered, by_owner(all_actions), absent)


def by_owner(actions: list[ActionRecord]) -> list[tuple[Person | None, list[ActionRecord]]]:
    """The actions grouped by owner (named owners first, by name), soonest due first."""
    grouped: dict[int | None, list[ActionRecord]] = {}
    for record in actions:
        grouped.setdefault(record.owner.id if record.owner else None, []).append(record)
    pairs = []
    for records in grouped.values():
        records.sort(key=lambda r: (r.due is None, r.due or date.max, r.id))
        pairs.append((records[0].owner, records))
    pairs.sort(key=lambda pair: (pair[0] is None, pair[0].former if pair[0] else True,
                                 pair[0].name if pair[0] else ""))
    return pairs
