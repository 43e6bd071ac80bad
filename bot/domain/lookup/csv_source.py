"""Records from the CSV files shipped in `data/` (the demo roster and directory)."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from bot.domain.lookup.entries import OrganisationRecord, PersonRecord
from bot.domain.lookup.vocabulary import NETWORKS

CURRENT_TERM = "2023-"


def load_people(
    committee_csv: Path, profiles_csv: Path, term: str = CURRENT_TERM
) -> list[PersonRecord]:
    """Members of one committee term, with the demo profile (country, time zone) joined by
    name. "represents" is a network, or an organisation for the chair ("WSM (...)")."""
    with profiles_csv.open(encoding="utf-8") as handle:
        profiles = {row["name"]: row for row in csv.DictReader(handle)}
    people: dict[str, PersonRecord] = {}
    with committee_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["term"] != term:
                continue
            name, represents = row["name"], row["represents"]
            known = people.get(name)
            if known is not None:
                people[name] = replace(known, roles=(*known.roles, row["role"]))
                continue
            profile = profiles.get(name, {})
            people[name] = PersonRecord(
                id=len(people) + 1,
                name=name,
                roles=(row["role"],),
                network=represents if represents in NETWORKS else None,
                organisation=None if represents in NETWORKS else represents.split(" (")[0],
                country=profile.get("country") or None,
                timezone=profile.get("timezone") or None,
            )
    return list(people.values())


def load_organisations(organisations_csv: Path) -> list[OrganisationRecord]:
    with organisations_csv.open(encoding="utf-8") as handle:
        return [
            OrganisationRecord(
                id=number,
                acronym=row["acronym"] or None,
                name=row["name"],
                country=row["country"] or None,
                network=row["network"] or None,
                kind=row["kind"] or None,
            )
            for number, row in enumerate(csv.DictReader(handle), start=1)
        ]
