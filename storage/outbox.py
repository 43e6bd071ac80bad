"""The outbox: every message the bot owes someone other than the asker is a row, written in
the same transaction as the change it reports, and sent by :mod:`bot.delivery.dispatcher`.

So a crash never loses what the bot promised: an announcement or reminder committed is sent
after a restart; one never committed was never promised. ``dedupe_key`` makes planning
idempotent: planning the same reminder twice leaves one row.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member, OutboxMessage
from storage.upsert import upsert

MESSAGE = "message"


def owed(*, kind: str, due_at: datetime, dedupe_key: str, recipient_id: int | None = None,
         chat_id: int | None = None, ref_type: str | None = None, ref_id: int | None = None,
         payload: dict[str, Any] | None = None, state: str = "pending") -> dict[str, Any]:
    """One outbox row to plan (to a member by id, or to a chat)."""
    return {"kind": kind, "due_at": due_at, "dedupe_key": dedupe_key, "state": state,
            "recipient_id": recipient_id, "chat_id": chat_id, "ref_type": ref_type, "ref_id": ref_id,
            "payload": payload or {}}


async def enqueue_all(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Owe the messages ``rows`` (from :func:`owed`); re-planning a still-pending (or cancelled)
    one moves it instead of doubling it, and one already claimed or sent is left alone. An
    upsert, because two updates (or two instances) may plan the same reminder at once."""
    await upsert(session, OutboxMessage, rows, key=("dedupe_key",), update=("state", "due_at", "payload"),
                 where=OutboxMessage.state.in_(("pending", "cancelled")))


async def enqueue(session: AsyncSession, *, kind: str, due_at: datetime, dedupe_key: str,
                  recipient: Member | None = None, chat_id: int | None = None,
                  ref_type: str | None = None, ref_id: int | None = None,
                  payload: dict[str, Any] | None = None) -> None:
    """Owe one message (see :func:`enqueue_all`)."""
    await enqueue_all(session, [owed(kind=kind, due_at=due_at, dedupe_key=dedupe_key,
                                     recipient_id=recipient.id if recipient else None, chat_id=chat_id,
                                     ref_type=ref_type, ref_id=ref_id, payload=payload)])


async def enqueue_text(session: AsyncSession, now: datetime, text: str,
                       buttons: list[list[tuple[str, str]]] | None = None, *,
                       recipient: Member | None = None, chat_id: int | None = None,
                       ref_type: str | None = None, ref_id: int | None = None) -> None:
    """A message already rendered in its reader's language, to send as soon as possible."""
    await enqueue(session, kind=MESSAGE, due_at=now, dedupe_key=f"message:{uuid.uuid4().hex}",
                  recipient=recipient, chat_id=chat_id, ref_type=ref_type, ref_id=ref_id,
                  payload={"text": text, "buttons": buttons or []})


async def cancel_pending(session: AsyncSession, ref_type: str, ref_id: int, kinds: tuple[str, ...],
                         keep: set[str] = frozenset()) -> int:  # type: ignore[assignment]
    """Cancel what is still owed about one thing (a moved or cancelled meeting), except ``keep``;
    how many. One statement, so a concurrent re-plan's rows are seen as they are now."""
    result = await session.execute(update(OutboxMessage).where(
        OutboxMessage.ref_type == ref_type, OutboxMessage.ref_id == ref_id,
        OutboxMessage.kind.in_(kinds), OutboxMessage.state == "pending",
        OutboxMessage.dedupe_key.not_in(keep)).values(state="cancelled"))
    return result.rowcount  # type: ignore[attr-defined, no-any-return]
