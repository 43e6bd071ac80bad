"""Meeting times as users type them, turned into exact UTC instants.

The committee spans UTC-6 to UTC+7 with half- and quarter-hour zones and one
DST zone, so every typed time is interpreted in an explicit IANA zone and every
way it can be wrong is reported as its own exception. Exceptions carry data,
never sentences: the caller translates them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location
from rapidfuzz import fuzz, process

from bot.domain.durations import DurationError, DurationOverflow, read_duration
from bot.domain.names import fold

MEETING_MIN_DURATION = timedelta(minutes=5)
MEETING_MAX_DURATION = timedelta(minutes=720)
MEETING_HORIZON = timedelta(days=10 * 366)  # how far ahead a meeting can be planned
CITY_LOCALES = ("fr", "en", "es")
# Cities in the network's countries that CLDR does not name (it names one city per zone).
EXTRA_CITIES = {
    "Asia/Kolkata": ("Delhi", "New Delhi", "Mumbai", "Bombay", "Chennai", "Bengaluru"),
    "Asia/Kathmandu": ("Pokhara",),
    "Asia/Jakarta": ("Medan", "Bandung", "Surabaya", "Yogyakarta"),
    "Africa/Porto-Novo": ("Cotonou",),
    "Africa/Ouagadougou": ("Bobo-Dioulasso",),
    "Africa/Lubumbashi": ("Goma", "Bukavu", "Kisangani"),
    "America/La_Paz": ("Santa Cruz de la Sierra", "Cochabamba", "Sucre"),
    "America/Lima": ("Cusco", "Cuzco", "Arequipa"),
    "Europe/Brussels": ("Antwerpen", "Anvers", "Gent", "Gand", "Liège", "Leuven", "Louvain"),
}


class MeetingTimeError(ValueError):
    """Base of the errors below; str() shows the data, for logs only."""

    def __str__(self) -> str:
        return repr(self)


@dataclass(eq=False)
class MalformedDateTime(MeetingTimeError):
    text: str


@dataclass(eq=False)
class NonexistentDate(MeetingTimeError):
    """Well formed, but the calendar has no such day (2026-02-30)."""

    text: str
    year: int
    month: int
    day: int


@dataclass(eq=False)
class SkippedLocalTime(MeetingTimeError):
    """The clocks jumped over `local`: wall times in [gap_start, gap_end) never happen."""

    local: datetime
    zone: str
    gap_start: datetime
    gap_end: datetime


@dataclass(eq=False)
class AmbiguousLocalTime(MeetingTimeError):
    """The clocks went back and `local` happens twice: the user must pick one."""

    local: datetime
    zone: str
    earlier_utc: datetime
    later_utc: datetime


@dataclass(eq=False)
class PastDateTime(MeetingTimeError):
    when_utc: datetime
    now_utc: datetime


@dataclass(eq=False)
class TooFarAhead(MeetingTimeError):
    """A well-formed date past the planning horizon (``latest_utc``, from now)."""

    latest_utc: datetime


@dataclass(eq=False)
class MalformedDuration(MeetingTimeError):
    text: str


@dataclass(eq=False)
class DurationOutOfRange(MeetingTimeError):
    duration: timedelta
    minimum: timedelta
    maximum: timedelta


@dataclass(eq=False)
class UnknownTimezone(MeetingTimeError):
    """No zone matched `query` confidently; `suggestions` are IANA names, best first."""

    query: str
    suggestions: tuple[str, ...]


@dataclass(eq=False)
class MalformedWorkingHours(MeetingTimeError):
    text: str


# --- typed dates and times -------------------------------------------------

_DATE_TIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+|T)(\d{1,2}):(\d{2})", re.ASCII)


def parse_local_datetime(text: str, zone: ZoneInfo) -> datetime:
    """Parse `YYYY-MM-DD HH:MM` (or `H:MM`, or a `T` separator) in `zone` into aware UTC."""
    match = _DATE_TIME.fullmatch(text.strip())
    if match is None:
        raise MalformedDateTime(text)
    year, month, day, hour, minute = map(int, match.groups())
    if hour > 23 or minute > 59:
        raise MalformedDateTime(text)
    try:
        day_date = date(year, month, day)
    except ValueError:
        raise NonexistentDate(text, year, month, day) from None
    try:
        return local_to_utc(datetime.combine(day_date, time(hour, minute)), zone)
    except OverflowError:  # 9999-12-31 23:59 west of UTC is past the last datetime
        raise MalformedDateTime(text) from None


def parse_meeting_start(text: str, zone: ZoneInfo, *, now: datetime) -> datetime:
    """Like parse_local_datetime, but a meeting cannot start at or before `now`, nor past the
    planning horizon (said so, not taken for an unreadable date)."""
    try:
        when = parse_local_datetime(text, zone)
    except MalformedDateTime:
        if _DATE_TIME.fullmatch(text.strip()):  # readable, only past the last datetime
            raise TooFarAhead(now.astimezone(UTC) + MEETING_HORIZON) from None
        raise
    if when <= now:
        raise PastDateTime(when, now.astimezone(UTC))
    if when - now > MEETING_HORIZON:  # year 9999: its end, reminders and series overflow
        raise TooFarAhead(now.astimezone(UTC) + MEETING_HORIZON)
    return when


def format_local(when: datetime, zone: ZoneInfo) -> str:
    """The inverse of parse_local_datetime, e.g. to prefill an edit command."""
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def local_to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """Convert a naive wall time, refusing the ones DST skips or repeats."""
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    first_utc, second_utc = first.astimezone(UTC), second.astimezone(UTC)
    if first_utc == second_utc:
        return first_utc
    if first_utc.astimezone(zone).replace(tzinfo=None) != local:
        # In a gap zoneinfo gives fold=0 the offset before the jump, fold=1 the one after.
        jump = first_instant_with_new_offset(zone, second_utc, first_utc)
        before, after = first.utcoffset(), second.utcoffset()
        assert before is not None and after is not None
        naive_jump = jump.replace(tzinfo=None)
        raise SkippedLocalTime(local, zone.key, naive_jump + before, naive_jump + after)
    raise AmbiguousLocalTime(local, zone.key, first_utc, second_utc)


def first_instant_with_new_offset(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """Binary search, to the second, for the offset change between two UTC instants."""
    old_offset = low.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == old_offset:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0)


# --- durations ----------------------------------------------------------------

def parse_duration(
    text: str,
    *,
    minimum: timedelta = MEETING_MIN_DURATION,
    maximum: timedelta = MEETING_MAX_DURATION,
) -> timedelta:
    """`90` (minutes), `90m`, `1h30`, `24h`, `2d` (:mod:`bot.domain.durations`), within bounds
    that default to a meeting's."""
    try:
        duration = read_duration(text, bare_minutes=True)
    except DurationOverflow:
        raise DurationOutOfRange(timedelta.max, minimum, maximum) from None
    except DurationError:
        raise MalformedDuration(text) from None
    if not minimum <= duration <= maximum:
        raise DurationOutOfRange(duration, minimum, maximum)
    return duration


