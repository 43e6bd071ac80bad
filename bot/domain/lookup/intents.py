"""Decide what a question asks from the cues and entities found in it.

The rules are ordered from the most specific evidence to the least: a person's name beats a
role, a role beats a place, and a bare place lists organisations (the larger directory)
unless the question asks "who".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain.lookup.results import Intent
from bot.domain.lookup.vocabulary import Cue


class Scope(StrEnum):
    ANY = "any"  # free text
    PEOPLE = "people"  # /who
    ORGANISATIONS = "organisations"  # /org


@dataclass(slots=True)
class Question:
    """What spotting found in one question."""

    cues: set[Cue] = field(default_factory=set)
    countries: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    role: str | None = None
    kind: str | None = None
    kind_words: list[str] = field(default_factory=list)  # searched as names if no place
    people: list[frozenset[int]] = field(default_factory=list)  # one id set per name span
    organisations: list[frozenset[int]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # unrecognised words, maybe name parts

    @property
    def has_place(self) -> bool:
        return bool(self.countries or self.networks)


def choose_intent(question: Question, scope: Scope) -> Intent | None:
    """The intent, or None when only a name search over leftover words can tell."""
    cues = question.cues
    wants_people = scope is Scope.PEOPLE or (
        scope is Scope.ANY
        and Cue.ORGANISATIONS not in cues
        and question.kind is None
        and bool(cues & {Cue.WHO, Cue.REPRESENTS, Cue.PEOPLE})
    )
    if Cue.TIME in cues and scope is not Scope.ORGANISATIONS:
        return Intent.LOCAL_TIME
    if Cue.HOW_MANY in cues:
        counts_people = wants_people or (question.role and Cue.ORGANISATIONS not in cues)
        return Intent.PERSON_COUNT if counts_people else Intent.ORG_COUNT
    if scope is not Scope.ORGANISATIONS:
        if question.people and not question.organisations:
            return Intent.PERSON_BY_NAME
        if question.role:
            return Intent.PERSON_BY_ROLE
    if question.organisations and scope is not Scope.PEOPLE:
        return Intent.ORG_LOCATION if Cue.WHERE in cues else Intent.ORG_INFO
    if question.has_place:
        if wants_people:
            return Intent.PERSON_BY_COUNTRY if question.countries else Intent.PERSON_BY_NETWORK
        return Intent.ORGS_IN_PLACE
    if question.names or question.kind_words:
        return None
    return Intent.UNKNOWN
