"""Meetings as the committee runs them: create, move, cancel, answer, repeat, and their agendas.

Plain async functions on the caller's session: no Telegram types and no sentences. Every
change is audited and re-plans the meeting's reminders (:func:`bot.services.reminders.replan_meeting`)
in the same transaction. Problems are exceptions carrying data; the handlers phrase them.

Series. A recurring meeting is its first meeting (the *head*: ``recurrence`` holds the RRULE,
``series_id`` its own id) plus one ``Meeting`` row per later occurrence (``series_id`` = the
head's id), so each occurrence is a meeting of its own: moved, cancelled, answered, given an
agenda alone. Rows are materialised over a rolling horizon: every occurrence starting within
:data:`SERIES_HORIZON` (90 days) of now, and at least :data:`SERIES_MIN_AHEAD` upcoming ones.
The horizon is extended when a series is created, when one of its occurrences changes and by
the periodic upkeep every few hours (:func:`extend_all_series`), never by a member reading:
listing meetings writes nothing.

An occurrence's original start (its RECURRENCE-ID in the .ics) is not a column: it is read
from the audit trail, where the first ``meeting.rescheduled`` entry of a row records where it
was (``details["from"]``); a row never moved still is where the series put it. This keeps the
schema as it is; the audit trail is append-only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.ics import CalendarMeeting, meeting_calendar
from bot.domain.meeting_time import MEETING_MAX_DURATION, MEETING_MIN_DURATION
from bot.input.numbers import MAX_ID
from bot.services.members import audit
from bot.domain.recurrence import (
    CANCELLED,
    OccurrenceChange,
    Recurrence,
    anchored,
    from_rrule,
    occurrence_starts,
    to_rrule,
)
from bot.services.reminders import replan_meeting
from bot.domain.series_titles import retitle
from storage.models import AuditEntry, Meeting, Member, Rsvp
from storage.upsert import upsert

MAX_TITLE = 200
DEFAULT_DURATION = 90
MIN_DURATION = int(MEETING_MIN_DURATION.total_seconds() // 60)
MAX_DURATION = MAX_ITEM_MINUTES = int(MEETING_MAX_DURATION.total_seconds() // 60)  # an item fits a meeting
MAX_LINK = 500
RSVP_ANSWERS = ("yes", "no", "maybe")
SERIES_HORIZON = timedelta(days=90)
SERIES_MIN_AHEAD = 4
DRAFT = "draft"  # a meeting's status until the chair confirms a slot that puts someone at night
ANCHORED = "meeting.series_anchored"  # audit: a row became a series head at this start


# --- errors ------------------------------------------------------------------------------


class MeetingError(Exception):
    """Base of the errors below."""


@dataclass(eq=False)
class EmptyTitle(MeetingError):
    pass


@dataclass(eq=False)
class TitleTooLong(MeetingError):
    limit: int


@dataclass(eq=False)
class BadDuration(MeetingError):
    minimum: int
    maximum: int


@dataclass(eq=False)
class NotScheduled(MeetingError):
    """The meeting was cancelled: it cannot be moved, answered or repeated."""

    meeting_id: int


@dataclass(eq=False)
class MeetingOver(MeetingError):
    """The meeting has already ended."""

    meeting_id: int


@dataclass(eq=False)
class AlreadyRecurring(MeetingError):
    meeting_id: int


@dataclass(eq=False)
class BadLink(MeetingError):
    pass


# --- small parsers -----------------------------------------------------------------------


def clean_title(text: str, limit: int = MAX_TITLE) -> str:
    """Whitespace collapsed; empty and overlong titles refused (HTML is escaped on output)."""
    title = " ".join((text or "").split())
    if not title:
        raise EmptyTitle()
    if len(title) > limit:
        raise TitleTooLong(limit)
    return title


def check_duration(minutes: int) -> int:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        raise BadDuration(MIN_DURATION, MAX_DURATION)
    return minutes


def clean_link(url: str) -> str:
    """An http(s) URL with a host, no spaces, no quotes or angle brackets."""
    from urllib.parse import urlsplit

    url = (url or "").strip()
    if len(url) > MAX_LINK or any(c.isspace() or c in "<>\"'`" for c in url):
        raise BadLink()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise BadLink() from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadLink()
    return url


def ends_at(meeting: Meeting) -> datetime:
    return meeting.starts_at + timedelta(minutes=meeting.duration_minutes)


# --- reading -----------------------------------------------------------------------------


async def get_meeting(session: AsyncSession, meeting_id: int | None) -> Meeting | None:
    if meeting_id is None or meeting_id > MAX_ID:
        return None
    return await session.get(Meeting, meeting_id)


async def upcoming(session: AsyncSession, now: datetime, limit: int = 20) -> list[Meeting]:
    """Scheduled meetings not yet over, soonest first."""
    rows = await session.scalars(select(Meeting).where(
        Meeting.status == "scheduled", Meeting.starts_at >= now - timedelta(minutes=MAX_DURATION),
    ).order_by(Meeting.starts_at, Meeting.id))
    return [m for m in rows if ends_at(m) > now][:limit]


async def next_meeting(session: AsyncSession, now: datetime) -> Meeting | None:
    found = await upcoming(session, now, limit=1)
    return found[0] if found else None


async def rsvp_counts(session: AsyncSession, meeting_ids: list[int]) -> dict[int, Counter[str]]:
    counts: dict[int, Counter[str]] = {mid: Counter() for mid in meeting_ids}
    if meeting_ids:
        rows = await session.execute(select(Rsvp.meeting_id, Rsvp.answer, func.count()).where(
            Rsvp.meeting_id.in_(meeting_ids)).group_by(Rsvp.meeting_id, Rsvp.answer))
        for meeting_id, answer, number in rows:
            counts[meeting_id][answer] = number
    return counts


async def rsvps(session: AsyncSession, meeting: Meeting) -> dict[int, str]:
    """member id → answer."""
    rows = await session.execute(select(Rsvp.member_id, Rsvp.answer).where(Rsvp.meeting_id == meeting.id))
    return dict(rows.tuples().all())


# --- creating and changing -------------------------------------------------------------


async def create_meeting(session: AsyncSession, *, title: str, starts_at: datetime, zone: str,
                         duration_minutes: int, by: Member | None, now: datetime,
                         offsets: list[timedelta], link: str | None = None,
                         series_id: int | None = None, draft: bool = False) -> Meeting:
    """A scheduled meeting with its reminders planned (``starts_at`` aware, in the future); a
    ``draft`` (waiting for the chair to confirm a night slot) is neither reminded nor listed."""
    ZoneInfo(zone)  # an unknown zone is a programming error here: the handlers resolve it
    meeting = Meeting(title=clean_title(title), starts_at=starts_at.astimezone(UTC),
                      duration_minutes=check_duration(duration_minutes), timezone=zone,
                      link=clean_link(link) if link else None, series_id=series_id,
                      status=DRAFT if draft else "scheduled",
                      sequence=0, created_by_id=by.id if by else None, created_at=now)
    session.add(meeting)
    await session.flush()
    await audit(session, by, "meeting.created", "meeting", meeting.id, series=series_id)
    await replan_meeting(session, meeting, offsets, now)
    return meeting


async def confirm_draft(session: AsyncSession, meeting: Meeting, *, by: Member | None, now: datetime,
                        offsets: list[timedelta], keep: bool) -> None:
    """The chair's answer to a draft: scheduled (reminders planned) or dropped, never announced."""
    if meeting.status != DRAFT:
        raise NotScheduled(meeting.id)
    meeting.status = "scheduled" if keep else "cancelled"
    await audit(session, by, "meeting.confirmed" if keep else "meeting.dropped", "meeting", meeting.id)
    await replan_meeting(session, meeting, offsets, now)


