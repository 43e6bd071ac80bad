from datetime import UTC, datetime, time, timedelta
from time import perf_counter
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.meeting_time import (
    AmbiguousLocalTime,
    DurationOutOfRange,
    MalformedDateTime,
    MalformedDuration,
    MalformedWorkingHours,
    NonexistentDate,
    PastDateTime,
    SkippedLocalTime,
    UnknownTimezone,
    WorkingHours,
    format_local,
    local_to_utc,
    parse_duration,
    parse_local_datetime,
    parse_meeting_start,
    parse_working_hours,
    resolve_timezone,
    within_working_hours,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
JAKARTA = ZoneInfo("Asia/Jakarta")
GUATEMALA = ZoneInfo("America/Guatemala")
COMMITTEE_ZONES = [
    "America/Guatemala", "America/Lima", "America/La_Paz", "Africa/Lome", "Africa/Ouagadougou",
    "Europe/Brussels", "Africa/Kinshasa", "Africa/Lubumbashi", "Asia/Kolkata", "Asia/Kathmandu",
    "Asia/Jakarta",
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- typed dates and times ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("2026-05-04 15:00", BRUSSELS, utc(2026, 5, 4, 13, 0)),
        ("2026-01-04 15:00", BRUSSELS, utc(2026, 1, 4, 14, 0)),
        ("2026-05-04 9:05", KOLKATA, utc(2026, 5, 4, 3, 35)),
        ("2026-05-04T09:05", KATHMANDU, utc(2026, 5, 4, 3, 20)),
        ("  2026-05-04   09:05 ", JAKARTA, utc(2026, 5, 4, 2, 5)),
        ("2026-05-04 00:10", KATHMANDU, utc(2026, 5, 3, 18, 25)),
        ("2026-12-31 20:00", GUATEMALA, utc(2027, 1, 1, 2, 0)),
        ("2028-02-29 12:00", GUATEMALA, utc(2028, 2, 29, 18, 0)),
    ],
)
def test_typed_local_time_becomes_utc(text: str, zone: ZoneInfo, expected: datetime) -> None:
    assert parse_local_datetime(text, zone) == expected


@pytest.mark.parametrize(
    "text",
    ["", "tomorrow", "2026-05-04", "15:00", "2026/05/04 15:00", "04-05-2026 15:00",
     "2026-05-04 24:00", "2026-05-04 12:60", "2026-05-04 15h00", "2026-05-04 15:00:00"],
)
def test_malformed_date_time(text: str) -> None:
    with pytest.raises(MalformedDateTime) as error:
        parse_local_datetime(text, BRUSSELS)
    assert error.value.text == text


@pytest.mark.parametrize(
    ("text", "fields"),
    [("2026-02-30 10:00", (2026, 2, 30)), ("2027-02-29 10:00", (2027, 2, 29)), ("2026-13-01 10:00", (2026, 13, 1))],
)
def test_date_that_does_not_exist(text: str, fields: tuple[int, int, int]) -> None:
    with pytest.raises(NonexistentDate) as error:
        parse_local_datetime(text, BRUSSELS)
    assert (error.value.year, error.value.month, error.value.day) == fields


@pytest.mark.parametrize("clock", ["02:00", "02:30", "02:59"])
def test_spring_forward_gap_is_reported_with_its_bounds(clock: str) -> None:
    with pytest.raises(SkippedLocalTime) as error:
        parse_local_datetime(f"2026-03-29 {clock}", BRUSSELS)
    skipped = error.value
    assert skipped.zone == "Europe/Brussels"
    assert skipped.local == datetime.fromisoformat(f"2026-03-29 {clock}")
    assert (skipped.gap_start, skipped.gap_end) == (datetime(2026, 3, 29, 2, 0), datetime(2026, 3, 29, 3, 0))


