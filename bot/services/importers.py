"""Roster and organisation files in and out (CSV or TOML), all or nothing.

A file with a single bad row changes nothing: every row is validated first and the
problems are reported with their line (CSV) or entry (TOML) number.
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

from bot.domain.access import LEVELS, default_access
from bot.config import parse_hours
from bot.services.members import audit
from bot.domain.names import fold
from storage.models import Member, Organisation

ROSTER_COLUMNS = ("name", "role", "access", "network", "organisation", "country", "timezone",
                  "language", "telegram_id", "telegram_username", "working_hours")
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


class RosterRow(_Row):
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

    @field_validator("access")
    @classmethod
    def _access(cls, value: str | None) -> str | None:
        if value is not None and value.lower() not in LEVELS:
            raise ValueError("must be chair, secretariat or member")
        return value.lower() if value else None

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
        return [part.strip() for part in (self.role or "").split(";") if part.strip()]


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


def _read_rows(path: Path, columns: tuple[str, ...], table: str) -> list[tuple[str, dict[str, Any]]]:
    """(where, row) pairs from a CSV or TOML file; unknown columns are an error (typos)."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".toml":
        try:
            entries = tomllib.loads(text).get(table, [])
        except tomllib.TOMLDecodeError as error:
            raise ImportProblems([f"{path.name}: {error}"]) from None
        rows = [(f"entry {index}", entry) for index, entry in enumerate(entries, start=1)]
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "name" not in reader.fieldnames:
            raise ImportProblems([f"{path.name}: the first line must name the columns, including name"])
        rows = []
        for row in reader:
            if None in row:
                raise ImportProblems([f"line {reader.line_num}: more cells than columns"])
            rows.append((f"line {reader.line_num}", row))
    unknown = sorted({key for _, row in rows for key in row if key not in columns})
    if unknown:
        raise ImportProblems([f"{path.name}: unknown columns {', '.join(unknown)}; "
                              f"expected {', '.join(columns)}"])
    return rows


def _validate(rows, model):  # type: ignore[no-untyped-def]
    valid, problems = [], []
    for where, row in rows:
        try:
            valid.append((where, model.model_validate(
                {k: v for k, v in row.items() if v not in (None, "")})))
        except ValidationError as error:
            for issue in error.errors():
                field = ".".join(str(p) for p in issue["loc"]) or "row"
                problems.append(f"{where}: {field}: {str(issue['msg']).removeprefix('Value error, ')}")
    return valid, problems


async def import_roster(session: AsyncSession, path: Path) -> ImportSummary:
    """Create or update members by Telegram id, else by name; never duplicate anyone."""
    valid, problems = _validate(_read_rows(path, ROSTER_COLUMNS, "members"), RosterRow)
    seen: dict[str, str] = {}
    for where, row in valid:
        key = fold(row.name)
        if key in seen:
            problems.append(f"{where}: name: {row.name!r} already appears at {seen[key]}")
        seen[key] = where
    if problems:
        raise ImportProblems(problems)
    existing = list(await session.scalars(select(Member)))
    by_name = {fold(m.name): m for m in existing}
    by_telegram = {m.telegram_id: m for m in existing if m.telegram_id}
    summary = ImportSummary()
    for _where, row in valid:
        member = by_telegram.get(row.telegram_id) if row.telegram_id else None
        member = member or by_name.get(fold(row.name))
        if member is None:
            member = Member(name=row.name)
            session.add(member)
            summary.created += 1
        else:
            summary.updated += 1
        _apply(member, row)
    await session.flush()
    await audit(session, None, "roster.imported", None, None, created=summary.created,
                updated=summary.updated)
    return summary


def _apply(member: Member, row: RosterRow) -> None:
    member.name = row.name
    member.roles = row.roles
    member.access = row.access or default_access(row.roles)
    member.network, member.organisation, member.country = row.network, row.organisation, row.country
    member.timezone, member.language = row.timezone, row.language
    member.working_hours = row.working_hours
    if row.telegram_id:
        member.telegram_id = row.telegram_id
    if row.telegram_username:
        member.telegram_username = row.telegram_username
    member.active = True


async def export_roster(session: AsyncSession, fmt: str) -> str:
    """The roster in the import format, so an export can be edited and imported again."""
    rows = []
    for member in await session.scalars(select(Member).where(Member.active.is_(True)).order_by(Member.name)):
        rows.append({
            "name": member.name, "role": "; ".join(member.roles), "access": member.access,
            "network": member.network or "", "organisation": member.organisation or "",
            "country": member.country or "", "timezone": member.timezone or "",
            "language": member.language or "", "telegram_id": member.telegram_id or "",
            "telegram_username": member.telegram_username or "",
            "working_hours": member.working_hours or "",
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
    valid, problems = _validate(_read_rows(path, ORGANISATION_COLUMNS, "organisations"), OrganisationRow)
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
