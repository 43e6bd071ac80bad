"""Who a meeting puts at night, by the one night rule of :mod:`bot.domain.fair_slots` (23:00-06:00 local),
so /findslot, /meeting and the check before announcing agree."""

from collections.abc import Iterable
from datetime import datetime, timedelta
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
