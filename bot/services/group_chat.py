"""The committee's group chat as Telegram changes it under the bot: a group upgraded to a
supergroup (a new chat id), the bot removed from the group or refused there.

Both are idempotent, so the two service messages of one migration (``migrate_to_chat_id`` in the
old chat, ``migrate_from_chat_id`` in the new one) and a send refused with the new id all lead to
one rebinding and one notice to the chairs, whichever comes first.
"""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.members import audit, committee
from storage.models import Member, OutboxMessage
from storage.outbox import enqueue

GROUP_MOVED = "group_moved"  # the chairs' notice that the group became a supergroup (followed)
GROUP_LOST = "group_lost"  # the chairs' notice that the bot can no longer post in the group
TOPIC_LOST = "group_topic_lost"  # the chairs' notice that the chosen topic is gone: General now
MEMBER_LEFT_GROUP = "member_left_group"  # the chairs' notice that a roster member left the group
OWED = ("pending", "claimed")


async def _chairs(session: AsyncSession) -> list[Member]:
    """Who is told: the linked chairs, else the secretariat (as for delivery reports)."""
    for access in ("chair", "secretariat"):
        found = list(await session.scalars(select(Member).where(
            Member.active.is_(True), Member.access == access, Member.telegram_id.is_not(None),
            Member.unreachable_since.is_(None)).order_by(Member.id)))
        if found:
            return found
    return []


async def follow_migration(session: AsyncSession, old_chat_id: int, new_chat_id: int,
                           now: datetime) -> bool:
    """The group ``old_chat_id`` is now the supergroup ``new_chat_id``: if it was the committee's
    group, bind the new id, re-address what is still owed to the old one and tell the chairs
    once. Whether this call moved the binding (False when already followed, or another group)."""
    bound = await committee(session)
    if bound.group_chat_id != old_chat_id or old_chat_id == new_chat_id:
        return False
    bound.group_chat_id = new_chat_id
    await session.execute(update(OutboxMessage).where(
        OutboxMessage.chat_id == old_chat_id, OutboxMessage.state == "pending")
        .values(chat_id=new_chat_id).execution_options(synchronize_session=False))
    await audit(session, None, "committee.group_migrated", "committee", bound.id,
                old_chat_id=old_chat_id, new_chat_id=new_chat_id)
    for chair in await _chairs(session):
        await enqueue(session, kind=GROUP_MOVED, due_at=now, recipient=chair,
                      dedupe_key=f"{GROUP_MOVED}:{new_chat_id}:{chair.id}", ref_type="committee",
                      ref_id=bound.id, payload={"old_chat_id": old_chat_id, "new_chat_id": new_chat_id})
    return True


async def lose_group(session: AsyncSession, chat_id: int, now: datetime, reason: str) -> bool:
    """The bot can no longer post in ``chat_id`` (removed, banned, refused): if it is the
    committee's group, unbind it so nothing more is queued for it, cancel what is still owed to
    it and tell the chairs once. Whether this call unbound the group."""
    bound = await committee(session)
    if bound.group_chat_id is None or bound.group_chat_id != chat_id:
        return False
    bound.group_chat_id = bound.group_thread_id = None
    await session.execute(update(OutboxMessage).where(
        OutboxMessage.chat_id == chat_id, OutboxMessage.recipient_id.is_(None),
        OutboxMessage.state.in_(OWED)).values(state="cancelled", last_error="group lost")
        .execution_options(synchronize_session=False))
    await audit(session, None, "committee.group_lost", "committee", bound.id, chat_id=chat_id, reason=reason)
    for chair in await _chairs(session):
        await enqueue(session, kind=GROUP_LOST, due_at=now, recipient=chair,
                      dedupe_key=f"{GROUP_LOST}:{chat_id}:{now:%Y%m%dT%H%M%S}:{chair.id}",
                      ref_type="committee", ref_id=bound.id,
                      payload={"chat_id": chat_id, "reason": reason, "title": bound.group_title})
    return True


async def member_left_group(session: AsyncSession, chat_id: int, telegram_id: int, event_id: int,
                            now: datetime) -> Member | None:
    """A Telegram account left (or was removed from) ``chat_id``: if that is the committee's group
    and the account is an active member's, tell the chairs once for this departure (``event_id``:
    the service message). Their private messages go on: leaving a chat is not leaving the
    committee, which the chair records with /depart. Returns the member, or None."""
    bound = await committee(session)
    if bound.group_chat_id != chat_id:
        return None
    member = await session.scalar(select(Member).where(Member.telegram_id == telegram_id,
                                                       Member.active.is_(True)))
    if member is None:
        return None
    await audit(session, None, "member.left_group", "member", member.id, chat_id=chat_id)
    for chair in await _chairs(session):
        if chair.id != member.id:
            await enqueue(session, kind=MEMBER_LEFT_GROUP, due_at=now, recipient=chair,
                          dedupe_key=f"{MEMBER_LEFT_GROUP}:{chat_id}:{event_id}:{chair.id}", ref_type="member",
                          ref_id=member.id, payload={"member_id": member.id})
    return member


async def lose_topic(session: AsyncSession, chat_id: int, now: datetime) -> bool:
    """The topic chosen for the committee's group ``chat_id`` was deleted or closed: post in
    General from now on and tell the chairs once. Whether this call cleared the choice."""
    bound = await committee(session)
    if bound.group_chat_id != chat_id or bound.group_thread_id is None:
        return False
    topic, bound.group_thread_id = bound.group_thread_id, None
    await audit(session, None, "committee.group_topic_lost", "committee", bound.id, topic=topic)
    for chair in await _chairs(session):
        await enqueue(session, kind=TOPIC_LOST, due_at=now, recipient=chair,
                      dedupe_key=f"{TOPIC_LOST}:{chat_id}:{topic}:{chair.id}", ref_type="committee",
                      ref_id=bound.id, payload={"topic": topic})
    return True
