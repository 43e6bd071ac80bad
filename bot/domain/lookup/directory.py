"""The in-memory directory of people and organisations, and the questions it answers.

Everything that depends only on the roster is computed once in the constructor (normalised
keys, phrase lexicon, word indexes), so a question costs a tokenisation, a few dictionary
look-ups and, only for unknown words, a fuzzy match. Rebuild the Directory when the roster
changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import cache, cached_property
from typing import TypeVar

from babel import Locale
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.lookup.countries import LANGUAGES, country_aliases, country_code
from bot.domain.lookup.facets import FacetIndex
from bot.domain.lookup.intents import Question, Scope, choose_intent
from bot.domain.lookup.lexicon import Key, Lexicon, Meaning, Sense, phrase_key
from bot.domain.lookup.name_index import FUZZY_CUTOFF, MIN_FUZZY, Hit, NameIndex
from bot.domain.lookup.normalize import normalize, tokenize
from bot.domain.lookup.entries import OrganisationRecord, PersonRecord
from bot.domain.lookup.results import Entities, Intent, LookupResult, Narrowing
from bot.domain.lookup.vocabulary import (
    CLDR_REGION_NETWORKS,
    COORDINATOR,
    CUE_SYNONYMS,
    Cue,
    KIND_SYNONYMS,
    MULTI_NETWORK_SYNONYMS,
    NETWORK_SYNONYMS,
    ROLE_SYNONYMS,
    STOPWORDS,
    TITLES,
)

DEFAULT_LIMIT = 10
SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.65  # per word: "Prudenzo" → "prudencio" (0.78), not "hello" → "elly"
HINT_SAMPLE = 100
PHRASE_CUTOFF = 0.85  # a typo in a two- or three-word place name ("Amerique latina")

_Record = TypeVar("_Record", PersonRecord, OrganisationRecord)
_R = TypeVar("_R")


@cache
def _vocabulary() -> tuple[tuple[Key, Sense, tuple[str, ...], bool], ...]:
    """(key, sense, values, upper_only) for every roster-independent phrase."""
    entries: list[tuple[Key, Sense, tuple[str, ...], bool]] = []

    def add(forms: Iterable[str], sense: Sense, values: tuple[str, ...]) -> None:
        for form in forms:
            entries.append((phrase_key(form), sense, values, form.isupper()))

    for key, codes in country_aliases().items():
        add([" ".join(key)], Sense.COUNTRY, codes)
    for network, forms in NETWORK_SYNONYMS.items():
        add((network, *forms), Sense.NETWORK, (network,))
    for networks, forms in MULTI_NETWORK_SYNONYMS.items():
        add(forms, Sense.NETWORK, networks)
    for language in LANGUAGES:
        territories = Locale.parse(language).territories
        for region, network in CLDR_REGION_NETWORKS.items():
            add([territories[region]], Sense.NETWORK, (network,))
    for role, forms in ROLE_SYNONYMS.items():
        add((role, *forms), Sense.ROLE, (role,))
    for kind, forms in KIND_SYNONYMS.items():
        add((kind, *forms), Sense.KIND, (kind,))
    for cue, forms in CUE_SYNONYMS.items():
        add(forms, Sense.CUE, (cue,))
    add(STOPWORDS, Sense.NOISE, ())
    return tuple(entries)


@cache
def _canonical_forms() -> dict[tuple[Sense, Key], str]:
    return {
        (sense, key): values[0]
        for key, sense, values, _ in _vocabulary()
        if sense in (Sense.ROLE, Sense.NETWORK) and len(values) == 1
    }


def _canonical(text: str | None, sense: Sense) -> str | None:
    """A record's free-text role or network in its canonical form, if the vocabulary knows
    it ("Coordinatrice du réseau" → "network coordinator")."""
    return _canonical_forms().get((sense, phrase_key(text or "")))


class Directory:
    def __init__(
        self,
        people: Iterable[PersonRecord],
        organisations: Iterable[OrganisationRecord],
        *,
        limit: int = DEFAULT_LIMIT,
    ) -> None:
        self.limit = limit
        self.people = {p.id: _with_country_code(p) for p in people}
        self.organisations = {o.id: _with_country_code(o) for o in organisations}
        self._roles = {
            p.id: frozenset(_canonical(role, Sense.ROLE) or normalize(role) for role in p.roles)
            for p in self.people.values()
        }
        self._person_network = {
            p.id: _canonical(p.network, Sense.NETWORK) for p in self.people.values()
        }
        self._org_network = {
            o.id: _canonical(o.network, Sense.NETWORK) for o in self.organisations.values()
        }
        self._people_facets = FacetIndex(self.people)
        for pid, person in self.people.items():
            self._people_facets.add("country", person.country_code, pid)
            self._people_facets.add("network", self._person_network[pid], pid)
            for role in self._roles[pid]:
                self._people_facets.add("role", role, pid)
        self._org_facets = FacetIndex(self.organisations)
        for oid, org in self.organisations.items():
            self._org_facets.add("country", org.country_code, oid)
            self._org_facets.add("network", self._org_network[oid], oid)
            self._org_facets.add("kind", org.kind, oid)
        self._known_countries = {
            r.country_code for r in (*self.people.values(), *self.organisations.values())
        }
        self._country_networks: dict[str, set[str]] = {}
        for record_id, org in self.organisations.items():
            if org.country_code and self._org_network[record_id]:
                self._country_networks.setdefault(org.country_code, set()).add(
                    self._org_network[record_id]
                )
        self._lexicon = self._build_lexicon()
        self._person_names = NameIndex(
            ((p.id, p.name) for p in self.people.values()), STOPWORDS | TITLES
        )
        self._org_names = NameIndex(
            (
                (o.id, text)
                for o in self.organisations.values()
                for text in (o.acronym or "", o.name)
            ),
            STOPWORDS,
        )
        self._place_words, self._place_meanings = self._fuzzy_places(single=True)
        self._place_phrases, self._phrase_meanings = self._fuzzy_places(single=False)

    # Questions -----------------------------------------------------------------------------

    def ask(self, question: str, *, limit: int | None = None) -> LookupResult:
        """A free-text question in French, English or Spanish."""
        return self._lookup(question, Scope.ANY, limit or self.limit)

    def who(self, query: str, *, limit: int | None = None) -> LookupResult:
        """/who: people by name, role, network or country."""
        return self._lookup(query, Scope.PEOPLE, limit or self.limit)

    def org(self, query: str, *, limit: int | None = None) -> LookupResult:
        """/org: organisations by acronym, name fragment, country or network."""
        return self._lookup(query, Scope.ORGANISATIONS, limit or self.limit)

    def _lookup(self, text: str, scope: Scope, limit: int) -> LookupResult:
        question = self._parse(text)
        intent = choose_intent(question, scope)
        if intent is None or not (
            question.people or question.organisations or question.role or question.has_place
        ):
            self._resolve_typos(question)
            intent = choose_intent(question, scope)
        return _Answer(self, question, limit).build(intent, scope)

    # Parsing -------------------------------------------------------------------------------

    def _parse(self, text: str) -> Question:
        tokens = tokenize(text)
        spans, leftover = self._lexicon.spot(tokens)
        question = Question()
        for span in spans:
            span_words = [token.norm for token in tokens[span.start : span.end]]
            for meaning in span.meanings:
                self._apply(question, meaning, span_words)
        question.names = [tokens[i].norm for i in leftover]
        return question

    def _apply(self, question: Question, meaning: Meaning, span_words: list[str]) -> None:
        values = meaning.values
        match meaning.sense:
            case Sense.COUNTRY:
                known = [code for code in values if code in self._known_countries]
                _extend_unique(question.countries, known or values[:1])
            case Sense.NETWORK:
                _extend_unique(question.networks, values)
            case Sense.ROLE if question.role in (None, COORDINATOR):
                question.role = str(values[0])
            case Sense.KIND:
                question.kind = str(values[0])
                question.kind_words.extend(span_words)
            case Sense.CUE:
                question.cues.update(values)
            case Sense.PERSON:
                question.people.append(frozenset(values))
            case Sense.ORGANISATION:
                question.organisations.append(frozenset(values))

    def _resolve_typos(self, question: Question) -> None:
        """Leftover words that are no known name but look like a place, role or kind: first
        as two- or three-word phrases ("Amerique latina"), then one by one ("Nepall")."""
        words = question.names
        resolved = [
            len(word) < MIN_FUZZY or self._person_names.knows(word) or self._org_names.knows(word)
            for word in words
        ]
        candidates = [(size, start) for size in (3, 2, 1) for start in range(len(words) - size + 1)]
        for size, start in candidates:
            if any(resolved[start : start + size]):
                continue
            text = " ".join(words[start : start + size])
            choices, meanings = (
                (self._place_words, self._place_meanings)
                if size == 1
                else (self._place_phrases, self._phrase_meanings)
            )
            cutoff = FUZZY_CUTOFF if size == 1 else PHRASE_CUTOFF
            match = process.extractOne(
                text, choices, scorer=OSA.normalized_similarity, score_cutoff=cutoff
            )
            if match:
                for meaning in meanings[match[2]]:
                    self._apply(question, meaning, words[start : start + size])
                resolved[start : start + size] = [True] * size
                words[start : start + size] = [""] * size
        question.names = [word for word in words if word]

    # Building ------------------------------------------------------------------------------

    def _build_lexicon(self) -> Lexicon:
        lexicon = Lexicon()
        for key, sense, values, upper_only in _vocabulary():
            lexicon.add(key, sense, values, upper_only)
        common_words = {key for key, *_ in _vocabulary() if len(key) == 1}
        for person in self.people.values():
            lexicon.add(_name_key(person.name), Sense.PERSON, (person.id,))
            for word in _name_key(person.name):
                if len(word) >= 3 and (word,) not in common_words:
                    lexicon.add((word,), Sense.PERSON, (person.id,))
        for org in self.organisations.values():
            for key in _organisation_keys(org):
                upper_only = len(key) == 1 and key in common_words
                lexicon.add(key, Sense.ORGANISATION, (org.id,), upper_only)
        lexicon.freeze()
        return lexicon

    def _fuzzy_places(self, single: bool) -> tuple[list[str], list[tuple[Meaning, ...]]]:
        """Keys a typo may stand for: places, roles and kinds (names have their own index)."""
        wanted = {Sense.COUNTRY, Sense.NETWORK, Sense.ROLE, Sense.KIND}
        texts: list[str] = []
        meanings: list[tuple[Meaning, ...]] = []
        for key in self._lexicon.keys():
            if (len(key) == 1) != single or len(key) > 3 or len(" ".join(key)) < MIN_FUZZY:
                continue
            found = tuple(m for m in self._lexicon.meanings(key) if m.sense in wanted)
            if found and not any(m.upper_only for m in found):
                texts.append(" ".join(key))
                meanings.append(found)
        return texts, meanings


class _Answer:
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
        return self._people_result(ids, ambiguous=len(ids) > 1)

    def _local_time(self) -> LookupResult:
        if self.q.people or self.q.names:
            return self._person_by_name()
        return self._people_filtered()

    def _people_filtered(self) -> LookupResult:
        """People matching every criterion given (role, country, network)."""
        q, facets = self.q, self.d._people_facets
        roles = None
        if q.role is not None:
            roles = [r for r in facets.values("role") if _holds(frozenset({str(r)}), q.role)]
        ids = facets.select(
            role=roles, country=q.countries or None, network=q.networks or None
        )
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
        return self._orgs_result(ids, ambiguous=False)

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


def _with_country_code(record: _Record) -> _Record:
    if record.country_code or not record.country:
        return record
    return replace(record, country_code=country_code(record.country))


def _name_key(name: str) -> Key:
    return tuple(word for word in phrase_key(name) if word not in TITLES)


def _organisation_keys(org: OrganisationRecord) -> set[Key]:
    """Acronym as written ("k sbsi"), run together ("ksbsi"), its first part ("mtc" of
    "MTC Bénin": all three are called MTC), and the full name."""
    keys = {phrase_key(org.name)}
    acronym = phrase_key(org.acronym or "")
    if acronym:
        keys |= {acronym, ("".join(acronym),)}
        if len(acronym) > 1 and len(acronym[0]) > 1:
            keys.add(acronym[:1])
    return keys


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


def _extend_unique(target: list[str], values: Iterable[object]) -> None:
    for value in values:
        if value not in target:
            target.append(str(value))
