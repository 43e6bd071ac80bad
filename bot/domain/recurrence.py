"""Recurring meetings: rules typed in en/fr/es, their RFC 5545 RRULE, and their occurrences.

Occurrences keep the wall-clock time of the zone the meeting was created in
(15:00 in Brussels stays 15:00 in Brussels, so it moves by an hour in Jakarta),
exactly as a calendar expands `DTSTART;TZID=...` with the same RRULE. A local
time that DST skips or repeats is read as RFC 5545 says: with the offset in
force before the change.
"""

from __future__ import annotations

import calendar
import heapq
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import Enum, StrEnum
from itertools import count
from zoneinfo import ZoneInfo

from bot.domain.day_words import WEEKDAYS


class Frequency(StrEnum):
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


LAST = -1
RRULEWEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Recurrence:
    """Every `interval` weeks or months; monthly may pin the `ordinal` `weekday` (0 = Monday).

    Plain monthly repeats the start's day of the month, skipping months without it (RFC 5545);
    a committee's "monthly" is pinned to the first meeting's weekday position first (:func:`anchored`).
    ``until`` (UTC) is the last start a stopped series may have.
    """

    frequency: Frequency
    interval: int = 1
    ordinal: int | None = None  # 1..4, or LAST
    weekday: int | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        pinned = self.ordinal is not None
        if self.interval < 1 or pinned != (self.weekday is not None):
            raise ValueError(f"inconsistent {self!r}")
        if pinned and (self.frequency is not Frequency.MONTHLY or self.ordinal not in (1, 2, 3, 4, LAST)):
            raise ValueError(f"inconsistent {self!r}")


class RecurrenceError(ValueError):
    """Base of the errors below; str() shows the data, for logs only."""

    def __str__(self) -> str:
        return repr(self)


@dataclass(eq=False)
class UnknownRecurrence(RecurrenceError):
    text: str


@dataclass(eq=False)
class StartNotOnRule(RecurrenceError):
    """A "first Tuesday" series must start on a first Tuesday; `suggestion` is the next one."""

    start: date
    rule: Recurrence
    suggestion: date


@dataclass(eq=False)
class UnknownOccurrence(RecurrenceError):
    """A change names an index or an original start that the series never produces."""

    key: int | datetime


# --- parsing ---------------------------------------------------------------------

_EVERY = {"every", "each", "chaque", "tous", "toutes", "cada", "todos", "todas"}
_WEEK_UNITS = {"week", "weeks", "semaine", "semaines", "semana", "semanas"}
_MONTH_UNITS = {"month", "months", "mois", "mes", "meses"}
_ADVERBS = {
    **dict.fromkeys(("weekly", "hebdomadaire", "hebdo", "semanal", "semanalmente"), (Frequency.WEEKLY, 1)),
    **dict.fromkeys(("monthly", "mensuel", "mensuelle", "mensual", "mensualmente"), (Frequency.MONTHLY, 1)),
    "fortnightly": (Frequency.WEEKLY, 2),
}
_NUMBERS = {
    "one": 1, "un": 1, "une": 1, "uno": 1, "una": 1,
    "two": 2, "other": 2, "deux": 2, "dos": 2,
    "three": 3, "trois": 3, "tres": 3,
    "four": 4, "quatre": 4, "cuatro": 4,
}
_ORDINALS = {
    **dict.fromkeys(("first", "1st", "premier", "premiere", "1er", "1re", "1ere", "primer", "primero", "primera", "1o", "1a"), 1),
    **dict.fromkeys(("second", "2nd", "deuxieme", "seconde", "2e", "2eme", "segundo", "segunda", "2o", "2a"), 2),
    **dict.fromkeys(("third", "3rd", "troisieme", "3e", "3eme", "tercer", "tercero", "tercera", "3o", "3a"), 3),
    **dict.fromkeys(("fourth", "4th", "quatrieme", "4e", "4eme", "cuarto", "cuarta", "4o", "4a"), 4),
    **dict.fromkeys(("last", "dernier", "derniere", "ultimo", "ultima"), LAST),
}
_FILLERS = {"on", "the", "of", "le", "la", "les", "l", "du", "de", "des", "el", "los", "las", "del", "sur", "in"}


