"""Run the Bot API emulator (server.js) and drive it as Telegram users do.

The bot under test is a separate process pointed at ``EmulatorClient.base_url``;
the tests talk to the emulator through ``EmulatorClient`` (users' messages,
button presses, what the bot sent, faults to inject).
"""

from __future__ import annotations

import ctypes
import os
import random
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

E2E_DIR = Path(__file__).resolve().parent
DEFAULT_TOKEN = "123456:E2E-TEST-TOKEN"
BOT_USERNAME = "inspir_test_bot"
WAIT_TIMEOUT = 20.0
T = TypeVar("T")

# Fields Telegram always sends for these statuses (python-telegram-bot requires them).
_MEMBER_DEFAULTS: dict[str, dict[str, Any]] = {
    "creator": {"is_anonymous": False},
    "administrator": {
        "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
        "can_delete_messages": False, "can_manage_video_chats": False,
        "can_restrict_members": False, "can_promote_members": False, "can_change_info": False,
        "can_invite_users": False, "can_post_stories": False, "can_edit_stories": False,
        "can_delete_stories": False,
    },
    "kicked": {"until_date": 0},
}


class EmulatorError(RuntimeError):
    """The emulator refused a test's request (e.g. a button that is not on the message)."""


@dataclass(frozen=True)
class User:
    """A Telegram user the tests act as."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None
    last_name: str | None = None

    def to_api(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class Chat:
    """A group or supergroup; private chats are derived from the user."""

    id: int
    type: str = "group"
    title: str = "Test group"

    def to_api(self) -> dict[str, Any]:
        return asdict(self)


class EmulatorClient:
    """The tests' side of the emulator, for one bot token."""

    def __init__(self, api_url: str, token: str = DEFAULT_TOKEN) -> None:
        self.api_url = api_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(base_url=self.api_url, timeout=10)

    @property
    def base_url(self) -> str:
        """PTB's ``base_url`` (the token is appended to it)."""
        return f"{self.api_url}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's ``base_file_url``."""
        return f"{self.api_url}/file/bot"

    def close(self) -> None:
        self._http.close()

    def _call(self, verb: str, path: str, /, **params: Any) -> Any:
        params["token"] = self.token
        # The emulator answers a wait by its ``timeout`` at the latest.
        http_timeout = 10 + (params.get("timeout") or 0)
        if verb == "GET":
            query = {k: v for k, v in params.items() if v is not None}
            try:
                response = self._http.get(path, params=query, timeout=http_timeout)
            except (httpx.ReadError, httpx.RemoteProtocolError):
                # A kept-alive connection the server closed as this read went out (seen once in
                # a loaded parallel run: "Connection reset by peer"); a read is safe to repeat.
                response = self._http.get(path, params=query, timeout=http_timeout)
        else:
            response = self._http.post(path, json=params, timeout=http_timeout)
        body = response.json()
        if not body["ok"]:
            raise EmulatorError(body["description"])
        return body["result"]

    # ---- acting as users ----

    def send_message(self, user: User, text: str, chat: Chat | None = None, **extra: Any) -> dict:
        """Sends ``text`` from ``user`` (in their private chat unless ``chat``); returns the update.

        Text starting with ``/`` carries a bot_command entity, as Telegram adds.
        ``extra`` goes into the message as is (e.g. ``reply_to_message``).
        """
        return self._call(
            "POST", "/e2e/message", user=user.to_api(), text=text,
            chat=chat.to_api() if chat else None, extra=extra,
        )

    def send_command(self, user: User, command: str, args: str = "", chat: Chat | None = None) -> dict:
        """Sends ``/command args`` (``command`` with or without its slash)."""
        text = "/" + command.lstrip("/") + (f" {args}" if args else "")
        return self.send_message(user, text, chat)

    def send_update(self, update: dict) -> dict:
        """Queues any update as Telegram sends it (``{"edited_message": {...}}``, a service
        message, ``{"my_chat_member": {...}}``); the emulator numbers it. Polling only."""
        return self._call("POST", "/e2e/update", update=update)

    def press_button(self, user: User, message: dict, data: str) -> dict:
        """Presses the inline button with callback ``data`` on a bot ``message`` (as read by ``messages``)."""
        return self._call(
            "POST", "/e2e/callback", user=user.to_api(), chat_id=message["chat_id"],
            message_id=message["message_id"], data=data,
        )

    # ---- reading what the bot did ----

    def messages(self, chat_id: int | None = None) -> list[dict]:
        """The bot's messages (all chats if ``chat_id`` is None), oldest first, edits applied.

        Each is the parameters as sent (``text``, ``parse_mode``, ``reply_markup``
        decoded, ...) plus ``message_id``, ``date``, ``method``, ``edit_date`` once
        edited, and ``document``/``photo`` file info (bytes via ``file_content``).
        """
        return self._call("GET", "/e2e/messages", chat_id=chat_id)

    def wait_for_messages(self, chat_id: int | None, count: int, timeout: float = WAIT_TIMEOUT) -> list[dict]:
        """Waits until the bot has sent at least ``count`` messages to the chat; returns them all.

        The emulator itself waits, so a benchmark can wait for thousands of messages cheaply.
        """
        found = self._call("GET", "/e2e/messages", chat_id=chat_id, count=count, timeout=timeout)
        if len(found) < count:
            raise TimeoutError(f"{len(found)} of {count} messages within {timeout} s: {found!r}")
        return found

    def next_message(self, chat_id: int, after: int, match: Callable[[dict], bool],
                     timeout: float = WAIT_TIMEOUT) -> dict:
        """The first of the chat's messages after its ``after`` first for which ``match`` holds,
        waiting for it. Not "the next message": the outbox's messages (a notice, a reminder)
        arrive on their own schedule and may come between a command and its answer."""
        found = self.wait_for(lambda: [m for m in self.messages(chat_id)[after:] if match(m)], bool, timeout)
        return found[0]

    def file_content(self, file_id: str) -> bytes:
        response = self._http.get(f"/e2e/files/{file_id}")
        response.raise_for_status()
        return response.content

    def commands(self) -> list[dict]:
        """Every command list the bot set: ``{"scope", "language_code", "commands"}``."""
        return self._call("GET", "/e2e/commands")

    def commands_for(self, language_code: str = "", scope: dict | None = None) -> list[dict] | None:
        """The commands set for this language and scope (default scope), or None if never set."""
        scope = scope or {"type": "default"}
        for entry in self.commands():
            if entry["language_code"] == language_code and entry["scope"] == scope:
                return entry["commands"]
        return None

    def calls(self, method: str | None = None) -> list[dict]:
        """The bot's API calls, oldest first: ``{"method", "params", "time"}`` plus ``error_code`` if
        answered with an injected error, or ``fault`` (``timeout``/``reset``) and ``applied``."""
        return self._call("GET", "/e2e/calls", method=method)

    def pending_updates(self) -> list[dict]:
        """Updates the bot has not confirmed yet (with a later getUpdates offset)."""
        return self._call("GET", "/e2e/updates")

    def wait_for(self, read: Callable[[], T], condition: Callable[[T], bool], timeout: float = WAIT_TIMEOUT) -> T:
        """Returns ``read()`` once ``condition`` holds; re-reads whenever the emulator's state changes."""
        deadline = time.monotonic() + timeout
        while True:
            version = self._call("GET", "/e2e/version")
            value = read()
            if condition(value):
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout} s; last value: {value!r}")
            self._call("GET", "/e2e/version", since=version, timeout=remaining)

    # ---- faults and fixtures ----

    def inject_fault(
        self, method: str | None, error_code: int, description: str, *,
        chat_id: int | None = None, times: int = 1, retry_after: int | None = None,
        mode: str = "error", delay: float = 30, applied: bool = False, parameters: dict | None = None,
    ) -> None:
        """Makes the next ``times`` calls of ``method`` (any method if None), for ``chat_id`` if given, fail.

        ``mode``: ``error`` answers ``error_code``; ``timeout`` never answers (the socket is
        closed after ``delay`` s, or when the client gives up); ``reset`` closes the socket at
        once. With ``applied`` the method takes effect before its answer is lost (Telegram
        delivered the message, the bot never learnt it).
        """
        self._call(
            "POST", "/e2e/faults", method=method, error_code=error_code, description=description,
            chat_id=chat_id, times=times, retry_after=retry_after, mode=mode, delay=delay, applied=applied,
            parameters=parameters,
        )

    def inject_flood_wait(self, method: str, retry_after: int = 1, *, chat_id: int | None = None, times: int = 1) -> None:
        self.inject_fault(
            method, 429, f"Too Many Requests: retry after {retry_after}",
            chat_id=chat_id, times=times, retry_after=retry_after,
        )

    def inject_server_error(self, method: str, *, chat_id: int | None = None, times: int = 1) -> None:
        self.inject_fault(method, 500, "Internal Server Error", chat_id=chat_id, times=times)

    def inject_timeout(self, method: str | None, *, chat_id: int | None = None, times: int = 1,
                       delay: float = 30, applied: bool = False) -> None:
        """The next ``times`` calls get no answer: the client's read timeout expires."""
        self.inject_fault(method, 0, "timeout", chat_id=chat_id, times=times, mode="timeout",
                          delay=delay, applied=applied)

    def inject_connection_reset(self, method: str | None, *, chat_id: int | None = None, times: int = 1,
                                applied: bool = False) -> None:
        """The next ``times`` calls have their connection closed instead of an answer."""
        self.inject_fault(method, 0, "connection reset", chat_id=chat_id, times=times, mode="reset",
                          applied=applied)

    def block_bot(self, chat_id: int, *, times: int = 1, method: str | None = None) -> None:
        """The user of ``chat_id`` blocked the bot: its next ``times`` calls to that chat get 403."""
        self.inject_fault(method, 403, "Forbidden: bot was blocked by the user", chat_id=chat_id, times=times)

    def set_chat_member(self, chat_id: int, user_id: int, status: str, **fields: Any) -> None:
        """What getChatMember answers for this user in this chat (default: ``member``)."""
        member = {**_MEMBER_DEFAULTS.get(status, {}), **fields, "status": status}
        self._call("POST", "/e2e/chat_member", chat_id=chat_id, user_id=user_id, **member)

    def reset(self) -> None:
        """Forgets messages, updates, commands, files, faults and calls (ids keep growing)."""
        self._call("POST", "/e2e/reset")


