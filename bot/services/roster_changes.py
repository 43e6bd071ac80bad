"""A roster file as a reviewed change set: computed against the roster, shown, then applied.

Identity never moves silently. A row is matched by member ``id`` (the export's), else by
``telegram_id``, else by the folded name; a different name on a matched member, a name that
looks like someone else's, another member's Telegram id or a forgotten member's name is a
conflict the operator resolves explicitly (an option, an ``id`` cell, a departure). The same
fold with fewer accents or capitals keeps the stored spelling. Members missing from the file
are reported, never removed. What a member chose (``/tz``) stays unless the operator asks.
A change set with conflicts, or one leaving the committee without a chair, applies nothing.
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.access import default_access
from bot.services.csv_files import CsvFormat
from bot.services.departures import Planning, depart, follow_the_chair, rejoin
from bot.services.members import audit, forgotten_key
from bot.domain.names import fold, match_name
from storage.outbox import enqueue
from storage.models import Member

PROFILE = ("name", "roles", "access", "network", "organisation", "country", "timezone", "language",
           "telegram_id", "telegram_username", "working_hours")
ROSTER_CHANGED = "roster_changed"  # a member told of what the secretariat changed about them


class RowLike(Protocol):
    id: int | None
    status: str | None
    name: str
    access: str | None
    telegram_id: int | None

    @property
    def roles(self) -> list[str]: ...
    @property
    def given(self) -> set[str]: ...


@dataclass(frozen=True)
class Options:
    rename: bool = False            # a matched member's name may change to another name
    accept_similar: bool = False    # a name like an existing member's is a new person
    recreate_forgotten: bool = False
    override_own: bool = False      # the file's zone replaces the one a member set


@dataclass
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass
class Entry:
    where: str
    name: str
    member: Member | None = None
    changes: list[FieldChange] = field(default_factory=list)
    kept_own: list[str] = field(default_factory=list)
    status: str | None = None   # "departed" or "returned" when the row changes it


@dataclass
class Conflict:
    where: str
    code: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChangeSet:
    created: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)
    absent: list[Member] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    source: CsvFormat | None = None  # how a CSV file was read (encoding, separator)

    @property
    def is_empty(self) -> bool:
        return not (self.created or self.changed)


def _marks(name: str) -> tuple[int, int]:
    """Accents, then capitals: how much of a name's spelling a retyping may have lost."""
    decomposed = unicodedata.normalize("NFKD", name)
    return sum(1 for c in decomposed if unicodedata.combining(c)), sum(c.isupper() for c in name)


def _wanted(row: RowLike, member: Member | None) -> dict[str, Any]:
    """The profile values the row gives (absent columns and empty cells are not in it)."""
    given = row.given
    wanted = {name: getattr(row, name) for name in PROFILE if name in given and name != "roles"}
    if "role" in given:
        wanted["roles"] = row.roles
    if "access" not in given and "roles" in wanted:
        if "chair" in wanted["roles"]:
            wanted["access"] = "chair"
        elif member is None:
            wanted["access"] = default_access(wanted["roles"])
        elif member.access == "chair":
            wanted["access"] = "member"  # a chair title taken away takes the chair's access with it
    return wanted


class _Roster:
    """The stored roster, indexed the ways a row may name a member."""

    def __init__(self, members: list[Member]):
        self.known = [m for m in members if m.forgotten_key is None]
        self.by_id = {m.id: m for m in self.known}
        self.by_telegram = {m.telegram_id: m for m in self.known if m.telegram_id}
        self.by_fold = {fold(m.name): m for m in self.known}
        self.forgotten = {m.forgotten_key for m in members if m.forgotten_key}


async def plan_changes(session: AsyncSession, rows: list[tuple[str, RowLike]],
                       options: Options = Options()) -> ChangeSet:
    """What applying ``rows`` would change; touches nothing."""
    roster = _Roster(list(await session.scalars(select(Member).order_by(Member.id))))
    changes = ChangeSet()
    matched: dict[int, str] = {}
    telegram_rows: dict[int, str] = {}
    for where, row in rows:
        conflict = _identity_conflict(where, row, roster, matched, telegram_rows, options)
        if conflict is not None:
            changes.conflicts.append(conflict)
            continue
        member = _match(row, roster)
        if member is not None:
            matched[member.id] = where
        if row.telegram_id:
            telegram_rows[row.telegram_id] = where
        entry = _entry(where, row, member, options)
        (changes.created if member is None else changes.changed if entry.changes or entry.status
         else changes.unchanged).append(entry)
    changes.absent = [m for m in roster.known if m.active and m.id not in matched]
    if not changes.conflicts and not _chairs_after(roster, changes):
        changes.conflicts.append(Conflict("", "no_chair"))
    return changes


def _match(row: RowLike, roster: _Roster) -> Member | None:
    if row.id is not None:
        return roster.by_id.get(row.id)
    member = roster.by_telegram.get(row.telegram_id) if row.telegram_id else None
    return member or roster.by_fold.get(fold(row.name))


