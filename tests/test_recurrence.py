from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr  # icalendar's own dependency: an independent RRULE expander
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.recurrence import (
    CANCELLED,
    LAST,
    Frequency,
    Recurrence,
    StartNotOnRule,
    UnknownOccurrence,
    UnknownRecurrence,
    effective_occurrences,
    from_rrule,
    next_matching_date,
    occurrence_starts,
    parse_recurrence,
    resolve_changes,
    to_rrule,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
JAKARTA = ZoneInfo("Asia/Jakarta")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
WEEKLY = Recurrence(Frequency.WEEKLY)
TUESDAY, FRIDAY = 1, 4


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def first(count: int, start: datetime, zone: ZoneInfo, rule: Recurrence) -> list[datetime]:
    return list(islice(occurrence_starts(start, zone, rule), count))


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("weekly", WEEKLY),
        ("Hebdomadaire", WEEKLY),
        ("chaque semaine", WEEKLY),
        ("toutes les semaines", WEEKLY),
        ("semanal", WEEKLY),
        ("cada semana", WEEKLY),
        ("every week", WEEKLY),
        ("every 2 weeks", Recurrence(Frequency.WEEKLY, 2)),
        ("every other week", Recurrence(Frequency.WEEKLY, 2)),
        ("fortnightly", Recurrence(Frequency.WEEKLY, 2)),
        ("toutes les 2 semaines", Recurrence(Frequency.WEEKLY, 2)),
        ("toutes les deux semaines", Recurrence(Frequency.WEEKLY, 2)),
        ("une semaine sur deux", Recurrence(Frequency.WEEKLY, 2)),
        ("cada 2 semanas", Recurrence(Frequency.WEEKLY, 2)),
        ("cada tres semanas", Recurrence(Frequency.WEEKLY, 3)),
        ("monthly", Recurrence(Frequency.MONTHLY)),
        ("mensuel", Recurrence(Frequency.MONTHLY)),
        ("tous les mois", Recurrence(Frequency.MONTHLY)),
        ("cada mes", Recurrence(Frequency.MONTHLY)),
        ("every 3 months", Recurrence(Frequency.MONTHLY, 3)),
        ("monthly on the first Tuesday", Recurrence(Frequency.MONTHLY, 1, 1, TUESDAY)),
        ("mensuel le premier mardi", Recurrence(Frequency.MONTHLY, 1, 1, TUESDAY)),
        ("mensual el primer martes", Recurrence(Frequency.MONTHLY, 1, 1, TUESDAY)),
        ("monthly on the second tuesday", Recurrence(Frequency.MONTHLY, 1, 2, TUESDAY)),
        ("mensuel le troisième mardi", Recurrence(Frequency.MONTHLY, 1, 3, TUESDAY)),
        ("mensual el cuarto martes", Recurrence(Frequency.MONTHLY, 1, 4, TUESDAY)),
        ("monthly on the last Friday", Recurrence(Frequency.MONTHLY, 1, LAST, FRIDAY)),
        ("mensuel le dernier vendredi", Recurrence(Frequency.MONTHLY, 1, LAST, FRIDAY)),
        ("mensual el último viernes", Recurrence(Frequency.MONTHLY, 1, LAST, FRIDAY)),
        ("le premier mardi de chaque mois", Recurrence(Frequency.MONTHLY, 1, 1, TUESDAY)),
        ("el primer martes de cada mes", Recurrence(Frequency.MONTHLY, 1, 1, TUESDAY)),
        ("first Tuesday of the month", Recurrence(Frequency.MONTHLY, 1, 1, TUESDAY)),
        ("le 2e jeudi du mois", Recurrence(Frequency.MONTHLY, 1, 2, 3)),
        ("every 2 months on the last friday", Recurrence(Frequency.MONTHLY, 2, LAST, FRIDAY)),
    ],
)
def test_rules_in_three_languages(text: str, rule: Recurrence) -> None:
    assert parse_recurrence(text) == rule


@pytest.mark.parametrize(
    "text",
    ["", "daily", "tous les jours", "every 0 weeks", "weekly on the first tuesday", "every weeks months",
     "biweekly", "mensuel le cinquième mardi", "monthly on tuesday", "every 2 fortnights"],
)
def test_unknown_rules_are_refused(text: str) -> None:
    with pytest.raises(UnknownRecurrence) as error:
        parse_recurrence(text)
    assert error.value.text == text


