"""What reminders say about time: how long until something, and that one is late."""

from datetime import datetime, timedelta

from bot.i18n.translation import Safe, Translator
from storage.models import OutboxMessage

LATE_AFTER = timedelta(minutes=5)


def late_lines(t: Translator, row_or_due: OutboxMessage | datetime, now: datetime) -> list[str]:
    """A line saying the reminder is late, when it leaves more than :data:`LATE_AFTER` after its time."""
    due = row_or_due if isinstance(row_or_due, datetime) else row_or_due.due_at
    if now - due > LATE_AFTER:
        return [t("<i>This reminder is late: the bot could not send it on time.</i>")]
    return []


def until_text(t: Translator, delta: timedelta) -> Safe:
    """``2 days``, ``3 hours 20 minutes``, ``45 minutes``: how long until something."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days >= 2 or (days and not hours):
        return t.plural("{n} day", "{n} days", days)
    hours += days * 24
    if hours and minutes:
        return Safe(f"{t.plural('{n} hour', '{n} hours', hours)} {t.plural('{n} minute', '{n} minutes', minutes)}")
    if hours:
        return t.plural("{n} hour", "{n} hours", hours)
    return t.plural("{n} minute", "{n} minutes", minutes)