def _identity_conflict(where: str, row: RowLike, roster: _Roster, matched: dict[int, str],
                       telegram_rows: dict[int, str], options: Options) -> Conflict | None:
    if row.id is not None and row.id not in roster.by_id:
        return Conflict(where, "unknown_id", {"id": row.id})
    if row.telegram_id and row.telegram_id in telegram_rows:
        return Conflict(where, "telegram_twice", {"telegram_id": row.telegram_id,
                                                  "other": telegram_rows[row.telegram_id]})
    member = _match(row, roster)
    if member is None:
        if forgotten_key(row.name) in roster.forgotten and not options.recreate_forgotten:
            return Conflict(where, "forgotten", {"name": row.name})
        similar = match_name(row.name, roster.known, lambda m: m.name)
        close = [similar.found] if similar.found else similar.candidates
        if close and not options.accept_similar:
            return Conflict(where, "similar", {"name": row.name,
                                               "members": [(m.id, m.name) for m in close]})
        return None
    named = roster.by_fold.get(fold(row.name))
    if row.id is None and named is not None and named is not member:  # found by another's account
        return Conflict(where, "telegram_taken", {"telegram_id": row.telegram_id, "owner": member.name})
    if member.id in matched:
        return Conflict(where, "member_twice", {"name": member.name, "other": matched[member.id]})
    holder = roster.by_telegram.get(row.telegram_id) if row.telegram_id else None
    if holder is not None and holder is not member:
        return Conflict(where, "telegram_taken", {"telegram_id": row.telegram_id, "owner": holder.name})
    if row.telegram_id and member.telegram_id and member.telegram_id != row.telegram_id:
        return Conflict(where, "relink", {"name": member.name})
    if fold(row.name) != fold(member.name):
        if not options.rename:
            return Conflict(where, "rename", {"member": member.name, "name": row.name, "id": member.id})
        if named is not None:
            return Conflict(where, "name_taken", {"name": named.name})
    return None


def _entry(where: str, row: RowLike, member: Member | None, options: Options) -> Entry:
    entry = Entry(where, row.name, member)
    for name, after in _wanted(row, member).items():
        before = getattr(member, name) if member is not None else None
        if member is not None and name == "name" and fold(after) == fold(before) \
                and _marks(after) <= _marks(before):
            continue  # the same name typed with fewer accents or capitals: the stored one stays
        if before == after or (member is None and after is None):
            continue
        if member is not None and name == "timezone" and member.own_timezone and not options.override_own:
            entry.kept_own.append(name)
            continue
        entry.changes.append(FieldChange(name, before, after))
    if member is not None and row.status == "departed" and member.active:
        entry.status = "departed"
    elif member is not None and row.status == "active" and not member.active:
        entry.status = "returned"
    elif member is None and row.status == "departed":
        entry.status = "departed"
    return entry


def _chairs_after(roster: _Roster, changes: ChangeSet) -> set[str]:
    """Who holds chair access once the change set is applied (names; new members included)."""
    chairs = {m.name: m.access == "chair" and m.active for m in roster.known}
    for entry in changes.created + changes.changed:
        access = next((c.after for c in entry.changes if c.field == "access"), None)
        key = entry.member.name if entry.member is not None else entry.name
        if access is not None:
            chairs[key] = access == "chair"
        if entry.member is not None and entry.status == "returned":
            chairs[key] = (access or entry.member.access) == "chair"
        if entry.status == "departed":
            chairs[key] = False
    return {name for name, is_chair in chairs.items() if is_chair}


async def apply_changes(session: AsyncSession, changes: ChangeSet, actor: Member | None,
                        planning: Planning) -> None:
    """Apply a conflict-free change set: audited field by field, members told, reminders moved."""
    if changes.conflicts:
        raise ValueError("a change set with conflicts cannot be applied")
    for entry in changes.created:
        member = Member(name=entry.name, access="member", roles=[])
        for change in entry.changes:
            setattr(member, change.field, change.after)
        session.add(member)
        await session.flush()
        entry.member = member
        await audit(session, actor, "member.added", "member", member.id,
                    fields={c.field: [None, c.after] for c in entry.changes})
        if entry.status == "departed":
            member.active, member.left_at = False, planning.now
        else:
            await rejoin(session, member, planning)
    for entry in changes.changed:
        member = entry.member
        assert member is not None
        for change in entry.changes:
            setattr(member, change.field, change.after)
            if change.field == "timezone":
                member.own_timezone = False
        if entry.changes:
            await audit(session, actor, "member.changed", "member", member.id,
                        fields={c.field: [c.before, c.after] for c in entry.changes})
        if entry.status == "departed":
            await depart(session, member, actor, planning)
        elif entry.status == "returned":
            await rejoin(session, member, planning, actor)
        elif member.active and entry.changes:
            if any(c.field == "timezone" for c in entry.changes):
                await rejoin(session, member, planning)
            await _tell(session, member, entry, planning.now)
    if any(c.field == "access" for e in changes.changed for c in e.changes):
        await follow_the_chair(session, planning)
    await session.flush()


async def _tell(session: AsyncSession, member: Member, entry: Entry, now: datetime) -> None:
    """Owe the member a word about what the secretariat changed (rendered in their language)."""
    if member.telegram_id is None:
        return
    fields = [c.field for c in entry.changes if c.field != "telegram_username"]
    if fields:
        await enqueue(session, kind=ROSTER_CHANGED, due_at=now, recipient=member, ref_type="member",
                      ref_id=member.id, dedupe_key=f"{ROSTER_CHANGED}:{member.id}:{now.isoformat()}",
                      payload={"fields": fields})