# --- zones typed by users ---------------------------------------------------

_CITY_WORDS = re.compile(r"^(?:city of|ciudad de|ville de)\s+|\s+city$")
FUZZY_MIN_NAME_LENGTH = 4  # legacy abbreviations (NZ, PRC, LHI) only match exactly
FUZZY_SUGGEST_SCORE = 60.0
MAX_SUGGESTIONS = 5


def resolve_timezone(query: str) -> str:
    """Map an IANA name (any case) or a city/country name in fr/en/es to a canonical IANA zone.

    Accents, case and the word "city" are forgiven; the whole query must name the place (``not
    Jakarta`` does not), so extra words are refused, never matched as a substring. A typo, a
    country with several zones or any near miss raises UnknownTimezone with suggestions to
    confirm: a meeting is never planned in a zone the member did not name (``Atlantis`` is
    not Halifax).
    """
    index = _zone_index()
    iana = index.iana_by_lower.get(query.strip().replace(" ", "_").casefold())
    if iana is not None:
        return iana
    key = fold(query)
    exact = index.zones_by_name.get(key)
    if exact is None:
        key = _CITY_WORDS.sub("", key).strip() or key
        exact = index.zones_by_name.get(key)
    if exact is not None:
        if len(exact) == 1:
            return next(iter(exact))
        raise UnknownTimezone(query, tuple(sorted(exact)))
    ranked = _rank_zones(key, index)
    raise UnknownTimezone(query, tuple(zone for zone, _ in ranked[:MAX_SUGGESTIONS]))