def test_times_around_the_spring_gap_are_exact() -> None:
    assert parse_local_datetime("2026-03-29 01:59", BRUSSELS) == utc(2026, 3, 29, 0, 59)
    assert parse_local_datetime("2026-03-29 03:00", BRUSSELS) == utc(2026, 3, 29, 1, 0)


@pytest.mark.parametrize("clock", ["02:00", "02:30", "02:59"])
def test_fall_back_repeated_time_offers_both_instants(clock: str) -> None:
    with pytest.raises(AmbiguousLocalTime) as error:
        parse_local_datetime(f"2026-10-25 {clock}", BRUSSELS)
    ambiguous = error.value
    minute = int(clock[-2:])
    assert ambiguous.earlier_utc == utc(2026, 10, 25, 0, minute)  # still CEST, +02:00
    assert ambiguous.later_utc == utc(2026, 10, 25, 1, minute)  # CET again, +01:00
    assert ambiguous.zone == "Europe/Brussels"


def test_times_around_the_fall_back_are_exact() -> None:
    assert parse_local_datetime("2026-10-25 01:59", BRUSSELS) == utc(2026, 10, 24, 23, 59)
    assert parse_local_datetime("2026-10-25 03:00", BRUSSELS) == utc(2026, 10, 25, 2, 0)


def test_meeting_cannot_start_in_the_past() -> None:
    now = utc(2026, 5, 4, 13, 0)
    assert parse_meeting_start("2026-05-04 15:01", BRUSSELS, now=now) == utc(2026, 5, 4, 13, 1)
    for text in ("2026-05-04 15:00", "2026-05-04 14:59", "2025-05-04 15:00"):
        with pytest.raises(PastDateTime) as error:
            parse_meeting_start(text, BRUSSELS, now=now)
        assert error.value.now_utc == now
        assert error.value.when_utc == parse_local_datetime(text, BRUSSELS)


def test_past_check_accepts_now_in_any_zone() -> None:
    now = datetime(2026, 5, 4, 18, 45, tzinfo=KATHMANDU)  # 13:00 UTC
    with pytest.raises(PastDateTime) as error:
        parse_meeting_start("2026-05-04 14:00", BRUSSELS, now=now)
    assert error.value.now_utc == utc(2026, 5, 4, 13, 0)


instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(second=0, microsecond=0))


@given(instants, st.sampled_from(COMMITTEE_ZONES))
def test_format_then_parse_gives_back_the_instant(moment: datetime, zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    text = format_local(moment, zone)
    try:
        assert parse_local_datetime(text, zone) == moment
    except AmbiguousLocalTime as ambiguous:
        assert moment in (ambiguous.earlier_utc, ambiguous.later_utc)


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)), st.sampled_from(COMMITTEE_ZONES))
def test_conversion_agrees_with_zoneinfo(local: datetime, zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    first, second = (local.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    try:
        converted = local_to_utc(local, zone)
    except SkippedLocalTime:
        assert first.astimezone(zone).replace(tzinfo=None) != local
    except AmbiguousLocalTime as ambiguous:
        assert (ambiguous.earlier_utc, ambiguous.later_utc) == (first, second)
        assert first != second
    else:
        assert converted == first == second
        assert converted.astimezone(zone).replace(tzinfo=None) == local


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)))
def test_zones_without_dst_never_refuse_a_time(local: datetime) -> None:
    for zone in (KOLKATA, KATHMANDU, JAKARTA, GUATEMALA):
        assert local_to_utc(local, zone).astimezone(zone).replace(tzinfo=None) == local


# --- durations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("90", 90), ("90m", 90), ("90 min", 90), ("1h30", 90), ("1h30m", 90), ("2h", 120),
     ("5", 5), ("720", 720), ("12h", 720), ("45MN", 45)],
)
def test_meeting_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(("text", "expected"), [("2d", timedelta(days=2)), ("24h", timedelta(hours=24)), ("90m", timedelta(minutes=90))])
def test_config_durations_with_their_own_limits(text: str, expected: timedelta) -> None:
    assert parse_duration(text, minimum=timedelta(minutes=1), maximum=timedelta(days=7)) == expected


