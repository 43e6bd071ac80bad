"""Roster operations the handlers call: identify a sender, link accounts, invites, audit."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.names import NameMatch, match_name
from storage.models import AuditEntry, Committee, Invite, Member

INVITE_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class TelegramIdentity:
    """The little the bot knows of a Telegram sender, kept free of Telegram types."""

    user_id: int
    username: str | None = None
    language_code: str | None = None


async def audit(session: AsyncSession, actor: Member | None, action: str,
                entity_type: str | None = None, entity_id: int | None = None, **details: Any) -> None:
    session.add(AuditEntry(actor_id=actor.id if actor else None, action=action,
                           entity_type=entity_type, entity_id=entity_id, details=details))


async def identify(session: AsyncSession, who: TelegramIdentity) -> Member | None:
    """The active member behind a Telegram account, linking by username at first contact."""
    member = await session.scalar(select(Member).where(Member.telegram_id == who.user_id))
    if member is not None:
        return member if member.active else None
    if not who.username:
        return None
    member = await session.scalar(select(Member).where(
        func.lower(Member.telegram_username) == who.username.lower().lstrip("@"),
        Member.telegram_id.is_(None), Member.active.is_(True),
    ))
    if member is not None:
        member.telegram_id = who.user_id
        await audit(session, member, "member.linked", "member", member.id, by="username")
    return member


async def active_members(session: AsyncSession) -> list[Member]:
    return list(await session.scalars(select(Member).where(Member.active.is_(True)).order_by(Member.name)))


async def find_member(session: AsyncSession, query: str) -> NameMatch[Member]:
    return match_name(query, await active_members(session), lambda member: member.name)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def create_invite(session: AsyncSession, member: Member, by: Member, now: datetime) -> str:
    """A one-time code for ``/start <code>``; only its hash is stored."""
    code = secrets.token_urlsafe(18)
    session.add(Invite(code_hash=_hash(code), member_id=member.id, created_by_id=by.id,
                       expires_at=now + INVITE_LIFETIME))
    await audit(session, by, "invite.created", "member", member.id)
    return code


class InviteOutcome(Enum):
    LINKED = "linked"
    INVALID = "invalid"
    ACCOUNT_TAKEN = "account_taken"


async def redeem_invite(session: AsyncSession, code: str, who: TelegramIdentity,
                        now: datetime) -> tuple[InviteOutcome, Member | None]:
    """Link ``who`` to the invited member. Unknown, used and expired codes look the same."""
    if not code or len(code) > 64:
        return InviteOutcome.INVALID, None
    invite = await session.scalar(select(Invite).where(Invite.code_hash == _hash(code)).with_for_update())
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return InviteOutcome.INVALID, None
    member = await session.get(Member, invite.member_id)
    if member is None or not member.active:
        return InviteOutcome.INVALID, None
    holder = await session.scalar(select(Member).where(Member.telegram_id == who.user_id))
    if holder is not None and holder.id != member.id:
        return InviteOutcome.ACCOUNT_TAKEN, None
    invite.used_at = now
    member.telegram_id = who.user_id
    if who.username:
        member.telegram_username = who.username
    await audit(session, member, "member.linked", "member", member.id, by="invite")
    return InviteOutcome.LINKED, member


async def committee(session: AsyncSession) -> Committee:
    """The committee row (created at start by :func:`ensure_committee`)."""
    found = await session.scalar(select(Committee).order_by(Committee.id).limit(1))
    if found is None:
        raise RuntimeError("committee row missing: the database was not initialised")
    return found


async def ensure_committee(session: AsyncSession, name: str, zone: str, language: str) -> Committee:
    """Create the committee row, or bring it in line with the configuration."""
    found = await session.scalar(select(Committee).order_by(Committee.id).limit(1))
    if found is None:
        found = Committee(name=name, timezone=zone, default_language=language)
        session.add(found)
    else:
        found.name, found.timezone, found.default_language = name, zone, language
    await session.flush()
    return found
