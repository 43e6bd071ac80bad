"""Run every benchmark in bench/ one after the other and print a compact summary table.

    .venv/bin/python bench/run_all.py [--only NAME,...] [--skip NAME,...] [--output DIR]
        [--timeout 900]

NAME is a script's name without ``bench_`` and ``.py`` (slots, lookup_domain, lookup,
reminders, throughput, startup). Every ``bench/bench_*.py`` present is run, so a benchmark
added later is picked up; known ones with the arguments below, others as
``python -m bench.NAME``. Each one's full output is kept in DIR (default: a new directory
under /tmp), and the summary is Markdown, ready for the README:

- scripts that print ``SUMMARY | what | figures...`` lines (throughput, startup): those lines;
- others: their lines that carry figures (throughput, latency, medians...), at most eight,
  details indented by four spaces or more left out.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _support import machine  # noqa: E402

ORDER = ("slots", "lookup_domain", "lookup", "reminders", "throughput", "startup")
COMMANDS = {
    "slots": ["-m", "bench.bench_slots"],
    "lookup_domain": ["bench/bench_lookup_domain.py"],
    "lookup": ["bench/bench_lookup.py"],
    "reminders": ["bench/bench_reminders.py"],
    "throughput": ["bench/bench_throughput.py"],
    "startup": ["bench/bench_startup.py"],
}
FIGURES = re.compile(r"(throughput|latency|median|p50|p9\d|/s\b|\bms\b|µs|MiB|\bKiB\b|built in|sent|fan-out)",
                     re.IGNORECASE)
SECTION = re.compile(r"^(SQLite|PostgreSQL)\b")
MAX_LINES = 8


def discover() -> list[str]:
    present = sorted(path.stem.removeprefix("bench_") for path in (ROOT / "bench").glob("bench_*.py"))
    return [name for name in ORDER if name in present] + [name for name in present if name not in ORDER]


def command_for(name: str) -> list[str]:
    return [sys.executable, *COMMANDS.get(name, ["-m", f"bench.bench_{name}"])]


def headline(output: str) -> list[str]:
    """What goes in the summary for one script's output."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    marked = [line.split("|", 1)[1].strip() for line in lines if line.startswith("SUMMARY |")]
    if marked:
        return marked
    picked: list[str] = []
    section = ""
    for line in lines:
        if SECTION.match(line.strip()):
            section = line.strip().split(":")[0].split()[0]
        deep = len(line) - len(line.lstrip()) >= 4  # details under a heading (slowest questions...)
        if FIGURES.search(line) and any(char.isdigit() for char in line) and not deep:
            text = " ".join(line.split())
            picked.append(f"{section}: {text}" if section and not text.startswith(section) else text)
    return picked[:MAX_LINES] or lines[-3:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated names to run (default: every bench/bench_*.py)")
    parser.add_argument("--skip", default="", help="comma-separated names not to run")
    parser.add_argument("--output", type=Path, help="directory for each script's full output")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per script (default 900)")
    args = parser.parse_args()
    names = discover()
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = [name for name in wanted if name not in names]
        if unknown:
            parser.error(f"no bench/bench_{unknown[0]}.py (present: {', '.join(names)})")
        names = [name for name in names if name in wanted]
    names = [name for name in names if name not in {s.strip() for s in args.skip.split(",")}]
    output_dir = args.output or Path(tempfile.mkdtemp(prefix="inspir-bench-"))
    output_dir.mkdir(parents=True, exist_ok=True)
    started_at = datetime.now(timezone.utc)

    rows = []
    for name in names:
        command = command_for(name)
        shown = " ".join([".venv/bin/python", *command[1:]])
        print(f"== {shown}", flush=True)
        started = time.perf_counter()
        try:
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=args.timeout)
            status, output = ("ok" if done.returncode == 0 else f"exit {done.returncode}"), done.stdout
            errors = done.stderr
        except subprocess.TimeoutExpired as expired:
            status = f"timeout {args.timeout:.0f} s"
            output = (expired.stdout or b"").decode(errors="replace") if isinstance(expired.stdout, bytes) \
                else (expired.stdout or "")
            errors = ""
        seconds = time.perf_counter() - started
        (output_dir / f"{name}.txt").write_text(output + ("\n--- stderr ---\n" + errors if errors else ""))
        print(output, flush=True)
        if status != "ok":
            print(errors[-3000:], file=sys.stderr)
        rows.append((name, shown, status, seconds, headline(output) if status == "ok" else [errors.strip()[-200:]]))

    print(f"\n## Summary ({started_at:%Y-%m-%d %H:%M} UTC; {machine()})\n")
    print("Produced by `.venv/bin/python bench/run_all.py`; full outputs in "
          f"`{output_dir}`.\n")
    print("| benchmark | command | status | wall | figures |")
    print("| --- | --- | --- | --- | --- |")
    for name, shown, status, seconds, lines in rows:
        figures = "<br>".join(line.replace("|", "·") for line in lines)
        print(f"| {name} | `{shown}` | {status} | {seconds:.0f} s | {figures} |")
    return 0 if all(row[2] == "ok" for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
