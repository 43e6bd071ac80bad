"""Data ownership: ``main.py export --json`` then ``main.py import`` into a fresh database
restores the committee's record exactly, on SQLite and PostgreSQL; a non-empty database is
refused."""

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from bot.entrypoints.cli.export import TABLES, export_record
from storage.models import Rsvp
from tests.databases import PostgresScratch
from tests.test_records_handlers import CHAIR, MEMBER, SECRETARIAT, make_meeting

ROOT = Path(__file__).resolve().parent.parent


def cli(args: list[str], url: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPIR_")}
    env["INSPIR_DATABASE__URL"] = url
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


async def fill_record(bot) -> None:
    """A held meeting with everything the record can hold, and a member forgotten."""
    meeting_id = await make_meeting(bot, title="Réunion « spéciale » <2027>")
    async with bot.services.db.transaction() as session:
        for name, answer in (("Samy", "yes"), ("Ingrid", "no")):
            member = await bot.member(name)
            session.add(Rsvp(meeting_id=meeting_id, member_id=member.id, answer=answer))
    [opened] = await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    await bot.press(MEMBER, opened, opened.button_data("Present"))
    await bot.press("Ingrid", opened, opened.button_data("Apolog"))
    [vote] = await bot.send(CHAIR, "/vote Adopt the budget?", group=True)
    await bot.press(MEMBER, vote, vote.button_data("Yes"))
    await bot.press("Drissa", vote, vote.button_data("No"))
    await bot.send(CHAIR, "/closevote", group=True)
    await bot.send(CHAIR, "/decide Budget adopted — 100 % ✓", group=True)
    await bot.send(SECRETARIAT, "/next", group=True)
    await bot.send(CHAIR, "/topic Elections", group=True)
    await bot.send(CHAIR, "/action Samy: send the budget due 2026-12-15", group=True)
    await bot.send(CHAIR, "/action Drissa: book the venue", group=True)
    await bot.send(MEMBER, "/info Slides on the drive", group=True)
    await bot.send(CHAIR, "/endmeeting", group=True)
    [confirm] = await bot.send("Drissa", "/forgetme")
    await bot.press("Drissa", confirm, confirm.button_data("Oui"))


async def test_export_import_round_trip(bot, db_url, tmp_path, sqlite_template):
    await fill_record(bot)
    async with bot.services.db.transaction() as session:
        in_process = await export_record(session)
    assert in_process["decisions"] and in_process["ballots"] and in_process["rsvps"] and in_process["notes"]
    assert in_process["attendance"] and in_process["action_items"] and in_process["audit_log"]
    assert {key for key, _ in TABLES} <= set(in_process)

    exported = tmp_path / "record.json"
    result = cli(["export", "--json", "--output", str(exported)], db_url, tmp_path)
    assert result.returncode == 0, result.stderr
    first = exported.read_text(encoding="utf-8")
    assert json.loads(first) == json.loads(json.dumps(in_process))
    assert "Budget adopted — 100 % ✓" in first  # not escaped into \u sequences

    scratch = None
    if db_url.startswith("sqlite"):
        target = sqlite_template.fresh(tmp_path)
    else:
        scratch = PostgresScratch()
        target = scratch.url
    try:
        result = cli(["import", str(exported)], target, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "imported:" in result.stdout and "2 action items" in result.stdout
        again = cli(["export", "--json"], target, tmp_path)
        assert again.returncode == 0, again.stderr
        assert again.stdout == first
        refused = cli(["import", str(exported)], target, tmp_path)
        assert refused.returncode == 1 and "empty database" in refused.stderr
        # the sequences follow the imported ids: new rows get fresh numbers
        from storage.database import Database
        from storage.models import Decision, OutboxMessage

        database = Database(target)
        async with database.transaction() as session:
            highest = max(row["id"] for row in in_process["decisions"])
            decision = Decision(text="after import")
            session.add(decision)
            await session.flush()
            assert decision.id > highest
            assert (await session.scalar(select(Rsvp.answer).where(Rsvp.answer == "yes"))) == "yes"
            # the outbox is not exported: the import plans again what the record owes
            owed = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.kind == "action_reminder", OutboxMessage.state == "pending"))
            assert owed == 1  # Samy's open action, due 2026-12-15
        await database.dispose()
    finally:
        if scratch is not None:
            scratch.drop()


async def test_import_refuses_non_empty_database_and_bad_files(bot, db_url, tmp_path):
    exported = tmp_path / "record.json"
    assert cli(["export", "--json", "--output", str(exported)], db_url, tmp_path).returncode == 0
    result = cli(["import", str(exported)], db_url, tmp_path)
    assert result.returncode == 1 and "already holds committee data" in result.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    result = cli(["import", str(bad)], db_url, tmp_path)
    assert result.returncode == 1 and "not an inspir-bot export" in result.stderr
    bad.write_text("not json", encoding="utf-8")
    result = cli(["import", str(bad)], db_url, tmp_path)
    assert result.returncode == 1 and "cannot read" in result.stderr
