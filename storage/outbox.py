"""The outbox: every message the bot owes someone other than the asker is a row, written in
the same transaction as the change it reports, and sent by :mod:`bot.delivery.dispatcher`.

So a crash never loses what the bot promised: an announcement or reminder committed is sent
after a restart; one never committed was never promised. ``dedupe_key`` makes planning
idempotent: planning the same reminder twice leaves one row.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, OutboxMessage

MESSAGE = "message"


async def enqueue(session: AsyncSession, *, kind: str, due_at: datetime, dedupe_key: str,
                  recipient: Member | None = None, chat_id: int | None = None,
                  ref_type: str | None = None, ref_id: int | None = None,
                  payload: dict[str, Any] | None = None) -> OutboxMessage:
    """Owe a message; re-planning a still-pending one moves it instead of doubling it."""
    existing = await session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))
    if existing is not None:
        if existing.state in ("pending", "cancelled"):
            existing.state, existing.due_at = "pending", due_at
            existing.payload = payload or {}
        return existing
    row = OutboxMessage(kind=kind, due_at=due_at, dedupe_key=dedupe_key,
                        recipient_id=recipient.id if recipient else None, chat_id=chat_id,
                        ref_type=ref_type, ref_id=ref_id, payload=payload or {})
    session.add(row)
    return row


async def enqueue_text(session: AsyncSession, now: datetime, text: str,
                       buttons: list[list[tuple[str, str]]] | None = None, *,
                       recipient: Member | None = None, chat_id: int | None = None,
                       ref_type: str | None = None, ref_id: int | None = None) -> OutboxMessage:
    """A message already rendered in its reader's language, to send as soon as possible."""
    return await enqueue(session, kind=MESSAGE, due_at=now, dedupe_key=f"message:{uuid.uuid4().hex}",
                         recipient=recipient, chat_id=chat_id, ref_type=ref_type, ref_id=ref_id,
                         payload={"text": text, "buttons": buttons or []})


async def cancel_pending(session: AsyncSession, ref_type: str, ref_id: int, kinds: tuple[str, ...],
                         keep: set[str] = frozenset()) -> int:  # type: ignore[assignment]
    """Cancel what is still owed about one thing (a moved or cancelled meeting), except ``keep``."""
    rows = await session.scalars(select(OutboxMessage).where(
        OutboxMessage.ref_type == ref_type, OutboxMessage.ref_id == ref_id,
        OutboxMessage.kind.in_(kinds), OutboxMessage.state == "pending"))
    cancelled = 0
    for row in rows:
        if row.dedupe_key not in keep:
            row.state = "cancelled"
            cancelled += 1
    return cancelled
