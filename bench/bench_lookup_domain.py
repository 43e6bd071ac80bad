"""Lookup latency at 1,000 people and 5,000 organisations, over the shared question set.

Synthetic records are derived from the shipped ones (same networks, countries, kinds and
name words, with section numbers and extra surnames), so the word indexes and the fuzzy
vocabularies grow as they would with a real, larger directory.

    .venv/bin/python bench/bench_lookup_domain.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.domain.lookup import Directory, OrganisationRecord, PersonRecord  # noqa: E402
from bot.domain.lookup.csv_source import load_organisations, load_people  # noqa: E402
from tests.lookup_questions import QUESTIONS  # noqa: E402

PEOPLE = 1_000
ORGANISATIONS = 5_000
SURNAMES = (
    "Diallo Traoré Koné Mbeki Nkurunziza Uwimana Kabila Mensah Agbeko Quispe Mamani Choque "
    "Rojas Pérez García Hernández Santoso Wijaya Hasan Rahman Sharma Thapa Gurung Chowdhury "
    "Sok Chea Peeters Janssens Maes Dubois Lambert Ndiaye Sow Camara Keita Ouédraogo Sawadogo"
).split()


def synthetic_people(real: list[PersonRecord]) -> list[PersonRecord]:
    people = list(real)
    for number in range(len(real), PEOPLE):
        template = real[number % len(real)]
        first = real[(number * 7) % len(real)].name.split()[0]
        surname = SURNAMES[number % len(SURNAMES)]
        second = SURNAMES[(number // len(SURNAMES)) % len(SURNAMES)]
        name = f"{first} {surname}-{second}"
        people.append(replace(template, id=number + 1, name=name, roles=("representative",)))
    return people


def synthetic_organisations(real: list[OrganisationRecord]) -> list[OrganisationRecord]:
    organisations = list(real)
    for number in range(len(real), ORGANISATIONS):
        template = real[number % len(real)]
        section = number // len(real)
        organisations.append(
            replace(
                template,
                id=number + 1,
                acronym=f"{template.acronym}-{section}" if template.acronym else None,
                name=f"{template.name} section {section}",
            )
        )
    return organisations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    data = ROOT / "data"
    roster = load_people(data / "committee.csv", data / "committee-demo-profiles.csv")
    people = synthetic_people(roster)
    organisations = synthetic_organisations(load_organisations(data / "organisations.csv"))
    started = time.perf_counter()
    directory = Directory(people, organisations)
    build_ms = (time.perf_counter() - started) * 1000

    commands = {"ask": directory.ask, "who": directory.who, "org": directory.org}
    calls = [(commands[case["via"]], case["question"]) for case in QUESTIONS]
    for command, question in calls:  # warm-up: first-call caches
        command(question)
    print(
        f"directory: {len(people)} people, {len(organisations)} organisations,"
        f" built in {build_ms:.0f} ms"
    )
    print(f"questions: {len(calls)} x {rounds} rounds = {len(calls) * rounds} lookups per run")
    measure(calls, rounds)


def measure(calls: list[tuple[Callable[[str], object], str]], rounds: int) -> None:
    latencies: list[float] = []
    per_question: dict[str, list[float]] = {}
    for _ in range(rounds):
        for command, question in calls:
            started = time.perf_counter_ns()
            command(question)
            elapsed_us = (time.perf_counter_ns() - started) / 1000
            latencies.append(elapsed_us)
            per_question.setdefault(question, []).append(elapsed_us)
    latencies.sort()
    total_s = sum(latencies) / 1e6
    p50 = latencies[len(latencies) // 2]
    p90 = latencies[int(len(latencies) * 0.90) - 1]
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"throughput: {len(latencies) / total_s:,.0f} lookups/s (single thread)")
    print(f"latency: p50 {p50:.0f} µs, p90 {p90:.0f} µs, p99 {p99:.0f} µs, max {latencies[-1]:.0f} µs")
    slowest = sorted(per_question.items(), key=lambda item: -statistics.median(item[1]))[:3]
    print("slowest questions (median):")
    for question, samples in slowest:
        print(f"  {statistics.median(samples):6.0f} µs  {question}")


if __name__ == "__main__":
    main()
