"""When each agenda item starts and ends, and by how much the agenda overruns the meeting.

Items without an estimate split the time the estimated ones leave, in whole
minutes, so a loose agenda still fills the meeting exactly; each gets at least
`min_unestimated_minutes`, so an already full meeting shows an honest overrun
instead of zero-minute items.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_MIN_UNESTIMATED_MINUTES = 5


@dataclass(frozen=True)
class AgendaItem:
    title: str
    minutes: int | None = None

    def __post_init__(self) -> None:
        if self.minutes is not None and self.minutes < 1:
            raise ValueError(f"agenda item {self.title!r} needs at least one minute")


@dataclass(frozen=True)
class TimedItem:
    title: str
    start: datetime
    end: datetime
    minutes: int
    estimated: bool  # False when the minutes were shared out, not given


@dataclass(frozen=True)
class AgendaTiming:
    items: tuple[TimedItem, ...]
    meeting_minutes: int
    total_minutes: int

    @property
    def overrun_minutes(self) -> int:
        return max(0, self.total_minutes - self.meeting_minutes)


def time_agenda(
    start: datetime,
    duration: timedelta,
    items: Sequence[AgendaItem],
    *,
    min_unestimated_minutes: int = DEFAULT_MIN_UNESTIMATED_MINUTES,
) -> AgendaTiming:
    """Lay the items end to end from `start` (times keep `start`'s zone, normally UTC)."""
    meeting_minutes = int(duration.total_seconds() // 60)
    shares = _shares(meeting_minutes, items, min_unestimated_minutes)
    timed: list[TimedItem] = []
    clock = start
    for item in items:
        minutes = item.minutes if item.minutes is not None else next(shares)
        end = clock + timedelta(minutes=minutes)
        timed.append(TimedItem(item.title, clock, end, minutes, item.minutes is not None))
        clock = end
    return AgendaTiming(tuple(timed), meeting_minutes, sum(item.minutes for item in timed))


def _shares(meeting_minutes: int, items: Sequence[AgendaItem], minimum: int) -> Iterator[int]:
    """Equal whole-minute shares of the time left, the odd minutes going to the first items."""
    unestimated = sum(1 for item in items if item.minutes is None)
    if unestimated == 0:
        return iter(())
    left = meeting_minutes - sum(item.minutes or 0 for item in items)
    base, extra = divmod(max(left, 0), unestimated)
    if base < minimum:
        return iter([minimum] * unestimated)
    return iter([base + 1] * extra + [base] * (unestimated - extra))