@pytest.mark.parametrize(
    ("rule", "rrule"),
    [
        (WEEKLY, "FREQ=WEEKLY"),
        (Recurrence(Frequency.WEEKLY, 2), "FREQ=WEEKLY;INTERVAL=2"),
        (Recurrence(Frequency.MONTHLY), "FREQ=MONTHLY"),
        (Recurrence(Frequency.MONTHLY, 1, 1, TUESDAY), "FREQ=MONTHLY;BYDAY=1TU"),
        (Recurrence(Frequency.MONTHLY, 3, LAST, FRIDAY), "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR"),
    ],
)
def test_rrule_rendering(rule: Recurrence, rrule: str) -> None:
    assert to_rrule(rule) == rrule


rules = st.one_of(
    st.builds(Recurrence, st.just(Frequency.WEEKLY), st.integers(1, 4)),
    st.builds(Recurrence, st.just(Frequency.MONTHLY), st.integers(1, 3)),
    st.builds(Recurrence, st.just(Frequency.MONTHLY), st.integers(1, 3), st.sampled_from([1, 2, 3, 4, LAST]), st.integers(0, 6)),
)


@given(rules)
def test_rrule_reads_back(rule: Recurrence) -> None:
    assert from_rrule(to_rrule(rule)) == rule


@pytest.mark.parametrize(
    "value", ["", "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=1TU", "FREQ=WEEKLY;INTERVAL=0", "FREQ=MONTHLY;BYDAY=5TU", "FREQ=WEEKLY;COUNT=3"]
)
def test_foreign_rrules_are_refused(value: str) -> None:
    with pytest.raises(UnknownRecurrence):
        from_rrule(value)


def test_inconsistent_rules_cannot_be_built() -> None:
    for arguments in ((Frequency.WEEKLY, 0), (Frequency.WEEKLY, 1, 1, TUESDAY), (Frequency.MONTHLY, 1, 5, TUESDAY), (Frequency.MONTHLY, 1, 1, None)):
        with pytest.raises(ValueError):
            Recurrence(*arguments)


def test_weekly_meeting_keeps_brussels_wall_clock_across_spring_forward() -> None:
    start = datetime(2026, 3, 17, 15, 0, tzinfo=BRUSSELS)
    starts = first(4, start, BRUSSELS, WEEKLY)
    assert starts == [utc(2026, 3, 17, 14), utc(2026, 3, 24, 14), utc(2026, 3, 31, 13), utc(2026, 4, 7, 13)]
    assert {moment.astimezone(BRUSSELS).time() for moment in starts} == {time(15)}
    assert [moment.astimezone(JAKARTA).hour for moment in starts] == [21, 21, 20, 20]
    assert [moment.astimezone(KATHMANDU).time() for moment in starts] == [time(19, 45)] * 2 + [time(18, 45)] * 2


def test_weekly_meeting_across_fall_back() -> None:
    start = datetime(2026, 10, 20, 15, 0, tzinfo=BRUSSELS)
    assert first(2, start, BRUSSELS, WEEKLY) == [utc(2026, 10, 20, 13), utc(2026, 10, 27, 14)]


def test_series_in_a_zone_without_dst_keeps_its_utc_time() -> None:
    start = datetime(2026, 3, 17, 19, 45, tzinfo=KATHMANDU)
    assert {moment.time() for moment in first(60, start, KATHMANDU, WEEKLY)} == {time(14, 0)}


def test_occurrence_on_a_skipped_wall_time_uses_the_offset_before_the_gap() -> None:
    start = datetime(2026, 3, 22, 2, 30, tzinfo=BRUSSELS)
    assert first(2, start, BRUSSELS, WEEKLY)[1] == utc(2026, 3, 29, 1, 30)  # 03:30 CEST, as RFC 5545 reads it


def test_monthly_first_tuesday() -> None:
    rule = parse_recurrence("mensuel le premier mardi")
    start = datetime(2026, 9, 1, 10, 0, tzinfo=BRUSSELS)
    local_days = [moment.astimezone(BRUSSELS).date() for moment in first(5, start, BRUSSELS, rule)]
    assert local_days == [date(2026, 9, 1), date(2026, 10, 6), date(2026, 11, 3), date(2026, 12, 1), date(2027, 1, 5)]


def test_monthly_last_friday_over_the_year_end() -> None:
    rule = parse_recurrence("monthly on the last friday")
    start = datetime(2026, 11, 27, 9, 0, tzinfo=JAKARTA)
    local_days = [moment.astimezone(JAKARTA).date() for moment in first(3, start, JAKARTA, rule)]
    assert local_days == [date(2026, 11, 27), date(2026, 12, 25), date(2027, 1, 29)]


def test_monthly_on_the_31st_skips_shorter_months() -> None:
    start = datetime(2026, 1, 31, 9, 0, tzinfo=JAKARTA)
    local_days = [moment.astimezone(JAKARTA).date() for moment in first(4, start, JAKARTA, Recurrence(Frequency.MONTHLY))]
    assert local_days == [date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31), date(2026, 7, 31)]


