"""Who a meeting puts at night, by the one night rule of :mod:`bot.domain.fair_slots` (23:00-06:00 local),
so /findslot, /meeting and the check before announcing agree; and, beside it, the weekend rule:
who would meet on their own Saturday or Sunday (a meeting at 17:00 on Friday in Guatemala is
Saturday morning in Jakarta)."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.domain.fair_slots import is_night

T = TypeVar("T")
STEP = timedelta(minutes=15)


def at_night(start: datetime, minutes: int, zone: str) -> datetime | None:
    """The first local moment of the meeting that falls at night in ``zone``, else None."""
    local_zone, moment, end = ZoneInfo(zone), start, start + timedelta(minutes=minutes)
    while moment < end:
        local = moment.astimezone(local_zone)
        if is_night(local.time()):
            return local
        moment += STEP
    return None


def night_for(start: datetime, minutes: int, people: Iterable[tuple[T, str]]) -> list[tuple[T, datetime]]:
    """Each person (with their zone) the meeting puts at night, with their local start time."""
    found = []
    for person, zone in people:
        if at_night(start, minutes, zone) is not None:
            found.append((person, start.astimezone(ZoneInfo(zone))))
    return found


WEEKEND = (5, 6)  # date.weekday() of Saturday and Sunday


def weekend_day(start: datetime, minutes: int, zone: str) -> date | None:
    """The local Saturday or Sunday the meeting touches in ``zone`` (its first day, else the day
    it ends on), else None."""
    local_zone = ZoneInfo(zone)
    for moment in (start, start + timedelta(minutes=max(minutes - 1, 0))):
        day = moment.astimezone(local_zone).date()
        if day.weekday() in WEEKEND:
            return day
    return None


def weekend_for(start: datetime, minutes: int, people: Iterable[tuple[T, str]]) -> list[tuple[T, date]]:
    """Each person (with their zone) the meeting puts on a weekend day, with that local day."""
    found = []
    for person, zone in people:
        day = weekend_day(start, minutes, zone)
        if day is not None:
            found.append((person, day))
    return found
