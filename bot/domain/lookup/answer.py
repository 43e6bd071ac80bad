"""Running one parsed question against a Directory and shaping the result: which records
answer it, what to suggest when none does, and what the asker could add to narrow it down."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache, cached_property
from typing import TYPE_CHECKING, TypeVar

from bot.domain.lookup.intents import Question, Scope
from bot.domain.lookup.name_index import Hit
from bot.domain.lookup.normalize import stem, words
from bot.domain.lookup.places import country_zones
from bot.domain.lookup.entries import OrganisationRecord, PersonRecord
from bot.domain.lookup.results import Entities, Intent, LookupResult, Narrowing
from bot.domain.lookup.vocabulary import COORDINATOR, NAME_WORD_SYNONYMS, TITLES, Cue

if TYPE_CHECKING:
    from bot.domain.lookup.directory import Directory

SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.65  # per word: "Prudenzo" → "prudencio" (0.78), not "hello" → "elly"
HINT_SAMPLE = 100

MIN_NAME_WORD = 3  # shorter leftovers ("s" of "Fischer's") are no name

_R = TypeVar("_R")


def words_of(name: str) -> set[str]:
    """A name's words as the name index keeps them."""
    return {stem(word) for word in words(name) if word not in TITLES}


def _may_be_a_name(word: str) -> bool:
    """Leftover words that could be part of someone's name: not "s" of "Fischer's", not "Mme"."""
    return len(word) >= MIN_NAME_WORD and word not in TITLES


@cache
def _translation_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for group in NAME_WORD_SYNONYMS:
        forms = tuple(dict.fromkeys(stem(word) for form in group for word in words(form)))
        for form in forms:
            table[form] = forms
    return table


def translations(word: str) -> tuple[str, ...]:
    """A word of an organisation name and its translations ("garment", "textile"...)."""
    return _translation_table().get(stem(word), (word,))


