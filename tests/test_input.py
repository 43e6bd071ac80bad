"""What members type, read by one set of rules: ids, bounded numbers and durations."""

from datetime import timedelta

import pytest

from bot.domain.durations import DurationError, parse_duration, read_duration
from bot.input.numbers import MAX_ID, parse_id, parse_number


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), ("#12", 12), (" #7 ", 7), (str(MAX_ID), MAX_ID), ("0", None), ("-1", None), ("+1", None),
    ("1e3", None), ("١٢", None), ("１２", None), ("²", None), ("##12", None), ("# 12", 12),
    (str(MAX_ID + 1), None), ("9" * 30, None), ("", None), (None, None), ("#", None), ("12a", None)])
def test_ids(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize(("text", "low", "high", "expected"), [
    ("5", 1, 10, 5), (" 10 ", 1, 10, 10), ("0", 0, 3, 0), ("11", 1, 10, None), ("0", 1, 10, None),
    ("007", 1, 10, 7), ("9" * 21, 1, 10**30, None), ("٣", 0, 9, None), ("3.0", 0, 9, None)])
def test_bounded_numbers(text, low, high, expected):
    assert parse_number(text, low, high) == expected


@pytest.mark.parametrize(("text", "minutes"), [
    ("90m", 90), ("90 min", 90), ("45MN", 45), ("1h30", 90), ("1h30m", 90), ("2h", 120), ("2d", 2880),
    ("1d 2h 3m", 1563)])
def test_one_duration_grammar_for_meetings_and_reminders(text, minutes):
    assert read_duration(text) == read_duration(text, bare_minutes=True) == timedelta(minutes=minutes)
    assert parse_duration(text) == timedelta(minutes=minutes)


def test_a_bare_number_is_minutes_only_where_minutes_are_expected():
    assert read_duration("90", bare_minutes=True) == timedelta(minutes=90)
    with pytest.raises(DurationError):
        parse_duration("24")  # a reminder's "24": hours or minutes? refused, not guessed


@pytest.mark.parametrize("text", ["٩٠", "90s", "30m2h", "1.5h", "h", "", "1 hour", "-5m"])
def test_not_durations(text):
    with pytest.raises(DurationError):
        read_duration(text, bare_minutes=True)
