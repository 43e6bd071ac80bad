"""One reading of "due <date>" in French, English and Spanish, for every command taking one.

``split_due("informe para el 2026-12-20")`` gives ``("informe", date(2026, 12, 20))``: the
phrase and its date leave the text. A phrase followed by something starting with a digit that
is not a ``YYYY-MM-DD`` date ("avant le 20/12", "due 2026-13-01", "by 2026-12-20 noon") raises
:class:`MalformedDue`, so the caller asks instead of keeping the date as text. A phrase
followed by words ("send it by post", "pour Bruxelles") is ordinary text.
"""

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.names import fold
from bot.services.records import parse_date

# Folded (accents, case and punctuation removed by bot.domain.names.fold), longest first at matching.
PHRASES = (
    # English
    "due", "due on", "due by", "by", "before", "deadline", "no later than",
    # French
    "echeance", "echeance le", "echeance au", "pour", "pour le", "avant le", "avant", "d ici le", "d ici au",
    "au plus tard le", "date limite", "date limite le", "a rendre le",
    # Spanish
    "para", "para el", "antes del", "antes de", "antes", "vence", "vence el", "fecha limite",
    "fecha limite el", "plazo", "plazo el", "plazo hasta el", "hasta el", "a mas tardar el",
)
# Words that only ever announce a date: one word after them must be a date ("due tomorrow" is
# asked about); after the others ("by", "pour", "para"...) only what starts with a digit is.
DATE_WORDS = ("due", "deadline", "echeance", "date limite", "vence", "fecha limite", "plazo")
_FOLDED = frozenset(fold(p) for p in PHRASES)
_LONGEST = max(p.count(" ") for p in _FOLDED) + 1
_DATE_LIKE = re.compile(r"\d\S*(?:\s+\S+){0,3}")
_CLOSING = " .;,:)"


class MalformedDue(ValueError):
    """A due phrase followed by something that looks like a date but is not one."""

    def __init__(self, typed: str):
        super().__init__(typed)
        self.typed = typed


@dataclass(frozen=True)
class Due:
    text: str
    day: date | None


def _phrase_then_date(text: str, spans: list[tuple[int, int]], index: int) -> date | None:
    """The date after a due phrase starting at word ``index`` and running to the end of
    ``text``; None when there is no phrase there or what follows is ordinary words."""
    for size in range(min(_LONGEST, len(spans) - index - 1), 0, -1):
        phrase = fold(text[spans[index][0]:spans[index + size - 1][1]])
        if phrase not in _FOLDED:
            continue
        tail = text[spans[index + size][0]:].strip().rstrip(_CLOSING)
        one_word_after_date_word = phrase.startswith(DATE_WORDS) and len(spans) == index + size + 1
        if not (_DATE_LIKE.fullmatch(tail) or one_word_after_date_word):
            continue
        day = parse_date(tail)
        if day is None:
            raise MalformedDue(tail)
        return day
    return None


def split_due(text: str) -> Due:
    """``text`` without its trailing due phrase, and the date (None when there is none)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    for index in range(len(spans)):
        day = _phrase_then_date(text, spans, index)
        if day is not None:
            return Due(text[:spans[index][0]].rstrip(" ,;:-–"), day)
    return Due(text, None)


def read_due_date(text: str) -> date:
    """A date given alone or after a due phrase (``2026-12-20``, ``para el 2026-12-20``)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    day = parse_date(text.strip().rstrip(_CLOSING)) or (_phrase_then_date(text, spans, 0) if spans else None)
    if day is None:
        raise MalformedDue(text.strip())
    return day
