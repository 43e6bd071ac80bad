from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.agenda_timing import AgendaItem, time_agenda

START = datetime(2026, 5, 4, 13, 0, tzinfo=UTC)


def test_estimated_items_follow_each_other() -> None:
    timing = time_agenda(START, timedelta(minutes=60), [AgendaItem("Opening", 10), AgendaItem("Budget", 30)])
    assert [(item.start, item.end) for item in timing.items] == [
        (START, START + timedelta(minutes=10)),
        (START + timedelta(minutes=10), START + timedelta(minutes=40)),
    ]
    assert (timing.total_minutes, timing.meeting_minutes, timing.overrun_minutes) == (40, 60, 0)
    assert all(item.estimated for item in timing.items)


def test_overrun_is_reported() -> None:
    items = [AgendaItem("Reports", 45), AgendaItem("Budget", 30), AgendaItem("AOB", 15)]
    timing = time_agenda(START, timedelta(minutes=60), items)
    assert (timing.total_minutes, timing.overrun_minutes) == (90, 30)
    assert timing.items[-1].end == START + timedelta(minutes=90)


def test_unestimated_items_share_the_time_left_odd_minutes_first() -> None:
    items = [AgendaItem("Opening", 20), AgendaItem("Asia"), AgendaItem("Budget", 30), AgendaItem("Africa"), AgendaItem("AOB")]
    timing = time_agenda(START, timedelta(minutes=90), items)
    assert [item.minutes for item in timing.items] == [20, 14, 30, 13, 13]
    assert [item.estimated for item in timing.items] == [True, False, True, False, False]
    assert (timing.total_minutes, timing.overrun_minutes) == (90, 0)


def test_full_meeting_gives_unestimated_items_the_minimum_and_shows_the_overrun() -> None:
    items = [AgendaItem("Reports", 50), AgendaItem("Questions"), AgendaItem("Budget", 30)]
    timing = time_agenda(START, timedelta(minutes=60), items)
    assert [item.minutes for item in timing.items] == [50, 5, 30]
    assert timing.overrun_minutes == 25
    assert time_agenda(START, timedelta(minutes=60), items, min_unestimated_minutes=10).overrun_minutes == 30


def test_clock_times_read_in_fractional_zones() -> None:
    timing = time_agenda(START, timedelta(minutes=30), [AgendaItem("Roll call", 5), AgendaItem("Decisions")])
    kathmandu = ZoneInfo("Asia/Kathmandu")
    assert [item.start.astimezone(kathmandu).strftime("%H:%M") for item in timing.items] == ["18:45", "18:50"]
    assert timing.items[1].end.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%H:%M") == "19:00"


def test_empty_agenda() -> None:
    timing = time_agenda(START, timedelta(minutes=45), [])
    assert (timing.items, timing.total_minutes, timing.overrun_minutes) == ((), 0, 0)


@pytest.mark.parametrize("minutes", [0, -5])
def test_item_needs_a_positive_estimate(minutes: int) -> None:
    with pytest.raises(ValueError):
        AgendaItem("Nothing", minutes)


@given(
    st.integers(5, 720),
    st.lists(st.one_of(st.none(), st.integers(1, 120)), max_size=12),
)
def test_items_are_contiguous_and_fill_the_meeting_when_they_can(meeting_minutes: int, estimates: list[int | None]) -> None:
    items = [AgendaItem(f"item {position}", minutes) for position, minutes in enumerate(estimates)]
    timing = time_agenda(START, timedelta(minutes=meeting_minutes), items)
    clock = START
    for item in timing.items:
        assert item.start == clock and item.end - item.start == timedelta(minutes=item.minutes)
        clock = item.end
    assert timing.total_minutes == sum(item.minutes for item in timing.items)
    assert timing.overrun_minutes == max(0, timing.total_minutes - meeting_minutes)
    unestimated = estimates.count(None)
    left = meeting_minutes - sum(minutes or 0 for minutes in estimates)
    if unestimated and left >= 5 * unestimated:
        assert timing.total_minutes == meeting_minutes
