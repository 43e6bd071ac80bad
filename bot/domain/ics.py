"""A meeting as an RFC 5545 / iTIP calendar file that members import into any calendar.

A one-off meeting is written in UTC: nothing to interpret. A recurring one is
written in its zone (DTSTART;TZID + VTIMEZONE), because a UTC DTSTART with an
RRULE repeats the same UTC instant and would drift by an hour in Brussels at
each DST change. The VTIMEZONE is built here from zoneinfo (icalendar 7.3's
generator puts spring-forward onsets one hour late).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.domain.meeting_time import first_instant_with_new_offset
from bot.domain.recurrence import (
    Cancelled,
    OccurrenceChange,
    OccurrenceKey,
    OccurrenceOverride,
    Recurrence,
    resolve_changes,
    to_rrule,
)

if TYPE_CHECKING:  # icalendar loads with the first calendar file: a bot that sends none is ~3 MiB lighter
    from icalendar import Event, Timezone, TimezoneDaylight, TimezoneStandard

PRODID = "-//INSP!R//inspir-bot//EN"
DEFAULT_UID_DOMAIN = "inspir-bot"
# RFC 2606 reserves .invalid: calendars accept the address and replies go nowhere.
VTIMEZONE_YEARS = 10


@dataclass(frozen=True)
class CalendarMeeting:
    """What a calendar needs; `sequence` must grow with every update the members receive."""

    meeting_id: int
    title: str
    start: datetime
    duration: timedelta
    zone: ZoneInfo  # the zone a recurrence is anchored in
    organizer_name: str
    description: str = ""
    video_url: str | None = None
    recurrence: Recurrence | None = None
    changes: Mapping[OccurrenceKey, OccurrenceChange] = field(default_factory=dict)
    sequence: int = 0
    cancelled: bool = False

    def __post_init__(self) -> None:
        if self.changes and self.recurrence is None:
            raise ValueError("occurrence changes need a recurrence")


def meeting_uid(meeting_id: int, domain: str = DEFAULT_UID_DOMAIN) -> str:
    """Stable across updates, so calendars replace the event instead of duplicating it."""
    return f"meeting-{meeting_id}@{domain}"


def meeting_calendar(
    meeting: CalendarMeeting, *, stamp: datetime, domain: str = DEFAULT_UID_DOMAIN
) -> bytes:
    """The .ics bytes, METHOD:PUBLISH: a file to add to a calendar, not an invitation to answer
    (REQUEST made some apps ask for a reply to a fake organiser). A cancelled meeting keeps its
    UID with STATUS:CANCELLED and a higher SEQUENCE, so importing it again removes it."""
    from icalendar import Calendar, vRecur, vText

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(meeting.organizer_name))
    uid = meeting_uid(meeting.meeting_id, domain)
    if meeting.recurrence is None:
        calendar.add_component(_event(meeting, uid, stamp, meeting.start.astimezone(UTC)))
        return calendar.to_ical()

    series = _event(meeting, uid, stamp, meeting.start.astimezone(meeting.zone))
    series.add("rrule", vRecur.from_ical(to_rrule(meeting.recurrence)))
    overrides = resolve_changes(meeting.start, meeting.zone, meeting.recurrence, meeting.changes)
    cancelled = [
        override.original_start.astimezone(meeting.zone)
        for override in overrides
        if isinstance(override.change, Cancelled)
    ]
    if cancelled:
        series.add("exdate", cancelled)
    calendar.add_component(_vtimezone(meeting.zone, meeting.start, _vtimezone_end(meeting, overrides)))
    calendar.add_component(series)
    for override in overrides:
        if isinstance(override.change, datetime):
            moved = _event(meeting, uid, stamp, override.change.astimezone(UTC))
            moved.add("recurrence-id", override.original_start.astimezone(meeting.zone))
            calendar.add_component(moved)
    return calendar.to_ical()


def _vtimezone_end(meeting: CalendarMeeting, overrides: tuple[OccurrenceOverride, ...]) -> datetime:
    """How far the VTIMEZONE must reach: some years, and every changed occurrence."""
    horizon = meeting.start + timedelta(days=365 * VTIMEZONE_YEARS)
    return max([horizon, *(override.original_start for override in overrides)]) + timedelta(days=1)


def _event(meeting: CalendarMeeting, uid: str, stamp: datetime, start: datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add("dtstart", start)
    # DTEND rather than DURATION: every calendar reads it; an exact duration either way.
    event.add("dtend", (start.astimezone(UTC) + meeting.duration).astimezone(start.tzinfo))
    event.add("summary", meeting.title)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if meeting.description:
        event.add("description", meeting.description)
    if meeting.video_url:
        event.add("url", meeting.video_url)
        event.add("location", meeting.video_url)
    return event


def _vtimezone(zone: ZoneInfo, first: datetime, last: datetime) -> Timezone:
    """Every offset change of `zone` between two instants, one observance each.

    An observance's DTSTART is the wall time just before the change, read with
    TZOFFSETFROM (RFC 5545 3.6.5), e.g. 02:00 for Brussels' spring forward.
    """
    from icalendar import Timezone

    timezone = Timezone()
    timezone.add("tzid", zone.key)
    instant = (first - timedelta(days=1)).astimezone(UTC)
    local = instant.astimezone(zone)
    timezone.add_component(_observance(local, local.utcoffset(), local.replace(tzinfo=None)))
    while instant < last:
        following = instant + timedelta(days=1)
        before, after = instant.astimezone(zone), following.astimezone(zone)
        if before.utcoffset() != after.utcoffset():
            change = first_instant_with_new_offset(zone, instant, following)
            onset = (change + before.utcoffset()).replace(tzinfo=None)
            timezone.add_component(_observance(change.astimezone(zone), before.utcoffset(), onset))
        instant = following
    return timezone


def _observance(
    local: datetime, offset_from: timedelta | None, onset: datetime
) -> TimezoneStandard | TimezoneDaylight:
    from icalendar import TimezoneDaylight, TimezoneStandard

    observance = TimezoneDaylight() if local.dst() else TimezoneStandard()
    observance.add("dtstart", onset)
    observance.add("tzoffsetfrom", offset_from)
    observance.add("tzoffsetto", local.utcoffset())
    observance.add("tzname", local.tzname())
    return observance
