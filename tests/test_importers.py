"""Roster and organisation files: all or nothing, never duplicated, exported in the same shape."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.database import Database
from bot.services.importers import ImportProblems, export_roster, import_organisations, import_roster
from storage.models import Member, Organisation

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
async def db(db_url):
    database = Database(db_url)
    yield database
    await database.dispose()


async def _count(db, model) -> int:
    async with db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_demo_roster_and_directory(db):
    async with db.transaction() as session:
        summary = await import_roster(session, DATA / "demo_roster.csv")
        assert (summary.created, summary.updated) == (13, 0)
        await import_organisations(session, DATA / "organisations.csv")
    assert await _count(db, Organisation) == 167
    async with db.transaction() as session:
        chair = await session.scalar(select(Member).where(Member.name == "Bart Verstraeten"))
        assert chair.access == "chair" and chair.roles == ["chair"]
        csb = list(await session.scalars(select(Organisation).where(Organisation.acronym == "CSB")))
        assert {o.country for o in csb} == {"Burundi", "Burkina Faso"}


async def test_reimport_updates_without_duplicates(db, tmp_path):
    async with db.transaction() as session:
        await import_roster(session, DATA / "demo_roster.csv")
        await import_organisations(session, DATA / "organisations.csv")
    changed = tmp_path / "roster.csv"
    changed.write_text("name,role,timezone,telegram_id\n"
                       "samy arokiasamy,representative;thematic coordinator,Asia/Kathmandu,4242\n",
                       encoding="utf-8")
    async with db.transaction() as session:
        summary = await import_roster(session, changed)
        assert (summary.created, summary.updated) == (0, 1)
        await import_organisations(session, DATA / "organisations.csv")
    assert await _count(db, Member) == 13 and await _count(db, Organisation) == 167
    renamed = tmp_path / "renamed.toml"
    renamed.write_text('[[members]]\nname = "Samy A."\ntelegram_id = 4242\n', encoding="utf-8")
    async with db.transaction() as session:
        await import_roster(session, renamed)
        samy = await session.scalar(select(Member).where(Member.telegram_id == 4242))
        assert samy.name == "Samy A."
    assert await _count(db, Member) == 13


async def test_bad_file_changes_nothing_and_names_lines(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,timezone,language,access,working_hours\n"
                   "Ana,America/Lima,es,member,08:00-17:00\n"
                   "Bob,Mars/Base,en,member,\n"
                   ",Asia/Jakarta,en,,\n"
                   "Carla,Asia/Jakarta,de,boss,25:00-26:00\n"
                   "ana,Europe/Brussels,fr,,\n", encoding="utf-8")
    with pytest.raises(ImportProblems) as error:
        async with db.transaction() as session:
            await import_roster(session, bad)
    text = "\n".join(error.value.problems)
    assert "line 3: timezone" in text and "line 4: name" in text
    assert "line 5: language" in text and "line 5: access" in text and "line 5: working_hours" in text
    assert "line 6: name" in text
    assert "line 2:" not in text and "line 6: name: 'ana' already appears at line 2" in text
    assert await _count(db, Member) == 0


async def test_unknown_columns_refused(db, tmp_path):
    bad = tmp_path / "typo.csv"
    bad.write_text("name,timezon\nAna,America/Lima\n", encoding="utf-8")
    with pytest.raises(ImportProblems, match="unknown columns timezon"):
        async with db.transaction() as session:
            await import_roster(session, bad)


async def test_export_round_trips(db, tmp_path):
    async with db.transaction() as session:
        await import_roster(session, DATA / "demo_roster.csv")
        exported = await export_roster(session, "csv")
    path = tmp_path / "export.csv"
    path.write_text(exported, encoding="utf-8")
    async with db.transaction() as session:
        summary = await import_roster(session, path)
        assert (summary.created, summary.updated) == (0, 13)
        assert await export_roster(session, "csv") == exported
        assert '"name": "Ángeles Carrión"' in await export_roster(session, "json")