def parse_recurrence(text: str) -> Recurrence:
    """Parse e.g. `every 2 weeks`, `mensuel le premier mardi`, `el último viernes de cada mes`."""
    words = [word for word in _words(text) if word not in _FILLERS]
    pinned = _take_ordinal_weekday(words)
    if pinned is not None:
        rest = [word for word in words if word not in _EVERY | _MONTH_UNITS]
        frequency, interval = (Frequency.MONTHLY, 1) if not rest else _frequency(words, text)
        if frequency is not Frequency.MONTHLY:
            raise UnknownRecurrence(text)
        return Recurrence(frequency, interval, *pinned)
    return Recurrence(*_frequency(words, text))


def _take_ordinal_weekday(words: list[str]) -> tuple[int, int] | None:
    """Remove and return the first `<ordinal> <weekday>` pair of `words`."""
    for position, (word, following) in enumerate(zip(words, words[1:])):
        if word in _ORDINALS and following in WEEKDAYS:
            del words[position : position + 2]
            return _ORDINALS[word], WEEKDAYS[following]
    return None


def _frequency(words: list[str], text: str) -> tuple[Frequency, int]:
    match words:
        case [adverb] if adverb in _ADVERBS:
            return _ADVERBS[adverb]
        case [every, unit] if every in _EVERY:
            return _unit(unit, 1, text)
        case [every, number, unit] if every in _EVERY:
            return _unit(unit, _number(number, text), text)
        case [one, unit, number] if _NUMBERS.get(one) == 1:  # une semaine sur deux
            return _unit(unit, _number(number, text), text)
    raise UnknownRecurrence(text)


def _unit(word: str, interval: int, text: str) -> tuple[Frequency, int]:
    if word in _WEEK_UNITS:
        return Frequency.WEEKLY, interval
    if word in _MONTH_UNITS:
        return Frequency.MONTHLY, interval
    raise UnknownRecurrence(text)


def _number(word: str, text: str) -> int:
    value = int(word) if word.isdecimal() else _NUMBERS.get(word, 0)
    if value < 1:
        raise UnknownRecurrence(text)
    return value


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", " ", bare).split()


# --- RFC 5545 ----------------------------------------------------------------------


def anchored(rule: Recurrence, first_day: date) -> Recurrence:
    """"Monthly" on the first Thursday means every first Thursday, never "day 3" (which lands on
    any weekday, weekends included): a plain monthly rule takes ``first_day``'s weekday position
    (the fifth of a month is its last)."""
    if rule.frequency is not Frequency.MONTHLY or rule.weekday is not None:
        return rule
    position = (first_day.day - 1) // 7 + 1
    return replace(rule, ordinal=position if position <= 4 else LAST, weekday=first_day.weekday())


def to_rrule(rule: Recurrence) -> str:
    """The RRULE value (without the `RRULE:` name), e.g. `FREQ=MONTHLY;BYDAY=-1FR`."""
    parts = [f"FREQ={rule.frequency}"]
    if rule.interval != 1:
        parts.append(f"INTERVAL={rule.interval}")
    if rule.ordinal is not None and rule.weekday is not None:
        parts.append(f"BYDAY={rule.ordinal}{RRULEWEEKDAYS[rule.weekday]}")
    if rule.until is not None:
        parts.append(f"UNTIL={rule.until.astimezone(UTC):%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


_RRULE = re.compile(r"FREQ=(WEEKLY|MONTHLY)(?:;INTERVAL=(\d+))?(?:;BYDAY=(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU))?"
                    r"(?:;UNTIL=(\d{8}T\d{6}Z))?")


def from_rrule(value: str) -> Recurrence:
    """Read back what to_rrule wrote (e.g. from storage); any other RRULE raises UnknownRecurrence."""
    match = _RRULE.fullmatch(value)
    if match is None:
        raise UnknownRecurrence(value)
    frequency, interval, ordinal, weekday, until = match.groups()
    try:
        return Recurrence(
            Frequency(frequency),
            int(interval or 1),
            int(ordinal) if ordinal else None,
            RRULEWEEKDAYS.index(weekday) if weekday else None,
            datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC) if until else None,
        )
    except ValueError:
        raise UnknownRecurrence(value) from None


# --- occurrences -------------------------------------------------------------------


