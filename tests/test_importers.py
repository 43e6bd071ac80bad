"""Roster and organisation files: all or nothing, reviewed as a change set, identity never moved
by a name, exported in the same shape."""

from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.services.csv_files import UnreadableFile, decode, read_csv
from bot.services.personal_data import forget
from bot.services.roster_changes import Options
from storage.database import Database
from bot.services.importers import ImportProblems, export_roster, import_organisations, import_roster
from storage.models import AuditEntry, Member, Organisation

DATA = Path(__file__).resolve().parent.parent / "data"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
async def db(db_url):
    database = Database(db_url)
    async with database.transaction() as session:
        await import_roster(session, DATA / "demo_roster.csv")
    yield database
    await database.dispose()


@pytest.fixture
def write(tmp_path):
    def write(text: str, name: str = "roster.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


async def _count(db, model) -> int:
    async with db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def _member(db, name: str) -> Member:
    async with db.transaction() as session:
        return await session.scalar(select(Member).where(Member.name == name))


async def _import(db, path: Path, **options):
    dry_run = options.pop("dry_run", False)
    async with db.transaction() as session:
        return await import_roster(session, path, Options(**options), dry_run=dry_run)


async def test_demo_roster_and_directory(db):
    async with db.transaction() as session:
        await import_organisations(session, DATA / "organisations.csv")
    assert await _count(db, Organisation) == 167 and await _count(db, Member) == 13
    chair = await _member(db, "Bart Verstraeten")
    assert chair.access == "chair" and chair.roles == ["chair"]
    async with db.transaction() as session:
        csb = list(await session.scalars(select(Organisation).where(Organisation.acronym == "CSB")))
        assert {o.country for o in csb} == {"Burundi", "Burkina Faso"}


async def test_organisation_kinds_are_read_in_any_language_and_unknown_ones_refused(db, write):
    path = write("acronym,name,country,network,kind\nSYN,Syndicat X,Togo,West Africa,Syndicat\n"
                 "MUT,Mutual Y,Peru,Latin America and the Caribbean,mutual de salud\n", "orgs.csv")
    async with db.transaction() as session:
        await import_organisations(session, path)
    async with db.transaction() as session:
        kinds = dict((await session.execute(select(Organisation.acronym, Organisation.kind))).all())
    assert kinds == {"SYN": "trade union", "MUT": "mutual health organisation"}
    bad = write("acronym,name,kind\nBAD,Bad kind,cooperative society\n", "bad.csv")
    with pytest.raises(ImportProblems) as refused:
        async with db.transaction() as session:
            await import_organisations(session, bad)
    assert refused.value.problems[0].startswith("line 2: kind: unknown kind 'cooperative society'")
    assert await _count(db, Organisation) == 2


async def test_identical_file_is_no_change(db):
    changes = await _import(db, DATA / "demo_roster.csv")
    assert changes.is_empty and len(changes.unchanged) == 13 and not changes.absent
    async with db.transaction() as session:
        imports = await session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "roster.imported"))
    assert imports == 1  # the first import only


async def test_partial_file_changes_only_what_it_names(db, write):
    before = await _member(db, "Denis Mushiya")
    changes = await _import(db, write("name,organisation,access\nDenis Mushiya,CENADEP,\n"))
    [entry] = changes.changed
    assert [(c.field, c.before, c.after) for c in entry.changes] == [("organisation", None, "CENADEP")]
    after = await _member(db, "Denis Mushiya")
    assert after.organisation == "CENADEP"
    for field in ("roles", "access", "network", "country", "timezone", "language"):
        assert getattr(after, field) == getattr(before, field), field
    assert after.access == "secretariat"  # the empty access cell kept it
    assert len(changes.absent) == 12 and "Bart Verstraeten" in {m.name for m in changes.absent}
    await _import(db, write("name,country\nDenis Mushiya,-\n"))
    assert (await _member(db, "Denis Mushiya")).country is None  # "-" clears, explicitly


async def test_titles_read_in_three_languages(db, write):
    await _import(db, write("name,role\nBart Verstraeten,Président\nIngrid Mulamba,Presidenta; représentante\n"))
    ingrid = await _member(db, "Ingrid Mulamba")
    assert ingrid.roles == ["chair", "representative"] and ingrid.access == "chair"
    await _import(db, write("name,role\nBart Verstraeten,representative\n"))  # the chair handed over
    bart = await _member(db, "Bart Verstraeten")
    assert bart.roles == ["representative"] and bart.access == "member"
    await _import(db, write("name,network,access\nSamy Arokiasamy,asie,secrétariat\n"))
    samy = await _member(db, "Samy Arokiasamy")
    assert samy.network == "Asia" and samy.access == "secretariat"


