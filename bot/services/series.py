"""Changing and stopping a meeting series (the series themselves: :mod:`bot.services.meetings`).

Stopping after occurrence N sets the head's RRULE ``UNTIL`` to N's original start and calls
off every later occurrence. Changing the rule from occurrence N on stops the old series just
before N and makes N the head of a new series with the new rule (anchored at N's current
start), so earlier meetings, their minutes and answers stay as they were. Both return what
changed, for the handlers to announce once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services.meetings import (
    ANCHORED, NotScheduled, check_changeable, extend_series, original_starts, series_head, series_rows,
)
from bot.services.members import audit
from bot.domain.recurrence import Recurrence, anchored, from_rrule, occurrence_starts, to_rrule
from bot.services.reminders import replan_meeting
from storage.models import Meeting, Member


class NotInSeries(NotScheduled):
    """The meeting does not belong to a repeating series."""


@dataclass
class SeriesChange:
    head: Meeting
    last_kept: Meeting | None = None
    called_off: list[Meeting] = field(default_factory=list)
    created: list[Meeting] = field(default_factory=list)
    unchanged: bool = False


async def _call_off_after(rows: list[Meeting], originals: dict[int, datetime], cut: datetime, *,
                          session, by: Member | None, now: datetime,  # type: ignore[no-untyped-def]
                          offsets: list[timedelta]) -> list[Meeting]:
    called_off = []
    for row in sorted(rows, key=lambda r: originals[r.id]):
        if originals[row.id] > cut and row.status == "scheduled" and row.starts_at > now:
            row.status, row.series_id = "cancelled", None  # no longer an occurrence of the series
            row.sequence += 1
            await audit(session, by, "meeting.cancelled", "meeting", row.id, by_series=True)
            await replan_meeting(session, row, offsets, now)
            called_off.append(row)
    return called_off


async def _series_of(session, meeting: Meeting):  # type: ignore[no-untyped-def]
    head = await series_head(session, meeting)
    if head is None or not head.recurrence:
        raise NotInSeries(meeting.id)
    rows = await series_rows(session, head.id)
    return head, rows, await original_starts(session, rows)


async def stop_series(session, meeting: Meeting, *, by: Member | None, now: datetime,  # type: ignore[no-untyped-def]
                      offsets: list[timedelta]) -> SeriesChange:
    """The series ends with ``meeting``: no occurrence after it."""
    check_changeable(meeting, now)
    head, rows, originals = await _series_of(session, meeting)
    cut = originals[meeting.id]
    if from_rrule(head.recurrence).until == cut:
        return SeriesChange(head, meeting, unchanged=True)
    head.recurrence = to_rrule(replace(from_rrule(head.recurrence), until=cut))
    head.sequence += 1
    await audit(session, by, "meeting.series_stopped", "meeting", head.id, last=meeting.id)
    called_off = await _call_off_after(rows, originals, cut, session=session, by=by, now=now, offsets=offsets)
    return SeriesChange(head, meeting, called_off)


async def change_series(session, meeting: Meeting, rule: Recurrence, *, by: Member | None,  # type: ignore[no-untyped-def]
                        now: datetime, offsets: list[timedelta]) -> SeriesChange:
    """From ``meeting`` on, the series follows ``rule``. Raises ``StartNotOnRule`` when the
    meeting's date does not fit the new rule (nothing is changed then)."""
    check_changeable(meeting, now)
    head, rows, originals = await _series_of(session, meeting)
    zone = ZoneInfo(meeting.timezone)
    rule = anchored(rule, meeting.starts_at.astimezone(zone).date())
    next(occurrence_starts(meeting.starts_at, zone, rule))  # StartNotOnRule before any change
    cut = originals[meeting.id]
    called_off = await _call_off_after(rows, originals, cut, session=session, by=by, now=now, offsets=offsets)
    if meeting.id != head.id:
        head.recurrence = to_rrule(replace(from_rrule(head.recurrence), until=cut - timedelta(seconds=1)))
        head.sequence += 1
    meeting.series_id, meeting.recurrence = meeting.id, to_rrule(rule)
    meeting.sequence += 1
    await audit(session, by, ANCHORED, "meeting", meeting.id, at=meeting.starts_at.isoformat(),
                previous_head=head.id, rrule=meeting.recurrence)
    await session.flush()
    created = await extend_series(session, meeting, now=now, offsets=offsets)
    return SeriesChange(meeting, None, called_off, created)
