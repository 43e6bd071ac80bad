"""Roster operations the handlers call: identify a sender, link accounts, invites, audit."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.names import NameMatch, fold, match_name
from storage.models import AuditEntry, Committee, Invite, Member

INVITE_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class TelegramIdentity:
    """The little the bot knows of a Telegram sender, kept free of Telegram types."""

    user_id: int
    username: str | None = None
    language_code: str | None = None


def forgotten_key(name: str) -> str:
    """What is kept of a forgotten member: enough to recognise the name, not to read it."""
    return hashlib.sha256(fold(name).encode()).hexdigest()


async def audit(session: AsyncSession, actor: Member | None, action: str,
                entity_type: str | None = None, entity_id: int | None = None, **details: Any) -> None:
    session.add(AuditEntry(actor_id=actor.id if actor else None, action=action,
                           entity_type=entity_type, entity_id=entity_id, details=details))


@dataclass(frozen=True)
class Identified:
    member: Member | None
    linked_by_username: bool = False  # just now: the roster keepers are told


async def identify(session: AsyncSession, who: TelegramIdentity,
                   by_username: bool = True) -> tuple[Committee, Identified]:
    """The committee and the active member behind a Telegram account, read in one statement
    (every update needs both); at first contact, when ``by_username``, the member is linked by
    the roster's Telegram username (a username can change hands: the keepers are told, and an
    operator can allow invitations only)."""
    found = (await session.execute(select(Committee, Member).outerjoin(Member, Member.telegram_id == who.user_id)
                                   .order_by(Committee.id).limit(1))).first()
    if found is None:
        raise RuntimeError("committee row missing: the database was not initialised")
    return found[0], await _identified(session, who, by_username, found[1])


async def _identified(session: AsyncSession, who: TelegramIdentity, by_username: bool,
                      member: Member | None) -> Identified:
    if member is not None:
        return Identified(member if member.active else None)
    if not who.username or not by_username:
        return Identified(None)
    member = await session.scalar(select(Member).where(
        func.lower(Member.telegram_username) == who.username.lower().lstrip("@"),
        Member.telegram_id.is_(None), Member.active.is_(True),
    ))
    if member is None:
        return Identified(None)
    member.telegram_id = who.user_id
    await audit(session, member, "member.linked", "member", member.id, by="username")
    return Identified(member, linked_by_username=True)


async def mark_reachable(session: AsyncSession, member: Member) -> None:
    """A member who writes to the bot privately can be written to again (they unblocked it):
    reminders go to them from now on. A word in the group proves nothing of the private chat.
    Part of the update's own transaction, so it costs no second one."""
    if member.unreachable_since is not None:
        member.unreachable_since = None
        await audit(session, member, "member.reachable", "member", member.id)


async def active_members(session: AsyncSession) -> list[Member]:
    return list(await session.scalars(select(Member).where(Member.active.is_(True)).order_by(Member.name)))


async def find_member(session: AsyncSession, query: str) -> NameMatch[Member]:
    return match_name(query, await active_members(session), lambda member: member.name)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def invite_is_live(invite: Invite, now: datetime) -> bool:
    return invite.used_at is None and invite.revoked_at is None and invite.expires_at > now


async def _revoke_others(session: AsyncSession, member_id: int, now: datetime,
                         keep: int | None = None) -> None:
    for older in await session.scalars(select(Invite).where(
            Invite.member_id == member_id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))):
        if older.id != keep:
            older.revoked_at = now


async def create_invite(session: AsyncSession, member: Member, by: Member, now: datetime,
                        relink: bool = False) -> str:
    """A one-time code for ``/start <code>``; only its hash is stored. It revokes the member's
    older invitations; ``relink`` (confirmed by the inviter) lets it replace a linked account."""
    code = secrets.token_urlsafe(18)
    await _revoke_others(session, member.id, now)
    session.add(Invite(code_hash=_hash(code), member_id=member.id, created_by_id=by.id,
                       expires_at=now + INVITE_LIFETIME, relink=relink))
    await audit(session, by, "invite.created", "member", member.id, relink=relink or None)
    return code


async def live_invites(session: AsyncSession, now: datetime) -> list[tuple[Invite, Member]]:
    rows = await session.execute(select(Invite, Member).join(Member, Member.id == Invite.member_id).where(
        Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.expires_at > now,
        Member.active.is_(True)).order_by(Member.name))
    return [(invite, member) for invite, member in rows]


async def revoke_invite(session: AsyncSession, invite_id: int, by: Member, now: datetime) -> Member | None:
    """Revoke a live invitation; the member it was for, or None when it was no longer live."""
    invite = await session.get(Invite, invite_id)
    if invite is None or not invite_is_live(invite, now):
        return None
    invite.revoked_at = now
    await audit(session, by, "invite.revoked", "member", invite.member_id)
    return await session.get(Member, invite.member_id)


class InviteOutcome(Enum):
    LINKED = "linked"
    INVALID = "invalid"
    ACCOUNT_TAKEN = "account_taken"


@dataclass(frozen=True)
class Redeemed:
    outcome: InviteOutcome
    member: Member | None = None
    inviter: Member | None = None
    previous_account: int | None = None  # the account a confirmed re-link replaced


async def redeem_invite(session: AsyncSession, code: str, who: TelegramIdentity, now: datetime) -> Redeemed:
    """Link ``who`` to the invited member. Unknown, used, revoked and expired codes look the same,
    and so does an invitation for a member already linked to another account (unless the inviter
    confirmed a re-link): nobody takes over someone's record with an old or stray link."""
    if not code or len(code) > 64:
        return Redeemed(InviteOutcome.INVALID)
    invite = await session.scalar(select(Invite).where(Invite.code_hash == _hash(code)).with_for_update())
    if invite is None or not invite_is_live(invite, now):
        return Redeemed(InviteOutcome.INVALID)
    member = await session.get(Member, invite.member_id)
    if member is None or not member.active:
        return Redeemed(InviteOutcome.INVALID)
    previous = member.telegram_id if member.telegram_id != who.user_id else None
    if previous is not None and not invite.relink:
        return Redeemed(InviteOutcome.INVALID)
    holder = await session.scalar(select(Member).where(Member.telegram_id == who.user_id))
    if holder is not None and holder.id != member.id:
        return Redeemed(InviteOutcome.ACCOUNT_TAKEN)
    invite.used_at = now
    await _revoke_others(session, member.id, now, keep=invite.id)
    member.telegram_id = who.user_id
    if who.username:
        member.telegram_username = who.username
    await audit(session, member, "member.linked", "member", member.id, by="invite",
                relinked=True if previous is not None else None)
    inviter = await session.get(Member, invite.created_by_id) if invite.created_by_id else None
    return Redeemed(InviteOutcome.LINKED, member, inviter, previous)


async def roster_keepers(session: AsyncSession) -> list[Member]:
    """The chair and the secretariat: who is told when the roster's membership changes."""
    return list(await session.scalars(select(Member).where(
        Member.active.is_(True), Member.access.in_(("chair", "secretariat"))).order_by(Member.id)))


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


async def roster_history(session: AsyncSession, member: Member | None = None,
                         limit: int = 20) -> list[AuditEntry]:
    """The latest audited changes to the roster (of one member), newest first."""
    query = select(AuditEntry).where(AuditEntry.entity_type == "member")
    if member is not None:
        query = query.where(AuditEntry.entity_id == member.id)
    newest_first = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return list(await session.scalars(newest_first))
