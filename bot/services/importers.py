"""Roster and organisation files in and out (CSV, TOML or JSON), all or nothing.

A file with a single bad row changes nothing: every row is validated first and the
problems are reported with their line (CSV) or entry (TOML) number. Roster rows become a
reviewed change set (:mod:`bot.services.roster_changes`).

One rule for cells: a column the file does not have, and an empty cell, leave the stored
value alone; ``-`` clears it (not allowed for name, id, access, status and telegram_id).
A line whose cells are all empty is skipped.
"""

import csv
import io
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import parse_hours
from bot.services.members import audit
from bot.domain.names import fold
from bot.domain.labels import NETWORKS, ORGANISATION_KINDS, read_access, read_kind, read_network, read_role
from bot.services.csv_files import CsvFormat, UnreadableFile, read_csv
from bot.services.departures import Planning
from bot.services.roster_changes import ChangeSet, Options, apply_changes, plan_changes
from storage.models import Committee, Member, Organisation, utcnow

ROSTER_COLUMNS = ("name", "role", "access", "network", "organisation", "country", "timezone",
                  "language", "telegram_id", "telegram_username", "working_hours", "status", "id")
CLEAR = "-"
STATUSES = {"active": ("active", "actif", "active", "activo", "activa"),
            "departed": ("departed", "left", "parti", "partie", "ancien", "ancienne", "baja", "salida")}
ORGANISATION_COLUMNS = ("acronym", "name", "country", "network", "kind")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ImportProblems(Exception):
    """Every problem found in a file; nothing of it was applied."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0


def _clean(value: object, limit: int) -> str | None:
    text = str(value).strip() if value is not None else ""
    if _CONTROL.search(text):
        raise ValueError("contains control characters")
    if len(text) > limit:
        raise ValueError(f"longer than {limit} characters")
    return text or None


class _Row(BaseModel):
    """A row of an imported file: cells trimmed, control characters and overlong text refused."""

    @field_validator("*", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return _clean(value, 300) if isinstance(value, str) else value


def _not_cleared(value: object) -> object:
    if value is None:
        raise ValueError(f"cannot be cleared with {CLEAR}")
    return value


class RosterRow(_Row):
    """A roster line; ``model_fields_set`` is what the line gives (None there means clear)."""

    id: int | None = None
    status: str | None = None
    name: str
    role: str | None = None
    access: str | None = None
    network: str | None = None
    organisation: str | None = None
    country: str | None = None
    timezone: str | None = None
    language: str | None = None
    telegram_id: int | None = None
    telegram_username: str | None = None
    working_hours: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str:
        if not value or len(value) > 200:
            raise ValueError("a name of 1 to 200 characters is required")
        return value

    @field_validator("id", "telegram_id")
    @classmethod
    def _kept(cls, value: int | None) -> int | None:
        return _not_cleared(value)  # type: ignore[return-value]

    @field_validator("access")
    @classmethod
    def _access(cls, value: str | None) -> str | None:
        level = read_access(str(_not_cleared(value)))
        if level is None:
            raise ValueError(f"{value!r} is no access level: chair, secretariat or member")
        return level

    @field_validator("status")
    @classmethod
    def _status(cls, value: str | None) -> str:
        for status, words in STATUSES.items():
            if fold(str(_not_cleared(value))) in words:
                return status
        raise ValueError(f"{value!r} is no status: active or departed")

    @field_validator("network")
    @classmethod
    def _network(cls, value: str | None) -> str | None:
        if value is None:
            return None
        network = read_network(value)
        if network is None:
            raise ValueError(f"unknown network {value!r}: expected {', '.join(NETWORKS)}")
        return network

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is not None and value.lower() not in ("fr", "en", "es"):
            raise ValueError("must be fr, en or es")
        return value.lower() if value else None

    @field_validator("telegram_username")
    @classmethod
    def _username(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.lstrip("@")
        if not re.fullmatch(r"[A-Za-z0-9_]{4,32}", value):
            raise ValueError("not a Telegram username")
        return value

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str | None) -> str | None:
        if value is not None:
            start, end = parse_hours(value)
            return f"{start:%H:%M}-{end:%H:%M}"
        return value

    @property
    def roles(self) -> list[str]:
        """Titles in the vocabulary's words (``Présidente`` → ``chair``)."""
        return [read_role(part) for part in (self.role or "").split(";") if part.strip()]

    @property
    def given(self) -> set[str]:
        return set(self.model_fields_set)


class OrganisationRow(_Row):
    acronym: str | None = None
    name: str
    country: str | None = None
    network: str | None = None
    kind: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str:
        if not value:
            raise ValueError("a name is required")
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str | None) -> str | None:
        """A kind every reader can read: one of the translated vocabulary, in any language."""
        if value is None:
            return None
        kind = read_kind(value)
        if kind is None:
            raise ValueError(f"unknown kind {value!r}: expected {', '.join(ORGANISATION_KINDS)}")
        return kind


def _read_rows(path: Path, columns: tuple[str, ...],
               table: str) -> tuple[list[tuple[str, dict[str, Any]]], CsvFormat | None]:
    """(where, row) pairs from a CSV, TOML or JSON file, and how a CSV file was read; unknown
    columns are an error (typos)."""
    csv_format = None
    if path.suffix.lower() in (".json", ".toml"):
        text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            entries = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportProblems([f"{path.name}: {error}"]) from None
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise ImportProblems([f"{path.name}: expected a list of rows, as the JSON export writes"])
        rows = [(f"entry {index}", {k: "" if v is None else str(v) for k, v in entry.items()})
                for index, entry in enumerate(entries, start=1)]
    elif path.suffix.lower() == ".toml":
        try:
            entries = tomllib.loads(text).get(table, [])
        except tomllib.TOMLDecodeError as error:
            raise ImportProblems([f"{path.name}: {error}"]) from None
        rows = [(f"entry {index}", entry) for index, entry in enumerate(entries, start=1)]
    else:
        rows, csv_format = _csv_rows(path, columns)
    unknown = sorted({key for _, row in rows for key in row if key not in columns})
    if unknown:
        raise ImportProblems([f"{path.name}: unknown columns {', '.join(unknown)}; "
                              f"expected {', '.join(columns)}"])
    return rows, csv_format