class Answer:
    """Runs one parsed question against the directory and shapes the result."""

    def __init__(self, directory: Directory, question: Question, limit: int) -> None:
        self.d = directory
        self.q = question
        self.limit = limit
        self.used_names: tuple[str, ...] = ()

    def build(self, intent: Intent | None, scope: Scope) -> LookupResult:
        if intent is None:
            intent = self._intent_from_names(scope)
        handler: Callable[[], LookupResult] = {
            Intent.PERSON_BY_NAME: self._person_by_name,
            Intent.LOCAL_TIME: self._local_time,
            Intent.PERSON_BY_ROLE: self._people_filtered,
            Intent.PERSON_BY_NETWORK: self._people_filtered,
            Intent.PERSON_BY_COUNTRY: self._people_filtered,
            Intent.PERSON_COUNT: self._people_filtered,
            Intent.ORG_INFO: self._org_by_name,
            Intent.ORG_LOCATION: self._org_by_name,
            Intent.ORGS_IN_PLACE: self._orgs_filtered,
            Intent.ORG_COUNT: self._orgs_filtered,
            Intent.UNKNOWN: self._nothing,
        }[intent]
        self.intent = intent
        return handler()

    def _intent_from_names(self, scope: Scope) -> Intent:
        """Only unrecognised words: whichever kind of name they match, as the cues suggest."""
        cues = self.q.cues
        if scope is Scope.PEOPLE:
            return Intent.PERSON_BY_NAME
        org_intent = Intent.ORG_LOCATION if Cue.WHERE in cues else Intent.ORG_INFO
        if scope is Scope.ORGANISATIONS:
            return org_intent
        people, orgs = self._people_hits, self._org_hits
        if Cue.WHO in cues and (people or not orgs):
            return Intent.PERSON_BY_NAME
        if cues & {Cue.WHAT, Cue.WHERE} and (orgs or not people):
            return org_intent
        if people and orgs:
            best_person, best_org = people[0], orgs[0]
            org_wins = (best_org.covered, best_org.score) > (best_person.covered, best_person.score)
            return org_intent if org_wins else Intent.PERSON_BY_NAME
        if people:
            return Intent.PERSON_BY_NAME
        return org_intent if orgs else Intent.UNKNOWN

    # People ---------------------------------------------------------------------------------

    @cached_property
    def _people_hits(self) -> list[Hit]:
        return self.d._person_names.search(self.q.names)

    def _people_named(self) -> list[int]:
        """Ids named in the question: spans first (intersected, so "Mary Luna" is one
        person), then a word search over leftover words."""
        if self.q.people:
            return _intersect_or_union(self.q.people)
        self.used_names = tuple(self.q.names)
        return [hit.id for hit in self._people_hits]

    def _person_by_name(self) -> LookupResult:
        ids = self._narrow_people(self._people_named())
        if not ids:
            return self._no_match(people=True, organisations=False)
        if self._names_someone_else(ids):
            return self._result(
                suggestions=tuple(self.d.people[pid].name for pid in ids[:SUGGESTIONS])
            )
        return self._people_result(ids, ambiguous=len(ids) > 1)

    def _names_someone_else(self, ids: list[int]) -> bool:
        """Part of the name typed is no part of the name found: "Pedro Fischer" is not
        Santiago Fischer, only someone sharing his surname (a suggestion, not an answer)."""
        names = self.d._person_names
        if self.q.people:
            strangers = [word for word in self.q.beside_people if _may_be_a_name(word)]
            own = {word for pid in ids for word in words_of(self.d.people[pid].name)}
            unmatched = [word for word in strangers if not own & names.expand(word).keys()]
            self.used_names = (*unmatched, *self.used_names) if unmatched else self.used_names
            return bool(unmatched)
        typed = [word for word in self.q.names if _may_be_a_name(word)]
        return len(typed) > 1 and self._people_hits[0].covered < len(typed)

    def _local_time(self) -> LookupResult:
        """A person's time when one is named; else a role's or a place's ("current" in
        "current time in Lima" names nobody)."""
        q = self.q
        if q.people or (q.names and (self._people_hits or not (q.role or q.has_place))):
            return self._person_by_name()
        result = self._people_filtered()
        if q.role is None:
            result = replace(result, place_zone=self._place_zone())
        return result

    def _place_zone(self) -> str | None:
        """The one zone a time question about a place names: its city's, or its country's
        when the country has a single zone (Peru, not Indonesia)."""
        q = self.q
        if len(q.zones) == 1:
            return q.zones[0]
        if q.zones or q.zoneless_city or len(q.countries) != 1:
            return None
        zones = country_zones(q.countries[0])
        return zones[0] if len(zones) == 1 else None

    def _people_filtered(self) -> LookupResult:
        """People matching every criterion given (role, country, network)."""
        q, facets = self.q, self.d._people_facets
        roles = None
        if q.role is not None:
            roles = [r for r in facets.values("role") if _holds(frozenset({str(r)}), q.role)]
        ids = facets.select(
            role=roles, country=q.countries or None, network=q.networks or None
        )
        in_zone = [pid for pid in ids if self.d.people[pid].timezone in q.zones]
        if in_zone:  # "who is in Kinshasa?": those living there, else the country's
            ids = in_zone
        if ids:
            return self._people_result(ids, ambiguous=False)
        return self._result(suggestions=self._people_nearby())

    def _people_nearby(self) -> tuple[str, ...]:
        """Nobody matches a place: the members of the networks that place belongs to."""
        networks = set(self.q.networks)
        for code in self.q.countries:
            networks |= self.d._country_networks.get(code, set())
        return tuple(
            person.name
            for pid, person in self.d.people.items()
            if self.d._person_network[pid] in networks
        )

    def _narrow_people(self, ids: list[int]) -> list[int]:
        """Keep those in the place also named ("Samy in India"), if that leaves anyone."""
        d, q = self.d, self.q
        narrowed = [
            pid
            for pid in ids
            if (not q.countries or d.people[pid].country_code in q.countries)
            and (not q.networks or d._person_network[pid] in q.networks)
        ]
        return narrowed or ids

    def _people_result(self, ids: list[int], ambiguous: bool) -> LookupResult:
        people = [self.d.people[pid] for pid in ids]
        hints: list[Narrowing] = []
        if ambiguous or len(people) > self.limit:
            hints = _differing(
                people,
                {
                    Narrowing.NETWORK: lambda p: self.d._person_network[p.id],
                    Narrowing.COUNTRY: lambda p: p.country_code,
                    Narrowing.ROLE: lambda p: self.d._roles[p.id],
                },
            )
        return self._result(
            people=tuple(people[: self.limit]), total=len(people), ambiguous=ambiguous, hints=hints
        )

    # Organisations --------------------------------------------------------------------------

    @cached_property
    def _org_hits(self) -> list[Hit]:
        return self.d._org_names.search([*self.q.names, *self.q.kind_words])

    def _orgs_named(self) -> list[int]:
        """Ids named by acronym or full name, else by a word search (plus, for a kind word
        like "syndicat", every organisation of that kind)."""
        if self.q.organisations:
            return _intersect_or_union(self.q.organisations)
        self.used_names = (*self.q.names, *self.q.kind_words)
        ids = [hit.id for hit in self._org_hits]
        if self.q.kind:
            named = set(ids)
            ids += [
                oid for oid in self.d._org_facets.select(kind=[self.q.kind]) if oid not in named
            ]
        return ids

    def _org_by_name(self) -> LookupResult:
        ids = self._orgs_named()
        d, q = self.d, self.q
        narrowed = [
            oid
            for oid in ids
            if (not q.countries or d.organisations[oid].country_code in q.countries)
            and (not q.networks or d._org_network[oid] in q.networks)
        ]
        ids = narrowed or ids
        if not ids:
            return self._no_match(people=False, organisations=True)
        return self._orgs_result(ids, ambiguous=len(ids) > 1)

    def _orgs_filtered(self) -> LookupResult:
        """Organisations in the countries named (or else the networks), of the kind named,
        among those named by acronym if any ("how many CSB?")."""
        q = self.q
        ids = self.d._org_facets.select(
            country=q.countries or None,
            network=None if q.countries else q.networks or None,
            kind=None if q.kind is None else [q.kind],
        )
        if q.organisations:
            named = set(_intersect_or_union(q.organisations))
            ids = [oid for oid in ids if oid in named]
        return self._orgs_result(self._orgs_with_name_words(ids), ambiguous=False)

    def _orgs_with_name_words(self, ids: list[int]) -> list[int]:
        """"The garment federation in Bangladesh": among the place's organisations, those
        whose name has every word typed that some organisation name has (in any of the three
        languages); words no name has are noise ("do we have")."""
        index = self.d._org_names
        typed = [word for word in self.q.names if any(index.expand(w) for w in translations(word))]
        if not typed:
            return ids
        self.used_names = tuple(typed)
        hits = index.search([translations(word) for word in typed], among=set(ids))
        return [hit.id for hit in hits if hit.covered == len(typed)]

    def _orgs_result(self, ids: list[int], ambiguous: bool) -> LookupResult:
        orgs = [self.d.organisations[oid] for oid in ids]
        hints: list[Narrowing] = []
        if ambiguous or len(orgs) > self.limit:
            hints = _differing(
                orgs,
                {
                    Narrowing.COUNTRY: lambda o: o.country_code,
                    Narrowing.NETWORK: lambda o: self.d._org_network[o.id],
                    Narrowing.KIND: lambda o: o.kind,
                },
            )
        return self._result(
            organisations=tuple(orgs[: self.limit]),
            total=len(orgs),
            ambiguous=ambiguous,
            hints=hints,
        )

    # Shared ---------------------------------------------------------------------------------

    def _no_match(self, people: bool, organisations: bool) -> LookupResult:
        """Nothing matched the words given: the closest names, never a guess as an answer."""
        words = self.used_names or tuple(self.q.names)
        hits: list[tuple[Hit, str]] = []
        if people:
            hits += [
                (hit, self.d.people[hit.id].name)
                for hit in self.d._person_names.search(words, SUGGESTION_CUTOFF)
            ]
        if organisations:
            hits += [
                (hit, self.d.organisations[hit.id].label)
                for hit in self.d._org_names.search(words, SUGGESTION_CUTOFF)
            ]
        hits.sort(key=lambda pair: (-pair[0].covered, -pair[0].score))
        return self._result(suggestions=tuple(label for _, label in hits[:SUGGESTIONS]))

    def _nothing(self) -> LookupResult:
        """Words that name nobody and nothing: suggest the closest people or organisations."""
        self.used_names = tuple(self.q.names)
        return self._no_match(people=True, organisations=True)

    def _result(
        self,
        people: tuple[PersonRecord, ...] = (),
        organisations: tuple[OrganisationRecord, ...] = (),
        total: int = 0,
        ambiguous: bool = False,
        hints: Sequence[Narrowing] = (),
        suggestions: tuple[str, ...] = (),
    ) -> LookupResult:
        q = self.q
        entities = Entities(
            countries=tuple(q.countries),
            zones=tuple(q.zones),
            networks=tuple(q.networks),
            role=q.role,
            kind=q.kind,
            names=self.used_names,
        )
        return LookupResult(
            intent=self.intent,
            entities=entities,
            people=people,
            organisations=organisations,
            total=total,
            ambiguous=ambiguous,
            narrow_by=tuple(hints),
            suggestions=suggestions,
        )


def _holds(roles: frozenset[str], wanted: str) -> bool:
    if wanted == COORDINATOR:
        return any(role.endswith(COORDINATOR) for role in roles)
    return wanted in roles


def _intersect_or_union(groups: list[frozenset[int]]) -> list[int]:
    """Several name spans: the records all of them name, or failing that, any of them."""
    common = frozenset.intersection(*groups)
    return sorted(common or frozenset().union(*groups))


def _differing(
    records: list[_R], facets: dict[Narrowing, Callable[[_R], object]]
) -> list[Narrowing]:
    """Facets on which the candidates differ: what the asker could add to choose. A sample
    of the candidates is enough to tell, and keeps long lists cheap."""
    sample = records[:HINT_SAMPLE]
    hints = [facet for facet, value in facets.items() if len({value(r) for r in sample}) > 1]
    return hints or [Narrowing.NAME]
