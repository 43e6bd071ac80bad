"""A member's personal data (GDPR): everything the bot holds about them, for /mydata, and
erasing it for /forgetme while the committee's record stays consistent (the anonymised row
keeps decisions, actions, notes and closed votes attributed to "former member #id")."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.members import audit, forgotten_key
from bot.services.action_items import list_actions
from bot.services.records import FORMER_MEMBER, replan
from storage.models import (
    ActionItem, AgendaItem, Attendance, AuditEntry, Ballot, Decision, Invite, Member, Note, OutboxMessage,
    PollAnswer, Rsvp, Vote,
)

PROFILE_FIELDS = ("id", "name", "roles", "access", "network", "organisation", "country", "timezone",
                  "language", "chosen_language", "working_hours", "night_opt_in", "telegram_id",
                  "telegram_username", "active", "reminders_enabled", "notify", "digest_hour", "unreachable_since",
                  "created_at", "updated_at")


def plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in fields}


async def personal_data(session: AsyncSession, member: Member) -> dict[str, Any]:
    """Everything the bot holds about ``member``, as plain JSON-ready data."""
    mid = member.id

    async def rows(model, *where, fields):  # type: ignore[no-untyped-def]
        return [_row(r, fields) for r in await session.scalars(select(model).where(*where).order_by(model.id))]

    return {
        "profile": _row(member, PROFILE_FIELDS),
        "rsvps": await rows(Rsvp, Rsvp.member_id == mid, fields=("meeting_id", "answer", "updated_at")),
        "attendance": await rows(Attendance, Attendance.member_id == mid, fields=("meeting_id", "status")),
        "ballots": await rows(Ballot, Ballot.member_id == mid, fields=("vote_id", "choice", "cast_at")),
        "availability_answers": await rows(PollAnswer, PollAnswer.member_id == mid,
                                           fields=("slot_id", "answer", "updated_at")),
        "decisions_recorded": await rows(Decision, Decision.author_id == mid, Decision.deleted_at.is_(None),
                                         fields=("id", "meeting_id", "text", "created_at")),
        "actions_owned": await rows(ActionItem, ActionItem.owner_id == mid, ActionItem.deleted_at.is_(None),
                                    fields=("id", "meeting_id", "text", "due_date", "status", "done_at")),
        "actions_recorded": await rows(ActionItem, ActionItem.author_id == mid, ActionItem.deleted_at.is_(None),
                                       fields=("id", "meeting_id", "text", "owner_id", "created_at")),
        "notes_recorded": await rows(Note, Note.author_id == mid, Note.deleted_at.is_(None),
                                     fields=("id", "meeting_id", "kind", "text", "created_at")),
        "agenda_items": await rows(AgendaItem, or_(AgendaItem.owner_id == mid, AgendaItem.proposed_by_id == mid),
                                   fields=("id", "meeting_id", "title", "status")),
        "votes_opened": await rows(Vote, Vote.opened_by_id == mid, fields=("id", "meeting_id", "question")),
        "audit": await rows(AuditEntry, or_(AuditEntry.actor_id == mid,
                                            (AuditEntry.entity_type == "member") & (AuditEntry.entity_id == mid)),
                            fields=("at", "action", "entity_type", "entity_id", "details")),
    }


async def forget(session: AsyncSession, member: Member, now: datetime, offsets: list[timedelta],
                 zone: str) -> list[ActionItem]:
    """Erase ``member``'s personal data while keeping the committee's record consistent.

    The Member row is anonymised rather than deleted, so decisions, actions, notes and closed
    votes keep their author and counts ("former member"): name → ``former member #id``; Telegram
    id and username, organisation, country, network, zone, languages, roles and hours cleared;
    inactive; only a hash of the folded name stays (``forgotten_key``), so an import does not
    bring them back without a word. RSVPs, availability answers, invitations, ballots of votes
    still open and every message queued for them are deleted. Ballots of closed votes and attendance stay, attached to
    the anonymous row: they are the record (vote counts, quorum), no longer anyone's data.
    Their open action items become unassigned (returned, for the chair to reassign).
    """
    await audit(session, member, "member.forgotten", "member", member.id)
    member.forgotten_key = forgotten_key(member.name)
    member.name = f"{FORMER_MEMBER}{member.id}"
    for name in ("organisation", "country", "timezone", "network", "language", "chosen_language",
                 "working_hours", "telegram_id", "telegram_username", "unreachable_since", "digest_hour"):
        setattr(member, name, None)
    member.roles, member.access, member.active = [], "member", False
    member.night_opt_in, member.reminders_enabled = False, False
    mid = member.id
    await session.execute(delete(Rsvp).where(Rsvp.member_id == mid))
    await session.execute(delete(PollAnswer).where(PollAnswer.member_id == mid))
    await session.execute(delete(Invite).where(Invite.member_id == mid))
    open_votes = select(Vote.id).where(Vote.closed_at.is_(None))
    await session.execute(delete(Ballot).where(Ballot.member_id == mid, Ballot.vote_id.in_(open_votes)))
    await session.execute(delete(OutboxMessage).where(OutboxMessage.recipient_id == mid))
    released = await list_actions(session, owner=member, status="open")
    for action in released:
        action.owner_id = None
        await audit(session, None, "action.assigned", "action", action.id, before=mid, after=None)
        await replan(session, action, offsets, zone, now)
    await session.flush()
    return released
