"""The rule of how much the bot sends (bot.domain.notify) and the hour members type."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.notify import (ALWAYS, DIGEST, EVERYTHING, IMPORTANT, LATER, MEETINGS, NOT_SENT, NOW, NUDGE, OWN,
                               next_digest, read_mode, route)
from bot.input.numbers import parse_hour

DIGEST_AT = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(("mode", "topic", "expected"), [
    (EVERYTHING, NUDGE, NOW), (EVERYTHING, MEETINGS, NOW),
    (IMPORTANT, MEETINGS, NOW), (IMPORTANT, OWN, NOW), (IMPORTANT, ALWAYS, NOW), (IMPORTANT, NUDGE, NOT_SENT),
    (DIGEST, MEETINGS, LATER), (DIGEST, OWN, LATER), (DIGEST, ALWAYS, NOW), (DIGEST, NUDGE, NOT_SENT),
])
def test_where_each_message_goes(mode, topic, expected):
    assert route(mode, topic, None, DIGEST_AT if mode == DIGEST else None) == expected


def test_what_is_about_a_meeting_before_the_digest_cannot_wait():
    assert route(DIGEST, MEETINGS, DIGEST_AT + timedelta(hours=2, minutes=59), DIGEST_AT) == NOW
    assert route(DIGEST, MEETINGS, DIGEST_AT - timedelta(hours=5), DIGEST_AT) == NOW
    assert route(DIGEST, MEETINGS, DIGEST_AT + timedelta(hours=3), DIGEST_AT) == LATER


def test_the_next_digest_is_in_the_members_own_day_across_zones_and_clock_changes():
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert next_digest(now, "Asia/Kolkata", 19) == datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
    assert next_digest(now, "Asia/Kathmandu", 7) == datetime(2026, 11, 24, 1, 15, tzinfo=UTC)
    assert next_digest(now, "America/Guatemala", 7) == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert next_digest(datetime(2026, 11, 23, 13, 30, tzinfo=UTC), "Asia/Kolkata", 19) == \
        datetime(2026, 11, 24, 13, 30, tzinfo=UTC)  # the one just sent is not the next
    spring = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)  # Brussels skips 02:00-03:00 on 28 March
    assert next_digest(spring, "Europe/Brussels", 2) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert next_digest(spring, "Europe/Brussels", 18) == datetime(2027, 3, 27, 17, 0, tzinfo=UTC)
    autumn = datetime(2027, 10, 30, 12, 0, tzinfo=UTC)  # 02:00-03:00 happens twice on 31 October
    assert next_digest(autumn, "Europe/Brussels", 2) == datetime(2027, 10, 31, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "mode"), [
    ("all", EVERYTHING), ("tout", EVERYTHING), ("Todo", EVERYTHING), ("everything", EVERYTHING),
    ("important", IMPORTANT), ("importants seulement", IMPORTANT), ("solo importantes", IMPORTANT),
    ("digest", DIGEST), ("résumé quotidien", DIGEST), ("resumen diario", DIGEST),
    ("pas important", None), ("tout important", None), ("", None), ("sometimes", None), ("<b>tout</b>", None),
])
def test_modes_in_three_languages(text, mode):
    assert read_mode(text) == mode


@pytest.mark.parametrize(("text", "hour"), [
    ("7", 7), ("07", 7), ("07:00", 7), ("19h", 19), ("19 h 00", 19), ("7 pm", 19), ("12am", 0), ("12 PM", 12),
    ("0", 0), ("23h00", 23), ("24", None), ("-1", None), ("7:30", None), ("13pm", None), ("²", None),
    ("١٢", None), ("", None), ("h", None), ("007", None),
])
def test_hours_of_the_day(text, hour):
    assert parse_hour(text) == hour