def check_changeable(meeting: Meeting, now: datetime) -> None:
    """A cancelled meeting, or one already over, is not changed (its agenda neither)."""
    if meeting.status != "scheduled":
        raise NotScheduled(meeting.id)
    if ends_at(meeting) <= now:
        raise MeetingOver(meeting.id)


async def reschedule(session: AsyncSession, meeting: Meeting, new_start: datetime, *, by: Member | None,
                     now: datetime, offsets: list[timedelta], zone: str | None = None) -> datetime:
    """Move one meeting (one occurrence of a series); the previous start is returned."""
    check_changeable(meeting, now)
    previous = meeting.starts_at
    meeting.starts_at = new_start.astimezone(UTC)
    if zone and meeting.recurrence is None and meeting.series_id is None:
        meeting.timezone = zone  # a one-off meeting follows the zone it was moved in
    meeting.sequence += 1
    await audit(session, by, "meeting.rescheduled", "meeting", meeting.id,
                **{"from": previous.isoformat(), "to": meeting.starts_at.isoformat()})
    await replan_meeting(session, meeting, offsets, now)
    return previous


async def cancel(session: AsyncSession, meeting: Meeting, *, by: Member | None, now: datetime,
                 offsets: list[timedelta]) -> None:
    """Call one meeting (one occurrence) off; its pending reminders are cancelled."""
    check_changeable(meeting, now)
    meeting.status = "cancelled"
    meeting.sequence += 1
    await audit(session, by, "meeting.cancelled", "meeting", meeting.id)
    await replan_meeting(session, meeting, offsets, now)


