"""Errors to Sentry without personal data (issue 18): run in a process of its own (the SDK
hooks into logging globally), with a transport that keeps the events instead of sending them.
A handler-like failure whose message quotes a member, with a local variable holding them and
the token in the text, must leave only its type, its stack and our log line."""

import json
import subprocess
import sys
from pathlib import Path

from tests.fake_token import fake_bot_token

ROOT = Path(__file__).resolve().parent.parent
TOKEN = fake_bot_token("sentry")
PROBE = """
import json, logging, sys
from sentry_sdk.transport import Transport
from bot.delivery.error_reports import start_error_reports

sent = []

class Keep(Transport):
    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.headers.get("type") == "event":
                sent.append(json.loads(item.payload.get_bytes()))

start_error_reports("https://public@o0.ingest.example.invalid/1", sys.argv[1], ["wh-secret-0123456789"],
                    transport=Keep)
log = logging.getLogger("inspir.updates")
def handler(member_name):
    raise ValueError(f"duplicate key for {member_name} with token " + sys.argv[1])
try:
    handler("Samy Arokiasamy")
except ValueError:
    log.exception("handler %s failed: %s", "mytasks", "builtins.ValueError")
import sentry_sdk
sentry_sdk.flush()
print(json.dumps(sent))
"""


def test_an_error_reaches_sentry_without_personal_data_or_secrets():
    ran = subprocess.run([sys.executable, "-c", PROBE, TOKEN], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    [event] = json.loads(ran.stdout.strip().splitlines()[-1])
    text = json.dumps(event)
    assert "Samy" not in text and TOKEN not in text and TOKEN.split(":")[1] not in text
    assert "wh-secret" not in text and "member_name" not in text
    [exception] = event["exception"]["values"]
    assert exception["type"] == "ValueError" and exception["value"] == ""
    assert any(frame["function"] == "handler" for frame in exception["stacktrace"]["frames"])
    assert event["logentry"]["message"] == "handler %s failed: %s"
    assert "user" not in event and "request" not in event