def _rank_zones(key: str, index: _ZoneIndex) -> list[tuple[str, float]]:
    best: dict[str, float] = {}
    matches = process.extract(
        key, index.fuzzy_names, scorer=fuzz.ratio, limit=30,
        score_cutoff=FUZZY_SUGGEST_SCORE,
    )
    for name, score, _ in matches:
        for zone in index.zones_by_name[name]:
            best[zone] = max(best.get(zone, 0.0), score)
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class _ZoneIndex:
    iana_by_lower: dict[str, str]
    zones_by_name: dict[str, frozenset[str]]
    fuzzy_names: tuple[str, ...]


@cache
def _zone_index() -> _ZoneIndex:
    """Built once: IANA names, CLDR exemplar cities and country names in fr/en/es."""
    aliases: dict[str, str] = get_global("zone_aliases")
    all_zones = available_timezones()

    def canonical(zone: str) -> str:
        target = aliases.get(zone, zone)
        return target if target in all_zones else zone

    zones_by_name: dict[str, set[str]] = defaultdict(set)

    def add(name: str | None, zone: str) -> None:
        key = fold(name or "")
        if key:
            zones_by_name[key].add(zone)

    canonical_zones = {canonical(zone) for zone in all_zones}
    # Etc/GMT+5 is UTC-5: too treacherous to offer as a "place".
    places = sorted(zone for zone in canonical_zones if not zone.startswith("Etc/"))
    for zone in all_zones:
        if not canonical(zone).startswith("Etc/"):
            add(zone.rsplit("/", 1)[-1], canonical(zone))
    for locale_name in CITY_LOCALES:
        locale = Locale(locale_name)
        for zone in places:
            add(get_timezone_location(zone, locale=locale, return_city=True), zone)
        for zone in all_zones:  # CLDR keeps some cities under the old name (Asia/Katmandu: Katmandou)
            if not canonical(zone).startswith("Etc/"):
                add(locale.time_zones.get(zone, {}).get("city"), canonical(zone))
        for territory, zones in get_global("territory_zones").items():
            country_zones = {canonical(zone) for zone in zones} & canonical_zones
            for zone in country_zones:
                add(locale.territories.get(territory), zone)
    for zone, cities in EXTRA_CITIES.items():
        for city in cities:
            add(city, zone)
    frozen = {name: frozenset(zones) for name, zones in zones_by_name.items()}
    return _ZoneIndex(
        iana_by_lower={zone.casefold(): canonical(zone) for zone in all_zones},
        zones_by_name=frozen,
        fuzzy_names=tuple(name for name in frozen if len(name) >= FUZZY_MIN_NAME_LENGTH),
    )


# --- working hours --------------------------------------------------------------

_HOURS = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?", re.ASCII)


@dataclass(frozen=True)
class WorkingHours:
    """Daily local hours; `end <= start` means the window runs past midnight."""

    start: time
    end: time


def parse_working_hours(text: str) -> WorkingHours:
    """Parse `08:00-18:00` (also `8-18`, `22:00-06:00`); an empty window is refused."""
    match = _HOURS.fullmatch(text.strip())
    if match is None:
        raise MalformedWorkingHours(text)
    start_hour, start_minute, end_hour, end_minute = (int(part or 0) for part in match.groups())
    try:
        hours = WorkingHours(time(start_hour, start_minute), time(end_hour, end_minute))
    except ValueError:
        raise MalformedWorkingHours(text) from None
    if hours.start == hours.end:
        raise MalformedWorkingHours(text)
    return hours


def within_working_hours(
    start: datetime, duration: timedelta, hours: WorkingHours, zone: ZoneInfo
) -> bool:
    """True when the whole meeting [start, start + duration] fits one working window in `zone`."""
    start = start.astimezone(UTC)  # same-tzinfo comparisons would ignore fold
    end = start + duration
    local_day = start.astimezone(zone).date()
    for day in (local_day - timedelta(days=1), local_day):
        window_end_day = day if hours.end > hours.start else day + timedelta(days=1)
        window_start = datetime.combine(day, hours.start, tzinfo=zone)
        window_end = datetime.combine(window_end_day, hours.end, tzinfo=zone)
        if window_start <= start and end <= window_end:
            return True
    return False
