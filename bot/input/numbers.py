"""Numbers as members type them: record ids (``12`` or ``#12``), counts within bounds, and an
hour of the day (``7``, ``07:00``, ``19h``, ``7 pm``).

Only ASCII digits count: ``"²".isdigit()`` and ``"١٢".isdecimal()`` are true, but nobody means
a number by them, and ``int()`` would read some of them. Ids stop at the largest value a
PostgreSQL ``integer`` column holds, so no typed id can overflow a query.
"""

import re

MAX_ID = 2**31 - 1
_HOUR = re.compile(r"(\d{1,2})\s*(?:(?:h|:)\s*(?:00)?|(am|pm))?", re.IGNORECASE)


def parse_number(text: str | None, low: int, high: int) -> int | None:
    """``text`` (surrounding spaces allowed) as an integer within ``[low, high]``; else None."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 20:
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_id(text: str | None) -> int | None:
    """``12`` or ``#12`` (one ``#`` at most) as a record id; None for anything else."""
    return parse_number((text or "").strip().removeprefix("#"), 1, MAX_ID)


def parse_hour(text: str | None) -> int | None:
    """A whole hour of the day, 0 to 23: ``7``, ``07:00``, ``19h``, ``19 h 00``, ``7 pm``."""
    found = _HOUR.fullmatch((text or "").strip()[:12])
    if found is None or not found.group(1).isascii():
        return None
    hour, half = int(found.group(1)), (found.group(2) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    return hour if 0 <= hour <= 23 else None
