"""The data of an inline button as Telegram hands it back: anyone can forge it, so it is read
as strictly as typed input (prefix, count of parts, numbers in range)."""

from bot.input.numbers import MAX_ID, parse_number


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
