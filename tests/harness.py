"""Drive the real Application as committee members would, through the in-memory Bot API."""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.bootstrap import build_bot, prepared_services
from bot.config import load_settings
from bot.i18n.translation import I18n
from bot.domain.names import match_name
from bot.telegram.offline import GROUP_CHAT, OfflineBotApi, OfflineChat, Person, SentMessage
from bot.services import Services
from bot.services.importers import import_organisations, import_roster
from storage.models import Base, Committee, Member

DATA = Path(__file__).resolve().parent.parent / "data"
TELEGRAM_ID_BASE = 5000
_I18N = I18n()


@dataclass
class Clock:
    """An injectable clock: tests move time instead of sleeping."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class BotHarness:
    def __init__(self, services: Services, api: OfflineBotApi, chat: OfflineChat,
                 people: dict[str, Person]):
        self.services = services
        self.api = api
        self.chat = chat
        self.people = people
        self.clock: Clock = services.clock  # type: ignore[assignment]

    def person(self, name: str) -> Person:
        found = match_name(name, list(self.people), lambda n: n).found
        if found is None:
            raise KeyError(name)
        return self.people[found]

    @staticmethod
    def stranger(language_code: str = "en", user_id: int = 999_999, username: str | None = None) -> Person:
        return Person(user_id, "Stranger", username=username, language_code=language_code)

    async def send(self, who: str | Person, text: str, group: bool = False,
                   chat: dict[str, Any] | None = None) -> list[SentMessage]:
        person = self.person(who) if isinstance(who, str) else who
        return await self.chat.send(person, text, chat=GROUP_CHAT if group else chat)

    async def press(self, who: str | Person, message: SentMessage, data: str) -> list[SentMessage]:
        person = self.person(who) if isinstance(who, str) else who
        return await self.chat.press(person, message, data)

    async def start_meeting(self, who: str | Person, text: str = "/startmeeting",
                            group: bool = False) -> list[SentMessage]:
        """/startmeeting as the chair does it: when the bot asks first (the meeting is not planned
        for about now, as in most tests), tap "Open the record now"; what the chat then shows."""
        replies = await self.send(who, text, group=group)
        for message in replies:
            for row in message.buttons:
                for button in row:
                    if str(button.get("callback_data", "")).startswith("open:ok:"):
                        return await self.press(who, message, button["callback_data"])
        return replies

    async def session(self) -> AsyncSession:
        return self.services.db._sessions()

    async def member(self, name: str) -> Member:
        async with self.services.db.reading() as session:
            members = list(await session.scalars(select(Member)))
            return match_name(name, members, lambda m: m.name).found  # type: ignore[return-value]

    async def dispatch(self) -> list[SentMessage]:
        """Let the outbox send whatever is due at ``clock`` time (reminders); what was sent."""
        return await dispatch(self)

    def texts(self, messages: list[SentMessage]) -> str:
        return "\n".join(m.text for m in messages)


def raw_message(message_id: int, sender: dict, text: str, chat: dict, **extra: Any) -> dict[str, Any]:
    """A message as Telegram sends it in an update, for the cases the harness's own helpers do
    not build (edited messages, anonymous admins, service messages)."""
    message = {"message_id": message_id, "date": int(time.time()), "from": sender, "chat": chat,
               "text": text, **extra}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return message


_DEMO_ROWS: dict[bool, list[tuple[Table, list[dict[str, Any]]]]] = {}


async def install_demo_committee(session: AsyncSession, postgresql: bool) -> None:
    """The demo roster and organisations, every member linked, the committee in its group.
    Imported once per database kind and run, then copied row for row into each test's
    database: the import was most of every handler test's set-up (0.3 s of 0.4 s)."""
    snapshot = _DEMO_ROWS.get(postgresql)
    if snapshot is None:
        await import_roster(session, DATA / "demo_roster.csv")
        await import_organisations(session, DATA / "organisations.csv")
        for member in await session.scalars(select(Member).order_by(Member.id)):
            member.telegram_id = TELEGRAM_ID_BASE + member.id
        committee = await session.scalar(select(Committee))
        committee.group_chat_id = GROUP_CHAT["id"]
        await session.flush()
        _DEMO_ROWS[postgresql] = [(table, [dict(row._mapping) for row in await session.execute(select(table))])
                                  for table in Base.metadata.sorted_tables]
        return
    for table, _ in reversed(snapshot):  # what the migrations seeded (the committee row) is in the copy
        await session.execute(delete(table))
    for table, rows in snapshot:
        if rows:
            await session.execute(insert(table), rows)
            if postgresql and "id" in table.c:  # the next row a test adds gets the next free id
                await session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                           f"(SELECT max(id) FROM \"{table.name}\"))"))


async def start_harness(db_url: str, now: datetime | None = None, **settings: Any) -> tuple[BotHarness, Any]:
    """The demo committee on ``db_url`` with every member linked to a Telegram id."""
    config = load_settings(None, database={"url": db_url}, **settings)
    clock = Clock(now or datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))
    services = await prepared_services(config, clock=clock)
    people: dict[str, Person] = {}
    async with services.db.transaction() as session:
        await install_demo_committee(session, services.db.is_postgresql)
    async with services.db.reading() as session:
        for member in await session.scalars(select(Member).order_by(Member.id)):
            people[member.name] = Person(member.telegram_id, member.name.split()[0],
                                         username=None, language_code=member.language)
    api = OfflineBotApi()
    application = build_bot(services, request=api)
    # The tests check what is said, not Telegram's pace: the rate limiter would sleep out, in
    # wall-clock time no test controls, a meeting announced to the 14 members (seconds each).
    application.bot._rate_limiter = None
    await application.initialize()
    return BotHarness(services, api, OfflineChat(application, api), people), application


async def dispatch(harness: BotHarness) -> list[SentMessage]:
    """Let the outbox send whatever is due at the harness clock's time; what was sent."""
    before = len(harness.api.messages)
    await harness.chat.application.bot_data["dispatcher"].run_once()
    return harness.api.messages[before:]
