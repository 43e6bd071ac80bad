"""Converting a time of day between places and people (bot.domain.lookup.conversion): the
committee's most frequent question, in the forms people type it in three languages."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.domain.lookup import Directory
from bot.domain.lookup.conversion import (
    INVALID_TIME, NOTHING_ELSE, PLACE_WITHOUT_ZONE, ConversionProblem, find_clock,
)
from bot.domain.lookup.csv_source import load_organisations, load_people
from tests.harness import DATA

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
BRUSSELS = "Europe/Brussels"


@pytest.fixture(scope="module")
def directory() -> Directory:
    people = load_people(DATA / "committee.csv", DATA / "committee-demo-profiles.csv")
    return Directory(people, load_organisations(DATA / "organisations.csv"))


@pytest.mark.parametrize(("text", "clock"), [
    ("14:00", (14, 0)), ("à 14h", (14, 0)), ("14h30", (14, 30)), ("14 h 30", (14, 30)), ("a las 9:05", (9, 5)),
    ("2 pm", (14, 0)), ("2:30 p.m.", (14, 30)), ("12 am", (0, 0)), ("12pm", (12, 0)), ("7 hs", (7, 0)),
    ("0:15", (0, 15)), ("23:59", (23, 59)),
])
def test_clock_times_in_the_forms_people_type(text, clock):
    found = find_clock(text)
    assert found is not None and found.valid and (found.hour, found.minute) == clock


@pytest.mark.parametrize("text", ["25:00", "14:75", "13 pm", "0 am"])
def test_impossible_clock_times_are_found_and_refused(text):
    found = find_clock(text)
    assert found is not None and not found.valid


@pytest.mark.parametrize("text", ["réunion n° 14", "in 2026", "the 3 decisions", "version 1.5"])
def test_numbers_that_are_no_time_of_day(text):
    assert find_clock(text) is None


def _zones(conversion):
    return [(t.zone, t.person_id is not None, t.asker) for t in conversion.targets]


@pytest.mark.parametrize("text", [
    "si son las 14:00 en Lima, ¿qué hora es en Yakarta?",
    "¿Qué hora es en Yakarta cuando son las 14:00 en Lima?",
    "quand il est 14h à Lima, quelle heure est-il à Jakarta ?",
    "What time is it in Jakarta when it is 2 pm in Lima?",
    "14:00 Lima in Jakarta",
    "dis-moi, 14h à Lima, c'est quelle heure à Jakarta ?",  # "moi" before the time owns nothing
])
def test_the_time_belongs_to_the_place_typed_beside_it(directory, text):
    conversion = directory.conversion(text, BRUSSELS, BRUSSELS, NOW)
    assert conversion.source.zone == "America/Lima"
    assert conversion.moment == datetime(2026, 12, 3, 19, 0, tzinfo=timezone.utc)
    assert _zones(conversion) == [("Asia/Jakarta", False, False), (BRUSSELS, False, True)]


def test_people_are_places_too_and_the_asker_is_always_told_their_own_time(directory):
    conversion = directory.conversion("quand il est 9h30 pour Mary, quelle heure pour Samy ?",
                                      "Africa/Kinshasa", BRUSSELS, NOW)
    assert conversion.source.zone == "America/Guatemala" and conversion.source.person_id is not None
    assert conversion.moment == datetime(2026, 12, 3, 15, 30, tzinfo=timezone.utc)
    assert _zones(conversion) == [("Asia/Kolkata", True, False), ("Africa/Kinshasa", False, True)]


def test_my_time_converted_for_someone(directory):
    conversion = directory.conversion("si à 14h pour moi, quelle heure pour Elly ?", "America/Lima", BRUSSELS, NOW)
    assert conversion.source.asker and conversion.source.zone == "America/Lima"
    assert _zones(conversion) == [("Asia/Jakarta", True, False)]


def test_daylight_saving_time_of_the_day_asked(directory):
    summer = datetime(2026, 7, 1, 9, 0, tzinfo=timezone.utc)
    conversion = directory.conversion("14:00 à Bruxelles pour Samy", "Asia/Kolkata", BRUSSELS, summer)
    assert conversion.moment == datetime(2026, 7, 1, 12, 0, tzinfo=timezone.utc)  # CEST, UTC+2


@pytest.mark.parametrize(("text", "reason"), [
    ("25:00 à Lima", INVALID_TIME),
    ("14:00 en Indonesia, ¿qué hora en Lima?", PLACE_WITHOUT_ZONE),  # three zones: which one?
    ("14:00 in Brussels?", NOTHING_ELSE),  # asked in Brussels
])
def test_what_cannot_be_answered_as_asked_is_said(directory, text, reason):
    with pytest.raises(ConversionProblem) as raised:
        directory.conversion(text, BRUSSELS, BRUSSELS, NOW)
    assert raised.value.reason == reason


@pytest.mark.parametrize("text", ["réunion à 14h", "who is the chair?", "qui représente l'Asie ?",
                                  "what time is it for Gabriela?", "14:00 for me"])
def test_no_conversion_without_a_time_and_a_place_or_person(directory, text):
    assert directory.conversion(text, BRUSSELS, BRUSSELS, NOW) is None
