"""``main.py outbox``: what the outbox still owes and what went wrong, for the operator.

    python main.py outbox [--state pending,claimed,failed,missed] [--kind meeting_reminder]
                          [--limit 200] [--json]

One line per row: id, kind, recipient (member id, or chat id for a group), due time (UTC),
state, attempts, last error. Never message text or names: the operator reads ids, the chair
reads ``/reminders status``. A count per state closes the table (on standard error with --json).
"""

import argparse
import json
import re
import sys
from typing import Any

from sqlalchemy import func, select

from bot.config import Settings
from storage.database import Database
from storage.models import OutboxMessage

NAME = "outbox"
HELP = "list pending, failed and missed outbox rows (no message text)"
STATES = ("pending", "claimed", "sent", "failed", "missed", "cancelled")
DEFAULT_STATES = "pending,claimed,failed,missed"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", default=DEFAULT_STATES,
                        help=f"comma-separated states among {', '.join(STATES)} (default {DEFAULT_STATES})")
    parser.add_argument("--kind", help="only this kind, e.g. meeting_reminder")
    parser.add_argument("--limit", default="200", help="at most this many rows (default 200)")
    parser.add_argument("--json", action="store_true", help="a JSON list on standard output")


def _states(text: str) -> list[str] | None:
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    return wanted if wanted and all(state in STATES for state in wanted) else None


def describe(row: OutboxMessage) -> dict[str, Any]:
    recipient = f"member:{row.recipient_id}" if row.recipient_id is not None else (
        f"chat:{row.chat_id}" if row.chat_id is not None else "-")
    return {"id": row.id, "kind": row.kind, "recipient": recipient,
            "due_at": row.due_at.strftime("%Y-%m-%dT%H:%M:%SZ"), "state": row.state,
            "attempts": row.attempts, "last_error": row.last_error or ""}


async def run(args: argparse.Namespace, settings: Settings) -> int:
    states = _states(args.state)
    if states is None:
        print(f"inspir-bot: --state must be among {', '.join(STATES)}, not {args.state!r}", file=sys.stderr)
        return 2
    if not re.fullmatch(r"\d{1,6}", str(args.limit)) or int(args.limit) < 1:
        print(f"inspir-bot: --limit must be a whole number from 1, not {args.limit!r}", file=sys.stderr)
        return 2
    database = Database(settings.database.url)
    try:
        async with database.transaction() as session:
            query = select(OutboxMessage).where(OutboxMessage.state.in_(states))
            counting = select(OutboxMessage.state, func.count()).where(OutboxMessage.state.in_(states))
            if args.kind:
                query = query.where(OutboxMessage.kind == args.kind)
                counting = counting.where(OutboxMessage.kind == args.kind)
            rows = [describe(row) for row in await session.scalars(
                query.order_by(OutboxMessage.due_at, OutboxMessage.id).limit(int(args.limit)))]
            counts = dict((await session.execute(counting.group_by(OutboxMessage.state))).tuples().all())
    finally:
        await database.dispose()
    summary = ", ".join(f"{state}: {counts.get(state, 0)}" for state in states)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        print(summary, file=sys.stderr)
        return 0
    header = ("id", "kind", "recipient", "due_at", "state", "attempts", "last_error")
    table = [header] + [tuple(str(row[key]) for key in header) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    for line in table:
        print("  ".join([cell.ljust(width) for cell, width in zip(line, widths)] + [line[-1]]).rstrip())
    print(summary)
    return 0
