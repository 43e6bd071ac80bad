"""``main.py slots`` as an operator runs it: a separate process reading the roster imported with
``main.py roster import``, on SQLite and PostgreSQL."""

import csv
import json
import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ROOT / "data" / "demo_roster.csv"
DEMO = {row["name"]: row["timezone"] for row in csv.DictReader(ROSTER.open(encoding="utf-8"))}


def run(args: list[str], cwd: Path, db_url: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INSPIR_")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**clean, "INSPIR_DATABASE__URL": db_url})


def import_demo(tmp_path: Path, db_url: str) -> None:
    result = run(["roster", "import", str(ROSTER)], tmp_path, db_url)
    assert result.returncode == 0, result.stderr


def within(local: datetime, start: time = time(8), end: time = time(20)) -> bool:
    return start <= local.time() < end


def test_json_is_the_only_output_and_local_times_equal_zoneinfo(tmp_path, db_url):
    import_demo(tmp_path, db_url)
    result = run(["slots", "--from", "2026-12-01", "--days", "3", "--duration", "90", "--json"], tmp_path, db_url)
    assert result.returncode == 0, result.stderr
    candidates = json.loads(result.stdout)  # nothing but the JSON list on standard output
    assert isinstance(candidates, list) and len(candidates) == 10
    assert "candidates" in result.stderr  # the log went to standard error
    brussels = ZoneInfo("Europe/Brussels")
    window = (datetime(2026, 12, 1, tzinfo=brussels), datetime(2026, 12, 4, tzinfo=brussels))
    scores = [candidate["score"] for candidate in candidates]
    assert scores == sorted(scores)
    for candidate in candidates:
        assert candidate["start_utc"].endswith("Z")
        start = datetime.fromisoformat(candidate["start_utc"].replace("Z", "+00:00"))
        assert window[0] <= start < window[1]
        assert isinstance(candidate["score"], (int, float))
        members = {member["name"]: member for member in candidate["members"]}
        assert set(members) == set(DEMO)  # every member considered, named as in the roster
        for name, zone in DEMO.items():
            member = members[name]
            expected = start.astimezone(ZoneInfo(zone))
            assert member["timezone"] == zone
            assert member["local_start"] == expected.isoformat()
            local = datetime.fromisoformat(member["local_start"])
            assert local.utcoffset() == expected.utcoffset() and local.weekday() < 5
            minutes = [(start + timedelta(minutes=k)).astimezone(ZoneInfo(zone)) for k in range(90)]
            assert member["within_working_hours"] == all(within(m) for m in minutes), (name, local)


def test_members_weekends_step_and_human_table(tmp_path, db_url):
    import_demo(tmp_path, db_url)
    # 2026-12-05 is a Saturday (Friday evening in Guatemala): with --weekends the pair meets.
    args = ["slots", "--from", "2026-12-05", "--days", "1", "--duration", "60", "--step", "30",
            "--members", "samy;MARY KAROL", "--json"]
    weekend = run([*args, "--weekends"], tmp_path, db_url)
    assert weekend.returncode == 0, weekend.stderr
    candidates = json.loads(weekend.stdout)
    assert candidates and all(sorted(m["name"] for m in c["members"]) == ["Mary Karol Luna", "Samy Arokiasamy"]
                              for c in candidates)
    for candidate in candidates:
        start = datetime.fromisoformat(candidate["start_utc"].replace("Z", "+00:00"))
        assert start.astimezone(ZoneInfo("Europe/Brussels")).date() == date(2026, 12, 5)
        assert start.minute in (0, 30)
    # Without --weekends Samy's Saturday is out of reach: only partial starts, and stderr says so.
    weekdays_only = run(args, tmp_path, db_url)
    assert weekdays_only.returncode == 0, weekdays_only.stderr
    partial = json.loads(weekdays_only.stdout)
    assert partial and {candidate["verdict"] for candidate in partial} == {"partial"}
    for candidate in partial:
        samy = next(m for m in candidate["members"] if m["name"] == "Samy Arokiasamy")
        assert samy["available"] is False
    assert "cannot be accommodated at any start: Samy Arokiasamy" in weekdays_only.stderr
    unknown = run(["slots", *arguments({"--members": "Samy;Nobody At All"}), "--json"], tmp_path, db_url)
    assert unknown.returncode == 2 and unknown.stdout == ""
    [line] = unknown.stderr.strip().splitlines()
    assert line == "inspir-bot slots: --members: no single roster member matches 'Nobody At All'"
    table = run(["slots", "--from", "2026-12-01", "--days", "1", "--duration", "60", "--limit", "2"],
                tmp_path, db_url)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].startswith(" 1. Tue 2026-12-01") and "UTC" in lines[0] and "score" in lines[0]
    assert sum(line.startswith("    ") for line in lines) == 2 * len(DEMO)
    assert any("Samy Arokiasamy" in line and "+0530" in line and "Asia/Kolkata" in line for line in lines)


ARGUMENT_CASES = [
    ({"--from": None}, "--from is required"),
    ({"--from": "2026-02-30"}, "--from must be a date"),
    ({"--from": "01/12/2026"}, "--from must be a date"),
    ({"--days": "0"}, "--days must be between 1 and 31"),
    ({"--days": "many"}, "--days must be a whole number"),
    ({"--duration": None}, "--duration is required"),
    ({"--duration": "5"}, "--duration must be between 15 and 480"),
    ({"--duration": "-90"}, "--duration must be a whole number"),
    ({"--step": "0"}, "--step must be between 5 and 180"),
    ({"--limit": "0"}, "--limit must be between 1 and 1000"),
]


def arguments(change: dict[str, str | None]) -> list[str]:
    options = {"--from": "2026-12-01", "--days": "3", "--duration": "90", **change}
    return [part for key, value in options.items() if value is not None for part in (key, value)]


def test_every_bad_argument_is_named():
    import argparse

    import pytest

    from bot.entrypoints.cli import slots as command
    from bot.config import load_settings

    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    settings = load_settings(None)
    for change, expected in ARGUMENT_CASES:
        with pytest.raises(command.BadArguments, match=expected.replace("-", r"\-")):
            command._query(parser.parse_args(arguments(change)), settings)
    assert command._query(parser.parse_args(arguments({})), settings).committee_zone == "Europe/Brussels"


def test_bad_arguments_are_one_line_and_exit_2(tmp_path):
    database = tmp_path / "untouched.db"
    for change, expected in (ARGUMENT_CASES[1], ARGUMENT_CASES[5]):
        result = run(["slots", *arguments(change), "--json"], tmp_path, f"sqlite+aiosqlite:///{database}")
        assert result.returncode == 2, (change, result.stderr)
        assert result.stdout == ""
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("inspir-bot slots: ") and expected in line, (change, line)
    assert not database.exists()  # refused before touching any database


def test_empty_roster_is_one_clear_line(tmp_path, db_url):
    result = run(["slots", "--from", "2026-12-01", "--days", "3", "--duration", "90", "--json"], tmp_path, db_url)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines()[-1].startswith("inspir-bot slots: the roster is empty")
