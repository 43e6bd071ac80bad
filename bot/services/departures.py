"""A member leaving the committee, and one joining or coming back: deactivated, never deleted.

The row stays with the name it had, so the record (minutes, decisions, attendance) still
names them as they were; access ends at once (:func:`bot.services.members.identify` ignores inactive
members), nothing more is sent to them, unused invitations die, and their open action items
return to the chair to reassign (the chairs are told through the outbox).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.members import audit
from storage.outbox import enqueue
from bot.services.action_items import list_actions
from bot.services.records import chairs, replan
from bot.services.reminders import replan_member
from storage.models import Invite, Member, OutboxMessage

MEMBER_DEPARTED = "member_departed"  # the chairs' notice of a departure and the actions returned


@dataclass(frozen=True)
class Planning:
    """What re-planning a member's reminders needs (from the settings and the committee)."""

    now: datetime
    zone: str
    meeting_offsets: list[timedelta] = field(default_factory=list)
    action_offsets: list[timedelta] = field(default_factory=list)


async def leaves_no_chair(session: AsyncSession, member: Member) -> bool:
    """Whether ``member`` leaving (or losing chair access) would leave the committee without a chair."""
    return member.access == "chair" and all(chair.id == member.id for chair in await chairs(session))


async def depart(session: AsyncSession, member: Member, actor: Member | None, planning: Planning) -> list[int]:
    """Record that ``member`` left; the ids of their open action items, now unassigned."""
    member.active, member.left_at = False, planning.now
    await audit(session, actor, "member.departed", "member", member.id)
    await session.execute(update(OutboxMessage).where(
        OutboxMessage.recipient_id == member.id, OutboxMessage.state == "pending").values(state="cancelled"))
    await session.execute(update(Invite).where(
        Invite.member_id == member.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=planning.now))
    released = await list_actions(session, owner=member, status="open")
    for action in released:
        action.owner_id = None
        await audit(session, actor, "action.assigned", "action", action.id, before=member.id, after=None)
        await replan(session, action, planning.action_offsets, planning.zone, planning.now)
    ids = [action.id for action in released]
    if member.access == "chair":
        await follow_the_chair(session, planning)
    for chair in await chairs(session):
        await enqueue(session, kind=MEMBER_DEPARTED, due_at=planning.now, recipient=chair,
                      ref_type="member", ref_id=member.id,
                      dedupe_key=f"{MEMBER_DEPARTED}:{member.id}:{chair.id}:{planning.now.isoformat()}",
                      payload={"member_id": member.id, "actions": ids})
    await session.flush()
    return ids


async def follow_the_chair(session: AsyncSession, planning: Planning) -> None:
    """After a change of chair, the chair's notices about open actions go to the current chair."""
    await session.flush()
    for action in await list_actions(session, status="open"):
        await replan(session, action, planning.action_offsets, planning.zone, planning.now)


async def rejoin(session: AsyncSession, member: Member, planning: Planning,
                 actor: Member | None = None) -> None:
    """A member (back) on the roster gets the reminders of what is already planned."""
    if not member.active:
        member.active, member.left_at = True, None
        await audit(session, actor, "member.returned", "member", member.id)
    if member.reminders_enabled:
        await replan_member(session, member, planning.meeting_offsets, planning.action_offsets,
                            planning.zone, planning.now)


async def departed_members(session: AsyncSession) -> list[Member]:
    return list(await session.scalars(select(Member).where(
        Member.active.is_(False), Member.left_at.is_not(None)).order_by(Member.name)))