async def test_unknown_vocabulary_and_no_chair_refused(db, write):
    with pytest.raises(ImportProblems) as error:
        await _import(db, write("name,network,access,status\nSamy Arokiasamy,Oceania,boss,gone\n"))
    text = "\n".join(error.value.problems)
    assert "line 2: network: unknown network 'Oceania'" in text
    assert "line 2: access" in text and "line 2: status" in text
    changes = await _import(db, write("name,role,access\nBart Verstraeten,representative,member\n"))
    assert [c.code for c in changes.conflicts] == ["no_chair"]
    assert (await _member(db, "Bart Verstraeten")).access == "chair"


async def test_same_telegram_id_with_another_name_is_not_a_rename(db, write):
    await _import(db, write("name,telegram_id\nSamy Arokiasamy,4242\n"))
    changes = await _import(db, write("name,telegram_id\nRobert Smith,4242\n"))
    [conflict] = changes.conflicts
    assert conflict.code == "rename" and conflict.values["member"] == "Samy Arokiasamy"
    assert await _member(db, "Samy Arokiasamy") is not None and await _member(db, "Robert Smith") is None
    changes = await _import(db, write("name,telegram_id\nSamy Arokiasami,4242\n"), rename=True)
    assert [c.field for c in changes.changed[0].changes] == ["name"]
    assert (await _member(db, "Samy Arokiasami")).telegram_id == 4242


async def test_spellings_of_one_name_are_one_person(db, write):
    changes = await _import(db, write("name,country\nAngeles Carrion,Peru\nmary karol luna,Guatemala\n"))
    assert changes.is_empty and not changes.conflicts  # the stored spelling stays
    assert await _member(db, "Ángeles Carrión") is not None
    changes = await _import(db, write("name,country\nMary Carol Luna,Guatemala\n"))
    [conflict] = changes.conflicts
    assert conflict.code == "similar" and conflict.values["members"][0][1] == "Mary Karol Luna"
    assert await _count(db, Member) == 13
    mary = await _member(db, "Mary Karol Luna")
    changes = await _import(db, write(f"id,name\n{mary.id},Mary Carol Luna\n"), rename=True)
    assert (await _member(db, "Mary Carol Luna")).id == mary.id and await _count(db, Member) == 13
    await _import(db, write("name,country\nMary Carol Lunä,Guatemala\n"))
    assert (await _member(db, "Mary Carol Lunä")).id == mary.id  # an accent added is a correction


async def test_another_members_telegram_id_is_a_clear_conflict(db, write):
    await _import(db, write("name,telegram_id\nSamy Arokiasamy,4242\n"))
    changes = await _import(db, write("name,telegram_id\nSantiago Fischer,4242\nNew Person,77\n"
                                      "Other Person,77\n"))
    codes = {(c.where, c.code) for c in changes.conflicts}
    assert codes == {("line 2", "telegram_taken"), ("line 4", "telegram_twice")}
    assert (await _member(db, "Santiago Fischer")).telegram_id is None
    assert await _member(db, "New Person") is None  # nothing of the file was applied


async def test_dry_run_applies_nothing(db, write):
    changes = await _import(db, write("name,country\nNew Person,Chile\n"), dry_run=True)
    assert [e.name for e in changes.created] == ["New Person"]
    assert await _member(db, "New Person") is None


async def test_members_own_zone_survives_an_import(db, write):
    async with db.transaction() as session:
        gabriela = await session.scalar(select(Member).where(Member.name == "Gabriela Prudencio"))
        gabriela.timezone, gabriela.own_timezone = "America/Mexico_City", True
    changes = await _import(db, DATA / "demo_roster.csv")
    assert changes.is_empty and changes.unchanged[7].kept_own == ["timezone"]
    assert (await _member(db, "Gabriela Prudencio")).timezone == "America/Mexico_City"
    await _import(db, DATA / "demo_roster.csv", override_own=True)
    gabriela = await _member(db, "Gabriela Prudencio")
    assert gabriela.timezone == "America/La_Paz" and not gabriela.own_timezone


