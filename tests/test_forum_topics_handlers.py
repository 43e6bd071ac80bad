"""A committee group with topics (a forum supergroup): the bot answers in the topic the command
or the button came from, as Telegram sends them (``message_thread_id`` with
``is_topic_message``); outside a topic, and in private, nothing changes."""

import time

from bot.telegram.offline import GROUP_CHAT
from storage.outbox import enqueue_text

FORUM = {**GROUP_CHAT, "is_forum": True}
TOPIC = 42


def _in_topic(bot, who: str, text: str, message_id: int) -> dict:  # type: ignore[no-untyped-def]
    return {"message": {"message_id": message_id, "date": int(time.time()), "chat": FORUM,
                        "from": bot.person(who).as_api(), "text": text, "message_thread_id": TOPIC,
                        "is_topic_message": True,
                        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}}


async def test_a_command_in_a_topic_is_answered_in_that_topic(bot):
    [reply] = await bot.chat.update(_in_topic(bot, "Bart", "/help", 301))
    assert (reply.chat_id, reply.thread_id) == (GROUP_CHAT["id"], TOPIC)


async def test_a_personal_answer_asked_in_a_topic_goes_privately_the_note_to_the_topic(bot):
    replies = await bot.chat.update(_in_topic(bot, "Samy", "/me", 302))
    private = [m for m in replies if m.chat_id == bot.person("Samy").telegram_id]
    note = [m for m in replies if m.chat_id == GROUP_CHAT["id"]]
    assert private and private[0].thread_id is None
    assert [m.thread_id for m in note] == [TOPIC]


async def test_a_refusal_in_a_topic_is_in_that_topic_too(bot):
    [refused] = await bot.chat.update(_in_topic(bot, "Samy", "/bindgroup", 303))
    assert refused.thread_id == TOPIC and "Only the chair" in refused.text


async def test_outside_topics_nothing_changes(bot):
    [reply] = await bot.send("Bart", "/help", group=True)
    assert reply.thread_id is None


async def _group_notice(bot) -> list:  # type: ignore[no-untyped-def]
    async with bot.services.db.transaction() as session:
        await enqueue_text(session, bot.clock.now, "announcement", chat_id=GROUP_CHAT["id"])
    return await bot.dispatch()


async def test_bindgroup_in_a_topic_sends_announcements_and_minutes_there(bot):
    [bound] = await bot.chat.update(_in_topic(bot, "Bart", "/bindgroup", 304))
    assert bound.thread_id == TOPIC and "this topic" in bound.text
    [notice] = await _group_notice(bot)
    assert (notice.chat_id, notice.thread_id) == (GROUP_CHAT["id"], TOPIC)
    await bot.send("Bart", "/bindgroup", chat=FORUM)  # in General: back to General
    [notice] = await _group_notice(bot)
    assert notice.thread_id is None


async def test_private_rows_never_carry_the_group_topic(bot):
    await bot.chat.update(_in_topic(bot, "Bart", "/bindgroup", 305))
    samy = await bot.member("Samy")
    async with bot.services.db.transaction() as session:
        await enqueue_text(session, bot.clock.now, "private", recipient=samy)
    [sent] = await bot.dispatch()
    assert sent.chat_id == bot.person("Samy").telegram_id and sent.thread_id is None
