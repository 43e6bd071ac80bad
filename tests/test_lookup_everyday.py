"""Everyday questions by class (issue 15) on the domain: places by city, roles with times,
people by country, kinds and name words, unknown people, and the committee's business read
from plain words. The score per class is printed (pytest -s) and must be perfect."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.domain.lookup import Directory, PersonRecord
from bot.domain.lookup.business import read_business
from bot.domain.lookup.csv_source import load_organisations, load_people
from tests.lookup_everyday import BUSINESS_CASES, CLASSES, DIRECTORY_CASES, NOT_BUSINESS

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def directory() -> Directory:
    people = load_people(DATA / "committee.csv", DATA / "committee-demo-profiles.csv")
    return Directory(people, load_organisations(DATA / "organisations.csv"))


def judge(directory: Directory, case: dict[str, Any]) -> list[str]:
    """What is wrong with the domain's answer to a directory case (empty when right)."""
    result = directory.ask(case["question"], limit=1000)
    problems = []
    people = sorted(person.name for person in result.people)
    orgs = sorted(org.label for org in result.organisations)
    if case["people"] is not None and people != sorted(case["people"]):
        problems.append(f"people {people}")
    if case["orgs"] is not None and orgs != sorted(case["orgs"]):
        problems.append(f"organisations {orgs}")
    if case["total"] is not None and result.total != case["total"]:
        problems.append(f"total {result.total}")
    if result.place_zone != case["zone"]:
        problems.append(f"zone {result.place_zone}")
    if case["suggest"] is not None:
        if result.found:
            problems.append(f"answered {people or orgs} instead of not knowing")
        missing = set(case["suggest"]) - set(result.suggestions)
        if missing:
            problems.append(f"suggestions {result.suggestions} lack {missing}")
    if case["people"] and result.organisations:
        problems.append("organisations listed for a question about people")
    return problems


def judge_business(case: dict[str, Any]) -> list[str]:
    read = read_business(case["question"])
    if read is None:
        return ["not read as committee business"]
    got = (read.topic.value, read.words, read.weekday, read.days_ahead)
    wanted = (case["topic"], case["words"], case["weekday"], case["days_ahead"])
    return [] if got == wanted else [f"read {got}"]


def test_each_class_has_many_phrasings_in_each_language() -> None:
    counts = Counter((case["cls"], case["lang"]) for case in [*DIRECTORY_CASES, *BUSINESS_CASES])
    assert all(counts[(cls, lang)] >= 7 for cls in CLASSES for lang in ("fr", "en", "es")), counts


def test_score_per_class(directory: Directory) -> None:
    failures: dict[str, list[str]] = {}
    score: Counter[str] = Counter()
    for case in DIRECTORY_CASES:
        problems = judge(directory, case)
        score[case["cls"]] += not problems
        if problems:
            failures[case["question"]] = problems
    for case in BUSINESS_CASES:
        problems = judge_business(case)
        score[case["cls"]] += not problems
        if problems:
            failures[case["question"]] = problems
    sizes = Counter(case["cls"] for case in [*DIRECTORY_CASES, *BUSINESS_CASES])
    for cls in CLASSES:
        print(f"{cls:>22}: {score[cls]}/{sizes[cls]} ({100 * score[cls] / sizes[cls]:.0f} %)")
    assert not failures, failures


@pytest.mark.parametrize("question", NOT_BUSINESS)
def test_lookup_questions_are_not_business(question: str) -> None:
    assert read_business(question) is None


def test_no_lookup_question_is_read_as_business() -> None:
    """People and organisation questions keep going to the directory."""
    from tests.lookup_questions import QUESTIONS

    caught = [case["question"] for case in [*QUESTIONS, *DIRECTORY_CASES]
              if read_business(case["question"]) is not None]
    assert not caught


def test_a_members_own_zone_is_a_place_even_outside_the_data() -> None:
    people = [PersonRecord(1, "Ana Souza", ["representative"], "Latin America", country="Brasil",
                           timezone="America/Sao_Paulo")]
    directory = Directory(people, [])
    for question in ("who is in São Paulo?", "¿quién está en São Paulo?", "qui est à Sao Paulo ?"):
        assert [p.name for p in directory.ask(question).people] == ["Ana Souza"], question
    assert directory.ask("heure à São Paulo ?").place_zone == "America/Sao_Paulo"