@pytest.mark.parametrize(("text", "minutes"), [("4", 4), ("0", 0), ("721", 721), ("13h", 780), ("1d", 1440)])
def test_duration_out_of_meeting_range(text: str, minutes: int) -> None:
    with pytest.raises(DurationOutOfRange) as error:
        parse_duration(text)
    assert error.value.duration == timedelta(minutes=minutes)
    assert (error.value.minimum, error.value.maximum) == (timedelta(minutes=5), timedelta(minutes=720))


@pytest.mark.parametrize("text", ["", "abc", "1.5h", "-5", "h", "m", "90s", "1 hour"])
def test_malformed_duration(text: str) -> None:
    with pytest.raises(MalformedDuration) as error:
        parse_duration(text)
    assert error.value.text == text


# --- zones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "zone"),
    [
        ("Europe/Brussels", "Europe/Brussels"),
        ("europe/brussels", "Europe/Brussels"),
        ("AMERICA/LA_PAZ", "America/La_Paz"),
        ("america/la paz", "America/La_Paz"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Kathmandu", "Asia/Kathmandu"),
        ("katmandou", "Asia/Kathmandu"),
        ("Katmandú", "Asia/Kathmandu"),
        ("Bruxelles", "Europe/Brussels"),
        ("Bruselas", "Europe/Brussels"),
        ("Yakarta", "Asia/Jakarta"),
        ("La Paz", "America/La_Paz"),
        ("Lima", "America/Lima"),
        ("Ciudad de Guatemala", "America/Guatemala"),
        ("Guatemala City", "America/Guatemala"),
        ("Lomé", "Africa/Lome"),
        ("Porto Novo", "Africa/Porto-Novo"),
        ("Cotonou", "Africa/Porto-Novo"),
        ("Ouagadougou", "Africa/Ouagadougou"),
        ("Kinshasa", "Africa/Kinshasa"),
        ("Lubumbashi", "Africa/Lubumbashi"),
        ("Kolkata", "Asia/Kolkata"),
        ("Calcutta", "Asia/Kolkata"),
        ("New Delhi", "Asia/Kolkata"),
        ("Inde", "Asia/Kolkata"),
        ("Népal", "Asia/Kathmandu"),
        ("Belgique", "Europe/Brussels"),
        ("Bélgica", "Europe/Brussels"),
        ("Bolivia", "America/La_Paz"),
        ("Ciudad de México", "America/Mexico_City"),
    ],
)
def test_zone_typed_by_a_user(query: str, zone: str) -> None:
    assert resolve_timezone(query) == zone


def test_country_with_several_zones_lists_them() -> None:
    with pytest.raises(UnknownTimezone) as error:
        resolve_timezone("Indonésie")
    assert {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"} <= set(error.value.suggestions)
    assert error.value.query == "Indonésie"


def test_near_miss_is_suggested_not_guessed() -> None:
    with pytest.raises(UnknownTimezone) as error:
        resolve_timezone("katmandoo")
    assert error.value.suggestions[0] == "Asia/Kathmandu"


def test_gibberish_has_no_suggestion() -> None:
    with pytest.raises(UnknownTimezone) as error:
        resolve_timezone("zzzz")
    assert error.value.suggestions == ()


def test_offsets_are_not_places() -> None:
    """Etc/GMT+5 is UTC-5; only its exact IANA name reaches it."""
    with pytest.raises(UnknownTimezone):
        resolve_timezone("GMT 5")
    assert resolve_timezone("Etc/GMT+5") == "Etc/GMT+5"


@pytest.mark.parametrize(("typed", "meant"), [("brusels", "Europe/Brussels"), ("Jakrta", "Asia/Jakarta"),
                                              ("Atlantis", "America/Halifax"), ("Limma", "America/Lima")])
def test_a_near_miss_is_asked_about_never_picked(typed: str, meant: str) -> None:
    """A typo and a place that does not exist look alike ("Atlantis" is one letter from the
    Atlantic time zone): both are refused with suggestions for the member to confirm."""
    with pytest.raises(UnknownTimezone) as refused:
        resolve_timezone(typed)
    assert meant in refused.value.suggestions


def test_zone_lookup_is_fast_once_indexed() -> None:
    resolve_timezone("Lima")
    began = perf_counter()
    for query in ("Kathmandu", "katmandou", "Ciudad de Guatemala", "Yakarta") * 25:
        resolve_timezone(query)
    assert perf_counter() - began < 1.0


# --- working hours --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("08:00-18:00", time(8), time(18)), ("8-18", time(8), time(18)), ("07:30 – 16:45", time(7, 30), time(16, 45)),
     ("22:00-06:00", time(22), time(6))],
)
def test_working_hours_parse(text: str, start: time, end: time) -> None:
    assert parse_working_hours(text) == WorkingHours(start, end)


