"""An in-memory Telegram Bot API, so the real handlers run without Telegram.

It serves the console (in the spirit of Errbot's Text backend) and the handler tests:
``OfflineChat.send`` turns a line typed by a person into a real ``Update`` processed by
the real ``Application``; whatever the bot sends is recorded as :class:`SentMessage`.
"""

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 1, "is_bot": True, "first_name": "INSP!R", "username": "inspir_bot",
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False}


@dataclass
class SentMessage:
    """A message the bot sent (or last edited): what a person would see in the chat."""

    chat_id: int
    message_id: int
    text: str
    buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    document: tuple[str, bytes] | None = None
    parse_mode: str | None = None
    thread_id: int | None = None  # the forum topic it was posted in

    def button_data(self, label_part: str) -> str:
        """The callback data of the first button whose label contains ``label_part``."""
        for row in self.buttons:
            for button in row:
                if label_part.lower() in button["text"].lower():
                    return str(button.get("callback_data") or button.get("url"))
        raise LookupError(f"no button {label_part!r} in {self.buttons!r}")


class OfflineBotApi(BaseRequest):
    """Answers the Bot API methods the bot uses, keeping the chats in memory."""

    def __init__(self) -> None:
        self.messages: list[SentMessage] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}  # (scope, language) → menu
        self.descriptions: dict[tuple[str, str], str] = {}  # (method, language) → text
        self.left_chats: list[int] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.blocked_chats: set[int] = set()
        self.kicked_chats: set[int] = set()  # groups the bot was removed from
        self.migrated_chats: dict[int, int] = {}  # groups upgraded to a supergroup: the new id
        self._ids = itertools.count(1000)

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files = request_data.multipart_data if request_data else {}
        chat_id = params.get("chat_id")
        if chat_id is not None and int(chat_id) in self.blocked_chats:
            return 403, _error(403, "Forbidden: bot was blocked by the user")
        if chat_id is not None and int(chat_id) in self.kicked_chats:
            return 403, _error(403, "Forbidden: bot was kicked from the supergroup chat")
        if chat_id is not None and int(chat_id) in self.migrated_chats:
            return 400, _error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                               {"migrate_to_chat_id": self.migrated_chats[int(chat_id)]})
        handler = getattr(self, f"_api_{name}", None)
        if handler is None:
            return 404, _error(404, "Not Found")
        return 200, json.dumps({"ok": True, "result": handler(params, files)}).encode()

    def _api_getMe(self, params: dict, files: dict) -> Any:
        return BOT_USER

    def _api_setMyCommands(self, params: dict, files: dict) -> Any:
        scope = json.dumps(_json(params.get("scope") or {"type": "default"}), sort_keys=True)
        self.commands[(scope, params.get("language_code", ""))] = _json(params["commands"])
        return True

    def _api_deleteMyCommands(self, params: dict, files: dict) -> Any:
        scope = json.dumps(_json(params.get("scope") or {"type": "default"}), sort_keys=True)
        self.commands.pop((scope, params.get("language_code", "")), None)
        return True

    def _api_setMyDescription(self, params: dict, files: dict) -> Any:
        self.descriptions[("description", params.get("language_code", ""))] = params.get("description", "")
        return True

    def _api_setMyShortDescription(self, params: dict, files: dict) -> Any:
        self.descriptions[("short_description", params.get("language_code", ""))] = \
            params.get("short_description", "")
        return True

    def _api_deleteWebhook(self, params: dict, files: dict) -> Any:
        return True

    def _api_sendChatAction(self, params: dict, files: dict) -> Any:
        return True

    def _api_leaveChat(self, params: dict, files: dict) -> Any:
        self.left_chats.append(int(params["chat_id"]))
        return True

    def _api_answerCallbackQuery(self, params: dict, files: dict) -> Any:
        self.callback_answers.append(params)
        return True

    def _api_sendMessage(self, params: dict, files: dict) -> Any:
        return self._record(params, params["text"])

    def _api_sendDocument(self, params: dict, files: dict) -> Any:
        return self._record(params, params.get("caption", ""), files, "document")

    def _api_sendPhoto(self, params: dict, files: dict) -> Any:
        return self._record(params, params.get("caption", ""), files, "photo")

    def _api_editMessageText(self, params: dict, files: dict) -> Any:
        message = self._find(params)
        message.text = params["text"]
        message.buttons = _keyboard(params)
        return self._as_api(message)

    def _api_editMessageReplyMarkup(self, params: dict, files: dict) -> Any:
        message = self._find(params)
        message.buttons = _keyboard(params)
        return self._as_api(message)

    def _api_deleteMessage(self, params: dict, files: dict) -> Any:
        self.messages = [m for m in self.messages if m.message_id != int(params["message_id"])]
        return True

    def _record(self, params: dict, text: str, files: dict | None = None, part: str = "") -> Any:
        document = None
        if files:
            filename, content, _mime = next(iter(files.values()))[:3]
            document = (filename or part, content if isinstance(content, bytes) else content.read())
        thread = params.get("message_thread_id")
        message = SentMessage(int(params["chat_id"]), next(self._ids), text, _keyboard(params),
                              document, params.get("parse_mode"), int(thread) if thread else None)
        self.messages.append(message)
        return self._as_api(message)

    def _find(self, params: dict) -> SentMessage:
        wanted = int(params["message_id"])
        return next(m for m in self.messages if m.message_id == wanted)

    @staticmethod
    def _as_api(message: SentMessage) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": message.message_id, "date": int(time.time()), "from": BOT_USER,
            "chat": {"id": message.chat_id, "type": "private" if message.chat_id > 0 else "supergroup"},
            "text": message.text,
        }
        if message.buttons:
            result["reply_markup"] = {"inline_keyboard": message.buttons}
        return result


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _keyboard(params: dict) -> list[list[dict[str, Any]]]:
    markup = _json(params.get("reply_markup")) or {}
    return markup.get("inline_keyboard", [])


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> bytes:
    error: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        error["parameters"] = parameters
    return json.dumps(error).encode()


