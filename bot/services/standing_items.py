"""Standing agenda items the bot adds to a meeting not yet held, once each (the chair may move
or drop them): "Adoption of the minutes of meeting #N" when the previous meeting's minutes are a
draft, and "Review of action items" when earlier meetings left open actions. Their titles are
stored in English with the kind; readers see them translated (handlers/shared/agenda_text)."""

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.agenda import agenda, open_actions_before, renumber
from bot.services.members import audit
from storage.models import AgendaItem, Meeting, MinutesSnapshot

REVIEW_KIND = "action_review"
REVIEW_TITLE = "Review of action items"
REVIEW_MINUTES = 10
ADOPTION_KIND = "minutes_adopt"
ADOPTION_TITLE = "Adoption of the minutes of meeting #{id}"
ADOPTION_MINUTES = 5
_ADOPTED_ID = re.compile(r"#(\d+)$")


def adoption_meeting_id(title: str) -> int | None:
    """The meeting whose minutes an adoption item is about (its stored title ends with #N)."""
    found = _ADOPTED_ID.search(title)
    return int(found.group(1)) if found else None


async def ensure_standing_items(session: AsyncSession, meeting: Meeting, now: datetime) -> None:
    """The hook run whenever a meeting's agenda is shown or sent: adds what is due, once."""
    if meeting.status != "scheduled" or meeting.starts_at <= now:
        return
    kinds = set(await session.scalars(select(AgendaItem.kind).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.kind.in_((REVIEW_KIND, ADOPTION_KIND)))))
    if REVIEW_KIND not in kinds and await open_actions_before(session, meeting):
        await _add_first(session, meeting, REVIEW_TITLE, REVIEW_MINUTES, REVIEW_KIND, "agenda.review_added")
    if ADOPTION_KIND not in kinds:
        previous = await _draft_minutes_before(session, meeting)
        if previous is not None:
            await _add_first(session, meeting, ADOPTION_TITLE.format(id=previous), ADOPTION_MINUTES, ADOPTION_KIND,
                             "agenda.adoption_added")


async def _draft_minutes_before(session: AsyncSession, meeting: Meeting) -> int | None:
    """The latest meeting held before ``meeting`` whose minutes await adoption."""
    return await session.scalar(select(Meeting.id).join(MinutesSnapshot, MinutesSnapshot.meeting_id == Meeting.id)
                                .where(Meeting.starts_at < meeting.starts_at, Meeting.id != meeting.id,
                                       Meeting.record_closed_at.is_not(None), MinutesSnapshot.adopted_at.is_(None))
                                .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(1))


async def _add_first(session: AsyncSession, meeting: Meeting, title: str, minutes: int, kind: str,
                     action: str) -> None:
    items = await agenda(session, meeting)
    item = AgendaItem(meeting_id=meeting.id, position=1, title=title, minutes=minutes, status="approved", kind=kind)
    session.add(item)
    await renumber(session, [item, *items])
    await audit(session, None, action, "agenda_item", item.id, meeting=meeting.id)
