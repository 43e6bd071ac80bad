"""The in-memory directory of people and organisations, and the questions it answers.

Everything that depends only on the roster is computed once in the constructor (normalised
keys, phrase lexicon, word indexes), so a question costs a tokenisation, a few dictionary
look-ups and, only for unknown words, a fuzzy match. Rebuild the Directory when the roster
changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from functools import cache
from typing import TypeVar

from babel import Locale
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.lookup.answer import Answer
from bot.domain.lookup.countries import LANGUAGES, country_aliases, country_code
from bot.domain.lookup.facets import FacetIndex
from bot.domain.lookup.intents import Question, Scope, choose_intent
from bot.domain.day_words import find_day_words
from bot.domain.lookup.conversion import ASKER_WORDS, Clock, Conversion, Mention, convert, find_clock
from bot.domain.lookup.lexicon import Key, Lexicon, Meaning, Sense, Span, phrase_key
from bot.domain.lookup.name_index import FUZZY_CUTOFF, MIN_FUZZY, NameIndex
from bot.domain.lookup.normalize import normalize, stem, tokenize
from bot.domain.lookup.places import City, cities, country_zones
from bot.domain.lookup.entries import OrganisationRecord, PersonRecord
from bot.domain.lookup.results import LookupResult
from bot.domain.lookup.vocabulary import (
    CLDR_REGION_NETWORKS,
    COORDINATOR,
    CUE_SYNONYMS,
    KIND_SYNONYMS,
    MULTI_NETWORK_SYNONYMS,
    NETWORK_SYNONYMS,
    ROLE_SYNONYMS,
    STOPWORDS,
    TITLES,
)

DEFAULT_LIMIT = 10
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
        self._member_zones = {p.timezone for p in self.people.values() if p.timezone}
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
        return Answer(self, question, limit).build(intent, scope)

    def conversion(self, text: str, asker_zone: str, committee_zone: str, now: datetime, *,
                   clock: Clock | None = None) -> Conversion | None:
        """The time conversion ``text`` asks for, None when it asks none (no time of day, or no
        place or person named); raises ConversionProblem when it cannot be answered as asked.
        ``clock``: the time of day already found in ``text``."""
        clock = clock or find_clock(text)
        if clock is None:
            return None
        mentions = self.mentions(text)
        if all(mention.asker for mention in mentions):
            return None
        return convert(clock, mentions, asker_zone, committee_zone, now, find_day_words(text))

    def mentions(self, text: str) -> list[Mention]:
        """The places and people named in ``text``, in the order typed, each with its zone
        (for converting a time between them); "me", "moi", "mi" name the asker."""
        tokens = tokenize(text)
        spans, _ = self._lexicon.spot(tokens)
        found = [mention for span in spans if (mention := self._mention(span)) is not None]
        named = {i for mention in found for i in range(mention.start, mention.end)}
        found += [Mention(i, i + 1, None, asker=True) for i, token in enumerate(tokens)
                  if token.norm in ASKER_WORDS and i not in named]
        return sorted(found, key=lambda mention: mention.start)

    def _mention(self, span: Span) -> Mention | None:
        for sense in (Sense.PERSON, Sense.CITY, Sense.COUNTRY):
            values = [value for meaning in span.meanings if meaning.sense is sense for value in meaning.values]
            if not values:
                continue
            if sense is Sense.PERSON:
                zones = {self.people[pid].timezone for pid in values if pid in self.people}
                zone = zones.pop() if len(zones) == 1 else None
                return Mention(span.start, span.end, zone, values[0] if len(set(values)) == 1 else None)
            if sense is Sense.CITY:
                return Mention(span.start, span.end, values[0].zone)  # type: ignore[union-attr]
            zones = {zone for code in values for zone in country_zones(str(code))}
            return Mention(span.start, span.end, zones.pop() if len(zones) == 1 else None)
        return None

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
        person_edges = {
            edge
            for span in spans
            if any(meaning.sense is Sense.PERSON for meaning in span.meanings)
            for edge in (span.start - 1, span.end)
        }
        question.beside_people = [tokens[i].norm for i in leftover if i in person_edges]
        return question

    def _apply(self, question: Question, meaning: Meaning, span_words: list[str]) -> None:
        values = meaning.values
        match meaning.sense:
            case Sense.COUNTRY:
                known = [code for code in values if code in self._known_countries]
                _extend_unique(question.countries, known or values[:1])
            case Sense.CITY:
                for city in values:
                    assert isinstance(city, City)
                    _extend_unique(question.countries, [city.country])
                    if city.zone:
                        _extend_unique(question.zones, [city.zone])
                    else:
                        question.zoneless_city = True
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
            text = " ".join(stem(word) for word in words[start : start + size])  # as keys are
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
        taken = set(lexicon.keys())  # "Guatemala" the country, a person, an acronym
        for name, city in cities(self._known_countries - {None}, self._member_zones).items():
            key = phrase_key(name)
            if key not in taken:
                lexicon.add(key, Sense.CITY, (city,))
        lexicon.freeze()
        return lexicon

    def _fuzzy_places(self, single: bool) -> tuple[list[str], list[tuple[Meaning, ...]]]:
        """Keys a typo may stand for: places, roles and kinds (names have their own index)."""
        wanted = {Sense.COUNTRY, Sense.CITY, Sense.NETWORK, Sense.ROLE, Sense.KIND}
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


def _extend_unique(target: list[str], values: Iterable[object]) -> None:
    for value in values:
        if value not in target:
            target.append(str(value))
