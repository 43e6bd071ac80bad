from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.domain.fair_slots import (
    Blocker,
    Member,
    OffsetSpan,
    PastMeeting,
    SlotCandidate,
    SlotQuery,
    Verdict,
    WorkingHours,
    find_slots,
    slots_to_json,
    offset_spans,
)

DEMO = [
    Member("Mary Karol Luna", "America/Guatemala"),
    Member("Ángeles Carrión", "America/Lima"),
    Member("Gabriela Prudencio", "America/La_Paz"),
    Member("Ingrid Mulamba", "Africa/Kinshasa"),
    Member("Denis Mushiya", "Africa/Lubumbashi"),
    Member("Sabine Jenifère Medetadji Degue", "Africa/Porto-Novo"),
    Member("Niwa Soulima", "Africa/Lome"),
    Member("Drissa Soaré", "Africa/Ouagadougou"),
    Member("Elly Rosita Silaban", "Asia/Jakarta"),
    Member("Bismo Sanyoto", "Asia/Jakarta"),
    Member("Samy Arokiasamy", "Asia/Kolkata"),
    Member("Santiago Fischer", "Europe/Brussels"),
    Member("Bart Verstraeten", "Europe/Brussels"),
    Member("Kathmandu Guest", "Asia/Kathmandu"),
]
# The demo zones plus zones whose DST or fractional offsets stress the timeline.
ZONES = sorted({member.timezone for member in DEMO} | {
    "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham", "America/Santiago", "Pacific/Auckland",
})
DST_DATES = [date(2026, 3, 28), date(2026, 3, 29), date(2026, 4, 4), date(2026, 9, 26), date(2026, 10, 3),
             date(2026, 10, 24), date(2026, 10, 25), date(2026, 11, 1)]


def minute_of_day(local: datetime) -> int:
    return local.hour * 60 + local.minute


def meeting_minutes(candidate: SlotCandidate, zone: str) -> list[datetime]:
    """Every minute of the meeting converted independently by zoneinfo."""
    duration = int((candidate.end_utc - candidate.start_utc).total_seconds()) // 60
    return [(candidate.start_utc + timedelta(minutes=k)).astimezone(ZoneInfo(zone)) for k in range(duration)]


def within(local: datetime, hours: WorkingHours) -> bool:
    start, end = (minute_of_day(datetime.combine(date.min, moment)) for moment in (hours.start, hours.end))
    return (minute_of_day(local) - start) % 1440 < (end - start) % 1440


def excluded_hour(local: datetime) -> bool:
    return 1 <= local.hour < 5


