"""Fair meeting slots for a committee spread over many time zones.

Every candidate start on a grid is scored by how much each member suffers,
minute by minute, at those hours of *their* day. Each zone's offset over the
window is resolved once into spans of constant offset (so a meeting that
straddles a DST change is split exactly where the clocks move), and a pain
curve is stored as running sums over a local day, so the pain of any meeting
is two lookups per span, vectorised over all candidates. Members sharing a
zone, working hours and night opt-in share one curve, so 500 members in 20
zones cost about 20 curves.

Results are data, never sentences: the caller translates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum

from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
NIGHT_START, NIGHT_END = 23 * 60, 6 * 60  # steep pain between 23:00 and 06:00
EXCLUDED_START, EXCLUDED_END = 1 * 60, 5 * 60  # never, unless the member opted in
NIGHT_STEEPNESS = 3  # each night minute hurts this much more per minute of depth
_NIGHT_HALF = ((NIGHT_END - NIGHT_START) % MINUTES_PER_DAY) // 2
# Pain is in "hours outside working hours" averaged over the meeting; nothing
# reachable exceeds 12 h away plus the deepest night, so an unavailable member
# costs more than any available one (this keeps scoring monotone).
UNAVAILABLE_PAIN = (MINUTES_PER_DAY // 2 + NIGHT_STEEPNESS * _NIGHT_HALF) / 60 + 1


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def is_night(moment: time) -> bool:
    """Whether a local wall-clock time falls in the steep-pain night (23:00-06:00)."""
    return (_minutes(moment) - NIGHT_START) % MINUTES_PER_DAY < (NIGHT_END - NIGHT_START) % MINUTES_PER_DAY


@dataclass(frozen=True)
class WorkingHours:
    """Local working hours; an end before the start wraps past midnight."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError("working hours must not be empty")

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """`"08:00-20:00"` → WorkingHours(08:00, 20:00)."""
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
        return cls(start, end)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def covers(self, moment: time) -> bool:
        """Whether a local wall-clock time falls within these hours."""
        start = _minutes(self.start)
        return (_minutes(moment) - start) % MINUTES_PER_DAY < (_minutes(self.end) - start) % MINUTES_PER_DAY


DEFAULT_HOURS = WorkingHours(time(8), time(20))


@dataclass(frozen=True)
class Member:
    name: str
    timezone: str
    working_hours: WorkingHours | None = None  # None: the query's default
    night_opt_in: bool = False  # accepts meetings between 01:00 and 05:00


@dataclass(frozen=True)
class PastMeeting:
    """A meeting already held; `attendees=None` means every current member."""

    start_utc: datetime
    duration_minutes: int
    attendees: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.start_utc.utcoffset() is None or self.duration_minutes < 1:
            raise ValueError("a past meeting needs an aware start and a positive duration")


@dataclass(frozen=True)
class ScoreWeights:
    worst: float = 1.0  # weight of the most-suffering member's pain
    total: float = 0.5  # weight of everyone's pain added up
    optional: float = 0.5  # an optional member's pain counts this much
    rotation: float = 0.1  # extra weight per unit of pain carried recently
    rotation_decay: float = 0.5  # each older meeting counts this much less


@dataclass(frozen=True)
class SlotQuery:
    """What to search. Members in neither set are left out when `required` is given.

    The window is whole days in `committee_zone`; the grid starts at the
    window's first local midnight and advances `step_minutes` in UTC. Weekends
    are each member's own local Saturday and Sunday: a Friday-evening slot in
    Guatemala is already Saturday in Jakarta.
    """

    first_date: date
    days: int
    duration_minutes: int
    committee_zone: str = "UTC"
    step_minutes: int = 15
    default_hours: WorkingHours = DEFAULT_HOURS
    required: frozenset[str] | None = None
    optional: frozenset[str] = frozenset()
    allow_weekends: bool = False
    one_per_zone: bool = False  # a zone's total pain counts its worst member once
    limit: int | None = 10
    min_attendance: float = 0.5  # share of required members a partial slot needs
    weights: ScoreWeights = field(default_factory=ScoreWeights)


class Blocker(StrEnum):
    NIGHT = "night"  # meeting touches 01:00-05:00 local and no opt-in
    WEEKEND = "weekend"  # meeting touches the member's local weekend


class Verdict(StrEnum):
    WITHIN_HOURS = "within_hours"
    OUTSIDE_HOURS = "outside_hours"
    NIGHT = "night"  # someone attending is between 23:00 and 06:00
    PARTIAL = "partial"  # some required member cannot attend


