"""The offline console: the real handlers in a terminal chat, no Telegram needed.

Lines are typed (or piped) as a roster member; ``/as <name>`` switches member,
``/group`` toggles between the private chat and the committee group, ``/press N``
taps the N-th button of the last message that had buttons.
"""

import asyncio
import html
import re
import sys
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, select

from bot.services import members
from bot.telegram.application import build_application
from bot.bootstrap import prepared_services
from bot.telegram.offline import GROUP_CHAT, OfflineBotApi, OfflineChat, Person, SentMessage
from bot.services import Services
from bot.config import Settings
from bot.services.importers import import_organisations, import_roster
from storage.models import Member, Organisation

DATA = Path(__file__).resolve().parents[2] / "data"
CONSOLE_ID_BASE = 7_000_000_000
HELP = ("Console: type as a committee member. /as <name> switches member, /group toggles the "
        "committee group, /press N taps button N, /quit leaves.")


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
    def __init__(self, services: Services, out: TextIO):
        self.services = services
        self.out = out
        self.api = OfflineBotApi()
        self.application = build_application(services, request=self.api)
        self.chat = OfflineChat(self.application, self.api)
        self.person: Person | None = None
        self.in_group = False
        self.last_buttons: SentMessage | None = None

    async def become(self, name: str) -> None:
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
            self.say(f"You are now {member.name}.")

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def show(self, sent: list[SentMessage]) -> None:
        for message in sent:
            where = self._where(message.chat_id)
            body = plain(message.text)
            if message.document:
                body = f"{body}\n(file: {message.document[0]}, {len(message.document[1])} bytes)".strip()
            self.say(f"{where}{body}")
            if message.buttons:
                labels = [button["text"] for row in message.buttons for button in row]
                self.say("  " + "  ".join(f"[{i}] {label}" for i, label in enumerate(labels, 1)))
                self.last_buttons = message
        self.say("")

    def _where(self, chat_id: int) -> str:
        """A prefix for messages that land somewhere else than where the person is typing."""
        here = GROUP_CHAT["id"] if self.in_group else (self.person.telegram_id if self.person else 0)
        if chat_id == here:
            return ""
        if chat_id == GROUP_CHAT["id"]:
            return "[group] "
        if self.person and chat_id == self.person.telegram_id:
            return "[private] "
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
        if self.person is None:
            self.say("Choose who you are first: /as <name>")
            return True
        if command == "/press":
            await self.press(rest)
            return True
        chat = GROUP_CHAT if self.in_group else None
        self.show(await self.chat.send(self.person, line, chat=chat))
        return True

    async def press(self, number: str) -> None:
        message = self.last_buttons
        buttons = [b for row in message.buttons for b in row] if message else []
        if not number.isdigit() or not 1 <= int(number) <= len(buttons):
            self.say("No such button.")
            return
        assert message is not None and self.person is not None
        self.show(await self.chat.press(self.person, message, buttons[int(number) - 1]["callback_data"]))


async def run_console(settings: Settings, as_name: str | None, source: TextIO = sys.stdin,
                      out: TextIO = sys.stdout) -> None:
    services = await prepared_services(settings)
    await load_demo_data(services)
    console = Console(services, out)
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
