"""The offline console: the real handlers in a terminal chat, no Telegram needed, and a
simulated clock so reminders, digests and nudges can be seen.

Lines are typed (or piped) as a roster member; ``/as <name>`` switches member (``/as
stranger [fr|en|es]``: a Telegram user the roster does not know), ``/group`` toggles between
the private chat and the committee group, ``/press N`` taps the N-th button of the last
message with buttons in the chat where the speaker is (button toasts are printed),
``/whoami`` says who and where. ``/clock +24h`` (or +30m, +2d, or a date and time ``/clock
2026-12-03 14:55`` in the committee's zone) moves the simulated time forward and sends what
fell due on the way, in order, naming each recipient; ``/clock`` alone shows the time.
"""

import asyncio
import html
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.services import members
from bot.bootstrap import build_bot, prepared_services
from bot.domain.durations import DurationError, parse_duration
from bot.i18n.translation import now_utc
from bot.telegram.application import upkeep
from bot.telegram.offline import GROUP_CHAT, OfflineBotApi, OfflineChat, Person, SentMessage
from bot.services import Services
from bot.config import Settings
from bot.services.importers import import_organisations, import_roster
from bot.services.reminders import plan_digests
from storage.models import Member, Organisation, OutboxMessage

_INSTALLED_DATA = Path(__file__).resolve().parents[1] / "demo_data"  # bot/demo_data in the wheel
DATA = _INSTALLED_DATA if _INSTALLED_DATA.is_dir() else Path(__file__).resolve().parents[2] / "data"
CONSOLE_ID_BASE = 7_000_000_000
STRANGER_ID = 6_999_999_999
HELP = ("Console: type as a committee member. /as <name> switches member (/as stranger: someone "
        "the roster does not know), /group toggles the committee group, /press N taps button N, "
        "/clock +24h moves time on, /whoami, /quit leaves.")


class SimulatedClock:
    """The console's time: the real time at start, then moved only by /clock, forward only
    (rows already planned and sent would contradict a step back). Nothing runs in the
    background here, so a frozen clock is the honest one: a reminder due at 14:00 is sent at
    14:00 and reads "in 1 hour", not "in 59 minutes"."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or now_utc()

    def __call__(self) -> datetime:
        return self.now

    def move_to(self, moment: datetime) -> None:
        self.now = max(self.now, moment.astimezone(UTC))


def plain(text: str) -> str:
    """Telegram HTML as a terminal shows it."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


async def load_demo_data(services: Services) -> None:
    """The 2023 committee and the 167 organisations, on first start of an empty database."""
    async with services.db.transaction() as session:
        if not await session.scalar(select(func.count()).select_from(Member)):
            await import_roster(session, DATA / "demo_roster.csv")
        if not await session.scalar(select(func.count()).select_from(Organisation)):
            await import_organisations(session, DATA / "organisations.csv")
        committee = await members.committee(session)
        committee.group_chat_id = committee.group_chat_id or GROUP_CHAT["id"]


