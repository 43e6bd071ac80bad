"""End-to-end, through the real ``main.py run`` and the Bot API emulator, on SQLite and
PostgreSQL: what Telegram does to the committee's group, sent as Telegram sends it. The group is
upgraded to a supergroup (a send refused with ``migrate_to_chat_id``, then the service
messages), an anonymous admin sends a command, a command is edited, the bot is removed."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

from bot.i18n.translation import I18n
from tests.e2e.emulator import Chat, EmulatorClient
from tests.e2e.test_records_e2e import CHAIR, SAMY, Installation, ask, database_url  # noqa: F401 - a fixture
from tests.fake_token import fake_bot_token

TOKEN = fake_bot_token("groupchat")
I18N = I18n()
OLD = Chat(-4518810793, "group", "INSP!R steering committee")
NEW_ID = -1002471352452
NEW = {"id": NEW_ID, "type": "supergroup", "title": "INSP!R steering committee"}
SOON = date.today() + timedelta(days=20)  # days from the real clock: the bot runs on it
ANONYMOUS = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}


def _en(message: str) -> str:
    return I18N.translator("en")(message)


def _wait_text(tg: EmulatorClient, chat_id: int, part: str) -> dict:
    found = tg.wait_for(lambda: [m for m in tg.messages(chat_id) if part in m.get("text", "")], bool)
    return found[-1]


def _command(message_id: int, sender: dict, text: str, chat: dict, **extra) -> dict:  # type: ignore[no-untyped-def]
    return {"message_id": message_id, "date": int(time.time()), "from": sender, "chat": chat, "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}], **extra}


def test_group_upgraded_anonymous_admin_edited_command_bot_removed(database_url: str, tmp_path: Path,  # noqa: F811
                                                                    tg: EmulatorClient, start_bot) -> None:
    installation = Installation(tmp_path, database_url, tg, start_bot)
    installation.install()
    process = installation.start()
    tg.wait_for(lambda: len(tg.calls("getUpdates")), lambda n: n > 0 or process.poll() is not None, timeout=30)
    assert process.poll() is None, installation.log.read_text()
    ask(tg, CHAIR, "/bindgroup", OLD, "registered group")

    # Upgraded before the service messages reached the bot: the announcement is refused with the new id.
    tg.inject_fault("sendMessage", 400, "Bad Request: group chat was upgraded to a supergroup chat",
                    chat_id=OLD.id, parameters={"migrate_to_chat_id": NEW_ID})
    tg.send_message(CHAIR, f"/newmeeting {SOON:%Y-%m-%d} 15:00 Budget review")
    announcement = _wait_text(tg, NEW_ID, "Budget review")
    assert announcement["chat_id"] == NEW_ID
    notice = _wait_text(tg, CHAIR.id, "supergroup")
    tg.send_update({"message": {"message_id": 153, "date": int(time.time()), "chat": OLD.to_api(),
                                "from": {"is_bot": False, **CHAIR.to_api()}, "migrate_to_chat_id": NEW_ID}})
    tg.send_update({"message": {"message_id": 1, "date": int(time.time()), "chat": NEW, "from": ANONYMOUS,
                                "sender_chat": NEW, "migrate_from_chat_id": OLD.id}})

    # An anonymous admin's command, then an edited command, both in the new supergroup.
    tg.send_update({"message": _command(2, ANONYMOUS, f"/newmeeting {SOON + timedelta(days=1):%Y-%m-%d} 15:00 Hidden", NEW, sender_chat=NEW)})
    _wait_text(tg, NEW_ID, "anonymously")
    # the registered group now: the roster is personal data, sent privately
    ask(tg, SAMY, "/members", Chat(NEW_ID, "supergroup", NEW["title"]), "in a private message")
    original = _command(3, {"is_bot": False, **SAMY.to_api()}, "/tz Asia/Tokyo", NEW)
    tg.send_update({"edited_message": {**original, "edit_date": int(time.time())}})
    _wait_text(tg, NEW_ID, "edited messages")
    assert [m for m in tg.messages(CHAIR.id) if "supergroup" in m.get("text", "")] == [notice]  # told once
    assert not [m for m in tg.messages() if "Hidden" in m.get("text", "")]

    # The bot removed from the group: the chair is told once, privately.
    tg.send_update({"my_chat_member": {
        "chat": NEW, "from": {"is_bot": False, **SAMY.to_api()}, "date": int(time.time()),
        "old_chat_member": {"status": "member", "user": _bot(tg)},
        "new_chat_member": {"status": "kicked", "user": _bot(tg), "until_date": 0}}})
    _wait_text(tg, CHAIR.id, "/bindgroup")
    assert process.poll() is None, installation.log.read_text()


def _bot(tg: EmulatorClient) -> dict:
    """The bot as the emulator presents it (its id is the token's first part)."""
    return {"id": int(TOKEN.split(":")[0]), "is_bot": True, "first_name": "Test Bot", "username": "inspir_test_bot"}
