"""What a lookup returns: facts and candidates only, never sentences (the caller renders them
in the asker's language)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.lookup.entries import OrganisationRecord, PersonRecord


class Intent(StrEnum):
    PERSON_BY_NAME = "person_by_name"  # who is Sabine?
    PERSON_BY_ROLE = "person_by_role"  # who is the chair? who coordinates Asia?
    PERSON_BY_NETWORK = "person_by_network"  # who represents Asia?
    PERSON_BY_COUNTRY = "person_by_country"  # who is from Togo?
    PERSON_COUNT = "person_count"  # how many representatives?
    LOCAL_TIME = "local_time"  # what time is it for Gabriela?
    ORG_INFO = "org_info"  # what is CRISOL?
    ORG_LOCATION = "org_location"  # where is GEFONT based?
    ORGS_IN_PLACE = "orgs_in_place"  # which organisations in Togo / in Asia?
    ORG_COUNT = "org_count"  # how many organisations in Bangladesh?
    UNKNOWN = "unknown"  # nothing in the question could be recognised


class Narrowing(StrEnum):
    """What the asker could add to tell candidates apart."""

    COUNTRY = "country"
    NETWORK = "network"
    ROLE = "role"
    KIND = "kind"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class Entities:
    """What the question was recognised to be about."""

    countries: tuple[str, ...] = ()  # ISO 3166 alpha-2 codes
    networks: tuple[str, ...] = ()  # canonical network names (vocabulary.NETWORKS)
    role: str | None = None  # canonical role key (vocabulary.CHAIR, ...)
    kind: str | None = None  # organisation kind as the data writes it ("trade union")
    names: tuple[str, ...] = ()  # normalised words searched as a name or name fragment


@dataclass(frozen=True, slots=True)
class LookupResult:
    intent: Intent
    entities: Entities
    people: tuple[PersonRecord, ...] = ()  # best first, at most `limit`
    organisations: tuple[OrganisationRecord, ...] = ()  # best first, at most `limit`
    total: int = 0  # matches before the limit: the answer to "how many"
    ambiguous: bool = False  # several candidates for the one thing asked about
    narrow_by: tuple[Narrowing, ...] = ()  # hints when ambiguous or truncated
    suggestions: tuple[str, ...] = ()  # closest known names, only when nothing matched

    @property
    def found(self) -> bool:
        return self.total > 0

    @property
    def truncated(self) -> bool:
        return self.total > len(self.people) + len(self.organisations)