def test_start_off_the_rule_is_refused_with_the_next_good_date() -> None:
    rule = parse_recurrence("first tuesday of the month")
    with pytest.raises(StartNotOnRule) as error:
        next(occurrence_starts(datetime(2026, 12, 2, 15, 0, tzinfo=BRUSSELS), BRUSSELS, rule))
    assert (error.value.start, error.value.suggestion) == (date(2026, 12, 2), date(2027, 1, 5))
    assert next_matching_date(rule, date(2026, 12, 1)) == date(2026, 12, 1)


@given(
    rules,
    st.dates(date(2024, 1, 1), date(2030, 12, 31)),
    st.times(),
    st.sampled_from(["Europe/Brussels", "Asia/Kathmandu", "Asia/Kolkata", "America/Guatemala", "Asia/Jakarta"]),
)
def test_occurrences_match_an_independent_rrule_expansion(rule: Recurrence, day: date, clock: time, zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    local_start = datetime.combine(next_matching_date(rule, day), clock.replace(microsecond=0), tzinfo=zone)
    expected = [moment.astimezone(UTC) for moment in islice(rrulestr(to_rrule(rule), dtstart=local_start), 30)]
    assert first(30, local_start, zone, rule) == expected


# --- moved and cancelled occurrences --------------------------------------------------------

SERIES_START = datetime(2026, 3, 17, 15, 0, tzinfo=BRUSSELS)  # Tuesdays 14:00 UTC, 13:00 UTC from 31 March
WINDOW = {"window_start": utc(2026, 3, 1), "window_end": utc(2026, 4, 20)}


def test_one_occurrence_cancelled_and_one_moved_by_index() -> None:
    moved_to = utc(2026, 4, 9, 8, 0)  # after the next regular one: order must follow the new time
    changes = {1: CANCELLED, 2: moved_to}
    effective = list(effective_occurrences(SERIES_START, BRUSSELS, WEEKLY, changes, **WINDOW))
    assert [(o.index, o.start) for o in effective] == [
        (0, utc(2026, 3, 17, 14)),
        (3, utc(2026, 4, 7, 13)),
        (2, moved_to),
        (4, utc(2026, 4, 14, 13)),
    ]
    assert [o.moved for o in effective] == [False, False, True, False]
    assert effective[2].original_start == utc(2026, 3, 31, 13)


def test_changes_keyed_by_original_start_in_any_zone() -> None:
    new_start = datetime(2026, 4, 1, 15, 0, tzinfo=BRUSSELS)
    changes = {
        datetime(2026, 3, 24, 15, 0, tzinfo=BRUSSELS): CANCELLED,
        datetime(2026, 3, 31, 18, 45, tzinfo=KATHMANDU): new_start,  # 15:00 CEST
    }
    overrides = resolve_changes(SERIES_START, BRUSSELS, WEEKLY, changes)
    assert [(o.index, o.original_start, o.change) for o in overrides] == [
        (1, utc(2026, 3, 24, 14), CANCELLED),
        (2, utc(2026, 3, 31, 13), new_start),
    ]


def test_window_follows_the_new_time_of_a_moved_occurrence() -> None:
    changes = {5: utc(2026, 3, 20, 9, 0), 0: utc(2026, 6, 1, 9, 0)}
    effective = list(effective_occurrences(SERIES_START, BRUSSELS, WEEKLY, changes, window_start=utc(2026, 3, 18), window_end=utc(2026, 3, 25)))
    assert [(o.index, o.start) for o in effective] == [(5, utc(2026, 3, 20, 9)), (1, utc(2026, 3, 24, 14))]


def test_open_window_is_endless_and_lazy() -> None:
    effective = effective_occurrences(SERIES_START, BRUSSELS, WEEKLY, {}, window_start=utc(2030, 1, 1))
    upcoming = next(effective)
    assert upcoming.start.astimezone(BRUSSELS) == datetime(2030, 1, 1, 15, 0, tzinfo=BRUSSELS)


@pytest.mark.parametrize("key", [-1, utc(2026, 3, 24, 14, 1), utc(2026, 3, 10, 14)])
def test_change_to_an_occurrence_that_does_not_exist(key: int | datetime) -> None:
    with pytest.raises(UnknownOccurrence) as error:
        resolve_changes(SERIES_START, BRUSSELS, WEEKLY, {key: CANCELLED})
    assert error.value.key == key


def test_far_index_is_found() -> None:
    (override,) = resolve_changes(SERIES_START, BRUSSELS, WEEKLY, {520: CANCELLED})
    local = override.original_start.astimezone(BRUSSELS)
    assert (local.date(), local.time()) == (date(2026, 3, 17) + timedelta(weeks=520), time(15))