@pytest.mark.parametrize("text", ["", "8h-18h", "08:00", "25:00-26:00", "08:00-08:00", "08:61-18:00"])
def test_malformed_working_hours(text: str) -> None:
    with pytest.raises(MalformedWorkingHours):
        parse_working_hours(text)


OFFICE = WorkingHours(time(9), time(17))


@pytest.mark.parametrize(
    ("start", "minutes", "zone", "inside"),
    [
        (utc(2026, 5, 4, 3, 15), 60, KATHMANDU, True),  # 09:00-10:00 NPT
        (utc(2026, 5, 4, 3, 14), 60, KATHMANDU, False),  # 08:59 NPT
        (utc(2026, 5, 4, 10, 45), 60, KATHMANDU, False),  # 16:30-17:30 NPT: ends too late
        (utc(2026, 5, 4, 10, 15), 30, KATHMANDU, True),  # ends exactly 17:00
        (utc(2026, 5, 4, 3, 30), 90, KOLKATA, True),  # 09:00 IST
        (utc(2026, 5, 4, 15, 0), 60, GUATEMALA, True),  # 09:00 CST
        (utc(2026, 5, 4, 14, 0), 60, JAKARTA, False),  # 21:00 WIB
        (utc(2026, 3, 27, 8, 0), 60, BRUSSELS, True),  # 09:00 CET
        (utc(2026, 3, 30, 8, 0), 60, BRUSSELS, True),  # 10:00 CEST
        (utc(2026, 3, 30, 7, 30), 60, BRUSSELS, True),  # 09:30 CEST
        (utc(2026, 3, 27, 7, 30), 60, BRUSSELS, False),  # 08:30 CET
    ],
)
def test_meeting_within_working_hours(start: datetime, minutes: int, zone: ZoneInfo, inside: bool) -> None:
    assert within_working_hours(start, timedelta(minutes=minutes), OFFICE, zone) is inside


def test_night_shift_spans_midnight() -> None:
    night = WorkingHours(time(22), time(6))
    assert within_working_hours(utc(2026, 5, 4, 21, 0), timedelta(hours=2), night, BRUSSELS)  # 23:00-01:00
    assert within_working_hours(utc(2026, 5, 4, 1, 0), timedelta(hours=2), night, BRUSSELS)  # 03:00-05:00
    assert not within_working_hours(utc(2026, 5, 4, 3, 0), timedelta(hours=2), night, BRUSSELS)  # 05:00-07:00


def test_working_hours_accept_a_start_in_the_members_zone() -> None:
    start = datetime(2026, 10, 25, 9, 0, tzinfo=BRUSSELS)
    assert within_working_hours(start, timedelta(hours=8), OFFICE, BRUSSELS)
    assert not within_working_hours(start, timedelta(hours=8, minutes=1), OFFICE, BRUSSELS)
