"""A meeting's agenda: items added by the chair or proposed by members (approved or declined),
moved and dropped, timed end to end from the start (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.agenda_timing import AgendaItem as TimingItem
from bot.domain.agenda_timing import AgendaTiming, time_agenda
from bot.input.numbers import MAX_ID
from bot.services.meetings import MAX_ITEM_MINUTES, BadDuration, MeetingError, check_changeable, clean_title
from bot.services.members import audit
from storage.models import ActionItem, AgendaItem, Meeting, Member


@dataclass(eq=False)
class BadPosition(MeetingError):
    maximum: int


@dataclass(eq=False)
class AlreadyDecided(MeetingError):
    status: str


async def agenda(session: AsyncSession, meeting: Meeting, status: str = "approved") -> list[AgendaItem]:
    return list(await session.scalars(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.status == status,
    ).order_by(AgendaItem.position, AgendaItem.id)))


async def get_item(session: AsyncSession, item_id: int | None) -> AgendaItem | None:
    if item_id is None or item_id > MAX_ID:
        return None
    return await session.get(AgendaItem, item_id)


async def renumber(session: AsyncSession, items: list[AgendaItem]) -> None:
    """Positions 1..n in the order given."""
    for position, item in enumerate(items, start=1):
        item.position = position
    await session.flush()


async def add_item(session: AsyncSession, meeting: Meeting, title: str, *, by: Member | None,
                   now: datetime, minutes: int | None = None, owner: Member | None = None,
                   proposed: bool = False) -> AgendaItem:
    """Append an item (approved, or proposed and awaiting the chair)."""
    check_changeable(meeting, now)
    if minutes is not None and not 1 <= minutes <= MAX_ITEM_MINUTES:
        raise BadDuration(1, MAX_ITEM_MINUTES)
    last = await session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id))
    item = AgendaItem(meeting_id=meeting.id, position=(last or 0) + 1, title=clean_title(title),
                      minutes=minutes, owner_id=owner.id if owner else None,
                      proposed_by_id=by.id if by and proposed else None,
                      status="proposed" if proposed else "approved", kind="item")
    session.add(item)
    await session.flush()
    await audit(session, by, "agenda.proposed" if proposed else "agenda.item_added", "agenda_item", item.id,
                meeting=meeting.id)
    return item


async def move_item(session: AsyncSession, item: AgendaItem, position: int, *, by: Member | None) -> None:
    """Put an approved item at ``position`` (1-based) among the approved items."""
    meeting = await session.get(Meeting, item.meeting_id)
    assert meeting is not None
    items = [i for i in await agenda(session, meeting) if i.id != item.id]
    if item.status != "approved":
        raise AlreadyDecided(item.status)
    if not 1 <= position <= len(items) + 1:
        raise BadPosition(len(items) + 1)
    items.insert(position - 1, item)
    await renumber(session, items)
    await audit(session, by, "agenda.item_moved", "agenda_item", item.id, position=position)


async def drop_item(session: AsyncSession, item: AgendaItem, *, by: Member | None) -> None:
    meeting = await session.get(Meeting, item.meeting_id)
    assert meeting is not None
    await audit(session, by, "agenda.item_dropped", "agenda_item", item.id, meeting=meeting.id)
    await session.delete(item)
    await session.flush()
    await renumber(session, await agenda(session, meeting))


async def decide_proposal(session: AsyncSession, item: AgendaItem, approve: bool, *, by: Member | None) -> None:
    """Approve (appended to the agenda) or decline a proposed item."""
    if item.status != "proposed":
        raise AlreadyDecided(item.status)
    meeting = await session.get(Meeting, item.meeting_id)
    assert meeting is not None
    if approve:
        last = await session.scalar(select(func.max(AgendaItem.position)).where(
            AgendaItem.meeting_id == meeting.id, AgendaItem.status == "approved"))
        item.position = (last or 0) + 1
    item.status = "approved" if approve else "declined"
    await audit(session, by, "agenda.approved" if approve else "agenda.declined", "agenda_item", item.id)


async def open_actions_before(session: AsyncSession, meeting: Meeting) -> list[ActionItem]:
    """Open action items (not deleted) from meetings held before this one, or recorded before
    it without a meeting: what its "Review of action items" lists. Soonest due first."""
    earlier = select(Meeting.id).where(Meeting.starts_at < meeting.starts_at, Meeting.id != meeting.id)
    rows = await session.scalars(select(ActionItem).where(
        ActionItem.status == "open", ActionItem.deleted_at.is_(None),
        or_(ActionItem.meeting_id.in_(earlier),
            ActionItem.meeting_id.is_(None) & (ActionItem.created_at < meeting.starts_at)),
    ).order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id))
    return list(rows)


def timing(meeting: Meeting, items: list[AgendaItem]) -> AgendaTiming:
    """Clock times (UTC) of each item laid end to end from the meeting's start."""
    return time_agenda(meeting.starts_at, timedelta(minutes=meeting.duration_minutes),
                       [TimingItem(item.title, item.minutes) for item in items])
