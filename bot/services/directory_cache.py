"""The lookup `Directory` built from the database once and reused until its data changes.

Each lookup first reads a cheap fingerprint in one round trip: count, max(id) and
max(updated_at) of the members, count and max(id) of the organisations (they have no
updated_at), and max(id) of the audit log. When the audit log moved on, one more query asks
whether a roster or directory import happened since (imports update organisations in place,
which count and max(id) cannot see). Only a changed fingerprint or an import rebuilds.

The questions behind the page buttons of long answers are kept in the database
(:mod:`storage.conversation_state`), so every instance can turn the pages.
"""

from __future__ import annotations

import asyncio
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lookup import Directory, OrganisationRecord, PersonRecord
from storage.database import Database
from storage.models import AuditEntry, Member, Organisation

IMPORT_ACTIONS = ("roster.imported", "organisations.imported")


def _fingerprint_query() -> Any:
    return select(
        select(func.count()).select_from(Member).where(Member.active.is_(True)).scalar_subquery(),
        select(func.max(Member.id)).scalar_subquery(),
        select(func.max(Member.updated_at)).scalar_subquery(),
        select(func.count()).select_from(Organisation).scalar_subquery(),
        select(func.max(Organisation.id)).scalar_subquery(),
        select(func.max(AuditEntry.id)).scalar_subquery(),
    )


async def load_records(session: AsyncSession) -> tuple[list[PersonRecord], list[OrganisationRecord]]:
    """The active members and every organisation as the lookup's plain records."""
    people = [
        PersonRecord(id=row.id, name=row.name, roles=tuple(row.roles or ()), network=row.network,
                     organisation=row.organisation, country=row.country, timezone=row.timezone)
        for row in await session.execute(
            select(Member.id, Member.name, Member.roles, Member.network, Member.organisation,
                   Member.country, Member.timezone)
            .where(Member.active.is_(True)).order_by(Member.name))
    ]
    organisations = [
        OrganisationRecord(id=row.id, acronym=row.acronym, name=row.name, country=row.country,
                           network=row.network, kind=row.kind)
        for row in await session.execute(
            select(Organisation.id, Organisation.acronym, Organisation.name, Organisation.country,
                   Organisation.network, Organisation.kind).order_by(Organisation.id))
    ]
    return people, organisations


class DirectoryCache:
    """One per database: the current Directory and its fingerprint."""

    def __init__(self) -> None:
        self._directory: Directory | None = None
        self._fingerprint: tuple[Any, ...] | None = None
        self._audit_seen: int | None = None
        self._lock = asyncio.Lock()
        self.builds = 0

    async def directory(self, session: AsyncSession) -> Directory:
        """The Directory for what ``session`` sees, rebuilt only if the data changed."""
        fingerprint, audit_max = await self._read_fingerprint(session)
        if not await self._stale(session, fingerprint, audit_max):
            assert self._directory is not None
            return self._directory
        async with self._lock:
            if await self._stale(session, fingerprint, audit_max):
                people, organisations = await load_records(session)
                # Building is pure CPU (indexes over every name): keep the event loop free.
                self._directory = await asyncio.to_thread(Directory, people, organisations)
                self._fingerprint, self._audit_seen = fingerprint, audit_max
                self.builds += 1
        assert self._directory is not None
        return self._directory

    def invalidate(self) -> None:
        """Forget the Directory (after an import in this process, for instance)."""
        self._directory = None
        self._fingerprint = None

    async def _read_fingerprint(self, session: AsyncSession) -> tuple[tuple[Any, ...], int | None]:
        row = (await session.execute(_fingerprint_query())).one()
        *fingerprint, audit_max = row
        return tuple(fingerprint), audit_max

    async def _stale(self, session: AsyncSession, fingerprint: tuple[Any, ...],
                     audit_max: int | None) -> bool:
        if self._directory is None or fingerprint != self._fingerprint:
            return True
        if audit_max == self._audit_seen or audit_max is None:
            return False
        imported = await session.scalar(
            select(AuditEntry.id).where(AuditEntry.id > (self._audit_seen or 0),
                                        AuditEntry.action.in_(IMPORT_ACTIONS)).limit(1))
        if imported is None:
            self._audit_seen = audit_max  # nothing relevant happened: look past it next time
            return False
        return True


_CACHES: WeakKeyDictionary[Database, DirectoryCache] = WeakKeyDictionary()


def cache_for(database: Database) -> DirectoryCache:
    """The cache of this database (one per process and database)."""
    cache = _CACHES.get(database)
    if cache is None:
        cache = _CACHES[database] = DirectoryCache()
    return cache
