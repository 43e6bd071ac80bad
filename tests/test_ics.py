"""The .ics output read back twice: by a strict RFC 5545 reader written here, and by icalendar."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from bot.domain.ics import CalendarMeeting, meeting_calendar, meeting_uid
from bot.domain.recurrence import CANCELLED, effective_occurrences, parse_recurrence

BRUSSELS = ZoneInfo("Europe/Brussels")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
STAMP = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
TITLE = 'Comité de pilotage; INSP!R, "mars"'
AGENDA = "1. Ouverture (10 min)\n2. Budget, rapports; décisions\n3. Divers"
VIDEO = "https://meet.jit.si/inspir-comite"


# --- a strict, independent RFC 5545 reader -----------------------------------------------

PARAMETER = re.compile(r';([A-Za-z0-9-]+)=("[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*)')
CONTENT_LINE = re.compile(
    r'(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[A-Za-z0-9-]+=(?:"[^"\x00-\x1f]*"|[^";:,\x00-\x1f]*))*)'
    r":(?P<value>[^\x00-\x08\x0a-\x1f\x7f]*)"
)


@dataclass
class Property:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    properties: list[Property] = field(default_factory=list)
    children: list["Component"] = field(default_factory=list)

    def all(self, name: str) -> list[Property]:
        return [prop for prop in self.properties if prop.name == name]

    def one(self, name: str) -> Property:
        (prop,) = self.all(name)
        return prop

    def parts(self, name: str) -> list["Component"]:
        return [child for child in self.children if child.name == name]


def read_calendar(data: bytes) -> Component:
    text = data.decode("utf-8")
    assert text.endswith("\r\n"), "every content line ends with CRLF"
    physical = text[:-2].split("\r\n")
    assert not any("\n" in line or "\r" in line for line in physical), "no bare CR or LF"
    assert all(len(line.encode()) <= 75 for line in physical), "lines are folded at 75 octets"
    logical: list[str] = []
    for line in physical:
        if line[:1] in (" ", "\t"):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack = [Component("ROOT")]
    for line in logical:
        match = CONTENT_LINE.fullmatch(line)
        assert match, f"not a content line: {line!r}"
        name = match["name"].upper()
        params = {key.upper(): unquote_parameter(value) for key, value in PARAMETER.findall(match["params"])}
        if name == "BEGIN":
            child = Component(match["value"].upper())
            stack[-1].children.append(child)
            stack.append(child)
        elif name == "END":
            assert stack.pop().name == match["value"].upper(), "BEGIN/END mismatch"
        else:
            stack[-1].properties.append(Property(name, params, match["value"]))
    (calendar,) = stack.pop().children
    assert not stack and calendar.name == "VCALENDAR"
    return calendar


def unquote_parameter(value: str) -> str:
    """RFC 6868 caret encoding inside optional DQUOTEs."""
    value = value[1:-1] if value.startswith('"') else value
    return re.sub(r"\^(.)", lambda m: {"n": "\n", "'": '"', "^": "^"}.get(m[1], m[0]), value)


def read_text(value: str) -> str:
    assert not re.search(r"(?<!\\)(?:\\\\)*[;,]", value), "TEXT must escape ; and ,"
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def read_utc(value: str) -> datetime:
    assert value.endswith("Z")
    return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def read_local(prop: Property) -> datetime:
    return datetime.strptime(prop.value, "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo(prop.params["TZID"]))


def read_offset(value: str) -> timedelta:
    sign = -1 if value[0] == "-" else 1
    return sign * timedelta(hours=int(value[1:3]), minutes=int(value[3:5]))


def vtimezone_offsets(vtimezone: Component) -> list[tuple[datetime, timedelta]]:
    """(onset in UTC, offset from then on), as a client derives them from the VTIMEZONE alone.

    Each onset is a wall time read with its TZOFFSETFROM (RFC 5545 3.6.5).
    """
    changes = []
    for observance in vtimezone.children:
        onset = datetime.strptime(observance.one("DTSTART").value, "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        offset_from = read_offset(observance.one("TZOFFSETFROM").value)
        changes.append((onset - offset_from, read_offset(observance.one("TZOFFSETTO").value)))
    return sorted(changes)


def offset_at(changes: list[tuple[datetime, timedelta]], instant: datetime) -> timedelta:
    return [offset for onset, offset in changes if onset <= instant][-1]


# --- meetings ---------------------------------------------------------------------------


def one_off(**changes: object) -> CalendarMeeting:
    fields = {
        "meeting_id": 12,
        "title": TITLE,
        "start": datetime(2026, 5, 4, 13, 0, tzinfo=UTC),
        "duration": timedelta(minutes=90),
        "zone": BRUSSELS,
        "organizer_name": "Bart Verstraeten",
        "description": AGENDA,
        "video_url": VIDEO,
        "sequence": 2,
    }
    return CalendarMeeting(**(fields | changes))


SERIES_START = datetime(2026, 3, 17, 15, 0, tzinfo=BRUSSELS)
MOVED_TO = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def series(**changes: object) -> CalendarMeeting:
    fields = {
        "start": SERIES_START,
        "recurrence": parse_recurrence("chaque semaine"),
        "changes": {1: CANCELLED, 2: MOVED_TO},
    }
    return one_off(**(fields | changes))


def test_one_off_meeting_in_utc() -> None:
    calendar = read_calendar(meeting_calendar(one_off(), stamp=STAMP))
    assert calendar.one("VERSION").value == "2.0"
    assert calendar.one("PRODID").value
    assert calendar.one("METHOD").value == "REQUEST"
    assert calendar.parts("VTIMEZONE") == []
    (event,) = calendar.parts("VEVENT")
    assert event.one("UID").value == "meeting-12@inspir-bot"
    assert read_utc(event.one("DTSTART").value) == datetime(2026, 5, 4, 13, 0, tzinfo=UTC)
    assert event.one("DTSTART").params == {}
    assert read_utc(event.one("DTEND").value) == datetime(2026, 5, 4, 14, 30, tzinfo=UTC)
    assert event.all("DURATION") == [] and event.all("RRULE") == []
    assert read_utc(event.one("DTSTAMP").value) == STAMP
    assert event.one("SEQUENCE").value == "2"
    assert event.one("STATUS").value == "CONFIRMED"
    assert read_text(event.one("SUMMARY").value) == TITLE
    assert read_text(event.one("DESCRIPTION").value) == AGENDA
    assert event.one("URL").value == VIDEO
    assert read_text(event.one("LOCATION").value) == VIDEO
    organizer = event.one("ORGANIZER")
    assert (organizer.params, organizer.value) == ({"CN": "Bart Verstraeten"}, "mailto:noreply@invalid")


def test_cancellation_keeps_the_uid_and_raises_the_sequence() -> None:
    calendar = read_calendar(meeting_calendar(one_off(cancelled=True, sequence=3), stamp=STAMP))
    assert calendar.one("METHOD").value == "CANCEL"
    (event,) = calendar.parts("VEVENT")
    assert (event.one("UID").value, event.one("SEQUENCE").value, event.one("STATUS").value) == (
        "meeting-12@inspir-bot", "3", "CANCELLED",
    )


def test_optional_fields_are_left_out() -> None:
    (event,) = read_calendar(meeting_calendar(one_off(description="", video_url=None), stamp=STAMP)).parts("VEVENT")
    assert event.all("DESCRIPTION") == event.all("URL") == event.all("LOCATION") == []


def test_awkward_names_and_long_text_survive_folding_and_escaping() -> None:
    name = 'Ángeles "Gely" Carrión; Lima, Perú'
    description = "Ordre du jour — préparation des décisions régionales, " * 12
    data = meeting_calendar(one_off(organizer_name=name, description=description), stamp=STAMP)
    (event,) = read_calendar(data).parts("VEVENT")
    assert event.one("ORGANIZER").params["CN"] == name
    assert read_text(event.one("DESCRIPTION").value) == description


def test_uid_is_stable_and_can_name_another_domain() -> None:
    assert meeting_uid(12) == "meeting-12@inspir-bot"
    data = meeting_calendar(one_off(), stamp=STAMP, domain="bot.inspir.example")
    assert read_calendar(data).parts("VEVENT")[0].one("UID").value == "meeting-12@bot.inspir.example"


def test_changes_without_a_recurrence_are_refused() -> None:
    with pytest.raises(ValueError):
        one_off(changes={1: CANCELLED})


def test_series_is_written_in_its_zone_with_exdate_and_moved_occurrence() -> None:
    calendar = read_calendar(meeting_calendar(series(), stamp=STAMP))
    (vtimezone,) = calendar.parts("VTIMEZONE")
    assert vtimezone.one("TZID").value == "Europe/Brussels"
    master, moved = calendar.parts("VEVENT")
    assert master.one("DTSTART").params == {"TZID": "Europe/Brussels"}
    assert master.one("DTSTART").value == "20260317T150000"
    assert (master.one("DTEND").params, master.one("DTEND").value) == ({"TZID": "Europe/Brussels"}, "20260317T163000")
    assert master.one("RRULE").value == "FREQ=WEEKLY"
    assert master.one("EXDATE").params == {"TZID": "Europe/Brussels"}
    assert master.one("EXDATE").value == "20260324T150000"
    assert moved.one("UID").value == master.one("UID").value
    assert moved.one("RECURRENCE-ID").params == {"TZID": "Europe/Brussels"}
    assert moved.one("RECURRENCE-ID").value == "20260331T150000"
    assert read_utc(moved.one("DTSTART").value) == MOVED_TO
    assert moved.one("SEQUENCE").value == master.one("SEQUENCE").value


@pytest.mark.parametrize("zone_name", ["Europe/Brussels", "Asia/Kathmandu", "Asia/Kolkata", "America/Guatemala"])
def test_vtimezone_agrees_with_zoneinfo_every_half_hour_for_ten_years(zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    meeting = series(zone=zone, start=datetime(2026, 1, 6, 9, 0, tzinfo=zone), changes={})
    (vtimezone,) = read_calendar(meeting_calendar(meeting, stamp=STAMP)).parts("VTIMEZONE")
    changes = vtimezone_offsets(vtimezone)
    instant = datetime(2026, 1, 6, tzinfo=UTC)
    while instant < datetime(2036, 1, 1, tzinfo=UTC):
        assert offset_at(changes, instant) == instant.astimezone(zone).utcoffset(), instant
        instant += timedelta(minutes=30)


def test_vtimezone_onsets_use_the_wall_time_before_the_change() -> None:
    (vtimezone,) = read_calendar(meeting_calendar(series(), stamp=STAMP)).parts("VTIMEZONE")
    daylight, standard = vtimezone.parts("DAYLIGHT")[0], vtimezone.parts("STANDARD")[1]
    assert (daylight.one("DTSTART").value, daylight.one("TZNAME").value) == ("20260329T020000", "CEST")
    assert (standard.one("DTSTART").value, standard.one("TZOFFSETFROM").value) == ("20261025T030000", "+0200")
    (kathmandu,) = read_calendar(meeting_calendar(series(zone=KATHMANDU, start=datetime(2026, 3, 17, 15, 0, tzinfo=KATHMANDU), changes={}), stamp=STAMP)).parts("VTIMEZONE")
    (observance,) = kathmandu.parts("STANDARD")
    assert observance.one("TZOFFSETTO").value == "+0545"


def test_a_calendar_client_expands_the_series_as_the_bot_does() -> None:
    """RRULE + EXDATE + RECURRENCE-ID as read from the file, expanded by dateutil, equal effective_occurrences."""
    meeting = series()
    calendar = read_calendar(meeting_calendar(meeting, stamp=STAMP))
    master, moved = calendar.parts("VEVENT")
    dtstart = read_local(master.one("DTSTART"))
    excluded = {read_local(master.one("EXDATE")).astimezone(UTC)}
    replaced = {read_local(moved.one("RECURRENCE-ID")).astimezone(UTC): read_utc(moved.one("DTSTART").value)}
    client_view = sorted(
        replaced.get(start, start)
        for start in (moment.astimezone(UTC) for moment in islice(rrulestr(master.one("RRULE").value, dtstart=dtstart), 20))
        if start not in excluded
    )
    window_end = client_view[-1] + timedelta(seconds=1)
    bot_view = [
        occurrence.start
        for occurrence in effective_occurrences(
            meeting.start, meeting.zone, meeting.recurrence, meeting.changes,
            window_start=meeting.start, window_end=window_end,
        )
    ]
    assert bot_view == client_view


def test_icalendar_reads_back_what_was_written() -> None:
    meeting = series(sequence=5)
    data = meeting_calendar(meeting, stamp=STAMP)
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.to_ical() == data
    master, moved = calendar.walk("VEVENT")
    assert master.decoded("DTSTART") == SERIES_START
    assert master.decoded("DTEND") == datetime(2026, 3, 17, 16, 30, tzinfo=BRUSSELS)
    assert moved.decoded("DTEND") - moved.decoded("DTSTART") == timedelta(minutes=90)
    assert str(master["UID"]) == "meeting-12@inspir-bot"
    assert master.decoded("SEQUENCE") == 5
    assert str(master["SUMMARY"]) == TITLE
    assert str(master["DESCRIPTION"]) == AGENDA
    assert master["ORGANIZER"].params["CN"] == "Bart Verstraeten"
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY"
    assert [d.dt for d in master["EXDATE"].dts] == [datetime(2026, 3, 24, 15, 0, tzinfo=BRUSSELS)]
    assert moved.decoded("RECURRENCE-ID") == datetime(2026, 3, 31, 15, 0, tzinfo=BRUSSELS)
    assert moved.decoded("DTSTART") == MOVED_TO


def test_icalendar_reads_back_a_one_off() -> None:
    data = meeting_calendar(one_off(), stamp=STAMP)
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 5, 4, 13, 0, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["URL"]) == VIDEO
