"""Private messages owed to a member, as much as the member chose to receive (``/notify``).

A message that waits for the member's daily digest is a ``held`` outbox row (kind
:data:`DIGEST_ITEM`), already phrased in the member's language, plus one :data:`DAILY_DIGEST`
row per member and digest time that gathers them into one message and marks them sent when
Telegram confirms it. A held message with buttons (a ballot, RSVP buttons) cannot share a
message with others, so it waits as its own message, due at the digest time. What was not
sent is never claimed as sent: :class:`bot.services.reach.Reach` names who gets it later.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.notify import DEFAULT_DIGEST_HOUR, DIGEST, LATER, NOW, next_digest, route
from storage import outbox
from storage.models import Member, OutboxMessage

DIGEST_ITEM = "digest_item"
DAILY_DIGEST = "daily_digest"
HELD = "held"
_LATER_MESSAGE = "digest-message:"  # the dedupe key of a held message that has buttons


def digest_time(member: Member, now: datetime, committee_zone: str) -> datetime | None:
    """When the member's next digest leaves, if they chose one."""
    if member.notify != DIGEST:
        return None
    return next_digest(now, member.timezone or committee_zone, _hour(member))


def _hour(member: Member) -> int:
    return DEFAULT_DIGEST_HOUR if member.digest_hour is None else member.digest_hour


def where_to(member: Member, topic: str, now: datetime, committee_zone: str,
             about_start: datetime | None = None) -> str:
    """Where a message about ``topic`` to ``member`` goes (:func:`bot.domain.notify.route`)."""
    return route(member.notify, topic, about_start, digest_time(member, now, committee_zone))


async def owe(session: AsyncSession, member: Member, now: datetime, committee_zone: str, text: str,
              buttons: list[list[tuple[str, str]]] | None, *, topic: str, about_start: datetime | None = None,
              ref: tuple[str, int] | None = None) -> str:
    """Owe ``member`` a private message now, in their digest, or not at all; where it went."""
    ref_type, ref_id = ref or (None, None)
    where = where_to(member, topic, now, committee_zone, about_start)
    if member.telegram_id is None or member.unreachable_since is not None:
        where = NOW  # nothing to hold: the outbox records at once why it cannot be sent
    if where == NOW:
        await outbox.enqueue_text(session, now, text, buttons, recipient=member, ref_type=ref_type, ref_id=ref_id)
    elif where == LATER:
        digest_at = digest_time(member, now, committee_zone)
        assert digest_at is not None
        await _plan_digest(session, member, digest_at)
        payload: dict[str, Any] = {"text": text, "buttons": buttons or []}
        if buttons:
            row = outbox.owed(kind=outbox.MESSAGE, due_at=digest_at, recipient_id=member.id,
                              dedupe_key=f"{_LATER_MESSAGE}{uuid.uuid4().hex}", ref_type=ref_type, ref_id=ref_id,
                              payload=payload)
        else:
            row = outbox.owed(kind=DIGEST_ITEM, due_at=digest_at, recipient_id=member.id, state=HELD,
                              dedupe_key=f"held:{uuid.uuid4().hex}", ref_type=ref_type, ref_id=ref_id,
                              payload=payload)
        await outbox.enqueue_all(session, [row])
    return where


async def _plan_digest(session: AsyncSession, member: Member, digest_at: datetime) -> None:
    await outbox.enqueue(session, kind=DAILY_DIGEST, due_at=digest_at, recipient=member,
                         dedupe_key=f"{DAILY_DIGEST}:{member.id}:{digest_at:%Y%m%dT%H%M}",
                         ref_type="member", ref_id=member.id)


async def held_for(session: AsyncSession, member_id: int) -> list[OutboxMessage]:
    """What waits for the member's digest, oldest first."""
    return list(await session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient_id == member_id, OutboxMessage.kind == DIGEST_ITEM,
        OutboxMessage.state == HELD).order_by(OutboxMessage.id)))


async def reschedule(session: AsyncSession, member: Member, now: datetime, committee_zone: str) -> int:
    """After a change of choice, hour or zone: what waits goes at the new digest time, or at once
    when the member no longer wants a digest; how many messages were waiting."""
    digest_at = digest_time(member, now, committee_zone)
    mine = (OutboxMessage.recipient_id == member.id)
    await session.execute(update(OutboxMessage).where(
        mine, OutboxMessage.kind == DAILY_DIGEST, OutboxMessage.state == "pending").values(state="cancelled"))
    waiting_messages = (mine & (OutboxMessage.kind == outbox.MESSAGE) & (OutboxMessage.state == "pending")
                        & OutboxMessage.dedupe_key.startswith(_LATER_MESSAGE))
    moved = await session.execute(update(OutboxMessage).where(waiting_messages).values(due_at=digest_at or now))
    held = (mine & (OutboxMessage.kind == DIGEST_ITEM) & (OutboxMessage.state == HELD))
    if digest_at is None:
        released = await session.execute(update(OutboxMessage).where(held).values(
            kind=outbox.MESSAGE, state="pending", due_at=now))
        return moved.rowcount + released.rowcount  # type: ignore[attr-defined, no-any-return]
    kept = await session.execute(update(OutboxMessage).where(held).values(due_at=digest_at))
    if moved.rowcount or kept.rowcount:  # type: ignore[attr-defined]
        await _plan_digest(session, member, digest_at)
    return moved.rowcount + kept.rowcount  # type: ignore[attr-defined, no-any-return]
