"""A command from an anonymous group admin, as Telegram sends it (signed GroupAnonymousBot, the
group as sender_chat): nobody can tell which admin sent it, so it is answered, never run as
the chair's nor ignored as a stranger's."""


from sqlalchemy import func, select

from bot.telegram.offline import GROUP_CHAT
from tests.harness import raw_message
from storage.models import Committee, Meeting

ANONYMOUS = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
SENDER_CHAT = {"id": GROUP_CHAT["id"], "title": GROUP_CHAT["title"], "type": "supergroup"}



async def _count(bot, model) -> int:  # type: ignore[no-untyped-def]
    async with bot.services.db.reading() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_anonymous_admin_command_is_answered_never_run_as_the_chair(bot):
    update = {"update_id": 7_000_001, "message": raw_message(77, ANONYMOUS, "/newmeeting 2026-12-01 14:00 Budget",
                                                          GROUP_CHAT, sender_chat=SENDER_CHAT)}
    [reply] = await bot.chat.update(update)
    assert reply.chat_id == GROUP_CHAT["id"] and "anonymously" in reply.text and "private chat" in reply.text
    assert await _count(bot, Meeting) == 0
    assert GROUP_CHAT["id"] not in bot.api.left_chats
    assert await bot.chat.update(update) == []  # the same update redelivered: answered once


async def test_anonymous_admin_is_answered_in_the_committee_language(bot):
    async with bot.services.db.transaction() as session:
        (await session.scalar(select(Committee))).default_language = "es"
    update = {"message": raw_message(78, ANONYMOUS, "/decide@inspir_bot Adopted", GROUP_CHAT,
                                  sender_chat=SENDER_CHAT)}
    [reply] = await bot.chat.update(update)
    assert "anónima" in reply.text


async def test_anonymous_admin_plain_text_and_channel_posts_stay_quiet(bot):
    plain = {"message": raw_message(79, ANONYMOUS, "Hello all", GROUP_CHAT, sender_chat=SENDER_CHAT)}
    assert await bot.chat.update(plain) == []
