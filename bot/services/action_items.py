"""Decisions and action items between meetings: found by words, number or date, listed by
owner and state, done, reopened, moved or reassigned (audited, reminders re-planned), and the
history of one of them."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.names import fold
from bot.input.numbers import MAX_ID, parse_id
from bot.services.members import audit
from bot.services.records import RecordError, parse_date, replan
from storage.models import ActionItem, AuditEntry, Decision, Meeting, Member, Vote

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
