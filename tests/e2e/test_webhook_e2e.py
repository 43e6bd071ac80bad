"""End-to-end: ``main.py run --webhook`` as a separate process against the Bot API emulator.

The emulator records setWebhook but does not push updates: the tests POST updates to the
bot's webhook port themselves, as Telegram does, with and without the secret token. Also:
the webhook keys of the configuration, validated with one line naming the key.
Small helpers of their own (used by test_instances_e2e.py too)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import httpx
import pytest

from bot.config import ConfigError, load_settings
from tests.e2e.emulator import Emulator, EmulatorClient, User, stop, unused_port
from tests.fake_token import fake_bot_token

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
# Shaped like real ones, so the log checks cover the redaction patterns as well as the values.
TOKEN = fake_bot_token("webhook")
SECRET = "wh-Secret_never-in-the-logs_0123456789abcdef"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PATH = "/telegram/hook"
IDS = {"Bart Verstraeten": 9113, "Samy Arokiasamy": 9110, "Ingrid Mulamba": 9101,
       "Elly Rosita Silaban": 9109, "Santiago Fischer": 9112, "Gabriela Prudencio": 9108}
USERS = {name: User(uid, name.split()[0]) for name, uid in IDS.items()}
SAMY = USERS["Samy Arokiasamy"]


# ---- helpers: an installed database and bot processes in webhook mode ----

def clean_env(**settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("INSPIR_")}
    return {**env, **settings}


def main_py(workdir: Path, env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(MAIN), *args], cwd=workdir, env=dict(env),
                          capture_output=True, text=True, timeout=120)


def install_roster(workdir: Path, database_url: str, ids: Mapping[str, int]) -> None:
    """``data/demo_roster.csv`` with these members linked, imported with the command line."""
    with (ROOT / "data" / "demo_roster.csv").open(encoding="utf-8") as source:
        reader = csv.DictReader(source)
        fields, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        row["telegram_id"] = str(ids.get(row["name"], ""))
    roster = workdir / "roster.csv"
    with roster.open("w", encoding="utf-8", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    result = main_py(workdir, clean_env(INSPIR_DATABASE__URL=database_url), "roster", "import", str(roster))
    assert result.returncode == 0, result.stderr


class WebhookBot:
    """One ``main.py run --webhook`` process: its port, its log, and updates posted to it."""

    def __init__(self, workdir: Path, name: str, database_url: str, emulator: EmulatorClient,
                 start_bot: Callable[..., subprocess.Popen], **settings: str) -> None:
        self.port = unused_port()
        self.url = f"http://127.0.0.1:{self.port}{PATH}"
        self.log = workdir / f"{name}.log"
        env = clean_env(
            INSPIR_TELEGRAM__TOKEN=emulator.token, INSPIR_TELEGRAM__BASE_URL=emulator.base_url,
            INSPIR_DATABASE__URL=database_url, INSPIR_TELEGRAM__WEBHOOK_URL=self.url,
            INSPIR_TELEGRAM__WEBHOOK_PORT=str(self.port), INSPIR_TELEGRAM__WEBHOOK_SECRET=SECRET,
            **settings)
        with self.log.open("wb") as output:
            self.process = start_bot([sys.executable, str(MAIN), "run", "--webhook"], env=env,
                                     cwd=workdir, stdout=output, stderr=output)
        self.http = httpx.Client(timeout=10)

    def wait_ready(self, timeout: float = 60) -> None:
        """Until the webhook server answers (the bot called setWebhook just before)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.logs()
            try:
                self.http.get(self.url)  # tornado answers 405 to GET once listening
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise TimeoutError(f"webhook server on port {self.port} not up:\n{self.logs()}")

    def post(self, update: dict, secret: str | None = SECRET) -> httpx.Response:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        return self.http.post(self.url, json=update, headers=headers)

    def logs(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def close(self) -> None:
        self.http.close()


def message_update(update_id: int, user: User, text: str) -> dict:
    """A private text message as Telegram posts it (commands carry their entity)."""
    message: dict = {
        "message_id": update_id, "date": int(time.time()), "text": text,
        "from": {"is_bot": False, **user.to_api()},
        "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


def assert_no_secrets(logs: str) -> None:
    assert "bot started (webhook" in logs, logs
    for secret in (SECRET, TOKEN, TOKEN.split(":")[1]):
        assert secret not in logs


# ---- configuration ----

@pytest.mark.parametrize(("variable", "value", "key"), [
    ("WEBHOOK_URL", "http://bot.example.org/telegram", "telegram.webhook_url"),
    ("WEBHOOK_URL", "bot.example.org/telegram", "telegram.webhook_url"),
    ("WEBHOOK_SECRET", "not secret!", "telegram.webhook_secret"),
    ("WEBHOOK_SECRET", "x" * 257, "telegram.webhook_secret"),
    ("WEBHOOK_PORT", "70000", "telegram.webhook_port"),
    ("WEBHOOK_LISTEN", "0.0.0.0; rm", "telegram.webhook_listen"),
])
def test_webhook_settings_are_validated(monkeypatch, variable: str, value: str, key: str) -> None:
    monkeypatch.setenv(f"INSPIR_TELEGRAM__{variable}", value)
    with pytest.raises(ConfigError) as error:
        load_settings(None)
    assert f"configuration key {key}" in str(error.value)
    if variable == "WEBHOOK_SECRET":
        assert value not in str(error.value)


def test_webhook_settings_defaults_and_local_http(monkeypatch) -> None:
    settings = load_settings(None).telegram
    assert (settings.webhook_url, settings.webhook_listen, settings.webhook_port) == ("", "127.0.0.1", 8443)
    for url in ("https://bot.example.org/telegram", "http://127.0.0.1:8443/hook", "http://localhost/x"):
        monkeypatch.setenv("INSPIR_TELEGRAM__WEBHOOK_URL", url)
        assert load_settings(None).telegram.webhook_url == url


@pytest.mark.parametrize(("settings", "key"), [
    ({}, "telegram.webhook_url"),
    ({"INSPIR_TELEGRAM__WEBHOOK_URL": "https://bot.example.org/telegram"}, "telegram.webhook_secret"),
])
def test_webhook_mode_requires_url_and_secret(tmp_path: Path, settings: dict, key: str) -> None:
    env = clean_env(INSPIR_TELEGRAM__TOKEN=TOKEN, INSPIR_TELEGRAM__BASE_URL="http://127.0.0.1:9/bot",
                    INSPIR_DATABASE__URL=f"sqlite+aiosqlite:///{tmp_path / 'inspir.db'}", **settings)
    result = main_py(tmp_path, env, "run", "--webhook")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and f"configuration key {key}" in result.stderr
    assert TOKEN not in result.stderr


# ---- the process ----

@pytest.fixture
def webhook_bot(tmp_path: Path, emulator_server: Emulator, start_bot) -> Iterator[WebhookBot]:
    """The demo roster on SQLite and one bot in webhook mode, at DEBUG (the most to log)."""
    emulator = emulator_server.client(TOKEN)
    emulator.reset()
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'inspir.db'}"
    install_roster(tmp_path, database_url, IDS)
    bot = WebhookBot(tmp_path, "bot", database_url, emulator, start_bot, INSPIR_LOGGING__LEVEL="DEBUG")
    bot.emulator = emulator  # type: ignore[attr-defined]
    bot.wait_ready()
    yield bot
    bot.close()
    emulator.close()


def test_webhook_needs_the_secret_and_answers_with_it(webhook_bot: WebhookBot) -> None:
    bot, tg = webhook_bot, webhook_bot.emulator  # type: ignore[attr-defined]
    [call] = tg.calls("setWebhook")
    assert call["params"]["url"] == bot.url and call["params"]["secret_token"] == SECRET
    assert tg.calls("deleteWebhook") == [] and tg.calls("getUpdates") == []

    assert bot.post(message_update(5001, SAMY, "/start")).status_code == 200
    first = tg.wait_for_messages(SAMY.id, 1)
    assert "Samy" in first[0]["text"]

    refused = [bot.post(message_update(5002, SAMY, "/me"), secret=None),
               bot.post(message_update(5003, SAMY, "/me"), secret="wrong-secret"),
               bot.post(message_update(5004, SAMY, "/me"), secret=SECRET[:-1]),
               bot.http.post(bot.url, content=b"{}", headers={SECRET_HEADER: "x" * 300})]
    assert [response.status_code for response in refused] == [403, 403, 403, 403]
    # Processed: none of them. The next good update is answered, and is the only new answer.
    assert bot.post(message_update(5005, SAMY, "/help")).status_code == 200
    tg.wait_for_messages(SAMY.id, 2)
    time.sleep(1.0)
    assert len(tg.messages(SAMY.id)) == 2

    assert stop(bot.process) == 0, bot.logs()  # SIGTERM, as systemd sends it
    logs = bot.logs()
    assert_no_secrets(logs)
    assert "update 5001 handled" in logs and "update 5005 handled" in logs
    for refused_id in (5002, 5003, 5004):
        assert f"update {refused_id} " not in logs


def test_healthz_on_the_webhook_server(webhook_bot: WebhookBot) -> None:
    """A load balancer's probe: GET /healthz on the webhook's port, no token or secret needed,
    200 with a JSON status once the dispatcher has run; it names no member and no secret."""
    health = f"http://127.0.0.1:{webhook_bot.port}/healthz"
    deadline = time.monotonic() + 30
    while True:
        answer = webhook_bot.http.get(health)
        if answer.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)  # the dispatcher's first run comes seconds after the start
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "ok", "problems": []}
    assert answer.headers["content-type"] == "application/json" and "no-store" in answer.headers["cache-control"]
    assert webhook_bot.http.post(health).status_code == 405
    assert "/healthz for health probes" in webhook_bot.logs()
