"""Putting a message on Telegram: HTML, split under the 4,096-character limit, buttons."""

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


def _keyboard(buttons: Buttons | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                                  for label, data in row] for row in buttons])


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split at line ends so no part exceeds Telegram's limit (and no HTML tag is cut)."""
    parts, current = [], ""
    for line in text.split("\n"):
        while len(line) > limit:
            parts.append(current) if current else None
            current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            candidate = line
        current = candidate
    return [part for part in [*parts, current] if part]


async def deliver(bot, item: Outgoing) -> None:  # type: ignore[no-untyped-def]
    """Send one message (split if long) or document, as Telegram HTML."""
    if item.edit_message_id is not None:
        await bot.edit_message_text(text=item.text[:MAX_MESSAGE], chat_id=item.chat_id,
                                    message_id=item.edit_message_id, parse_mode=ParseMode.HTML,
                                    reply_markup=_keyboard(item.buttons),
                                    disable_web_page_preview=True)
        return
    if item.document:
        filename, content = item.document
        await bot.send_document(item.chat_id, InputFile(content, filename=filename),
                                caption=item.text or None, parse_mode=ParseMode.HTML)
        return
    parts = split_message(item.text)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(item.chat_id, part, parse_mode=ParseMode.HTML,
                               reply_markup=_keyboard(item.buttons) if last else None,
                               disable_web_page_preview=True)


