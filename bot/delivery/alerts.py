"""The operator hears of failures without reading the log: every error logged (a handler that
failed, a row the outbox could not send, a missed heartbeat) is counted by its kind, the log
line's template, which by the logging rules carries no message text and no personal data, and
the configured operator chat gets one message per kind per hour, through the outbox (so
instances agree: the hour's row for a kind is one row, whoever saw the failure)."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from datetime import datetime

from bot.i18n.translation import N_
from bot.services import Services
from storage.outbox import MESSAGE, enqueue

ALERT = N_("⚠️ inspir-bot, for its operator: “{kind}” happened {count} time(s) this hour "
           "(from {since} UTC). The bot's log has the details; this message carries no personal data.")
KIND_LENGTH = 160


class FailureCounter(logging.Handler):
    """Counts ERROR records by logger and template; :func:`report_failures` turns them into
    the hour's messages. Cheap and synchronous: logging happens anywhere."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.counts: Counter[str] = Counter()  # this hour's, by kind
        self.reported: Counter[str] = Counter()  # the counts at the last report
        self.hour: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[f"{record.name}: {record.msg}"[:KIND_LENGTH]] += 1


async def report_failures(services: Services, counter: FailureCounter, chat_id: int, now: datetime) -> int:
    """Owe the operator the hour's message of each kind seen (its count kept up to date while it
    waits; once sent, the kind is quiet until the next hour). Returns the kinds reported."""
    hour = now.strftime("%Y-%m-%dT%H")
    if counter.hour != hour:
        if counter.hour is not None:  # a new hour: each kind may speak again, counting afresh
            counter.counts -= counter.reported
        counter.hour = hour
    counter.reported = Counter(counter.counts)
    if not counter.counts:
        return 0
    t = services.i18n.translator(services.settings.operator.language)
    async with services.db.transaction() as session:
        for kind, count in counter.counts.items():
            digest = hashlib.sha256(kind.encode()).hexdigest()[:16]
            text = t(ALERT, kind=kind, count=count, since=f"{hour[-2:]}:00")
            await enqueue(session, kind=MESSAGE, due_at=now, dedupe_key=f"alert:{digest}:{hour}", chat_id=chat_id,
                          payload={"text": str(text), "buttons": []})
    return len(counter.counts)
