"""Numbers as members type them: record ids (``12`` or ``#12``) and counts within bounds.

Only ASCII digits count: ``"²".isdigit()`` and ``"١٢".isdecimal()`` are true, but nobody means
a number by them, and ``int()`` would read some of them. Ids stop at the largest value a
PostgreSQL ``integer`` column holds, so no typed id can overflow a query.
"""

MAX_ID = 2**31 - 1


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
