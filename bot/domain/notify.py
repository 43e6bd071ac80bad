"""How much the bot sends a member who pays for every megabyte: the member's choice
(``/notify``) and what each message is about decide whether it leaves now, waits for their
daily digest, or is not sent.

Reminders the member asked for (``/reminders``), notices about their own account and what
their role asks them to act on always leave at once; so does anything about a meeting that
starts before their digest would reach them.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.names import fold

EVERYTHING, IMPORTANT, DIGEST = "all", "important", "digest"
MODES = (EVERYTHING, IMPORTANT, DIGEST)
DEFAULT_DIGEST_HOUR = 18

# What a message is about.
ALWAYS = "always"      # reminders they asked for, their account, their role's duties
MEETINGS = "meetings"  # announcements, agendas, minutes, scheduling polls
OWN = "own"            # their own action items and proposals
NUDGE = "nudge"        # reminders they did not ask for (an unanswered poll)

# Where a message goes.
NOW, LATER, NOT_SENT = "now", "digest", "not sent"

# Something about a meeting that starts before the digest plus this margin cannot wait for it.
URGENT_MARGIN = timedelta(hours=3)

_WORDS = {
    EVERYTHING: ("all", "everything", "every", "tout", "tous", "toutes", "todo", "todos", "todas"),
    IMPORTANT: ("important", "importants", "importante", "importantes", "essential", "essentiel",
                "essentiels", "esencial", "esenciales"),
    DIGEST: ("digest", "daily", "summary", "resume", "quotidien", "resumen", "diario", "diaria"),
}


_FILLERS = {"a", "at", "the", "only", "messages", "message", "les", "seulement", "uniquement", "las", "solo",
            "solamente", "mensajes", "mensaje"}


def read_mode(text: str) -> str | None:
    """``tout``, ``importants seulement``, ``résumé quotidien``... as a mode; None for anything
    else, and for a word it does not know (``pas important`` is not ``important``)."""
    words = fold(text[:80]).split()
    modes = {mode for word in words for mode, known in _WORDS.items() if word in known}
    unknown = [word for word in words if word not in _FILLERS and not any(word in known for known in _WORDS.values())]
    return modes.pop() if len(modes) == 1 and not unknown else None


def route(mode: str, topic: str, about_start: datetime | None, digest_at: datetime | None) -> str:
    """Where one message to a member in ``mode`` goes: :data:`NOW`, :data:`LATER` (their next
    digest, at ``digest_at``) or :data:`NOT_SENT`. ``about_start``: the meeting it is about."""
    if topic == ALWAYS or mode == EVERYTHING:
        return NOW
    if mode == IMPORTANT:
        return NOT_SENT if topic == NUDGE else NOW
    if topic == NUDGE:
        return NOT_SENT  # the digest already carries the poll it would remind of
    if digest_at is None or (about_start is not None and about_start < digest_at + URGENT_MARGIN):
        return NOW
    return LATER


def next_digest(now: datetime, zone: str, hour: int) -> datetime:
    """The next ``hour`` o'clock in ``zone`` after ``now``, in UTC. Where a change of clocks
    skips that hour, zoneinfo reads it with the offset before the jump: the instant just after
    the gap; where it repeats it, the first of the two."""
    tz = ZoneInfo(zone)
    day = now.astimezone(tz).date()
    for offset in range(3):
        moment = datetime.combine(day + timedelta(days=offset), time(hour), tz).astimezone(UTC)
        if moment > now:
            return moment
    raise AssertionError("every day has an hour o'clock")  # pragma: no cover


def files_on_request(mode: str) -> bool:
    """Minutes files and pictures only when asked for, except for members who chose everything."""
    return mode != EVERYTHING