def occurrence_starts(start: datetime, zone: ZoneInfo, rule: Recurrence) -> Iterator[datetime]:
    """The series' original starts in UTC, endlessly; the first is `start` itself."""
    local = start.astimezone(zone)
    first_day = local.date()
    if next(_dates(rule, first_day)) != first_day:
        raise StartNotOnRule(first_day, rule, next_matching_date(rule, first_day))
    yield start.astimezone(UTC)
    wall_clock = local.time().replace(fold=0)
    days = _dates(rule, first_day)
    next(days)
    for day in days:
        moment = datetime.combine(day, wall_clock, tzinfo=zone).astimezone(UTC)
        if rule.until is not None and moment > rule.until:
            return
        yield moment


def next_matching_date(rule: Recurrence, day: date) -> date:
    """The first date on or after `day` that could start a series with `rule`."""
    return next(candidate for candidate in _dates(rule, day) if candidate >= day)


def _dates(rule: Recurrence, first_day: date) -> Iterator[date]:
    """Dates of the rule from `first_day`'s week or month on (may start before `first_day`)."""
    if rule.frequency is Frequency.WEEKLY:
        step = timedelta(weeks=rule.interval)
        yield from (first_day + step * k for k in count())
        return
    for k in count():
        year, month0 = divmod(first_day.month - 1 + k * rule.interval, 12)
        year, month = first_day.year + year, month0 + 1
        if rule.weekday is None:
            if first_day.day <= calendar.monthrange(year, month)[1]:
                yield date(year, month, first_day.day)
        else:
            yield _nth_weekday(year, month, rule.weekday, rule.ordinal or 1)


def _nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date:
    weeks = calendar.Calendar().monthdatescalendar(year, month)
    days = [week[weekday] for week in weeks if week[weekday].month == month]
    return days[ordinal - 1] if ordinal != LAST else days[-1]


class Cancelled(Enum):
    """Marks a single occurrence as called off (the series goes on)."""

    CANCELLED = "cancelled"


CANCELLED = Cancelled.CANCELLED
OccurrenceKey = int | datetime  # 0-based index, or the original start
OccurrenceChange = datetime | Cancelled  # the new start, or CANCELLED


@dataclass(frozen=True)
class Occurrence:
    index: int
    original_start: datetime
    start: datetime

    @property
    def moved(self) -> bool:
        return self.start != self.original_start


@dataclass(frozen=True)
class OccurrenceOverride:
    """A change resolved against the series: which occurrence, and what became of it."""

    index: int
    original_start: datetime
    change: OccurrenceChange


def resolve_changes(
    start: datetime, zone: ZoneInfo, rule: Recurrence, changes: Mapping[OccurrenceKey, OccurrenceChange]
) -> tuple[OccurrenceOverride, ...]:
    """Pin each change to its occurrence, by index; unknown keys raise UnknownOccurrence."""
    by_index = {key: change for key, change in changes.items() if isinstance(key, int)}
    by_start = {key.astimezone(UTC): change for key, change in changes.items() if isinstance(key, datetime)}
    if any(index < 0 for index in by_index):
        raise UnknownOccurrence(min(by_index))
    last_index = max(by_index, default=-1)
    last_start = max(by_start, default=None)
    overrides: dict[int, OccurrenceOverride] = {}
    for index, original in enumerate(occurrence_starts(start, zone, rule)):
        if index > last_index and (last_start is None or original > last_start):
            break
        change = by_start.pop(original, by_index.get(index))
        if change is not None:
            overrides[index] = OccurrenceOverride(index, original, change)
    if by_start:
        raise UnknownOccurrence(min(by_start))
    return tuple(overrides[index] for index in sorted(overrides))


def effective_occurrences(
    start: datetime,
    zone: ZoneInfo,
    rule: Recurrence,
    changes: Mapping[OccurrenceKey, OccurrenceChange],
    *,
    window_start: datetime,
    window_end: datetime | None = None,
) -> Iterator[Occurrence]:
    """Occurrences starting in [window_start, window_end), moved ones at their new time, in time order."""
    overrides = resolve_changes(start, zone, rule, changes)
    changed = {override.index for override in overrides}
    regular = (
        Occurrence(index, original, original)
        for index, original in enumerate(occurrence_starts(start, zone, rule))
        if index not in changed and original >= window_start
    )
    moved = sorted(
        (
            Occurrence(override.index, override.original_start, override.change.astimezone(UTC))
            for override in overrides
            if isinstance(override.change, datetime) and override.change >= window_start
        ),
        key=lambda occurrence: occurrence.start,
    )
    for occurrence in heapq.merge(regular, moved, key=lambda occurrence: occurrence.start):
        if window_end is not None and occurrence.start >= window_end:
            return
        yield occurrence
