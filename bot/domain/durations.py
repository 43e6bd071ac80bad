"""Durations as members write them, one grammar for a meeting's length and a reminder's lead
time: ``2d``, ``24h``, ``90m`` (or ``min``, ``mn``), ``1h30m``, ``1h30``, parts in that order.

``m`` always means minutes: nobody on the committee schedules reminders in months. A bare
number is minutes only where the reader expects minutes (a meeting's length); a reminder's
``24`` could mean hours, so there it is refused rather than guessed.
"""

import re
from datetime import timedelta

_DURATION = re.compile(
    r"(?:(?P<days>\d+)\s*d)?\s*(?:(?P<hours>\d+)\s*h)?\s*(?:(?P<minutes>\d+)\s*(?P<unit>m|min|mn)?)?",
    re.IGNORECASE | re.ASCII,  # ASCII digits: int() would read "٩٠" as 90
)


class DurationError(ValueError):
    """Raised for text that is not a duration such as ``24h``."""

    def __init__(self, text: str):
        super().__init__(f"not a duration like 2d, 24h or 90m: {text!r}")
        self.text = text


class DurationOverflow(DurationError):
    """Written as a duration, but longer than any calendar holds."""


def read_duration(text: str, *, bare_minutes: bool = False) -> timedelta:
    """The duration ``text`` writes, zero included; :class:`DurationError` if it writes none."""
    match = _DURATION.fullmatch(str(text).strip())
    if match is None or not any(match.group("days", "hours", "minutes")):
        raise DurationError(text)
    days, hours, minutes = (int(part or 0) for part in match.group("days", "hours", "minutes"))
    only_a_number = match.group("minutes") and not (match.group("unit") or match.group("days")
                                                     or match.group("hours"))
    if only_a_number and not bare_minutes:
        raise DurationError(text)
    try:
        return timedelta(days=days, hours=hours, minutes=minutes)
    except OverflowError:  # "99999999999d": beyond what timedelta holds
        raise DurationOverflow(text) from None


def parse_duration(text: str) -> timedelta:
    """A reminder's lead time or a configured delay: units required, zero refused."""
    total = read_duration(text)
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
