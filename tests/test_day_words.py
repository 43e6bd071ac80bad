"""A day as members write it (bot/domain/day_words.py): one reading for due dates and for the
day of a time conversion, in French, English and Spanish, never a guess."""

from datetime import date

import pytest

from bot.domain.day_words import find_day_words, read_day

THURSDAY = date(2026, 12, 3)


@pytest.mark.parametrize("typed, day", [
    ("vendredi prochain", date(2026, 12, 4)), ("jeudi", date(2026, 12, 10)), ("friday next week", date(2026, 12, 11)),
    ("el viernes que viene", date(2026, 12, 4)), ("pasado mañana", date(2026, 12, 5)), ("aujourd'hui", THURSDAY),
    ("dentro de un mes", date(2027, 1, 3)), ("d'ici 15 jours", date(2026, 12, 18)), ("fin du mois prochain", date(2027, 1, 31)),
    ("a finales de mes", date(2026, 12, 31)), ("fin de semaine", date(2026, 12, 4)), ("fin d'année", date(2026, 12, 31)),
    ("premier janvier", date(2027, 1, 1)), ("1er décembre", date(2027, 12, 1)), ("Dec 20th, 2027", date(2027, 12, 20)),
    ("20.01.27", date(2027, 1, 20)), ("vendredi 11 décembre", date(2026, 12, 11)), ("3 décembre", THURSDAY),
])
def test_days_in_words(typed, day):
    assert read_day(typed, THURSDAY) == day


@pytest.mark.parametrize("typed", ["31/02", "la semaine prochaine", "en décembre", "next month", "Bruxelles", "todos",
                                   "20/13", "in 400 days", "\u202e2026-12-03", "2026-12-03\u200b", "0 days", "end of it"])
def test_what_names_no_single_day(typed):
    assert read_day(typed, THURSDAY) is None


@pytest.mark.parametrize("question, words", [
    ("demain à 14h à Bruxelles, quelle heure à Lima ?", "demain"),
    ("si son las 14:00 en Lima el viernes, ¿qué hora es en Yakarta?", "el viernes"),
    ("what is 9 am in Brussels for me on 20/12?", "20/12"),
    ("el 1 de marzo a las 10 en Bruselas", "el 1 de marzo"),
    ("14.30 à Bruxelles", None), ("3 pm Lima for Elly and Santiago", None), ("14h à Bruxelles pour Samy", None),
    ("what time is it for Mary in Guatemala?", None),
])
def test_the_day_words_of_a_question(question, words):
    assert find_day_words(question) == words
