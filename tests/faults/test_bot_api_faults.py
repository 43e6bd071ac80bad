"""The Bot API misbehaving under the real bot (``main.py run``): 429 with retry_after, 500,
timeouts and connection resets, on the updates it fetches, the replies it sends and the
outbox messages it owes.

What the bot promises:
- a 429 on a reply is retried by PTB's AIORateLimiter: the reply arrives;
- getUpdates failing (500, reset) is retried by PTB's updater: the next command is answered;
- a reply that fails for good (500, timeout, reset) after the update's transaction committed is
  lost and logged: the change is kept (the member sees it with their next command) and the bot
  does not claim "nothing was changed"; it stays up and answers the next command;
- an outbox message (reminder) is retried until sent; one whose answer was lost after Telegram
  delivered it (a timeout after the fact) is sent again: the only way not to lose it.
"""

from __future__ import annotations

from collections import Counter

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest

from bot.i18n.translation import I18n
from handlers.common import FAILED
from tests.e2e.emulator import EmulatorClient, stop
from tests.faults.conftest import TALLY, count_per_chat, person, reminders

I18N = I18n()


def ask(tg: EmulatorClient, chat_id: int, user, text: str, timeout: float = 30) -> str:  # type: ignore[no-untyped-def]
    """Sends ``text`` and returns the one new message in the chat."""
    before = len(tg.messages(chat_id))
    tg.send_message(user, text)
    return (tg.wait_for_messages(chat_id, before + 1, timeout=timeout)[before].get("text") or "")


async def test_emulator_timeouts_and_resets_through_ptb(emulator: EmulatorClient) -> None:
    user = person(1)
    emulator.send_message(user, "hi")
    request = HTTPXRequest(read_timeout=1.0)
    async with Bot(emulator.token, base_url=emulator.base_url, request=request) as bot:
        emulator.inject_timeout("sendMessage", chat_id=user.id, delay=5)
        with pytest.raises(TimedOut):
            await bot.send_message(user.id, "never stored")
        emulator.inject_connection_reset("sendMessage", chat_id=user.id)
        with pytest.raises(NetworkError):
            await bot.send_message(user.id, "never stored either")
        emulator.inject_timeout("sendMessage", chat_id=user.id, delay=5, applied=True)
        with pytest.raises(TimedOut):
            await bot.send_message(user.id, "delivered, answer lost")
        emulator.inject_connection_reset("sendMessage", chat_id=user.id, applied=True)
        with pytest.raises(NetworkError):
            await bot.send_message(user.id, "delivered, connection reset")
        assert (await bot.send_message(user.id, "fine")).text == "fine"
    assert [m["text"] for m in emulator.messages(user.id)] == [
        "delivered, answer lost", "delivered, connection reset", "fine"]
    faults = [(c.get("fault"), c.get("applied")) for c in emulator.calls("sendMessage")]
    assert faults == [("timeout", False), ("reset", False), ("timeout", True), ("reset", True), (None, None)]
    TALLY.from_emulator(emulator)


def test_replies_survive_429_500_timeouts_and_resets(make_bot, tg: EmulatorClient) -> None:  # type: ignore[no-untyped-def]
    bot = make_bot("sqlite", 4)
    process = bot.start()
    fr, es = person(3), person(2)  # member 3 reads French, member 2 Spanish
    en = person(1)
    t_fr, t_en = I18N.translator("fr"), I18N.translator("en")
    failed = {t_fr(FAILED), t_en(FAILED)}

    # 429 on the reply: AIORateLimiter waits retry_after and sends it again.
    tg.inject_flood_wait("sendMessage", retry_after=1, chat_id=fr.id)
    assert t_fr("<b>Your profile</b>") in ask(tg, fr.id, fr, "/me")
    assert [c.get("error_code") for c in tg.calls("sendMessage") if c["params"]["chat_id"] == fr.id] == [429, None]

    # getUpdates answering 500 twice, then a reset: the updater retries, commands still answered.
    tg.inject_server_error("getUpdates", times=2)
    tg.inject_connection_reset("getUpdates")
    assert t_fr("<b>Your profile</b>") in ask(tg, fr.id, fr, "/me")
    assert t_fr("<b>Your profile</b>") in ask(tg, fr.id, fr, "/me")
    served = [c.get("error_code") or c.get("fault") for c in tg.calls("getUpdates")]
    assert served.count(500) == 2 and served.count("reset") == 1, served

    # 500 on the reply to a change: the change is committed, the reply lost (logged), and
    # nobody is told that "nothing was changed". The next command shows the change.
    tg.inject_server_error("sendMessage", chat_id=en.id)
    before = len(tg.messages(en.id))
    tg.send_message(en, "/lang es")
    tg.wait_for(lambda: tg.calls("sendMessage"), lambda calls: any(
        c.get("error_code") == 500 for c in calls), timeout=30)
    t_es = I18N.translator("es")
    profile = ask(tg, en.id, en, "/me")
    assert t_es("<b>Your profile</b>") in profile
    assert [m["text"] for m in tg.messages(en.id)[before:]] == [profile]

    # A reply that times out (no answer within PTB's 5 s read timeout) or whose connection is
    # reset: lost and logged; the bot answers the next command.
    tg.inject_timeout("sendMessage", chat_id=es.id, delay=30)
    tg.inject_connection_reset("sendMessage", chat_id=fr.id)
    es_before, fr_before = len(tg.messages(es.id)), len(tg.messages(fr.id))
    tg.send_message(es, "/me")
    tg.send_message(fr, "/me")
    tg.wait_for(lambda: tg.calls("sendMessage"), lambda calls: sum(
        1 for c in calls if c.get("fault") in ("timeout", "reset")) == 2, timeout=30)
    assert t_es("<b>Your profile</b>") in ask(tg, es.id, es, "/me", timeout=40)
    assert t_fr("<b>Your profile</b>") in ask(tg, fr.id, fr, "/me")
    for chat, seen in ((es.id, es_before), (fr.id, fr_before)):
        assert not failed & {m["text"] for m in tg.messages(chat)[seen:]}
    assert process.poll() is None
    assert stop(process) == 0, bot.logs()
    assert "reply lost after commit" in bot.logs() or "message not delivered" in bot.logs()


def test_outbox_messages_are_retried_until_sent(make_bot, tg: EmulatorClient) -> None:  # type: ignore[no-untyped-def]
    size = 8
    bot = make_bot("sqlite", size)
    expected = {person(index).id for index in range(size)}
    a, b, c, d, e = (person(index).id for index in range(1, 6))
    tg.inject_server_error("sendMessage", chat_id=a)
    tg.inject_connection_reset("sendMessage", chat_id=b)
    tg.inject_timeout("sendMessage", chat_id=c, delay=30)
    tg.inject_flood_wait("sendMessage", retry_after=1, chat_id=d, times=4)  # outbox sends are not retried by AIORateLimiter: the dispatcher reschedules each
    tg.inject_timeout("sendMessage", chat_id=e, delay=30, applied=True)  # delivered, the answer lost
    process = bot.start()
    bot.plan_reminders()
    tg.wait_for(lambda: {m["chat_id"] for m in reminders(tg)}, lambda chats: chats >= expected, timeout=90)
    bot.wait_for_outbox({"sent": size}, timeout=30)
    lost, duplicates, per_chat = count_per_chat(tg, expected)
    TALLY.lost += lost
    TALLY.duplicates += duplicates
    TALLY.lost_answers_repeated += duplicates
    assert lost == 0
    assert per_chat == Counter({**{chat: 1 for chat in expected}, e: 2}), per_chat
    assert process.poll() is None
    assert stop(process) == 0, bot.logs()
