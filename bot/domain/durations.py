"""Durations as operators and chairs write them: ``2d``, ``24h``, ``90m``, ``1h30m``.

``m`` always means minutes: nobody on the committee schedules reminders in months.
"""

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)\s*([dhm])")
_WHOLE = re.compile(r"^\s*(?:\d+\s*[dhm]\s*)+$")
_UNIT = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}


class DurationError(ValueError):
    """Raised for text that is not a duration such as ``24h``."""

    def __init__(self, text: str):
        super().__init__(f"not a duration like 2d, 24h or 90m: {text!r}")
        self.text = text


def parse_duration(text: str) -> timedelta:
    """Parse ``2d``, ``24h``, ``90m`` or combinations such as ``1h30m``; zero is refused."""
    lowered = str(text).strip().lower()
    if not _WHOLE.match(lowered):
        raise DurationError(text)
    try:
        total = sum((int(n) * _UNIT[unit] for n, unit in _PART.findall(lowered)), timedelta())
    except OverflowError:  # "99999999999d": beyond what timedelta holds
        raise DurationError(text) from None
    if total <= timedelta():
        raise DurationError(text)
    return total


def format_duration(value: timedelta) -> str:
    """The inverse of :func:`parse_duration`, in the largest whole units."""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
    return "".join(parts) or "0m"
