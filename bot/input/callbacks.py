"""The data of an inline button as Telegram hands it back: anyone can forge it, so it is read
as strictly as typed input (prefix, count of parts, numbers in range)."""

from datetime import UTC, datetime, timedelta

from bot.input.numbers import MAX_ID, parse_number

QUARTER_SECONDS = 900
SLOT_CHOICES = 5  # starts offered under one answer: five quarter-hours fit in a button's 64 bytes
START_HORIZON = timedelta(days=400)  # a start in a button lies at most this far ahead (slots: a year)


def callback_args(data: str | None, prefix: str, count: int) -> list[str] | None:
    """Split ``prefix:a:b`` into ``[a, b]``; None for anything forged or malformed."""
    if not data or len(data) > 64:
        return None
    parts = data.split(":")
    if parts[0] != prefix or len(parts) != count + 1:
        return None
    return parts[1:]


def callback_ints(data: str | None, prefix: str, count: int) -> list[int] | None:
    parts = callback_args(data, prefix, count)
    numbers = [parse_number(p, 0, MAX_ID) for p in parts] if parts is not None else None
    if numbers is None or None in numbers:
        return None
    return numbers  # type: ignore[return-value]


def quarter_of(moment: datetime) -> int:
    """A start as quarter-hours since the epoch (UTC minutes / 15): five fit in one button."""
    return int(moment.timestamp()) // QUARTER_SECONDS


def read_quarter(text: str, now: datetime, horizon: timedelta = START_HORIZON) -> datetime | None:
    """The start a button's quarter-hour stands for, if it is in the future and within ``horizon``."""
    latest = int((now + horizon).timestamp()) // QUARTER_SECONDS  # compared before any date is built
    quarter = parse_number(text, 0, latest)
    if quarter is None:
        return None
    moment = datetime.fromtimestamp(quarter * QUARTER_SECONDS, UTC)
    return moment if now < moment else None


def slot_selection(action: str, duration: int, mask: int, quarters: list[int]) -> str:
    """``slot:ACTION:MINUTES:MASK:Q1.Q2...``: starts chosen for an availability poll, as a button."""
    return f"slot:{action}:{duration}:{mask}:{'.'.join(map(str, quarters))}"