async def test_forgotten_member_is_not_recreated_silently(db):
    async with db.transaction() as session:
        drissa = await session.scalar(select(Member).where(Member.name == "Drissa Soaré"))
        await forget(session, drissa, NOW, [], "Europe/Brussels")
    changes = await _import(db, DATA / "demo_roster.csv")
    assert [(c.code, c.values["name"]) for c in changes.conflicts] == [("forgotten", "Drissa Soaré")]
    assert await _count(db, Member) == 13
    await _import(db, DATA / "demo_roster.csv", recreate_forgotten=True)
    assert (await _member(db, "Drissa Soaré")).active and await _count(db, Member) == 14


async def test_status_column_records_departures_and_returns(db, write):
    changes = await _import(db, write("name,status\nSamy Arokiasamy,parti\n"))
    assert changes.changed[0].status == "departed"
    samy = await _member(db, "Samy Arokiasamy")
    assert not samy.active and samy.left_at is not None
    await _import(db, write("name,status\nSamy Arokiasamy,activo\n"))
    assert (await _member(db, "Samy Arokiasamy")).active


async def test_bad_file_changes_nothing_and_names_lines(db, write):
    bad = write("name,timezone,language,access,working_hours\n"
                "Ana,America/Lima,es,member,08:00-17:00\n"
                "Bob,Mars/Base,en,member,\n"
                ",Asia/Jakarta,en,,\n"
                "Carla,Asia/Jakarta,de,boss,25:00-26:00\n"
                "ana,Europe/Brussels,fr,,\n"
                ",,,,\n"
                "Dora,Europe/Brussels,fr,-,\n")
    with pytest.raises(ImportProblems) as error:
        await _import(db, bad)
    text = "\n".join(error.value.problems)
    assert "line 3: timezone" in text and "line 4: name" in text
    assert "line 5: language" in text and "line 5: access" in text and "line 5: working_hours" in text
    assert "line 2:" not in text and "line 6: name: 'ana' already appears at line 2" in text
    assert "line 7" not in text  # an emptied spreadsheet line is skipped
    assert "line 8: access: Value error, cannot be cleared" in text or "line 8: access: cannot be cleared" in text
    assert await _count(db, Member) == 13


async def test_unknown_columns_refused(db, write):
    with pytest.raises(ImportProblems, match="unknown columns timezon"):
        await _import(db, write("name,timezon\nAna,America/Lima\n"))


async def test_export_round_trips_as_no_change(db, tmp_path, write):
    await _import(db, write("name,status\nSamy Arokiasamy,departed\n"))
    async with db.transaction() as session:
        exported = await export_roster(session, "csv")
        as_json = await export_roster(session, "json")
    assert exported.splitlines()[0].endswith(",status,id") and '"name": "Ángeles Carrión"' in as_json
    assert ",departed," in exported  # a departed member stays in the file, marked
    for name, text in (("export.csv", exported), ("export.json", as_json)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        changes = await _import(db, path)
        assert changes.is_empty and not changes.conflicts and len(changes.unchanged) == 13, name


@pytest.mark.parametrize(("data", "encoding", "text"), [
    ("name\nJosé\n".encode(), "utf-8", "name\nJosé\n"),
    ("\ufeffname\nJosé\n".encode(), "utf-8-sig", "name\nJosé\n"),
    ("name\nJosé Núñez – Œuvre\n".encode("cp1252"), "cp1252", "name\nJosé Núñez – Œuvre\n"),
])
def test_spreadsheet_encodings_are_detected(data, encoding, text):
    assert decode(data) == (text, encoding)


def test_undecodable_and_utf16_files_are_refused_with_a_reason():
    with pytest.raises(UnreadableFile, match="neither UTF-8 nor Windows-1252"):
        decode(b"name\n\x81\x8d\n")  # bytes Windows-1252 leaves undefined, and not UTF-8
    with pytest.raises(UnreadableFile, match="UTF-16"):
        decode("name\n".encode("utf-16"))


@pytest.mark.parametrize(("header", "separator"), [
    ("name;role;timezone", ";"), ("name,role,timezone", ","), ("name", ","),
    ('"name";"organisation, country"', ";"), ("organisation;name,country", ","),
])
def test_the_separator_is_the_one_that_splits_the_header_into_columns(tmp_path, header, separator):
    path = tmp_path / "file.csv"
    path.write_text(f"{header}\nAna\n", encoding="utf-8")
    assert read_csv(path, ("name", "role", "timezone", "country")).format.separator == separator
