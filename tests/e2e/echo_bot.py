"""A minimal python-telegram-bot 22 bot: proves the emulator end to end, and is
the baseline of the throughput benchmark, so it does nothing more than needed.

    python tests/e2e/echo_bot.py --base-url http://127.0.0.1:PORT/bot [--token T] [--rate-limiter]
"""

from __future__ import annotations

import argparse
import os

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

GREETINGS = {"fr": "Bonjour", "es": "Hola"}
DOCUMENT = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//echo bot//EN\r\nEND:VCALENDAR\r\n"
COMMANDS = {
    "en": [BotCommand("start", "Say hello"), BotCommand("doc", "Send a calendar")],
    "fr": [BotCommand("start", "Dire bonjour"), BotCommand("doc", "Envoyer un calendrier")],
}


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greets in the user's language, so tests can see language_code arrive."""
    greeting = GREETINGS.get(update.effective_user.language_code, "Hello")
    button = InlineKeyboardButton("Press me", callback_data="pressed")
    await update.message.reply_text(
        f"<b>{greeting}</b>", parse_mode="HTML", reply_markup=InlineKeyboardMarkup([[button]])
    )


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    await query.edit_message_text(f"Pressed by {query.from_user.first_name}")


async def send_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_document(DOCUMENT, filename="meeting.ics")


async def set_commands(application: Application) -> None:
    await application.bot.set_my_commands(COMMANDS["en"])
    await application.bot.set_my_commands(COMMANDS["fr"], language_code="fr")


def build(base_url: str, token: str, rate_limiter: bool = False) -> Application:
    builder = Application.builder().token(token).base_url(base_url).post_init(set_commands)
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    application = builder.build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("doc", send_document))
    application.add_handler(CallbackQueryHandler(pressed, pattern="^pressed$"))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return application


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:PORT/bot")
    parser.add_argument("--token", default=os.environ.get("BOT_TOKEN", "123456:E2E-TEST-TOKEN"))
    parser.add_argument("--rate-limiter", action="store_true", help="retry 429s with AIORateLimiter")
    args = parser.parse_args()
    build(args.base_url, args.token, args.rate_limiter).run_polling()


if __name__ == "__main__":
    main()
