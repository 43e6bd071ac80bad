"""Logging that never carries the bot token, message text or personal data."""

import logging
import re
import sys
import traceback

_TOKEN = re.compile(r"\d{6,12}:[A-Za-z0-9_-]{30,}")


class RedactTokens(logging.Filter):
    """Last line of defence: blank anything shaped like a bot token, wherever it comes from."""

    def __init__(self, token: str = ""):
        super().__init__()
        self.token = token

    def filter_text(self, text: str) -> str:
        cleaned = _TOKEN.sub("<token>", text)
        return cleaned.replace(self.token, "<token>") if self.token else cleaned

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.filter_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(level: str, token: str = "") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token;
    # python-telegram-bot logs whole updates (names, message text) at DEBUG.
    for noisy in ("httpx", "httpcore", "apscheduler", "aiosqlite", "asyncio", "alembic", "telegram"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def describe_exception(error: BaseException) -> str:
    """The exception's type and stack, without its message (which may quote user data)."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"{type(error).__module__}.{type(error).__name__}\n{frames}"
