"""What a conversation remembers between two updates: a guided dialogue half-way, and the
questions behind the page buttons of long answers.

Both live in the database, not in one process's memory: read and written in the update's own
transaction (a step that fails is rolled back with everything else and does not advance the
dialogue), seen by every instance behind one database, kept across a restart, and forgotten
after a lifetime (rows past ``expires_at`` count as absent and are purged by the upkeep).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Dialogue, SavedQuery
from storage.upsert import upsert

SAVED_QUERY_LIFETIME = timedelta(hours=24)


# --- guided dialogues, one per chat and person -----------------------------------------------


async def dialogue(session: AsyncSession, chat_id: int, user_id: int, kind: str,
                   now: datetime) -> dict[str, Any] | None:
    """The data of the ``kind`` dialogue this person has under way in this chat, else None."""
    row = await session.get(Dialogue, (chat_id, user_id), populate_existing=True)
    if row is None or row.kind != kind or row.expires_at <= now:
        return None
    return dict(row.data)


async def in_dialogue(session: AsyncSession, chat_id: int, user_id: int, now: datetime) -> str | None:
    """The kind of dialogue this person has under way in this chat, if any."""
    row = await session.get(Dialogue, (chat_id, user_id), populate_existing=True)
    return row.kind if row is not None and row.expires_at > now else None


async def keep_dialogue(session: AsyncSession, chat_id: int, user_id: int, kind: str,
                        data: dict[str, Any], now: datetime, lifetime: timedelta) -> None:
    """Start or advance the dialogue (replacing any other one of this person in this chat)."""
    await upsert(session, Dialogue, [{"chat_id": chat_id, "user_id": user_id, "kind": kind, "data": data,
                                      "expires_at": now + lifetime}],
                 key=("chat_id", "user_id"), update=("kind", "data", "expires_at"))


async def end_dialogue(session: AsyncSession, chat_id: int, user_id: int) -> None:
    await session.execute(delete(Dialogue).where(Dialogue.chat_id == chat_id, Dialogue.user_id == user_id))


# --- the questions behind page buttons ---------------------------------------------------------


@dataclass(frozen=True)
class Question:
    asker_id: int
    scope: str
    text: str


async def save_question(session: AsyncSession, asker_id: int, scope: str, text: str, now: datetime) -> str:
    """A short random token for the page buttons of this question."""
    token = secrets.token_urlsafe(6)
    session.add(SavedQuery(token=token, asker_id=asker_id, scope=scope, text=text,
                           expires_at=now + SAVED_QUERY_LIFETIME))
    return token


async def saved_question(session: AsyncSession, token: str, now: datetime) -> Question | None:
    row = await session.get(SavedQuery, token[:32])
    if row is None or row.expires_at <= now:
        return None
    return Question(row.asker_id, row.scope, row.text)


async def forget_expired(session: AsyncSession, now: datetime) -> None:
    """Purge dialogues and saved questions past their lifetime (the upkeep's job)."""
    await session.execute(delete(Dialogue).where(Dialogue.expires_at <= now))
    await session.execute(delete(SavedQuery).where(SavedQuery.expires_at <= now))
