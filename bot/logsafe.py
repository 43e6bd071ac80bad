"""Logging that never carries the bot token, the webhook secret, invitation codes, message text
or personal data."""

import logging
import re
import sys
import traceback
from collections.abc import Iterable

_TOKEN = re.compile(r"\d{6,12}:[A-Za-z0-9_-]{30,}")
# Invitation codes travel as the payload of /start: in the t.me deep link (``?start=CODE``) and in
# the text of the member's first message (``/start CODE``, ``/start@bot CODE``), which
# python-telegram-bot logs with the whole update at DEBUG and an exception may quote.
_INVITE = re.compile(r"(?P<lead>[?&]start=|/start(?:@\w+)?[ \t]+)[A-Za-z0-9_-]+")


class RedactTokens(logging.Filter):
    """Last line of defence: blank anything shaped like a bot token or an invitation code, and
    the given secrets (the token, the webhook secret), wherever they come from."""

    def __init__(self, token: str = "", secrets: Iterable[str] = ()):
        super().__init__()
        self.token = token
        self.secrets = sorted({s for s in secrets if s and s != token}, key=len, reverse=True)

    def filter_text(self, text: str) -> str:
        if self.token:
            text = text.replace(self.token, "<token>")
        for secret in self.secrets:
            text = text.replace(secret, "<secret>")
        text = _TOKEN.sub("<token>", text)
        return _INVITE.sub(r"\g<lead><code>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.filter_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class RedactingFormatter(logging.Formatter):
    """Redacts the record as it is finally written: the message, the traceback (whose last line
    repeats the exception's message, and whose source lines may hold a literal) and stack_info."""

    def __init__(self, fmt: str, redact: RedactTokens):
        super().__init__(fmt)
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact.filter_text(super().format(record))


def configure_logging(level: str, token: str = "", secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s",
                                            RedactTokens(token, secrets)))
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