async def set_link(session: AsyncSession, meeting: Meeting, url: str, *, by: Member | None,
                   now: datetime) -> None:
    check_changeable(meeting, now)
    meeting.link = clean_link(url)
    meeting.sequence += 1
    await audit(session, by, "meeting.link_set", "meeting", meeting.id)


async def rename(session: AsyncSession, meeting: Meeting, title: str, *, by: Member | None,
                 now: datetime) -> None:
    """A new title (meetings made from a slot start with a default one)."""
    check_changeable(meeting, now)
    meeting.title = clean_title(title)
    meeting.sequence += 1
    await audit(session, by, "meeting.renamed", "meeting", meeting.id)


async def set_rsvp(session: AsyncSession, meeting: Meeting, member: Member, answer: str, *,
                   now: datetime, offsets: list[timedelta]) -> str | None:
    """Record ``member``'s answer (yes, no, maybe); the previous one is returned."""
    if answer not in RSVP_ANSWERS:
        raise ValueError(answer)
    check_changeable(meeting, now)
    previous = await session.scalar(select(Rsvp.answer).where(Rsvp.meeting_id == meeting.id,
                                                              Rsvp.member_id == member.id))
    await upsert(session, Rsvp, [{"meeting_id": meeting.id, "member_id": member.id, "answer": answer,
                                  "updated_at": now}], key=("meeting_id", "member_id"), update=("answer", "updated_at"))
    await audit(session, member, "meeting.rsvp", "meeting", meeting.id, answer=answer)
    await replan_meeting(session, meeting, offsets, now)
    return previous


# --- series ------------------------------------------------------------------------------


async def series_rows(session: AsyncSession, head_id: int) -> list[Meeting]:
    return list(await session.scalars(select(Meeting).where(
        or_(Meeting.series_id == head_id, Meeting.id == head_id)).order_by(Meeting.id)))


async def series_head(session: AsyncSession, meeting: Meeting) -> Meeting | None:
    if meeting.series_id is None:
        return meeting if meeting.recurrence else None
    return meeting if meeting.series_id == meeting.id else await session.get(Meeting, meeting.series_id)


async def original_starts(session: AsyncSession, meetings: list[Meeting]) -> dict[int, datetime]:
    """Where each meeting was first scheduled (see the module's docstring)."""
    found = {m.id: m.starts_at for m in meetings}
    if not found:
        return found
    entries = await session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(("meeting.rescheduled", ANCHORED)), AuditEntry.entity_type == "meeting",
        AuditEntry.entity_id.in_(list(found))).order_by(AuditEntry.id))
    settled: set[int] = set()
    for entry in entries:  # oldest first: the first move counts, unless the row was re-anchored since
        details = entry.details if isinstance(entry.details, dict) else {}
        if entry.action == ANCHORED and details.get("at"):
            found[entry.entity_id] = datetime.fromisoformat(details["at"]).astimezone(UTC)
            settled.add(entry.entity_id)
        elif entry.entity_id not in settled and details.get("from"):
            found[entry.entity_id] = datetime.fromisoformat(details["from"]).astimezone(UTC)
            settled.add(entry.entity_id)
    return found


async def make_recurring(session: AsyncSession, meeting: Meeting, rule: Recurrence, *, by: Member | None,
                         now: datetime, offsets: list[timedelta]) -> list[Meeting]:
    """Turn a one-off meeting into the head of a series; the occurrences materialised.

    Raises :class:`bot.domain.recurrence.StartNotOnRule` when the meeting's date does not fit the
    rule (a "first Tuesday" series must start on a first Tuesday)."""
    check_changeable(meeting, now)
    if meeting.recurrence or meeting.series_id is not None:
        raise AlreadyRecurring(meeting.id)
    originals = await original_starts(session, [meeting])
    rule = anchored(rule, originals[meeting.id].astimezone(ZoneInfo(meeting.timezone)).date())
    next(occurrence_starts(originals[meeting.id], ZoneInfo(meeting.timezone), rule))  # StartNotOnRule
    meeting.recurrence = to_rrule(rule)
    meeting.series_id = meeting.id
    meeting.sequence += 1
    await audit(session, by, "meeting.recurrence_set", "meeting", meeting.id, rrule=meeting.recurrence)
    return await extend_series(session, meeting, now=now, offsets=offsets)


