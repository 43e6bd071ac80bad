"""Start-up time and idle memory of ``main.py run`` against the Bot API emulator, on SQLite
and on PostgreSQL.

    .venv/bin/python bench/bench_startup.py [--only sqlite|postgresql] [--runs 3] [--idle 5]

Start-up: from just before the process is spawned (client clock) to the bot's first
getUpdates call reaching the emulator (the emulator's clock, same machine): interpreter and
imports, configuration, migrations check, committee row, command menus (setMyCommands in
four languages), the outbox's start job scheduled, polling. Runs: first on an empty
database (the migrations are applied), then ``--runs`` times on the migrated database
holding 1,000 members, 10,000 decisions and 10,000 action items.

Memory: VmRSS from /proc/<pid>/status ``--idle`` seconds after the first getUpdates (the
outbox's start-up run is over by then), and VmHWM (the peak so far). Goal: under 120 MB.

The last lines (``SUMMARY | ...``) are what bench/run_all.py tabulates.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import (  # noqa: E402
    Emulator, EmulatorClient, machine, populate, rss_mib, scratch_database, start_inspir, stop,
    wait_for_polling,
)

GOAL_MB = 120


def one_start(database_url: str, emulator: EmulatorClient, workdir: Path, idle: float,
              name: str) -> tuple[float, float, float]:
    """Seconds to the first getUpdates; RSS and peak RSS (MiB) once idle."""
    emulator.reset()
    log = workdir / f"{name}.log"
    started = time.time()
    process = start_inspir(database_url, emulator, log)
    try:
        polled = wait_for_polling(emulator, process)
        time.sleep(idle)
        if process.poll() is not None:
            raise RuntimeError(f"the bot exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        return polled - started, rss_mib(process.pid), rss_mib(process.pid, "VmHWM")
    except BaseException:
        sys.stderr.write(log.read_text(errors="replace")[-3000:])
        raise
    finally:
        code = stop(process)
        if code != 0:
            print(f"  (the bot exited with {code} on SIGTERM)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--runs", type=int, default=3, help="starts on the populated database (default 3)")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds idle before reading RSS (default 5)")
    parser.add_argument("--postgres", help="admin URL of the PostgreSQL server")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    server = Emulator.start()
    emulator = server.client()
    summary = []
    print(f"\n{'database':11} {'state':34} {'start-up s':>10} {'RSS MiB':>8} {'peak MiB':>8}")
    try:
        for kind in ("sqlite", "postgresql"):
            if args.only not in (None, kind):
                continue
            label = "SQLite" if kind == "sqlite" else "PostgreSQL"
            extra = {"admin_url": args.postgres} if args.postgres and kind == "postgresql" else {}
            with scratch_database(kind, **extra) as url, \
                    tempfile.TemporaryDirectory(prefix="inspir-bench-") as directory:
                workdir = Path(directory)
                seconds, rss, peak = one_start(url, emulator, workdir, args.idle, "empty")
                print(f"{label:11} {'empty (migrations applied)':34} {seconds:10.2f} {rss:8.0f} {peak:8.0f}",
                      flush=True)
                population = populate(url, workdir)
                state = f"{population.members} members, {population.decisions // 1000}k+{population.actions // 1000}k rows"
                starts, memories, peaks = [], [], []
                for run in range(args.runs):
                    seconds, rss, peak = one_start(url, emulator, workdir, args.idle, f"run-{run}")
                    starts.append(seconds)
                    memories.append(rss)
                    peaks.append(peak)
                    print(f"{label:11} {state:34} {seconds:10.2f} {rss:8.0f} {peak:8.0f}", flush=True)
                median_start, median_rss = statistics.median(starts), statistics.median(memories)
                verdict = "meets" if median_rss * 1.048576 < GOAL_MB else "above"
                summary.append(f"SUMMARY | startup {label} | {median_start:.2f} s to the first getUpdates | "
                               f"idle RSS {median_rss:.0f} MiB ({median_rss * 1.048576:.0f} MB, {verdict} the "
                               f"{GOAL_MB} MB goal), peak {max(peaks):.0f} MiB | median of {args.runs}")
    finally:
        emulator.close()
        server.stop()
    print()
    print("\n".join(summary))


if __name__ == "__main__":
    main()
