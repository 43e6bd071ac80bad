"""The emulator serves a real python-telegram-bot 22 bot: echo_bot.py runs as a
separate process against it, and PTB's own Bot object checks the methods and
errors the echo bot does not use."""

from __future__ import annotations

import signal
import struct
import sys
import time
import zlib

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatAction, ChatMemberStatus
from telegram.error import BadRequest, EndPointNotFound, Forbidden, NetworkError, RetryAfter

from tests.e2e.echo_bot import COMMANDS, DOCUMENT
from tests.e2e.emulator import E2E_DIR, Chat, EmulatorClient, EmulatorError, User, stop

ALICE = User(id=1001, first_name="Alice", username="alice", language_code="en")
BRUNO = User(id=1002, first_name="Bruno", username="bruno", language_code="fr")
GROUP = Chat(id=-100123, type="supergroup", title="Steering committee")


@pytest.fixture
def run_echo_bot(start_bot, emulator: EmulatorClient):
    def run(*flags: str):
        argv = [sys.executable, str(E2E_DIR / "echo_bot.py"), "--base-url", emulator.base_url,
                "--token", emulator.token, *flags]
        return start_bot(argv)

    return run


def texts(messages: list[dict]) -> list[str]:
    return [message.get("text") for message in messages]


def test_echo_in_private_and_group_chats(emulator: EmulatorClient, run_echo_bot) -> None:
    run_echo_bot()
    emulator.send_message(ALICE, "hello")
    emulator.send_message(BRUNO, "salut le groupe", chat=GROUP)

    assert texts(emulator.wait_for_messages(ALICE.id, 1)) == ["hello"]
    assert texts(emulator.wait_for_messages(GROUP.id, 1)) == ["salut le groupe"]


def test_start_greets_in_the_users_language_and_the_button_edits(emulator: EmulatorClient, run_echo_bot) -> None:
    run_echo_bot()
    emulator.send_command(BRUNO, "start")
    [greeting] = emulator.wait_for_messages(BRUNO.id, 1)

    assert greeting["text"] == "<b>Bonjour</b>"
    assert greeting["parse_mode"] == "HTML"
    assert greeting["reply_markup"] == {
        "inline_keyboard": [[{"text": "Press me", "callback_data": "pressed"}]]
    }

    emulator.press_button(BRUNO, greeting, "pressed")
    [edited] = emulator.wait_for(lambda: emulator.messages(BRUNO.id), lambda found: "edit_date" in found[0])

    assert edited["message_id"] == greeting["message_id"]
    assert edited["text"] == "Pressed by Bruno"
    assert "reply_markup" not in edited and "parse_mode" not in edited
    emulator.wait_for(lambda: emulator.calls("answerCallbackQuery"), lambda calls: len(calls) == 1)


def test_document_bytes_are_readable(emulator: EmulatorClient, run_echo_bot) -> None:
    run_echo_bot()
    emulator.send_command(ALICE, "doc")
    [sent] = emulator.wait_for_messages(ALICE.id, 1)

    assert sent["method"] == "sendDocument"
    assert sent["document"]["file_name"] == "meeting.ics"
    assert emulator.file_content(sent["document"]["file_id"]) == DOCUMENT


def test_commands_are_stored_per_language(emulator: EmulatorClient, run_echo_bot) -> None:
    run_echo_bot()
    emulator.wait_for(emulator.commands, lambda found: len(found) == 2)

    for language, language_code in (("en", ""), ("fr", "fr")):
        expected = [command.to_dict() for command in COMMANDS[language]]
        assert emulator.commands_for(language_code) == expected
    assert emulator.commands_for("es") is None


def test_restart_gets_only_unconfirmed_updates(emulator: EmulatorClient, run_echo_bot) -> None:
    first = run_echo_bot()
    emulator.send_message(ALICE, "before restart")
    emulator.wait_for_messages(ALICE.id, 1)
    assert stop(first, signal.SIGTERM) == 0  # PTB confirms what it handled when it stops
    assert emulator.pending_updates() == []

    emulator.send_message(ALICE, "while down")
    run_echo_bot()
    found = emulator.wait_for(lambda: emulator.messages(ALICE.id), lambda m: "while down" in texts(m))

    # Updates are handled in order: a redelivered one would be echoed before.
    assert texts(found) == ["before restart", "while down"]


