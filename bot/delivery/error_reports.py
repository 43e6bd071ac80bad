"""Errors to Sentry, for operators who use it (``[operator] sentry_dsn``): one event per error
logged or uncaught, with the stack but no personal data. Nothing of what members typed or
are leaves: no local variables, no exception messages (a database error quotes the row's
values), no breadcrumbs, no user or request, and the token, the webhook secret and invitation
codes are blanked from whatever remains. Sentry's SDK is imported only when a DSN is set."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bot.logsafe import RedactTokens

EMPTIED = ("user", "request", "extra", "breadcrumbs", "server_name")


def scrub(event: dict[str, Any], redact: RedactTokens) -> dict[str, Any]:
    """The event as it may leave the machine: types and stacks, our log templates, no data."""
    for key in EMPTIED:
        event.pop(key, None)
    for exception in (event.get("exception") or {}).get("values", []):
        exception["value"] = ""  # the message may quote personal data; the type says what failed
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    return json.loads(redact.filter_text(json.dumps(event, default=str)))


def start_error_reports(dsn: str, token: str, secrets: Iterable[str], *, environment: str = "production",
                        transport: Any = None) -> None:
    import sentry_sdk

    redact = RedactTokens(token, [dsn, *secrets])
    options: dict[str, Any] = {"transport": transport} if transport is not None else {}
    sentry_sdk.init(dsn=dsn, environment=environment, send_default_pii=False, include_local_variables=False,
                    max_breadcrumbs=0, traces_sample_rate=0.0, before_send=lambda event, hint: scrub(event, redact),
                    **options)
