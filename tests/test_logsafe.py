"""What the log handler finally writes: no token, webhook secret or invitation code, tracebacks
and stack dumps included."""

import io
import logging

import pytest

from bot.logsafe import RedactTokens, configure_logging
from tests.fake_token import fake_bot_token

TOKEN = fake_bot_token("logsafe")
SECRET = "webhook-Secret_0123456789"
CODE = "Qm9uam91ci1sZS1jb2RlXy0x"


@pytest.fixture
def written():
    """Configures logging as main.py does and returns what the handler writes."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    configure_logging("DEBUG", TOKEN, [SECRET])
    stream = io.StringIO()
    root.handlers[0].setStream(stream)
    yield stream
    root.handlers[:], root.level = saved


def _fail_with_secrets():
    url = f"https://api.telegram.org/bot{TOKEN}/setWebhook?secret_token={SECRET}"
    raise RuntimeError(f"cannot reach {url} for /start {CODE}")


def test_traceback_carrying_the_token_is_redacted(written):
    log = logging.getLogger("inspir.test")
    try:
        _fail_with_secrets()
    except RuntimeError:
        log.exception("delivery failed for %s", f"bot{TOKEN}")
    log.warning("stack follows, token %s", TOKEN, stack_info=True)
    out = written.getvalue()
    assert "Traceback (most recent call last)" in out and "RuntimeError: cannot reach" in out
    assert "Stack (most recent call last)" in out
    assert TOKEN not in out and TOKEN.split(":")[1] not in out
    assert SECRET not in out and CODE not in out
    assert "bot<token>/setWebhook?secret_token=<secret>" in out and "/start <code>" in out


def test_exception_text_cached_by_an_earlier_handler_is_still_redacted(written):
    """logging.Formatter caches the traceback text on the record: redaction must not rely on
    being the first to format it."""
    log = logging.getLogger("inspir.test")
    try:
        _fail_with_secrets()
    except RuntimeError as error:
        record = log.makeRecord("inspir.test", logging.ERROR, __file__, 1, "failed", (),
                                (type(error), error, error.__traceback__))
    logging.Formatter().format(record)  # another handler formatted it first
    assert TOKEN in record.exc_text
    log.handle(record)
    assert TOKEN not in written.getvalue() and "RuntimeError" in written.getvalue()


def test_invitation_links_and_start_payloads():
    redact = RedactTokens(TOKEN)
    assert redact.filter_text(f"https://t.me/inspirbot?start={CODE}") == "https://t.me/inspirbot?start=<code>"
    assert redact.filter_text(f"text='/start@inspirbot {CODE}'") == "text='/start@inspirbot <code>'"
    assert redact.filter_text("/startmeeting 12") == "/startmeeting 12"
    assert redact.filter_text(f"{TOKEN.split(':')[0]}:{'x' * 35}") == "<token>"
