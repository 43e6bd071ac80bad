"""``main.py export --json`` and ``main.py import FILE``: the committee's whole record as JSON.

The committee owns its data: the export holds the roster, the organisations, meetings and
agendas, RSVPs, attendance, decisions, votes and ballots, action items, notes, availability
polls and the audit log, every row with its id, so that an import into an empty database
(SQLite or PostgreSQL) restores it exactly: exporting again gives the same document. Not
exported: invitation codes (one-time secrets), the outbox (messages in flight) and processed
update ids. The import refuses a database that already holds any committee data.
"""

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Table, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ActionItem, AgendaItem, Attendance, AuditEntry, AvailabilityPoll, Ballot, Committee, Decision, Meeting,
    Member, Note, Organisation, OutboxMessage, PollAnswer, PollSlot, Rsvp, UTCDateTime, Vote,
)

FORMAT = "inspir-bot-export/1"
COMMITTEE_FIELDS = ("name", "timezone", "default_language", "group_chat_id", "group_title")
# In foreign-key order; meeting's links to agenda items and other meetings are set afterwards.
TABLES: list[tuple[str, Any]] = [
    ("organisations", Organisation), ("members", Member), ("meetings", Meeting), ("agenda_items", AgendaItem),
    ("rsvps", Rsvp), ("attendance", Attendance), ("decisions", Decision), ("votes", Vote), ("ballots", Ballot),
    ("action_items", ActionItem), ("notes", Note), ("availability_polls", AvailabilityPoll),
    ("poll_slots", PollSlot), ("poll_answers", PollAnswer), ("audit_log", AuditEntry),
]
DEFERRED = {"meetings": ("series_id", "current_item_id")}


class ImportRefused(Exception):
    pass


def _to_json(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _from_json(column, value: Any) -> Any:  # type: ignore[no-untyped-def]
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


async def export_record(session: AsyncSession) -> dict[str, Any]:
    committee = await session.scalar(select(Committee).order_by(Committee.id).limit(1))
    document: dict[str, Any] = {
        "format": FORMAT,
        "committee": {name: getattr(committee, name) for name in COMMITTEE_FIELDS} if committee else None,
    }
    for key, model in TABLES:
        table: Table = model.__table__
        rows = await session.execute(select(table).order_by(*table.primary_key.columns))
        document[key] = [{column: _to_json(value) for column, value in row._mapping.items()} for row in rows]
    return document


async def is_empty(session: AsyncSession) -> bool:
    for _key, model in TABLES:
        if await session.scalar(select(func.count()).select_from(model.__table__)):
            return False
    return True


async def import_record(session: AsyncSession, document: dict[str, Any], postgresql: bool) -> dict[str, int]:
    """Restore ``document`` into an empty database, ids and all; returns rows per table."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(f"not an inspir-bot export (expected format {FORMAT!r})")
    if not await is_empty(session):
        raise ImportRefused("the database already holds committee data: import only into an empty database")
    committee = await session.scalar(select(Committee).order_by(Committee.id).limit(1))
    if committee is not None and document.get("committee"):
        for name in COMMITTEE_FIELDS:
            setattr(committee, name, document["committee"].get(name))
    counts = {}
    for key, model in TABLES:
        table: Table = model.__table__
        rows = document.get(key) or []
        deferred = DEFERRED.get(key, ())
        values = []
        for row in rows:
            unknown = set(row) - set(table.columns.keys())
            if unknown:
                raise ImportRefused(f"{key}: unknown fields {sorted(unknown)}")
            values.append({name: (None if name in deferred else _from_json(table.columns[name], value))
                           for name, value in row.items()})
        if values:
            await session.execute(insert(table), values)
        counts[key] = len(values)
    for key, names in DEFERRED.items():
        table = dict(TABLES)[key].__table__
        for row in document.get(key) or []:
            links = {name: row.get(name) for name in names if row.get(name) is not None}
            if links:
                await session.execute(update(table).where(table.c.id == row["id"]).values(**links))
    if postgresql:
        for _key, model in TABLES:
            table = model.__table__
            if "id" in table.columns and table.columns["id"].autoincrement is not False:
                await session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"))
    return counts


async def _database(settings):  # type: ignore[no-untyped-def]
    from bot.bootstrap import prepared_services

    return await prepared_services(settings)


async def _replan_reminders(session: AsyncSession, settings, now) -> int:  # type: ignore[no-untyped-def]
    """The outbox is not exported (it is delivery state, not the record): plan again what the
    restored record owes, so moving to another database loses no reminder."""
    from bot.services.records import replan
    from bot.services.reminders import plan_digests, replan_meeting

    reminders, zone = settings.reminders, settings.committee.timezone
    for meeting in list(await session.scalars(select(Meeting).where(
            Meeting.status == "scheduled", Meeting.starts_at > now))):
        await replan_meeting(session, meeting, reminders.meeting_offsets, now)
    for action in list(await session.scalars(select(ActionItem).where(
            ActionItem.status == "open", ActionItem.deleted_at.is_(None)))):
        await replan(session, action, reminders.action_offsets, zone, now)
    await plan_digests(session, reminders.digest_day, reminders.digest_time, zone, now)
    await session.flush()
    return await session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.state == "pending"))


class _Export:
    NAME = "export"
    HELP = "write the committee's whole record as JSON (standard output or --output)"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="JSON (the only format, and the default)")
        parser.add_argument("--output", type=Path, help="file to write (default: standard output)")

    @staticmethod
    async def run(args: argparse.Namespace, settings) -> int:  # type: ignore[no-untyped-def]
        services = await _database(settings)
        try:
            async with services.db.transaction() as session:
                document = await export_record(session)
        finally:
            await services.db.dispose()
        output = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if args.output:
            args.output.write_text(output, encoding="utf-8")
        else:
            sys.stdout.write(output)
        return 0


class _Import:
    NAME = "import"
    HELP = "restore a JSON export into an empty database"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="a file written by main.py export --json")

    @staticmethod
    async def run(args: argparse.Namespace, settings) -> int:  # type: ignore[no-untyped-def]
        try:
            document = json.loads(args.file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            print(f"inspir-bot: cannot read {args.file}: {type(error).__name__}", file=sys.stderr)
            return 1
        services = await _database(settings)
        try:
            async with services.db.transaction() as session:
                counts = await import_record(session, document, services.db.is_postgresql)
                counts["reminders"] = await _replan_reminders(session, settings, services.clock())
        except ImportRefused as refused:
            print(f"inspir-bot: nothing was imported: {refused}", file=sys.stderr)
            return 1
        finally:
            await services.db.dispose()
        print("imported: " + ", ".join(f"{number} {key.replace('_', ' ')}" for key, number in counts.items()))
        return 0


EXPORT, IMPORT = _Export(), _Import()
COMMANDS = [EXPORT, IMPORT]
