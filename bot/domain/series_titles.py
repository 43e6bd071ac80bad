"""Each copy of a series gets its own month in its title: "Comité – décembre 2026" repeated in
January is "Comité – janvier 2027", not a second December. Month names are read in the
committee's three languages, keeping the capitalisation the chair typed."""

import re
from datetime import date
from functools import cache

from babel.dates import get_month_names

LANGUAGES = ("fr", "en", "es")


@cache
def _month_names() -> dict[str, dict[int, str]]:
    return {lang: dict(get_month_names("wide", locale=lang)) for lang in LANGUAGES}


def _like(model: str, word: str) -> str:
    return word.capitalize() if model[:1].isupper() else word


def retitle(title: str, first: date, occurrence: date) -> str:
    """``title`` (written for the series' ``first`` date) for the ``occurrence`` date: the first
    date's month name (in any of the three languages) and year become the occurrence's."""
    if (first.year, first.month) == (occurrence.year, occurrence.month):
        return title
    result = title
    for lang, names in _month_names().items():
        pattern = re.compile(rf"\b{re.escape(names[first.month])}\b", re.IGNORECASE)
        if pattern.search(result):
            result = pattern.sub(lambda found: _like(found.group(0), names[occurrence.month]), result)
            break
    if first.year != occurrence.year:
        result = re.sub(rf"\b{first.year}\b", str(occurrence.year), result)
    return re.sub(rf"\b{first.year}-{first.month:02d}\b", f"{occurrence.year}-{occurrence.month:02d}", result)
