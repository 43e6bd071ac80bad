"""The plain records a Directory is built from: the caller maps its storage rows to these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A committee member. `country` is free text in any working language ("DR Congo",
    "Pérou"); `country_code` may be left empty, the Directory derives it."""

    id: int
    name: str
    roles: Sequence[str] = ()
    network: str | None = None
    organisation: str | None = None
    country: str | None = None
    timezone: str | None = None
    country_code: str | None = None


@dataclass(frozen=True, slots=True)
class OrganisationRecord:
    """A member organisation or partner; acronyms are not unique (CSB, MTC)."""

    id: int
    acronym: str | None
    name: str
    country: str | None = None
    network: str | None = None
    kind: str | None = None
    country_code: str | None = None

    @property
    def label(self) -> str:
        """Acronym when it has one, name otherwise: how members refer to it."""
        return self.acronym or self.name