def hours_at(start_quarter: int, length_quarters: int) -> WorkingHours:
    start, end = start_quarter * 15 % 1440, (start_quarter + length_quarters) * 15 % 1440
    return WorkingHours(time(start // 60, start % 60), time(end // 60, end % 60))


@st.composite
def searches(draw: st.DrawFn) -> tuple[list[Member], SlotQuery]:
    count = draw(st.integers(1, 6))
    members = [Member(f"m{i}", draw(st.sampled_from(ZONES)),
                      hours_at(draw(st.integers(0, 95)), draw(st.integers(16, 64))), draw(st.booleans()))
               for i in range(count)]
    optional = draw(st.sets(st.sampled_from([member.name for member in members]), max_size=count - 1))
    query = SlotQuery(
        first_date=draw(st.one_of(st.sampled_from(DST_DATES), st.dates(date(2026, 1, 1), date(2026, 12, 31)))),
        days=draw(st.integers(1, 2)),
        duration_minutes=draw(st.sampled_from([15, 30, 45, 60, 90, 120, 180])),
        committee_zone=draw(st.sampled_from(ZONES)),
        step_minutes=draw(st.sampled_from([15, 30, 60])),
        optional=frozenset(optional),
        allow_weekends=draw(st.booleans()),
        one_per_zone=draw(st.booleans()),
        limit=None,
    )
    return members, query


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(searches())
def test_local_times_and_flags_agree_with_zoneinfo(search: tuple[list[Member], SlotQuery]) -> None:
    members, query = search
    result = find_slots(members, query)
    for candidate in (*result.candidates, *result.partial):
        for slot in candidate.members:
            expected = candidate.start_utc.astimezone(ZoneInfo(slot.timezone))
            assert slot.local_start == expected
            assert slot.local_start.replace(tzinfo=None) == expected.replace(tzinfo=None)
            assert slot.local_start.utcoffset() == expected.utcoffset()
    for candidate in (*result.candidates[:20], *result.partial[:20]):
        for slot in candidate.members:
            minutes = meeting_minutes(candidate, slot.timezone)
            assert slot.within_working_hours == all(within(local, slot.working_hours) for local in minutes)
            member = next(member for member in members if member.name == slot.name)
            night_blocked = not member.night_opt_in and any(excluded_hour(local) for local in minutes)
            weekend_blocked = not query.allow_weekends and any(local.weekday() >= 5 for local in minutes)
            assert (slot.blocked_by is Blocker.NIGHT) == night_blocked
            assert (slot.blocked_by is Blocker.WEEKEND) == (weekend_blocked and not night_blocked)


@PROPERTY
@given(searches())
def test_no_slot_puts_a_required_member_in_their_excluded_night(search: tuple[list[Member], SlotQuery]) -> None:
    members, query = search
    opted_in = {member.name for member in members if member.night_opt_in}
    result = find_slots(members, query)
    for candidate in result.candidates[:30]:
        for slot in candidate.members:
            if slot.required and slot.name not in opted_in:
                assert not any(excluded_hour(local) for local in meeting_minutes(candidate, slot.timezone))
    for candidate in result.partial:
        assert candidate.reason.missing_required
        missing = candidate.reason.missing_required
        assert all(not slot.available for slot in candidate.members if slot.name in missing)


def pain_matrix(candidates: tuple[SlotCandidate, ...]) -> np.ndarray:
    return np.array([[slot.pain if slot.available else np.inf for slot in candidate.members]
                     for candidate in candidates])


@PROPERTY
@given(searches())
def test_a_slot_better_for_everyone_is_never_ranked_below(search: tuple[list[Member], SlotQuery]) -> None:
    members, query = search
    result = find_slots(members, query)
    for ranking in filter(None, (result.candidates, result.partial)):
        pains = pain_matrix(ranking)
        for rank in range(len(ranking)):
            below = pains[rank + 1:]
            assert not np.any(np.all(below < pains[rank], axis=1)), ranking[rank].start_utc


@PROPERTY
@given(searches())
def test_ranking_is_deterministic_and_ties_go_to_the_earlier_start(search: tuple[list[Member], SlotQuery]) -> None:
    members, query = search
    first, second = find_slots(members, query), find_slots(members, query)
    assert first == second
    for ranking in (first.candidates, first.partial):
        for earlier, later in zip(ranking, ranking[1:]):
            if earlier.score == later.score and earlier.reason.missing_required == later.reason.missing_required:
                assert earlier.start_utc < later.start_utc


NON_DST_ZONES = ["Africa/Kinshasa", "Africa/Lome", "America/Guatemala", "America/Lima", "Asia/Jakarta",
                 "Asia/Kolkata", "Asia/Kathmandu", "Etc/GMT+3"]


@settings(max_examples=60, deadline=None)
@given(zone=st.sampled_from(NON_DST_ZONES), half_width=st.integers(8, 16), gap=st.integers(1, 10),
       duration=st.sampled_from([15, 30, 45, 60, 90, 120, 150]), step=st.sampled_from([15, 30, 60]))
def test_rotation_spares_last_meetings_worst_off_when_a_mirror_slot_exists(
        zone: str, half_width: int, gap: int, duration: int, step: int) -> None:
    """Two members whose working hours mirror each other around 14:30 (night is
    symmetric around it too), so every slot has a twin with their pains swapped
    and the same total: whoever suffered most last time must not suffer most again."""
    assume(duration % step == 0)  # otherwise a slot's mirror image falls between grid points
    centre, shift = 58, half_width + gap  # in quarters of an hour
    pair = [Member("early", zone, hours_at(centre - shift - half_width, 2 * half_width), night_opt_in=True),
            Member("late", zone, hours_at(centre + shift - half_width, 2 * half_width), night_opt_in=True)]
    query = SlotQuery(date(2026, 6, 1), 2, duration, committee_zone=zone, step_minutes=step,
                      allow_weekends=True, limit=1)
    first = find_slots(pair, query).candidates[0]
    pains = {slot.name: slot.pain for slot in first.members}
    assume(pains["early"] != pains["late"])
    worst = max(pains, key=pains.__getitem__)
    second = find_slots(pair, query, [PastMeeting(first.start_utc, duration)]).candidates[0]
    pains_after = {slot.name: slot.pain for slot in second.members}
    other = next(name for name in pains if name != worst)
    assert pains_after[worst] <= pains_after[other]


def demo_query(first: date, days: int, duration: int = 60, **options: object) -> SlotQuery:
    return SlotQuery(first, days, duration, committee_zone="Europe/Brussels", **options)  # type: ignore[arg-type]


def best_per_committee_day(candidates: tuple[SlotCandidate, ...]) -> dict[date, datetime]:
    brussels, best = ZoneInfo("Europe/Brussels"), {}
    for candidate in candidates:  # already ranked: the first seen per day is that day's best
        best.setdefault(candidate.start_utc.astimezone(brussels).date(), candidate.start_utc)
    return best


BRUSSELS_AND_JAKARTA = [member for member in DEMO if member.timezone in ("Europe/Brussels", "Asia/Jakarta")]


def test_best_utc_slot_moves_an_hour_earlier_when_brussels_springs_forward() -> None:
    # Brussels' 08:00 opens the shared window (Jakarta's 20:00 = 13:00 UTC closes it).
    result = find_slots(BRUSSELS_AND_JAKARTA, demo_query(date(2026, 3, 23), 14, limit=None))
    best = best_per_committee_day(result.candidates)
    assert {day: start.time() for day, start in best.items() if day < date(2026, 3, 29)} == {
        date(2026, 3, d): time(7) for d in (23, 24, 25, 26, 27)}
    assert {day: start.time() for day, start in best.items() if day > date(2026, 3, 29)} == {
        day: time(6) for day in best if day > date(2026, 3, 29)}
    assert all(best[day].astimezone(ZoneInfo("Europe/Brussels")).hour == 8 for day in best)


def test_best_utc_slot_moves_an_hour_later_when_brussels_falls_back() -> None:
    result = find_slots(BRUSSELS_AND_JAKARTA, demo_query(date(2026, 10, 19), 14, limit=None))
    best = best_per_committee_day(result.candidates)
    assert {start.time() for day, start in best.items() if day < date(2026, 10, 25)} == {time(6)}
    assert {start.time() for day, start in best.items() if day > date(2026, 10, 25)} == {time(7)}


def epoch_minute(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def test_offsets_change_at_the_exact_minute_of_the_transition() -> None:
    first = epoch_minute(datetime(2026, 3, 28, tzinfo=UTC))
    switch = epoch_minute(datetime(2026, 3, 29, 1, tzinfo=UTC))
    assert offset_spans(ZoneInfo("Europe/Brussels"), first, 2 * 1440) == [
        OffsetSpan(first, switch, 60), OffsetSpan(switch, first + 2 * 1440, 120)]
    first = epoch_minute(datetime(2026, 4, 4, tzinfo=UTC))  # Lord Howe moves by 30 minutes
    switch = epoch_minute(datetime(2026, 4, 4, 15, tzinfo=UTC))
    assert offset_spans(ZoneInfo("Australia/Lord_Howe"), first, 1440) == [
        OffsetSpan(first, switch, 660), OffsetSpan(switch, first + 1440, 630)]
    assert offset_spans(ZoneInfo("Asia/Kathmandu"), first, 1) == [OffsetSpan(first, first + 1, 345)]


def test_a_meeting_across_the_clock_change_is_judged_minute_by_minute() -> None:
    santiago = Member("Santiago Fischer", "Europe/Brussels", night_opt_in=True)
    query = SlotQuery(date(2026, 3, 29), 1, 60, committee_zone="UTC", allow_weekends=True, limit=None)
    slot = next(c for c in find_slots([santiago], query).candidates
                if c.start_utc == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)).members[0]
    assert (slot.local_start.hour, slot.local_start.minute, slot.local_end.hour) == (1, 30, 3)
    # 01:30-02:00 CET then 03:00-03:30 CEST: 30 minutes of each, not an hour of 02:00.
    # Pain per minute: minutes away from 08:00-20:00, plus 3x the minutes of depth into the night.
    expected = sum(min(m + 241, 480 - m) + 3 * min(m + 61, 360 - m) for m in [*range(90, 120), *range(180, 210)])
    assert slot.pain == pytest.approx(expected / 3600)


def test_fractional_offsets_show_at_half_and_quarter_past() -> None:
    result = find_slots(DEMO, demo_query(date(2026, 3, 9), 5, limit=20))
    assert result.candidates
    for candidate in result.candidates:
        assert candidate.start_utc.minute % 15 == 0
        slots = {slot.timezone: slot for slot in candidate.members}
        assert slots["Asia/Kolkata"].local_start.utcoffset() == timedelta(hours=5, minutes=30)
        assert slots["Asia/Kathmandu"].local_start.utcoffset() == timedelta(hours=5, minutes=45)
        assert slots["Asia/Kolkata"].local_start.minute == (candidate.start_utc.minute + 30) % 60
        assert slots["Asia/Kathmandu"].local_start.minute == (candidate.start_utc.minute + 45) % 60
    json_members = slots_to_json(result.candidates[:1])[0]["members"]
    kathmandu = next(m for m in json_members if m["timezone"] == "Asia/Kathmandu")  # type: ignore[index]
    assert kathmandu["local_start"].endswith("+05:45")  # type: ignore[index]


def test_weekends_are_each_members_own_and_excluded_unless_asked() -> None:
    week = demo_query(date(2026, 5, 4), 7, limit=None)
    for candidate in find_slots(DEMO, week).candidates:
        for slot in candidate.members:
            minutes = meeting_minutes(candidate, slot.timezone)
            assert all(local.weekday() < 5 for local in [*minutes[::15], minutes[-1]])
    # Friday 17:00 UTC is Friday in Guatemala but already Saturday 00:00 in Jakarta.
    friday_evening = datetime(2026, 5, 8, 17, tzinfo=UTC)
    assert friday_evening not in {c.start_utc for c in find_slots(DEMO, week).candidates}
    with_weekends = find_slots(DEMO, demo_query(date(2026, 5, 4), 7, limit=None, allow_weekends=True))
    assert friday_evening in {c.start_utc for c in with_weekends.candidates}
    assert any(c.start_utc.weekday() == 5 for c in with_weekends.candidates)


PACIFIC = [Member("Hawaii Guest", "Pacific/Honolulu"), Member("Tokyo Guest", "Asia/Tokyo"),
           Member("Auckland Guest", "Pacific/Auckland")]


def test_partial_slots_when_someones_excluded_night_covers_every_common_slot() -> None:
    # With the Pacific added, at every instant some required member is between 01:00 and 05:00.
    result = find_slots(DEMO + PACIFIC, demo_query(date(2026, 3, 23), 5))
    assert result.candidates == () and result.unaccommodated == ()
    assert result.best == result.partial and len(result.partial) == 10
    best = result.partial[0]
    assert best.reason.verdict is Verdict.PARTIAL
    assert best.reason.missing_required == ("Hawaii Guest",)
    assert [s.blocked_by for s in best.members if not s.available] == [Blocker.NIGHT]
    assert all(len(c.reason.missing_required) == 1 for c in result.partial)
    # Once Hawaii accepts night meetings, everyone fits again.
    opted_in = [Member("Hawaii Guest", "Pacific/Honolulu", night_opt_in=True), *PACIFIC[1:]]
    assert find_slots(DEMO + opted_in, demo_query(date(2026, 3, 23), 5)).candidates


def test_reports_who_cannot_be_accommodated_at_all() -> None:
    committee = [m for m in DEMO if m.timezone in ("Asia/Jakarta", "America/Guatemala", "Europe/Brussels")]
    saturday_in_jakarta = SlotQuery(date(2026, 3, 28), 1, 60, committee_zone="Asia/Jakarta")
    result = find_slots(committee, saturday_in_jakarta)
    assert result.candidates == ()
    assert result.unaccommodated == ("Elly Rosita Silaban", "Bismo Sanyoto")
    assert result.partial[0].reason.missing_required == result.unaccommodated
    assert {s.blocked_by for s in result.partial[0].members if not s.available} == {Blocker.WEEKEND}


def test_min_attendance_filters_partial_slots() -> None:
    committee = [m for m in DEMO if m.timezone in ("Asia/Jakarta", "America/Guatemala")]
    saturday_in_jakarta = SlotQuery(date(2026, 3, 28), 1, 60, committee_zone="Asia/Jakarta", min_attendance=0.5)
    assert find_slots(committee, saturday_in_jakarta).partial == ()


def test_optional_members_never_block_a_slot() -> None:
    query = demo_query(date(2026, 3, 23), 1, optional=frozenset({"Hawaii Guest"}))
    result = find_slots(DEMO + PACIFIC[:1], query)
    assert result.candidates
    assert any(c.reason.missing_optional == ("Hawaii Guest",) for c in result.candidates)


def test_members_in_neither_set_are_left_out_when_required_is_given() -> None:
    query = demo_query(date(2026, 3, 23), 1, required=frozenset({"Santiago Fischer"}),
                       optional=frozenset({"Bart Verstraeten"}))
    names = [s.name for s in find_slots(DEMO, query).candidates[0].members]
    assert names == ["Santiago Fischer", "Bart Verstraeten"]


def test_counting_each_zone_once_ignores_how_many_live_there() -> None:
    jakarta = [m for m in DEMO if m.timezone == "Asia/Jakarta"]
    others = [m for m in DEMO if m.timezone != "Asia/Jakarta"]
    query = demo_query(date(2026, 3, 23), 2, limit=None, one_per_zone=True)
    once = find_slots(others + jakarta[:1], query).candidates
    twice = find_slots(others + jakarta, query).candidates
    assert [(c.start_utc, c.score) for c in once] == [(c.start_utc, c.score) for c in twice]


def test_rotation_alternates_who_stays_late_over_a_series() -> None:
    """Early and late shift in Kinshasa; a 90-minute meeting on a 30-minute grid
    cannot sit symmetrically between them, so someone overruns more each time."""
    shifts = [Member("Ingrid Mulamba", "Africa/Kinshasa", WorkingHours.parse("06:00-14:00")),
              Member("Denis Mushiya", "Africa/Kinshasa", WorkingHours.parse("15:00-23:00"))]
    history: list[PastMeeting] = []
    worst_off = []
    for week in range(6):
        query = SlotQuery(date(2026, 6, 1) + timedelta(weeks=week), 5, 90, committee_zone="Africa/Kinshasa",
                          step_minutes=30, limit=1)
        best = find_slots(shifts, query, history).candidates[0]
        worst_off.append(best.reason.worst_member)
        history.append(PastMeeting(best.start_utc, 90))
    assert worst_off == ["Denis Mushiya", "Ingrid Mulamba"] * 3


def test_json_shape_for_the_cli() -> None:
    result = find_slots(DEMO, demo_query(date(2026, 3, 23), 3, limit=2))
    payload = slots_to_json(result.best)
    assert len(payload) == 2
    first = payload[0]
    assert isinstance(first["start_utc"], str) and first["start_utc"].endswith("Z")
    assert datetime.fromisoformat(first["start_utc"]) == result.best[0].start_utc
    assert isinstance(first["score"], float)
    members = first["members"]
    assert isinstance(members, list) and len(members) == len(DEMO)
    assert set(members[0]) >= {"name", "timezone", "local_start", "within_working_hours"}
    assert datetime.fromisoformat(members[0]["local_start"]) == result.best[0].start_utc


@pytest.mark.parametrize("members, query, message", [
    ([Member("A", "UTC"), Member("A", "UTC")], SlotQuery(date(2026, 1, 5), 1, 60), "unique"),
    ([Member("A", "UTC")], SlotQuery(date(2026, 1, 5), 1, 60, optional=frozenset({"B"})), "unknown"),
    ([Member("A", "UTC")], SlotQuery(date(2026, 1, 5), 0, 60), "positive"),
    ([Member("A", "UTC")], SlotQuery(date(2026, 1, 5), 1, 60, required=frozenset()), "no members"),
])
def test_invalid_searches_are_refused(members: list[Member], query: SlotQuery, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        find_slots(members, query)


@pytest.mark.parametrize("hours, inside, outside", [
    ("08:00-20:00", ["08:00", "19:59"], ["07:59", "20:00"]),
    ("22:00-06:00", ["23:30", "00:00", "05:59"], ["06:00", "21:59"]),
])
def test_working_hours_may_wrap_past_midnight(hours: str, inside: list[str], outside: list[str]) -> None:
    parsed = WorkingHours.parse(hours)
    assert str(parsed) == hours
    assert all(parsed.covers(time.fromisoformat(t)) for t in inside)
    assert not any(parsed.covers(time.fromisoformat(t)) for t in outside)


def test_past_meetings_must_be_aware() -> None:
    with pytest.raises(ValueError):
        PastMeeting(datetime(2026, 3, 2, 13), 60)