class Console:
    def __init__(self, services: Services, out: TextIO, clock: SimulatedClock | None = None):
        self.services = services
        self.out = out
        self.clock = clock
        self.api = OfflineBotApi()
        self.application = build_bot(services, request=self.api)
        self.chat = OfflineChat(self.application, self.api)
        self.person: Person | None = None
        self.name = ""
        self.in_group = False
        self.last_buttons: dict[int, SentMessage] = {}  # per chat: the last message with buttons
        self.names: dict[int, str] = {}

    async def become(self, name: str) -> None:
        words = name.split()
        if words and words[0].lower() == "stranger":
            language = words[1].lower() if len(words) > 1 else "en"
            self.person, self.name = Person(STRANGER_ID, "Stranger", language_code=language), "a stranger"
            self.say(f"You are now a stranger: a Telegram user ({language}) who is not on the roster.")
            return
        async with self.services.db.transaction() as session:
            match = await members.find_member(session, name)
            member = match.found
            if member is None:
                names = ", ".join(m.name for m in (match.candidates or match.suggestions)) or "none"
                self.say(f"No single member matches {name!r} (closest: {names}).")
                return
            member.telegram_id = member.telegram_id or CONSOLE_ID_BASE + member.id
            self.person = Person(member.telegram_id, member.name.split()[0],
                                 language_code=member.language)
            self.name = member.name
            self.say(f"You are now {member.name}.")

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def _learn_names(self) -> None:
        async with self.services.db.reading() as session:
            rows = await session.execute(select(Member.telegram_id, Member.name).where(Member.telegram_id.is_not(None)))
            self.names = {chat_id: name for chat_id, name in rows}

    async def show(self, sent: list[SentMessage]) -> None:
        await self._learn_names()
        for message in sent:
            where = self._where(message.chat_id)
            body = plain(message.text)
            if message.document:
                body = f"{body}\n(file: {message.document[0]}, {len(message.document[1])} bytes)".strip()
            self.say(f"{where}{body}")
            if message.buttons:
                labels = [button["text"] for row in message.buttons for button in row]
                self.say("  " + "  ".join(f"[{i}] {label}" for i, label in enumerate(labels, 1)))
                self.last_buttons[message.chat_id] = message
        self.say("")

    def _here(self) -> int:
        return GROUP_CHAT["id"] if self.in_group else (self.person.telegram_id if self.person else 0)

    def _where(self, chat_id: int) -> str:
        """A prefix for messages that land somewhere else than where the person is typing."""
        if chat_id == self._here():
            return ""
        if chat_id == GROUP_CHAT["id"]:
            return "[group] "
        if self.person and chat_id == self.person.telegram_id:
            return "[private] "
        if chat_id in self.names:
            return f"[to {self.names[chat_id]}] "
        return f"[to chat {chat_id}] "

    async def handle(self, line: str) -> bool:
        """Process one typed line; False when the console should stop."""
        line = line.strip()
        if not line:
            return True
        command, _, rest = line.partition(" ")
        if command in ("/quit", "/exit"):
            return False
        if command == "/as":
            await self.become(rest)
            return True
        if command == "/group":
            self.in_group = not self.in_group
            self.say("Now in the committee group." if self.in_group else "Now in the private chat.")
            return True
        if command == "/clock":
            await self.move_clock(rest.strip())
            return True
        if self.person is None:
            self.say("Choose who you are first: /as <name>")
            return True
        if command == "/whoami":
            self.say(f"You are {self.name}, in {'the committee group' if self.in_group else 'your private chat'}.")
            return True
        if command == "/press":
            await self.press(rest)
            return True
        chat = GROUP_CHAT if self.in_group else None
        await self.show(await self.chat.send(self.person, line, chat=chat))
        return True

    async def press(self, number: str) -> None:
        message = self.last_buttons.get(self._here())
        buttons = [b for row in message.buttons for b in row] if message else []
        if not number.isdigit() or not 1 <= int(number) <= len(buttons):
            self.say("No such button here." if buttons else "No message with buttons in this chat.")
            return
        assert message is not None and self.person is not None
        answered = len(self.api.callback_answers)
        sent = await self.chat.press(self.person, message, buttons[int(number) - 1]["callback_data"])
        for answer in self.api.callback_answers[answered:]:
            if answer.get("text"):
                self.say(f"(toast) {answer['text']}")
        await self.show(sent)

    def _now_line(self, now: datetime) -> str:
        zone = self.services.settings.committee.timezone
        local = now.astimezone(ZoneInfo(zone))
        return f"Simulated now: {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC, {local:%A %Y-%m-%d %H:%M} in {zone}."

    async def move_clock(self, typed: str) -> None:
        if self.clock is None:
            self.say("This console has no simulated clock.")
            return
        target = self._clock_target(typed)
        if target is None:
            return
        if target > self.clock():
            sent: list[SentMessage] = []
            while (due := await self._next_due(target)) is not None:
                self.clock.move_to(due)  # each row at its own time: a reminder is not missed by a jump
                sent += await self._run_due()
            self.clock.move_to(target)
            sent += await self._run_due()
            self.say(self._now_line(self.clock()))
            if sent:
                await self.show(sent)
            else:
                self.say("Nothing fell due.\n")
        else:
            self.say(self._now_line(self.clock()))

    def _clock_target(self, typed: str) -> datetime | None:
        assert self.clock is not None
        now = self.clock()
        if not typed:
            return now
        try:
            if typed.startswith("+"):
                return now + parse_duration(typed[1:])
            local = datetime.strptime(typed, "%Y-%m-%d %H:%M")
        except (DurationError, ValueError):
            self.say("Usage: /clock, /clock +24h (or +30m, +2d), /clock 2026-12-03 14:55")
            return None
        target = local.replace(tzinfo=ZoneInfo(self.services.settings.committee.timezone))
        if target < now:
            self.say("The simulated clock only moves forward. " + self._now_line(now))
            return None
        return target

    async def _next_due(self, target: datetime) -> datetime | None:
        async with self.services.db.reading() as session:
            due = await session.scalar(select(func.min(OutboxMessage.due_at)).where(
                OutboxMessage.state == "pending", OutboxMessage.due_at > self.clock(),
                OutboxMessage.due_at <= target))
        return due

    async def _run_due(self) -> list[SentMessage]:
        """What the JobQueue would do now: plan the digest, keep series, send what is due."""
        before = len(self.api.messages)
        settings = self.services.settings
        async with self.services.db.transaction() as session:
            await plan_digests(session, settings.reminders.digest_day, settings.reminders.digest_time,
                               settings.committee.timezone, self.services.clock())
        await upkeep(self.services)
        await self.application.bot_data["dispatcher"].run_once()
        return self.api.messages[before:]


async def run_console(settings: Settings, as_name: str | None, source: TextIO = sys.stdin,
                      out: TextIO = sys.stdout) -> None:
    clock = SimulatedClock()
    services = await prepared_services(settings, clock=clock)
    await load_demo_data(services)
    console = Console(services, out, clock)
    async with console.application:
        console.say(HELP)
        await console.become(as_name or "Bart Verstraeten")
        interactive = source.isatty()
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, _read_line, source, interactive)
            if line is None or not await console.handle(line):
                break
    await services.db.dispose()


def _read_line(source: TextIO, interactive: bool) -> str | None:
    if interactive:
        try:
            return input("> ")
        except EOFError:
            return None
    line = source.readline()
    return line if line else None
