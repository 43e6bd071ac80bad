"""Questions that convert a time of day between places or people: "si son las 14:00 en Lima,
¿qué hora es en Yakarta?", "14h à Bruxelles, c'est quelle heure pour Samy ?", "what is 9 am in
Brussels for me?". The committee lives from UTC-6 to UTC+7: this is the question it asks most.

Reading: a clock time ("14:00", "14h30", "14 h", "2 pm", "2:30 p.m.") and the places and people
named, in the order typed. The time belongs to the mention nearest to it (after it on a tie);
the others, plus the asker, are where it is converted to. The day is the one typed ("demain",
"el viernes", "on 20/12"), counted where the time belongs, else today there (its DST with it).
Results are facts; the caller phrases them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.domain.day_words import read_day
from bot.domain.lookup.normalize import tokenize

_AM_PM = re.compile(r"(?<![\d:.])(\d{1,2})(?:[:.h](\d{2}))?\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)
_HOURS_MINUTES = re.compile(r"(?<![\d:.])(\d{1,2})\s*(?::|h\s*)(\d{2})(?!\d)", re.IGNORECASE)
_HOURS = re.compile(r"(?<![\d:.])(\d{1,2})\s*h(?:rs?|s)?(?![a-z\d])", re.IGNORECASE)

ASKER_WORDS = frozenset({"me", "moi", "my", "mon", "ma", "mi", "mine", "mio", "mia"})


@dataclass(frozen=True, slots=True)
class Clock:
    """A time of day typed in a question; ``valid`` False for "25:00" or "13 pm"."""

    hour: int
    minute: int
    valid: bool
    token: int  # index of its first word among the question's tokens
    tokens: int  # how many tokens it spans


def find_clock(text: str) -> Clock | None:
    """The first time of day in ``text``, in any of the forms people type; None if none."""
    for pattern in (_AM_PM, _HOURS_MINUTES, _HOURS):
        match = pattern.search(text)
        if match is None:
            continue
        groups = match.groups()
        hour, minute = int(groups[0]), int(groups[1] or 0) if len(groups) > 1 else 0
        valid = minute < 60
        if pattern is _AM_PM:
            valid = valid and 1 <= hour <= 12
            hour = hour % 12 + (12 if match.group(3).lower() == "p" else 0)
        else:
            valid = valid and hour < 24
        return Clock(hour if valid else 0, minute if valid else 0, valid,
                     token=len(tokenize(text[:match.start()])), tokens=len(tokenize(match.group(0))))
    return None


@dataclass(frozen=True, slots=True)
class Mention:
    """A place or a person named in the question, where it stands among the tokens."""

    start: int
    end: int
    zone: str | None  # None: a country with several zones ("Indonesia"), or a city with none
    person_id: int | None = None
    asker: bool = False


@dataclass(frozen=True, slots=True)
class Conversion:
    """The time typed, where it belongs, and the same moment everywhere else asked about."""

    moment: datetime  # aware, in the source's zone
    source: Mention
    targets: tuple[Mention, ...]


class ConversionProblem(Exception):
    """The question converts a time but cannot be answered as asked."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


INVALID_TIME = "invalid_time"  # "25:00"
PLACE_WITHOUT_ZONE = "place_without_zone"  # "14:00 in Indonesia": which of its three zones?
NOTHING_ELSE = "nothing_else"  # "14:00 in Brussels?" asked in Brussels: nothing to convert to


def _distance(mention: Mention, clock: Clock) -> tuple[int, int, int]:
    """How far a mention stands from the time typed; "me" before the time ("tell me, 14:00 in
    Lima...") is no owner of it, "for me" after it ("14:00 for me") is."""
    after = mention.start >= clock.token + clock.tokens
    gap = mention.start - (clock.token + clock.tokens) if after else clock.token - mention.end
    return int(mention.asker and not after), gap, 0 if after else 1


def convert(clock: Clock, mentions: list[Mention], asker_zone: str, committee_zone: str,
            now: datetime, day_words: str | None = None) -> Conversion:
    """The conversion asked; raises :class:`ConversionProblem` when it cannot be answered.
    The asker's own time is always among the targets (unless the time is already theirs);
    a question naming only its own place converts to the committee's time."""
    if not clock.valid:
        raise ConversionProblem(INVALID_TIME)
    if any(mention.zone is None for mention in mentions if not mention.asker):
        raise ConversionProblem(PLACE_WITHOUT_ZONE)
    mentions = [replace(m, zone=asker_zone) if m.asker else m for m in mentions]
    source = min(mentions, key=lambda mention: _distance(mention, clock))
    assert source.zone is not None
    zone = ZoneInfo(source.zone)
    today = now.astimezone(zone).date()
    day = (read_day(day_words, today) if day_words else None) or today
    moment = datetime.combine(day, time(clock.hour, clock.minute), zone)
    targets: list[Mention] = []
    seen = {(source.zone, source.person_id, source.asker)}
    asker = Mention(-1, -1, asker_zone, asker=True)
    committee = Mention(-1, -1, committee_zone)
    for mention in [*(m for m in mentions if not m.asker), asker, committee]:  # the asker last
        if mention is committee and targets:
            break
        key = (mention.zone, mention.person_id, mention.asker)
        same_place = mention.person_id is None and mention.zone == source.zone
        if key in seen or same_place or (mention.asker and any(t.asker for t in targets)):
            continue
        seen.add(key)
        targets.append(mention)
    if not targets:
        raise ConversionProblem(NOTHING_ELSE)
    return Conversion(moment, source, tuple(targets))
