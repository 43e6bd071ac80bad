"""Text normalisation shared by the index and the questions, so both sides compare alike.

Accents, case and punctuation carry no meaning for lookup ("Ángeles Carrión" == "angeles
carrion", "K-SBSI" == "k sbsi"), but whether a word was typed in capitals does: "AS" is an
acronym, "as" is an English word. Tokens therefore keep that one bit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O"})
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a question: its normalised form and whether it was typed in capitals."""

    norm: str
    upper: bool


def tokenize(text: str) -> list[Token]:
    """Split on anything that is not a letter or digit; apostrophes and hyphens split too."""
    return [
        Token(word.casefold(), len(word) > 1 and word.isupper())
        for word in _WORD.findall(_strip_accents(text))
    ]


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Canonical key of a text: folded words joined by single spaces."""
    return " ".join(token.norm for token in tokenize(text))


def words(text: str) -> tuple[str, ...]:
    """The normalised words of a text, as a phrase key."""
    return tuple(token.norm for token in tokenize(text))


def stem(word: str) -> str:
    """Drop a plural -s so "mutuelles" finds "Mutuelle" (applied to both index and query)."""
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
