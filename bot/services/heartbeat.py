"""The running bot's heartbeat, and how ``main.py health --running`` judges it. A bot whose
event loop, outbox dispatcher or updater is stuck still passes a database check and a getMe;
it does not pass this one."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Heartbeat, OutboxMessage
from storage.upsert import upsert

KEPT = timedelta(days=1)  # the beats of an instance gone that long are dropped


def instance_name() -> str:
    """Unique among the instances running now: host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


async def beat(session: AsyncSession, instance: str, started_at: datetime, now: datetime,
               dispatched_at: datetime | None, receiving: bool) -> None:
    await upsert(session, Heartbeat, [{"instance": instance, "started_at": started_at, "beat_at": now,
                                       "dispatched_at": dispatched_at, "receiving": receiving}],
                 key=("instance",), update=("beat_at", "dispatched_at", "receiving"))
    await session.execute(delete(Heartbeat).where(Heartbeat.beat_at < now - KEPT))


def _age(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    return f"{seconds} s" if seconds < 120 else f"{seconds // 60} min"


@dataclass(frozen=True)
class Judgement:
    problems: list[str]
    detail: str


async def judge(session: AsyncSession, now: datetime, stale: timedelta, lag: timedelta) -> Judgement:
    """Problems for the operator (empty: healthy): no instance beating within ``stale``, none
    whose dispatcher finished a run or whose updater receives, outbox rows overdue by ``lag``."""
    beats = list(await session.scalars(select(Heartbeat).order_by(Heartbeat.beat_at.desc())))
    alive = [row for row in beats if now - row.beat_at <= stale]
    problems = []
    if not beats:
        problems.append("no running bot has recorded a heartbeat (is it started?)")
    elif not alive:
        problems.append(f"no heartbeat for {_age(now - beats[0].beat_at)}: the bot is stopped or hung")
    else:
        if not any(row.dispatched_at and now - row.dispatched_at <= stale for row in alive):
            last = max((row.dispatched_at for row in alive if row.dispatched_at), default=None)
            since = f"for {_age(now - last)}" if last else "since it started"
            problems.append(f"the outbox dispatcher has not finished a run {since}")
        if not any(row.receiving for row in alive):
            problems.append("the bot is not receiving updates from Telegram (its updater stopped)")
    overdue = (OutboxMessage.state.in_(("pending", "claimed")), OutboxMessage.due_at <= now - lag)
    count, oldest = (await session.execute(select(func.count(), func.min(OutboxMessage.due_at))
                                           .where(*overdue))).one()
    if count:
        problems.append(f"outbox: {count} message(s) overdue, the oldest by {_age(now - oldest)}")
    detail = (f"{len(alive)} instance(s), last heartbeat {_age(now - beats[0].beat_at)} ago, outbox up to date"
              if alive else "")
    return Judgement(problems, detail)
