"""The scoring engine behind :mod:`bot.domain.fair_slots`: pain curves as running sums,
vectorised with numpy over every candidate start. Kept apart so numpy is imported only
when a slot is searched, not by every process that starts the bot."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache

import numpy as np
from zoneinfo import ZoneInfo

from bot.domain.fair_slots import (
    DEFAULT_HOURS, EXCLUDED_END, EXCLUDED_START, MINUTES_PER_DAY, NIGHT_END, NIGHT_START, NIGHT_STEEPNESS,
    UNAVAILABLE_PAIN, Blocker, Member, MemberSlot, OffsetSpan, PastMeeting, ScoreReason, ScoreWeights,
    SlotCandidate, SlotQuery, SlotSearch, Verdict, WorkingHours, _minutes, offset_spans,
)

_SATURDAY = 5
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday


def _periodic_sums(prefix: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Sums of a periodic per-minute table over [low, high) for arrays of minutes.

    `prefix` holds running sums (rows × period+1), so a meeting of any length
    costs two lookups instead of one addition per minute.
    """
    period = prefix.shape[-1] - 1

    def running(minute: np.ndarray) -> np.ndarray:
        return (minute // period) * prefix[:, -1:] + prefix[:, minute % period]

    return running(high) - running(low)


def _meeting_sums(prefix: np.ndarray, spans: Sequence[OffsetSpan], starts: np.ndarray, duration: int,
                  shift: int = 0) -> np.ndarray:
    """Sums over each meeting's local minutes, split where the zone's offset changes.

    `starts` are UTC epoch minutes; local epoch minutes (+ `shift`) index the table.
    """
    total = np.zeros((prefix.shape[0], len(starts)), dtype=np.int64)
    for span in spans:
        low = np.clip(starts, span.start, span.end)
        high = np.clip(starts + duration, span.start, span.end)
        total += _periodic_sums(prefix, low + span.offset + shift, high + span.offset + shift)
    return total


def _running_sums(table: np.ndarray) -> np.ndarray:
    prefix = np.zeros((table.shape[0], table.shape[1] + 1), dtype=np.int64)
    np.cumsum(table, axis=1, out=prefix[:, 1:])
    prefix.flags.writeable = False
    return prefix


# Local weekend as a weekly table indexed from Monday 00:00 (epoch day 0 is a Thursday).
_WEEK_SHIFT = _EPOCH_WEEKDAY * MINUTES_PER_DAY
_WEEKEND_PREFIX = _running_sums((np.arange(7 * MINUTES_PER_DAY) >= _SATURDAY * MINUTES_PER_DAY)[np.newaxis])


# --- pain curves over a local day ----------------------------------------------------

_PAIN, _OUTSIDE, _NIGHT, _EXCLUDED = range(4)


@cache
def _day_curve(hours: WorkingHours, night_opt_in: bool) -> np.ndarray:
    """Running sums over a local day of: pain in pain-minutes (integers keep ties
    exact), then the outside-hours, night and excluded flags."""
    minute = np.arange(MINUTES_PER_DAY)
    start, end = _minutes(hours.start), _minutes(hours.end)
    outside = (minute - start) % MINUTES_PER_DAY >= (end - start) % MINUTES_PER_DAY
    # Distance to the nearest working minute, so pain grows with every minute away.
    distance = np.minimum((start - minute) % MINUTES_PER_DAY, (minute - end) % MINUTES_PER_DAY + 1)
    night = (minute - NIGHT_START) % MINUTES_PER_DAY < (NIGHT_END - NIGHT_START) % MINUTES_PER_DAY
    depth = np.minimum((minute - NIGHT_START) % MINUTES_PER_DAY + 1, (NIGHT_END - minute) % MINUTES_PER_DAY)
    pain = np.where(outside, distance + NIGHT_STEEPNESS * np.where(night, depth, 0), 0)
    in_excluded = (minute - EXCLUDED_START) % MINUTES_PER_DAY < EXCLUDED_END - EXCLUDED_START
    return _running_sums(np.stack([pain, outside, night, in_excluded & (not night_opt_in)]))


@dataclass(frozen=True)
class _CurveScores:
    """One curve evaluated at every candidate start."""

    pain: np.ndarray  # mean pain in hours
    outside: np.ndarray
    night: np.ndarray
    excluded: np.ndarray


def _score_curve(spans: Sequence[OffsetSpan], curve: np.ndarray, starts: np.ndarray,
                 duration: int) -> _CurveScores:
    sums = _meeting_sums(curve, spans, starts, duration)
    return _CurveScores(pain=sums[_PAIN] / (60 * duration), outside=sums[_OUTSIDE] > 0,
                        night=sums[_NIGHT] > 0, excluded=sums[_EXCLUDED] > 0)


# --- the search ----------------------------------------------------------------------

_CurveKey = tuple[str, WorkingHours, bool]


@dataclass(frozen=True)
class _Attendee:
    member: Member
    hours: WorkingHours
    required: bool
    rotation_weight: float
    curve_key: _CurveKey


_zone = cache(ZoneInfo)  # ZoneInfo's own cache keeps only 8 zones strongly


def _epoch_minute(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def _attendees(members: Sequence[Member], query: SlotQuery) -> list[tuple[Member, WorkingHours, bool]]:
    names = [member.name for member in members]
    if len(set(names)) != len(names):
        raise ValueError("member names must be unique")
    required = query.required if query.required is not None else frozenset(names) - query.optional
    unknown = (required | query.optional) - set(names)
    if unknown:
        raise ValueError(f"unknown members: {sorted(unknown)}")
    if required & query.optional:
        raise ValueError(f"both required and optional: {sorted(required & query.optional)}")
    return [(member, member.working_hours or query.default_hours, member.name in required)
            for member in members if member.name in required or member.name in query.optional]


def rotation_weights(members: Sequence[Member], history: Sequence[PastMeeting],
                     default_hours: WorkingHours = DEFAULT_HOURS,
                     weights: ScoreWeights = ScoreWeights()) -> dict[str, float]:
    """How much more each member's pain should count, given the pain they took recently.

    A member's recent pain is each past meeting's pain (on their current
    curve) discounted by `rotation_decay` per meeting back in time.
    """
    carried = dict.fromkeys((member.name for member in members), 0.0)
    newest_first = sorted(history, key=lambda meeting: meeting.start_utc, reverse=True)
    for age, meeting in enumerate(newest_first):
        start, duration = _epoch_minute(meeting.start_utc), meeting.duration_minutes
        spans: dict[str, list[OffsetSpan]] = {}
        pain_by_curve: dict[_CurveKey, float] = {}
        for member in members:
            if meeting.attendees is not None and member.name not in meeting.attendees:
                continue
            key = (member.timezone, member.working_hours or default_hours, member.night_opt_in)
            if key not in pain_by_curve:
                if member.timezone not in spans:
                    spans[member.timezone] = offset_spans(_zone(member.timezone), start, duration)
                curve = _day_curve(key[1], key[2])
                sums = _meeting_sums(curve, spans[member.timezone], np.array([start]), duration)
                pain_by_curve[key] = float(sums[_PAIN, 0]) / (60 * duration)
            carried[member.name] += weights.rotation_decay ** age * pain_by_curve[key]
    return {name: 1 + weights.rotation * pain for name, pain in carried.items()}


def find_slots(members: Sequence[Member], query: SlotQuery, history: Sequence[PastMeeting] = ()) -> SlotSearch:
    """Rank meeting starts for `members`, fairest first (ties: earlier first)."""
    if query.days < 1 or query.duration_minutes < 1 or query.step_minutes < 1:
        raise ValueError("days, duration and step must be positive")
    chosen = _attendees(members, query)
    if not chosen:
        raise ValueError("no members to schedule")
    rotation = rotation_weights([member for member, _, _ in chosen], history, query.default_hours, query.weights)
    attendees = [_Attendee(member, hours, required, rotation[member.name],
                           (member.timezone, hours, member.night_opt_in))
                 for member, hours, required in chosen]

    committee = _zone(query.committee_zone)
    window_start = datetime.combine(query.first_date, time(), committee)
    window_end = datetime.combine(query.first_date + timedelta(days=query.days), time(), committee)
    first_minute = _epoch_minute(window_start)
    window_minutes = _epoch_minute(window_end) - first_minute
    starts = first_minute + np.arange(0, window_minutes, query.step_minutes, dtype=np.int64)
    duration = query.duration_minutes

    zones = {attendee.member.timezone: _zone(attendee.member.timezone) for attendee in attendees}
    spans = {name: offset_spans(zone, first_minute, window_minutes + duration) for name, zone in zones.items()}
    curves = {key: _score_curve(spans[key[0]], _day_curve(key[1], key[2]), starts, duration)
              for key in dict.fromkeys(attendee.curve_key for attendee in attendees)}
    weekend = {name: _meeting_sums(_WEEKEND_PREFIX, zone_spans, starts, duration, _WEEK_SHIFT)[0] > 0
               for name, zone_spans in spans.items()}
    blocked = {key: scores.excluded | (weekend[key[0]] & (not query.allow_weekends))
               for key, scores in curves.items()}

    score, missing = _combine(attendees, curves, blocked, query, len(starts))
    required_total = sum(attendee.required for attendee in attendees)
    full = np.flatnonzero(missing == 0)
    order = full[np.lexsort((starts[full], score[full]))]
    partial_order = np.empty(0, dtype=np.int64)
    if len(full) == 0:
        enough = np.flatnonzero(required_total - missing >= query.min_attendance * required_total)
        partial_order = enough[np.lexsort((starts[enough], score[enough], missing[enough]))]

    def materialise(indices: np.ndarray) -> tuple[SlotCandidate, ...]:
        return tuple(_candidate(int(i), int(starts[i]), float(score[i]), attendees, curves,
                                blocked, zones, query) for i in indices[:query.limit])

    unaccommodated = tuple(attendee.member.name for attendee in attendees
                           if attendee.required and blocked[attendee.curve_key].all())
    return SlotSearch(materialise(order), materialise(partial_order), unaccommodated)


def _combine(attendees: Sequence[_Attendee], curves: dict[_CurveKey, _CurveScores],
             blocked: dict[_CurveKey, np.ndarray], query: SlotQuery, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Score and number of missing required members at every start.

    Members sharing a curve and a weight are folded together first, so the
    work is proportional to curves, not members.
    """
    weights = query.weights
    folded = Counter(
        (attendee.curve_key, attendee.rotation_weight * (1 if attendee.required else weights.optional))
        for attendee in attendees)
    worst = np.zeros(count)
    total = np.zeros(count)
    zone_worst: dict[str, np.ndarray] = {}
    for (key, weight), headcount in folded.items():
        pain = weight * np.where(blocked[key], UNAVAILABLE_PAIN, curves[key].pain)
        worst = np.maximum(worst, pain)
        if query.one_per_zone:
            zone_worst[key[0]] = np.maximum(zone_worst.get(key[0], 0), pain)
        else:
            total += headcount * pain
    for pain in zone_worst.values():
        total += pain
    required = Counter(attendee.curve_key for attendee in attendees if attendee.required)
    missing = np.zeros(count, dtype=np.int64)
    for key, headcount in required.items():
        missing += headcount * blocked[key]
    return weights.worst * worst + weights.total * total, missing


def _candidate(index: int, start_minute: int, score: float, attendees: Sequence[_Attendee],
               curves: dict[_CurveKey, _CurveScores], blocked: dict[_CurveKey, np.ndarray],
               zones: dict[str, ZoneInfo], query: SlotQuery) -> SlotCandidate:
    start = datetime.fromtimestamp(start_minute * 60, UTC)
    end = start + timedelta(minutes=query.duration_minutes)
    local = {name: (start.astimezone(zone), end.astimezone(zone)) for name, zone in zones.items()}
    facts = {}
    for key, scores in curves.items():
        blocker = None
        if blocked[key][index]:
            blocker = Blocker.NIGHT if scores.excluded[index] else Blocker.WEEKEND
        facts[key] = (not scores.outside[index], bool(scores.night[index]), blocker, float(scores.pain[index]))
    slots = []
    for attendee in attendees:
        within_hours, at_night, blocker, pain = facts[attendee.curve_key]
        local_start, local_end = local[attendee.member.timezone]
        slots.append(MemberSlot(
            name=attendee.member.name, timezone=attendee.member.timezone, working_hours=attendee.hours,
            local_start=local_start, local_end=local_end, required=attendee.required,
            within_working_hours=bool(within_hours), at_night=at_night, blocked_by=blocker, pain=pain,
            rotation_weight=attendee.rotation_weight,
        ))
    return SlotCandidate(start, end, score, tuple(slots), _reason(slots))


def _reason(slots: Sequence[MemberSlot]) -> ScoreReason:
    present = [slot for slot in slots if slot.available]
    worst = max(present, key=lambda slot: slot.pain, default=None)
    if worst is not None and worst.pain == 0:
        worst = None
    missing_required = tuple(slot.name for slot in slots if not slot.available and slot.required)
    outside = sum(not slot.within_working_hours for slot in present)
    at_night = sum(slot.at_night for slot in present)
    if missing_required:
        verdict = Verdict.PARTIAL
    elif at_night:
        verdict = Verdict.NIGHT
    elif outside:
        verdict = Verdict.OUTSIDE_HOURS
    else:
        verdict = Verdict.WITHIN_HOURS
    return ScoreReason(
        verdict=verdict,
        worst_member=worst.name if worst else None,
        worst_local_start=worst.local_start if worst else None,
        worst_pain=worst.pain if worst else 0.0,
        outside_hours=outside,
        at_night=at_night,
        missing_required=missing_required,
        missing_optional=tuple(slot.name for slot in slots if not slot.available and not slot.required),
    )


