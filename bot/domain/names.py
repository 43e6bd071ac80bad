"""Matching the names people type against the roster: accents, case and typos forgiven."""

import unicodedata
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

T = TypeVar("T")


def fold(text: str) -> str:
    """``Ángeles  Carrión!`` → ``angeles carrion``: what two spellings of a name share."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().split())


@dataclass
class NameMatch(Generic[T]):
    """One item when the name is clear; several candidates when ambiguous; else suggestions."""

    found: T | None = None
    candidates: list[T] = field(default_factory=list)
    suggestions: list[T] = field(default_factory=list)


def match_name(query: str, items: list[T], name_of, limit: int = 5) -> NameMatch[T]:  # type: ignore[no-untyped-def]
    """Exact (folded) name, else the unique name containing every typed word, else fuzzy."""
    wanted = fold(query)
    if not wanted:
        return NameMatch()
    folded = [(fold(name_of(item)), item) for item in items]
    exact = [item for name, item in folded if name == wanted]
    if len(exact) == 1:
        return NameMatch(found=exact[0])
    words = wanted.split()
    containing = [item for name, item in folded if all(w in name.split() or w in name for w in words)]
    if len(containing) == 1:
        return NameMatch(found=containing[0])
    if containing:
        return NameMatch(candidates=containing[:limit])
    scored = process.extract(wanted, [name for name, _ in folded], scorer=fuzz.WRatio, limit=limit)
    close = [folded[index][1] for _name, score, index in scored if score >= 85]
    if len(close) == 1:
        return NameMatch(found=close[0])
    if close:
        return NameMatch(candidates=close)
    return NameMatch(suggestions=[folded[index][1] for _name, score, index in scored if score >= 50][:3])