@dataclass(frozen=True)
class MemberSlot:
    name: str
    timezone: str
    working_hours: WorkingHours
    local_start: datetime
    local_end: datetime
    required: bool
    within_working_hours: bool  # the whole meeting
    at_night: bool  # any minute between 23:00 and 06:00
    blocked_by: Blocker | None
    pain: float  # mean hours-outside-hours equivalent over the meeting
    rotation_weight: float  # >1 when recent meetings already hurt this member

    @property
    def available(self) -> bool:
        return self.blocked_by is None


@dataclass(frozen=True)
class ScoreReason:
    verdict: Verdict
    worst_member: str | None  # None when no attending member suffers
    worst_local_start: datetime | None
    worst_pain: float
    outside_hours: int  # attending members outside their working hours
    at_night: int
    missing_required: tuple[str, ...]
    missing_optional: tuple[str, ...]


@dataclass(frozen=True)
class SlotCandidate:
    start_utc: datetime
    end_utc: datetime
    score: float  # lower is better
    members: tuple[MemberSlot, ...]
    reason: ScoreReason


@dataclass(frozen=True)
class SlotSearch:
    candidates: tuple[SlotCandidate, ...]  # every required member can attend
    partial: tuple[SlotCandidate, ...]  # only when there is no candidate
    unaccommodated: tuple[str, ...]  # required members blocked at every start

    @property
    def best(self) -> tuple[SlotCandidate, ...]:
        return self.candidates or self.partial


# --- time zones as spans of constant offset -----------------------------------------

@dataclass(frozen=True)
class OffsetSpan:
    """UTC epoch minutes [start, end) during which a zone is `offset` minutes east of UTC."""

    start: int
    end: int
    offset: int


def _offset_minutes(zone: ZoneInfo, utc_minute: int) -> int:
    offset = datetime.fromtimestamp(utc_minute * 60, zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds()) // 60


def offset_spans(zone: ZoneInfo, first_minute: int, length: int) -> list[OffsetSpan]:
    """The zone's UTC offset over UTC epoch minutes [first_minute, first_minute + length).

    Offsets are sampled once a day and each change is located to the minute by
    bisection, so a month costs ~30 zoneinfo calls; this assumes no zone
    changes its offset twice within one day.
    """
    last = first_minute + length - 1
    samples = [*range(first_minute, last, MINUTES_PER_DAY), last]
    spans: list[OffsetSpan] = []
    span_start = first_minute
    previous_minute, previous_offset = first_minute, _offset_minutes(zone, first_minute)
    for minute in samples[1:]:
        offset = _offset_minutes(zone, minute)
        if offset != previous_offset:
            before, after = previous_minute, minute
            while after - before > 1:
                middle = (before + after) // 2
                if _offset_minutes(zone, middle) == previous_offset:
                    before = middle
                else:
                    after = middle
            spans.append(OffsetSpan(span_start, after, previous_offset))
            span_start = after
        previous_minute, previous_offset = minute, offset
    spans.append(OffsetSpan(span_start, last + 1, previous_offset))
    return spans


def rotation_weights(members: Sequence[Member], history: Sequence[PastMeeting],
                     default_hours: WorkingHours = DEFAULT_HOURS,
                     weights: ScoreWeights = ScoreWeights()) -> dict[str, float]:
    """How much more each member's pain should count, given the pain they took recently."""
    from bot.domain import slot_scoring  # numpy (15 MiB) loads with the first slot search
    return slot_scoring.rotation_weights(members, history, default_hours, weights)


def find_slots(members: Sequence[Member], query: SlotQuery, history: Sequence[PastMeeting] = ()) -> SlotSearch:
    """Rank meeting starts for `members`, fairest first (ties: earlier first)."""
    from bot.domain import slot_scoring
    return slot_scoring.find_slots(members, query, history)


# --- JSON for the CLI ----------------------------------------------------------------

def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def slots_to_json(candidates: Sequence[SlotCandidate]) -> list[dict[str, object]]:
    """Plain JSON-ready objects, one per candidate, every member considered included."""
    return [{
        "start_utc": _iso_utc(candidate.start_utc),
        "end_utc": _iso_utc(candidate.end_utc),
        "score": round(candidate.score, 3),
        "verdict": str(candidate.reason.verdict),
        "members": [{
            "name": slot.name,
            "timezone": slot.timezone,
            "local_start": slot.local_start.isoformat(),
            "within_working_hours": slot.within_working_hours,
            "available": slot.available,
            "pain": round(slot.pain, 3),
        } for slot in candidate.members],
    } for candidate in candidates]
