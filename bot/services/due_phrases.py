"""One reading of "due <day>" in French, English and Spanish, for every command taking one.

``split_due("informe para el viernes", today)`` gives ``("informe", <Friday>)``: the phrase
and its day leave the text. The day is a date or words (``bot.domain.day_words``: "vendredi
prochain", "20 de diciembre", "end of the month", "in two weeks"). A phrase followed by what
begins like a day but names none ("avant le 31/02", "due 2026-13-01", "by next week") raises
:class:`MalformedDue`, so the caller asks instead of keeping the date as text. A phrase
followed by other words ("send it by post", "pour Bruxelles", "due to the rain") is text.
"""

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.day_words import looks_like_day, read_day
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
# Words that only ever announce a date: one word after them must be a day; after the others
# ("by", "pour", "para"...) only what begins like a day (a digit, a month, "next"...) must be.
DATE_WORDS = ("due", "deadline", "echeance", "date limite", "vence", "fecha limite", "plazo")
# Words that begin a span of time ("in two weeks", "dans 3 jours", "en dos semanas"): a due day
# only when the whole rest reads as one ("en español" stays text).
AHEAD = frozenset(("in", "within", "dans", "d ici", "en", "dentro", "de aqui"))
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


def _day(typed: str, today: date) -> date | None:
    return parse_date(typed) or read_day(typed, today)


def _phrase_then_date(text: str, spans: list[tuple[int, int]], index: int, today: date) -> date | None:
    """The day after a due phrase starting at word ``index`` and running to the end of
    ``text``; None when there is no phrase there or what follows is ordinary words."""
    rest = text[spans[index][0]:].strip().rstrip(_CLOSING)
    if fold(rest).startswith(tuple(f"{word} " for word in AHEAD)) and (day := read_day(rest, today)):
        return day
    for size in range(min(_LONGEST, len(spans) - index - 1), 0, -1):
        phrase = fold(text[spans[index][0]:spans[index + size - 1][1]])
        if phrase not in _FOLDED:
            continue
        tail = text[spans[index + size][0]:].strip().rstrip(_CLOSING)
        day = _day(tail, today)
        if day is not None:
            return day
        one_word_after_date_word = phrase.startswith(DATE_WORDS) and len(spans) == index + size + 1
        if _DATE_LIKE.fullmatch(tail) or looks_like_day(tail) or one_word_after_date_word:
            raise MalformedDue(tail)
    return None


def split_due(text: str, today: date) -> Due:
    """``text`` without its trailing due phrase, and the day (None when there is none);
    words like "tomorrow" count from ``today``, the writer's local date."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    for index in range(len(spans)):
        day = _phrase_then_date(text, spans, index, today)
        if day is not None:
            return Due(text[:spans[index][0]].rstrip(" ,;:-–"), day)
    return Due(text, None)


def read_due_date(text: str, today: date) -> date:
    """A day given alone or after a due phrase (``2026-12-20``, ``vendredi``, ``para el 20/12``)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    day = _day(text.strip().rstrip(_CLOSING), today) or (
        _phrase_then_date(text, spans, 0, today) if spans else None)
    if day is None:
        raise MalformedDue(text.strip())
    return day