def _csv_rows(path: Path, columns: tuple[str, ...]) -> tuple[list[tuple[str, dict[str, Any]]], CsvFormat]:
    """Rows named ``line N`` as the spreadsheet numbers them; missing cells are empty, extra
    empty cells (a trailing separator) are ignored, extra filled ones refused."""
    try:
        table = read_csv(path, columns)
    except UnreadableFile as error:
        raise ImportProblems([f"{path.name}: {error}"]) from None
    if "name" not in table.header:
        raise ImportProblems([f"{path.name}: the first line must name the columns, including name "
                              "(separated by , or ;)"])
    rows, width = [], len(table.header)
    for number, cells in table.rows:
        if any(cell.strip() for cell in cells[width:]):
            raise ImportProblems([f"line {number}: more cells than columns"])
        row = dict(zip(table.header, [*cells, *[""] * (width - len(cells))], strict=False))
        if any(value.strip() for value in row.values()):
            rows.append((f"line {number}", row))
    return rows, table.format


def _validate(rows, model):  # type: ignore[no-untyped-def]
    valid, problems = [], []
    for where, row in rows:
        try:
            cells = {k: v for k, v in row.items() if v is not None and str(v).strip() != ""}
            valid.append((where, model.model_validate(
                {k: None if isinstance(v, str) and v.strip() == CLEAR else v for k, v in cells.items()})))
        except ValidationError as error:
            for issue in error.errors():
                field = ".".join(str(p) for p in issue["loc"]) or "row"
                problems.append(f"{where}: {field}: {str(issue['msg']).removeprefix('Value error, ')}")
    return valid, problems


def read_roster(path: Path) -> list[tuple[str, RosterRow]]:
    """The file's valid rows, or :class:`ImportProblems` naming every bad line."""
    return _read_roster(path)[0]


def _read_roster(path: Path) -> tuple[list[tuple[str, RosterRow]], CsvFormat | None]:
    rows, csv_format = _read_rows(path, ROSTER_COLUMNS, "members")
    valid, problems = _validate(rows, RosterRow)
    seen: dict[str, str] = {}
    for where, row in valid:
        key = fold(row.name)
        if key in seen:
            problems.append(f"{where}: name: {row.name!r} already appears at {seen[key]}")
        seen[key] = where
    if problems:
        raise ImportProblems(problems)
    return valid, csv_format


async def import_roster(session: AsyncSession, path: Path, options: Options = Options(), *,
                        actor: Member | None = None, planning: Planning | None = None,
                        dry_run: bool = False) -> ChangeSet:
    """The file's change set, applied unless ``dry_run`` or in conflict (then nothing is)."""
    rows, csv_format = _read_roster(path)
    changes = await plan_changes(session, rows, options)
    changes.source = csv_format
    if dry_run or changes.conflicts:
        return changes
    if planning is None:
        committee = await session.scalar(select(Committee).limit(1))
        planning = Planning(now=utcnow(), zone=committee.timezone if committee else "UTC")
    await apply_changes(session, changes, actor, planning)
    if not changes.is_empty:
        await audit(session, actor, "roster.imported", None, None, file=path.name,
                    created=len(changes.created), changed=len(changes.changed))
    return changes


async def export_roster(session: AsyncSession, fmt: str) -> str:
    """The roster in the import format (with ``id`` and ``status``), so an export can be edited
    and imported again: an unedited export imports as no change. Forgotten members are not in it."""
    rows = []
    for member in await session.scalars(select(Member).where(Member.forgotten_key.is_(None),
                                                             Member.active.is_(True) | Member.left_at.is_not(None))
                                        .order_by(Member.name)):
        rows.append({
            "name": member.name, "role": "; ".join(member.roles), "access": member.access,
            "network": member.network or "", "organisation": member.organisation or "",
            "country": member.country or "", "timezone": member.timezone or "",
            "language": member.language or "", "telegram_id": member.telegram_id or "",
            "telegram_username": member.telegram_username or "",
            "working_hours": member.working_hours or "",
            "status": "active" if member.active else "departed", "id": member.id,
        })
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ROSTER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


async def import_organisations(session: AsyncSession, path: Path) -> ImportSummary:
    """Create or update organisations by name and country (acronyms repeat across countries)."""
    valid, problems = _validate(_read_rows(path, ORGANISATION_COLUMNS, "organisations")[0], OrganisationRow)
    if problems:
        raise ImportProblems(problems)
    existing = {(fold(o.name), o.country or ""): o for o in await session.scalars(select(Organisation))}
    summary = ImportSummary()
    for _where, row in valid:
        key = (fold(row.name), row.country or "")
        organisation = existing.get(key)
        if organisation is None:
            organisation = existing[key] = Organisation(name=row.name)
            session.add(organisation)
            summary.created += 1
        else:
            summary.updated += 1
        organisation.acronym, organisation.name = row.acronym, row.name
        organisation.country, organisation.network, organisation.kind = row.country, row.network, row.kind
    await session.flush()
    await audit(session, None, "organisations.imported", None, None, created=summary.created,
                updated=summary.updated)
    return summary
