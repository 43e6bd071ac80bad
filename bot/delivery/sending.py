"""Putting a message on Telegram: HTML, split under the 4,096-character limit, buttons."""

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode

from storage.models import Member

MAX_MESSAGE = 4096
Buttons = list[list[tuple[str, str]]]


@dataclass
class Outgoing:
    chat_id: int
    text: str
    buttons: Buttons | None = None
    document: tuple[str, bytes] | None = None
    private_for: Member | None = None
    edit_message_id: int | None = None
    thread_id: int | None = None  # the forum topic of the group to post in (None: General)


def _keyboard(buttons: Buttons | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                                  for label, data in row] for row in buttons])


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split at line ends so no part exceeds Telegram's limit. A line longer than the limit is
    cut between characters of its text, never inside an entity (``&amp;``) or a tag; the
    tags open at the cut are closed at the end of the part and opened again in the next."""
    parts, current = [], ""
    for line in text.split("\n"):
        pieces = _cut_line(line, limit) if len(line) > limit else [line]
        for piece in pieces[:-1]:
            if current:
                parts.append(current)
                current = ""
            parts.append(piece)
        line = pieces[-1]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            candidate = line
        current = candidate
    return [part for part in [*parts, current] if part]


_HTML_TOKEN = re.compile(r"<[^<>]*>|&#?\w+;|[^<&]|[<&]", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9-]*)")


def _closing(opened: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(opened))


def _cut_line(line: str, limit: int) -> list[str]:
    pieces, current, opened = [], "", []  # opened: (name, opening tag) of the tags still open
    for token in _HTML_TOKEN.findall(line):
        after = list(opened)
        name = _TAG_NAME.match(token) if token.startswith("<") and len(token) > 2 else None
        if name and token.startswith("</"):
            if after and after[-1][0] == name.group(1).lower():
                after.pop()
        elif name and not token.endswith("/>"):
            after.append((name.group(1).lower(), token))
        if len(current) + len(token) + len(_closing(after)) > limit and current.strip():
            pieces.append(current + _closing(opened))
            current = "".join(tag for _, tag in opened)
        current += token
        opened = after
    pieces.append(current)
    return pieces


async def deliver(bot, item: Outgoing, **limits: object) -> None:  # type: ignore[no-untyped-def]
    """Send one message (split if long) or document, as Telegram HTML; ``limits`` (the outbox's
    ``rate_limit_args``) go to every call, when the bot has a limiter to take them (PTB refuses
    them without one: benchmarks and the hostile suite run without)."""
    if getattr(bot, "rate_limiter", None) is None:
        limits = {}
    if item.edit_message_id is not None:
        await bot.edit_message_text(text=split_message(item.text)[0] if item.text else item.text,
                                    chat_id=item.chat_id,
                                    message_id=item.edit_message_id, parse_mode=ParseMode.HTML,
                                    reply_markup=_keyboard(item.buttons),
                                    disable_web_page_preview=True, **limits)
        return
    if item.document:
        filename, content = item.document
        await bot.send_document(item.chat_id, InputFile(content, filename=filename),
                                caption=item.text or None, parse_mode=ParseMode.HTML,
                                message_thread_id=item.thread_id, **limits)
        return
    parts = split_message(item.text)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(item.chat_id, part, parse_mode=ParseMode.HTML,
                               reply_markup=_keyboard(item.buttons) if last else None,
                               disable_web_page_preview=True, message_thread_id=item.thread_id, **limits)