def test_get_updates_offset_limit_and_long_polling(emulator: EmulatorClient) -> None:
    get_updates = f"{emulator.base_url}{emulator.token}/getUpdates"
    with httpx.Client(timeout=30) as bot:
        started = time.monotonic()
        assert bot.post(get_updates, data={"timeout": "1"}).json() == {"ok": True, "result": []}
        assert time.monotonic() - started >= 0.9

        for text in ("one", "two", "three"):
            emulator.send_message(ALICE, text)
        first_two = bot.post(get_updates, data={"limit": "2"}).json()["result"]
        assert [u["message"]["text"] for u in first_two] == ["one", "two"]
        assert first_two[0]["message"]["date"] < 10**10  # seconds, not milliseconds

        # Not confirmed yet: delivered again.
        again = bot.post(get_updates, data={"limit": "2"}).json()["result"]
        assert [u["update_id"] for u in again] == [u["update_id"] for u in first_two]

        rest = bot.post(get_updates, data={"offset": str(first_two[-1]["update_id"] + 1)}).json()["result"]
        assert [u["message"]["text"] for u in rest] == ["three"]
        assert [u["message"]["text"] for u in emulator.pending_updates()] == ["three"]

        # A long poll returns as soon as an update arrives.
        offset = rest[-1]["update_id"] + 1
        emulator.send_message(ALICE, "four")
        started = time.monotonic()
        arrived = bot.post(get_updates, data={"offset": str(offset), "timeout": "10"}).json()["result"]
        assert [u["message"]["text"] for u in arrived] == ["four"]
        assert time.monotonic() - started < 5


def test_waits_time_out_and_reset_forgets(emulator: EmulatorClient) -> None:
    emulator.send_message(ALICE, "nobody polls")
    with pytest.raises(TimeoutError):
        emulator.wait_for_messages(ALICE.id, 1, timeout=0.5)
    with pytest.raises(EmulatorError, match="no bot message"):
        emulator.press_button(ALICE, {"chat_id": ALICE.id, "message_id": 1}, "nope")

    emulator.reset()
    assert emulator.pending_updates() == [] and emulator.calls() == []


def test_flood_wait_is_retried_by_the_rate_limiter(emulator: EmulatorClient, run_echo_bot) -> None:
    emulator.inject_flood_wait("sendMessage", retry_after=1, chat_id=ALICE.id)
    run_echo_bot("--rate-limiter")
    emulator.send_message(ALICE, "patience")

    assert texts(emulator.wait_for_messages(ALICE.id, 1)) == ["patience"]
    assert [call.get("error_code") for call in emulator.calls("sendMessage")] == [429, None]


@pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")
async def test_other_methods_and_errors_through_ptb(emulator: EmulatorClient) -> None:
    emulator.send_message(ALICE, "hi")  # the emulator learns Alice's chat
    emulator.set_chat_member(GROUP.id, ALICE.id, "administrator")
    png = _png(3, 2)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])

    async with Bot(emulator.token, base_url=emulator.base_url, base_file_url=emulator.base_file_url) as bot:
        assert bot.username == "inspir_test_bot"
        photo_message = await bot.send_photo(ALICE.id, png, caption="chart", filename="chart.png")
        assert (photo_message.photo[-1].width, photo_message.photo[-1].height) == (3, 2)
        photo_file = await bot.get_file(photo_message.photo[-1].file_id)
        assert bytes(await photo_file.download_as_bytearray()) == png

        poll = await bot.send_poll(ALICE.id, "Meet on Monday?", ["Yes", "No"])
        assert [option.text for option in poll.poll.options] == ["Yes", "No"]

        member = await bot.get_chat_member(GROUP.id, ALICE.id)
        assert member.status == ChatMemberStatus.ADMINISTRATOR and member.user.first_name == "Alice"
        assert (await bot.get_chat_member(GROUP.id, 4242)).status == ChatMemberStatus.MEMBER

        sent = await bot.send_message(ALICE.id, "choose", reply_markup=keyboard)
        assert sent.chat.first_name == "Alice"
        edited = await bot.edit_message_reply_markup(ALICE.id, sent.message_id, reply_markup=None)
        assert edited.reply_markup is None
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("choose", ALICE.id, sent.message_id)
        assert await bot.send_chat_action(ALICE.id, ChatAction.TYPING)
        assert await bot.delete_message(ALICE.id, sent.message_id)
        assert await bot.leave_chat(GROUP.id)

        emulator.block_bot(ALICE.id)
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(ALICE.id, "anyone there?")
        emulator.inject_server_error("sendMessage")
        with pytest.raises(NetworkError):
            await bot.send_message(ALICE.id, "again")
        emulator.inject_flood_wait("sendMessage", retry_after=7)
        with pytest.raises(RetryAfter, match=r"Retry in 7(\.0)? seconds"):
            await bot.send_message(ALICE.id, "and again")
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("noSuchMethod")

    assert texts(emulator.messages(ALICE.id)) == [None, None]  # the photo and the poll remain
    assert [call["method"] for call in emulator.calls("leaveChat")] == ["leaveChat"]


def _png(width: int, height: int) -> bytes:
    """A valid grey PNG, small enough to build inline."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
