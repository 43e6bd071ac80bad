"""What the bot keeps only for a while, dropped by the periodic upkeep (``[retention]`` in the
configuration, documented in deploy/OPERATIONS.md): update ids once Telegram can no longer
redeliver them, messages once delivered (or given up) long enough ago, invitation codes once
used, revoked or expired. The committee's record and the roster's audit trail stay."""

from datetime import datetime

from sqlalchemy import delete, func, or_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import RetentionSettings
from storage.models import Invite, OutboxMessage, ProcessedUpdate

FINAL_STATES = ("sent", "failed", "unlinked", "missed", "cancelled")  # nothing more will be tried


async def forget_past_retention(session: AsyncSession, keep: RetentionSettings, now: datetime) -> dict[str, int]:
    """Delete what is past its retention; how many rows of each kind went."""
    updates = await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < now - keep.processed_updates))
    messages = await session.execute(delete(OutboxMessage).where(
        OutboxMessage.state.in_(FINAL_STATES),
        func.coalesce(OutboxMessage.sent_at, OutboxMessage.due_at) < now - keep.delivered_messages))
    cutoff = now - keep.invitations
    invites = await session.execute(delete(Invite).where(or_(
        Invite.used_at < cutoff, Invite.revoked_at < cutoff, Invite.expires_at < cutoff)))
    return {"processed_updates": updates.rowcount, "messages": messages.rowcount,  # type: ignore[attr-defined]
            "invitations": invites.rowcount}  # type: ignore[attr-defined]