async def extend_series(session: AsyncSession, head: Meeting, *, now: datetime, offsets: list[timedelta],
                        horizon: timedelta = SERIES_HORIZON, min_ahead: int = SERIES_MIN_AHEAD) -> list[Meeting]:
    """Materialise the series' occurrences up to the horizon; the rows created."""
    if not head.recurrence:
        return []
    rule = from_rrule(head.recurrence)
    rows = await series_rows(session, head.id)
    originals = await original_starts(session, rows)
    last_known = max(originals.values())
    limit = now + horizon
    ahead, created = 0, []
    zone = ZoneInfo(head.timezone)
    first_day = originals[head.id].astimezone(zone).date()
    for start in occurrence_starts(originals[head.id], zone, rule):
        if start > now:
            ahead += 1
        if start > limit and ahead > min_ahead:
            break
        if start <= last_known or start <= now:
            continue
        row = Meeting(title=retitle(head.title, first_day, start.astimezone(zone).date()), starts_at=start, duration_minutes=head.duration_minutes,
                      timezone=head.timezone, link=head.link, series_id=head.id, status="scheduled",
                      reminder_offsets=head.reminder_offsets, sequence=0,
                      created_by_id=head.created_by_id, created_at=now)
        session.add(row)
        created.append(row)
    if created:
        await session.flush()
        await audit(session, None, "meeting.series_extended", "meeting", head.id,
                    created=[row.id for row in created])
        for row in created:
            await replan_meeting(session, row, offsets, now)
    return created


async def extend_all_series(session: AsyncSession, *, now: datetime, offsets: list[timedelta]) -> list[Meeting]:
    heads = await session.scalars(select(Meeting).where(Meeting.recurrence.is_not(None)))
    created: list[Meeting] = []
    for head in list(heads):
        created += await extend_series(session, head, now=now, offsets=offsets)
    return created


async def series_changes(session: AsyncSession, head: Meeting) -> tuple[datetime, dict[datetime, OccurrenceChange], int]:
    """The series' anchor, its moved and cancelled occurrences keyed by original start, and a
    sequence that grows with every change to any of its occurrences."""
    rows = await series_rows(session, head.id)
    originals = await original_starts(session, rows)
    changes: dict[datetime, OccurrenceChange] = {}
    for row in rows:
        if row.status == "cancelled":
            changes[originals[row.id]] = CANCELLED
        elif row.starts_at != originals[row.id]:
            changes[originals[row.id]] = row.starts_at
    return originals[head.id], changes, sum(row.sequence for row in rows)


async def calendar_file(session: AsyncSession, meeting: Meeting, *, organizer: str, stamp: datetime,
                        description: str = "") -> bytes:
    """The .ics of a meeting, or of its whole series (RRULE, EXDATE, moved occurrences)."""
    head = await series_head(session, meeting)
    if head is None:
        calendar = CalendarMeeting(
            meeting_id=meeting.id, title=meeting.title, start=meeting.starts_at,
            duration=timedelta(minutes=meeting.duration_minutes), zone=ZoneInfo(meeting.timezone),
            organizer_name=organizer, description=description, video_url=meeting.link,
            sequence=meeting.sequence, cancelled=meeting.status == "cancelled")
    else:
        anchor, changes, sequence = await series_changes(session, head)
        calendar = CalendarMeeting(
            meeting_id=head.id, title=head.title, start=anchor,
            duration=timedelta(minutes=head.duration_minutes), zone=ZoneInfo(head.timezone),
            organizer_name=organizer, description=description, video_url=head.link,
            recurrence=from_rrule(head.recurrence or ""), changes=changes, sequence=sequence)
    return meeting_calendar(calendar, stamp=stamp)


__all__ = [
    "DEFAULT_DURATION", "MAX_TITLE", "RSVP_ANSWERS", "SERIES_HORIZON", "SERIES_MIN_AHEAD",
    "AlreadyRecurring", "BadDuration", "BadLink", "EmptyTitle", "MeetingError", "MeetingOver",
    "NotScheduled", "TitleTooLong", "calendar_file", "cancel", "check_duration", "clean_link",
    "clean_title", "check_changeable", "create_meeting", "ends_at", "extend_all_series", "extend_series", "get_meeting",
    "make_recurring", "next_meeting", "original_starts", "reschedule", "rsvp_counts", "rsvps",
    "series_changes", "series_head", "series_rows", "set_link", "set_rsvp", "upcoming",
]
