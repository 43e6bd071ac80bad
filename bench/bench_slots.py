"""Timings of the slot finder (run: `.venv/bin/python -m bench.bench_slots` from the repo root).

Targets from the product issue: the demo committee over 14 days well under
50 ms, 500 members over 28 days under 1 s, both on a 15-minute grid.
"""

import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import date

from bot.domain.fair_slots import Member, PastMeeting, SlotQuery, WorkingHours, find_slots

DEMO_ZONES = ["America/Guatemala", "America/Lima", "America/La_Paz", "Africa/Kinshasa", "Africa/Lubumbashi",
              "Africa/Porto-Novo", "Africa/Lome", "Africa/Ouagadougou", "Asia/Jakarta", "Asia/Jakarta",
              "Asia/Kolkata", "Europe/Brussels", "Europe/Brussels"]
WIDE_ZONES = sorted(set(DEMO_ZONES)) + ["Asia/Kathmandu", "America/Mexico_City", "America/Bogota",
                                        "America/Sao_Paulo", "Africa/Nairobi", "Africa/Johannesburg",
                                        "Asia/Manila", "Asia/Dhaka", "Europe/Madrid", "Pacific/Auckland"]
HOURS = [WorkingHours.parse(text) for text in ("08:00-20:00", "09:00-17:00", "07:30-16:30")]


def demo_committee() -> list[Member]:
    return [Member(f"member {i}", zone) for i, zone in enumerate(DEMO_ZONES)]


def large_committee(size: int = 500) -> list[Member]:
    chance = random.Random(2026)
    return [Member(f"member {i}", chance.choice(WIDE_ZONES), chance.choice(HOURS), chance.random() < 0.1)
            for i in range(size)]


def median_ms(run: Callable[[], object], repeats: int) -> float:
    run()  # warm the curve cache and imports
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def peak_kib(run: Callable[[], object]) -> float:
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024


def main() -> None:
    earlier = find_slots(demo_committee(), SlotQuery(date(2026, 3, 2), 14, 60, "Europe/Brussels", limit=4))
    history = [PastMeeting(candidate.start_utc, 60) for candidate in earlier.candidates]
    cases = {
        "13 members, 14 days, 15 min": (demo_committee(), SlotQuery(date(2026, 3, 23), 14, 60, "Europe/Brussels")),
        "500 members, 28 days, 15 min": (large_committee(),
                                         SlotQuery(date(2026, 3, 16), 28, 90, "Europe/Brussels")),
    }
    print(f"{'case':32} {'median ms':>10} {'with history':>13} {'peak KiB':>10}")
    for label, (members, query) in cases.items():
        plain = median_ms(lambda: find_slots(members, query), repeats=21)
        rotated = median_ms(lambda: find_slots(members, query, history), repeats=21)
        memory = peak_kib(lambda: find_slots(members, query, history))
        print(f"{label:32} {plain:10.1f} {rotated:13.1f} {memory:10.0f}")


if __name__ == "__main__":
    main()
