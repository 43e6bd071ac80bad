"""``GET /healthz`` on the webhook server, for a load balancer or an uptime monitor: 200 when
this process is alive (its updater receives, its outbox dispatcher finished a run within
``[health] heartbeat_stale``, the database answers), otherwise 503 naming what is wrong. No
personal data, no secret: the path is public like the webhook's, and needs no token.

PTB's webhook server has no route of its own to offer: the route is added to the tornado
application behind it (``Updater._httpd``), which ``tests/e2e/test_webhook_e2e.py`` checks on
the pinned PTB version."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from sqlalchemy import text
from telegram.ext import Application
from tornado.web import RequestHandler

from bot.services import Services

PATH = "/healthz"
DATABASE_TIMEOUT = 5.0  # seconds: a database slower than this is as good as down for a probe


async def problems(application: Application) -> list[str]:
    services: Services = application.bot_data["services"]
    found = []
    updater = application.updater
    if updater is None or not updater.running:
        found.append("the updater is not receiving updates")
    completed = application.bot_data["dispatcher"].completed_at
    stale: timedelta = services.settings.health.heartbeat_stale
    if completed is None or services.clock() - completed > stale:
        found.append("the outbox dispatcher has not finished a run recently")
    try:
        async with services.db.engine.connect() as connection:
            await asyncio.wait_for(connection.scalar(text("SELECT 1")), DATABASE_TIMEOUT)
    except Exception as error:  # noqa: BLE001 - any failure is "down" to the probe
        found.append(f"the database does not answer ({type(error).__name__})")
    return found


class _Health(RequestHandler):
    def initialize(self, bot_application: Application) -> None:  # type: ignore[override]
        self.bot_application = bot_application

    async def get(self) -> None:
        wrong = await problems(self.bot_application)
        self.set_status(503 if wrong else 200)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"status": "unhealthy" if wrong else "ok", "problems": wrong}))


def serve_health(application: Application) -> None:
    """Add the route to the running webhook server (call after ``start_webhook``)."""
    server = application.updater._httpd  # type: ignore[union-attr]  # noqa: SLF001 - see the docstring
    if server is None:
        raise RuntimeError("the webhook server is not running")
    server._http_server.request_callback.add_handlers(r".*", [(PATH, _Health, {"bot_application": application})])  # noqa: SLF001