# ---- processes ----

_prctl = ctypes.CDLL(None).prctl  # looked up before fork: only the call runs in the child
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Runs in the child: SIGTERM it when the test process dies, so nothing is orphaned."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(args: Sequence[str], **kwargs: Any) -> subprocess.Popen:
    """Starts a process in its own process group that dies with the test process."""
    return subprocess.Popen(list(args), start_new_session=True, preexec_fn=_die_with_parent, **kwargs)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = WAIT_TIMEOUT) -> int:
    """Signals the process group, waits, kills it if it lingers; returns the exit code."""
    for current in (sig, signal.SIGKILL):
        try:
            os.killpg(process.pid, current)
        except ProcessLookupError:
            pass
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            continue
    return process.wait()


def unused_port() -> int:
    """A free 127.0.0.1 port below the kernel's ephemeral range: no port-0 bind or outgoing
    connection, of this xdist worker or another, is given it before the test uses it."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    while True:
        port = random.randrange(low // 2, low)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def ensure_node_modules() -> None:
    """Installs the pinned npm packages on a fresh clone."""
    if not (E2E_DIR / "node_modules" / "telegram-test-api").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=E2E_DIR, check=True)


class Emulator:
    """A running server.js on a free 127.0.0.1 port."""

    def __init__(self, process: subprocess.Popen, api_url: str) -> None:
        self.process = process
        self.api_url = api_url

    @classmethod
    def start(cls, timeout: float = WAIT_TIMEOUT) -> Emulator:
        ensure_node_modules()
        process = spawn(["node", str(E2E_DIR / "server.js"), "--port", "0"], stdout=subprocess.PIPE, text=True)
        first_line: list[str] = []
        reader = threading.Thread(target=lambda: first_line.append(process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if not first_line or not first_line[0].startswith("listening on "):
            stop(process)
            raise RuntimeError(f"the emulator did not start: {first_line!r}")
        port = int(first_line[0].split()[-1])
        return cls(process, f"http://127.0.0.1:{port}")

    def client(self, token: str = DEFAULT_TOKEN) -> EmulatorClient:
        return EmulatorClient(self.api_url, token)

    def stop(self) -> None:
        stop(self.process)
        self.process.stdout.close()
