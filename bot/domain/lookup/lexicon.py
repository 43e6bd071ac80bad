"""Phrase spotting: find every known name (country, network, role, person, acronym...) in a
question by longest match over normalised words, so "République démocratique du Congo" wins
over "Congo" and "MTC Bénin" over "MTC".

Dictionary look-ups only: spotting costs a few microseconds whatever the directory size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.lookup.normalize import Token, stem, words


class Sense(StrEnum):
    COUNTRY = "country"
    NETWORK = "network"
    ROLE = "role"
    KIND = "kind"
    CUE = "cue"
    PERSON = "person"
    ORGANISATION = "organisation"
    NOISE = "noise"


@dataclass(frozen=True, slots=True)
class Meaning:
    sense: Sense
    values: tuple[Hashable, ...]  # ISO codes, network names, role key, cue, or record ids
    upper_only: bool = False  # "AS" is an acronym, "as" is not


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    meanings: tuple[Meaning, ...]


Key = tuple[str, ...]


def phrase_key(text: str) -> Key:
    return tuple(stem(word) for word in words(text))


class Lexicon:
    """Filled with `add`, then `freeze` once before spotting."""

    def __init__(self) -> None:
        self._entries: dict[Key, dict[tuple[Sense, bool], set[Hashable]]] = defaultdict(dict)
        self._lengths: dict[str, set[int]] = defaultdict(set)
        self._frozen: dict[Key, tuple[Meaning, ...]] = {}
        self._lengths_sorted: dict[str, list[int]] = {}

    def add(self, key: Key, sense: Sense, values: Iterable[Hashable], upper_only: bool = False):
        """Meanings of one key accumulate: "csb" names two organisations."""
        if not key:
            return
        self._entries[key].setdefault((sense, upper_only), set()).update(values)
        self._lengths[key[0]].add(len(key))

    def meanings(self, key: Key) -> tuple[Meaning, ...]:
        return self._frozen.get(key, ())

    def keys(self) -> Iterable[Key]:
        return self._entries.keys()

    def freeze(self) -> None:
        """Sort values once so results are deterministic (ids and codes in a stable order)."""
        for key, by_sense in self._entries.items():
            self._frozen[key] = tuple(
                Meaning(sense, tuple(sorted(values, key=str)), upper_only)
                for (sense, upper_only), values in by_sense.items()
            )
        self._lengths_sorted = {
            first: sorted(lengths, reverse=True) for first, lengths in self._lengths.items()
        }

    def spot(self, tokens: list[Token]) -> tuple[list[Span], list[int]]:
        """Longest-match spans with their meanings, and positions of unrecognised words."""
        keys = [stem(token.norm) for token in tokens]
        spans: list[Span] = []
        leftover: list[int] = []
        i = 0
        while i < len(keys):
            for length in self._lengths_sorted.get(keys[i], ()):
                if i + length > len(keys):
                    continue
                all_upper = all(token.upper for token in tokens[i : i + length])
                meanings = tuple(
                    meaning
                    for meaning in self._frozen.get(tuple(keys[i : i + length]), ())
                    if all_upper or not meaning.upper_only
                )
                if meanings:
                    if any(meaning.sense is not Sense.NOISE for meaning in meanings):
                        spans.append(Span(i, i + length, meanings))
                    i += length
                    break
            else:
                leftover.append(i)
                i += 1
        return spans, leftover