@dataclass
class Person:
    """Who is typing: a Telegram user as the Bot API describes them."""

    telegram_id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None

    def as_api(self) -> dict[str, Any]:
        user = {"id": self.telegram_id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user


GROUP_CHAT = {"id": -1001000000001, "type": "supergroup", "title": "INSP!R steering committee"}


class OfflineChat:
    """Feeds updates to a real Application and returns what the bot sent in response."""

    def __init__(self, application: Application, api: OfflineBotApi):
        self.application = application
        self.api = api
        # Update ids must not repeat across console runs on the same database (they are
        # deduplicated), so they start from the clock like Telegram's increasing ids.
        self._update_ids = itertools.count(int(time.time() * 1000))
        self._message_ids = itertools.count(1)

    async def send(self, person: Person, text: str, chat: dict[str, Any] | None = None,
                   reply_to: SentMessage | None = None) -> list[SentMessage]:
        """``person`` types ``text`` in a private chat (or in ``chat``): the bot's responses."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "from": person.as_api(), "text": text,
            "chat": chat or {"id": person.telegram_id, "type": "private", "first_name": person.first_name},
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            message["reply_to_message"] = self.api._as_api(reply_to)
        return await self._process({"message": message})

    async def press(self, person: Person, message: SentMessage, data: str) -> list[SentMessage]:
        """``person`` taps the inline button with callback ``data`` under ``message``."""
        query = {
            "id": str(next(self._update_ids)), "from": person.as_api(), "chat_instance": "offline",
            "data": data, "message": self.api._as_api(message),
        }
        return await self._process({"callback_query": query})

    async def joined_group(self, person: Person, chat: dict[str, Any]) -> list[SentMessage]:
        """``person`` adds the bot to the group ``chat``."""
        member_update = {
            "chat": chat, "from": person.as_api(), "date": int(time.time()),
            "old_chat_member": {"status": "left", "user": BOT_USER},
            "new_chat_member": {"status": "member", "user": BOT_USER},
        }
        return await self._process({"my_chat_member": member_update})

    async def update(self, payload: dict[str, Any]) -> list[SentMessage]:
        """Any update as Telegram sends it (``{"message": {...}}``, ``{"edited_message": ...}``,
        ``{"my_chat_member": ...}``), its ``update_id`` added unless given: the bot's responses."""
        return await self._process(payload)

    async def _process(self, payload: dict[str, Any]) -> list[SentMessage]:
        before = {(m.message_id, m.text) for m in self.api.messages}
        update = Update.de_json({"update_id": next(self._update_ids), **payload}, self.application.bot)
        await self.application.process_update(update)
        dispatcher = self.application.bot_data.get("dispatcher")
        if dispatcher is not None:
            await dispatcher.idle()
        return [m for m in self.api.messages if (m.message_id, m.text) not in before]
