"""What Telegram does to the committee's group under the bot, sent as Telegram sends it: the
group upgraded to a supergroup (two service messages, or a send refused with the new id), the
bot removed from the group or refused there. The binding follows, nothing queues forever, and
the chair is told once, in their language."""

import time
from datetime import timedelta

from sqlalchemy import select

from bot.services.group_chat import GROUP_LOST, GROUP_MOVED
from bot.telegram.offline import BOT_USER, GROUP_CHAT
from storage.models import Committee, OutboxMessage
from storage.outbox import enqueue_text

OLD = {"id": -4518810793, "type": "group", "title": "INSP!R steering committee",
       "all_members_are_administrators": False}
NEW_ID = -1002471352452
NEW = {"id": NEW_ID, "type": "supergroup", "title": "INSP!R steering committee"}
ANONYMOUS = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}


async def _bound_to_basic_group(bot) -> None:  # type: ignore[no-untyped-def]
    await bot.chat.joined_group(bot.person("Bart"), OLD)
    [reply] = await bot.send("Bart", "/bindgroup", chat=OLD)
    assert "registered group" in reply.text


async def _owe_group(bot, chat_id: int, text: str, later: timedelta = timedelta(0)) -> None:  # type: ignore[no-untyped-def]
    async with bot.services.db.transaction() as session:
        await enqueue_text(session, bot.clock.now + later, text, chat_id=chat_id)


async def _group_id(bot) -> int | None:  # type: ignore[no-untyped-def]
    async with bot.services.db.reading() as session:
        return (await session.scalar(select(Committee))).group_chat_id


async def _rows(bot, kind: str) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    async with bot.services.db.reading() as session:
        return list(await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def _migrate_to(bot) -> dict:  # type: ignore[no-untyped-def]
    """The service message in the old group (from the admin who turned the setting on)."""
    return {"message": {"message_id": 153, "date": int(time.time()), "chat": OLD,
                        "from": bot.person("Bart").as_api(), "migrate_to_chat_id": NEW_ID}}


def _migrate_from() -> dict:
    """The first message of the new supergroup (Telegram signs it GroupAnonymousBot, as the group)."""
    return {"message": {"message_id": 1, "date": int(time.time()), "chat": NEW, "from": ANONYMOUS,
                        "sender_chat": NEW, "migrate_from_chat_id": OLD["id"]}}


def _joined_new(bot, who: str = "Samy") -> dict:  # type: ignore[no-untyped-def]
    """The bot "joins" the new supergroup, signed by the admin who changed the setting."""
    return {"my_chat_member": {
        "chat": NEW, "from": bot.person(who).as_api(), "date": int(time.time()),
        "old_chat_member": {"status": "left", "user": BOT_USER},
        "new_chat_member": {"status": "member", "user": BOT_USER}}}


async def test_group_upgraded_to_a_supergroup_moves_binding_and_owed_rows_chair_told_once(bot):
    await _bound_to_basic_group(bot)
    await bot.send("Bart", "/lang fr")
    await _owe_group(bot, OLD["id"], "agenda later", later=timedelta(hours=1))
    [notice] = await bot.chat.update(_migrate_to(bot))  # nothing said in the dead chat
    assert await bot.chat.update(_migrate_from()) == []  # nor a second notice
    assert await _group_id(bot) == NEW_ID
    assert notice.chat_id == bot.person("Bart").telegram_id
    assert "supergroupe" in notice.text  # in the chair's language
    assert len(await _rows(bot, GROUP_MOVED)) == 1  # one chair, told once for both messages
    bot.clock.advance(timedelta(hours=1))
    [agenda] = await bot.dispatch()
    assert (agenda.chat_id, agenda.text) == (NEW_ID, "agenda later")
    replies = await bot.send("Samy", "/members", chat=NEW)  # the new group is the registered one
    assert NEW_ID not in bot.api.left_chats and replies


async def test_migration_seen_only_in_the_new_supergroup_is_followed_too(bot):
    await _bound_to_basic_group(bot)
    await bot.chat.update(_migrate_from())
    assert await _group_id(bot) == NEW_ID


async def test_joining_the_new_supergroup_first_follows_the_migration_and_stays(bot):
    await _bound_to_basic_group(bot)
    bot.api.migrated_chats[OLD["id"]] = NEW_ID  # what Telegram answers about the old group now
    [notice] = await bot.chat.update(_joined_new(bot))  # a plain member turned history on
    assert notice.chat_id == bot.person("Bart").telegram_id
    assert NEW_ID not in bot.api.left_chats and await _group_id(bot) == NEW_ID
    assert await bot.chat.update(_migrate_to(bot)) == [] and await bot.chat.update(_migrate_from()) == []
    assert len(await _rows(bot, GROUP_MOVED)) == 1


async def test_a_member_adding_the_bot_to_another_supergroup_still_makes_it_leave(bot):
    await _bound_to_basic_group(bot)
    [reply] = await bot.chat.update(_joined_new(bot))
    assert "not the committee's registered group" in reply.text and NEW_ID in bot.api.left_chats
    assert await _group_id(bot) == OLD["id"]


async def test_migration_of_another_group_changes_nothing(bot):
    await bot.chat.update(_migrate_to(bot))
    assert await _group_id(bot) == GROUP_CHAT["id"]
    assert await _rows(bot, GROUP_MOVED) == []


async def test_send_refused_as_upgraded_follows_the_new_id_and_sends_there(bot):
    await _bound_to_basic_group(bot)
    bot.api.migrated_chats[OLD["id"]] = NEW_ID  # the service messages never arrived
    await _owe_group(bot, OLD["id"], "announcement")
    await _owe_group(bot, OLD["id"], "agenda later", later=timedelta(hours=1))
    sent = await bot.dispatch()
    assert [(m.chat_id, m.text) for m in sent if m.chat_id < 0] == [(NEW_ID, "announcement")]
    assert [m.chat_id for m in sent if m.chat_id > 0] == [bot.person("Bart").telegram_id]
    assert await _group_id(bot) == NEW_ID
    bot.clock.advance(timedelta(hours=1))
    [agenda] = await bot.dispatch()
    assert agenda.chat_id == NEW_ID


def _removed(bot, status: str, chat: dict = GROUP_CHAT) -> dict:  # type: ignore[no-untyped-def]
    return {"my_chat_member": {
        "chat": chat, "from": bot.person("Samy").as_api(), "date": int(time.time()),
        "old_chat_member": {"status": "member", "user": BOT_USER},
        "new_chat_member": {"status": status, "user": BOT_USER, **({"until_date": 0} if status == "kicked" else {})}}}


async def test_bot_removed_from_the_group_unbinds_it_cancels_what_was_owed_chair_told_once(bot):
    await _owe_group(bot, GROUP_CHAT["id"], "agenda later", later=timedelta(hours=1))
    [notice] = await bot.chat.update(_removed(bot, "kicked"))
    assert await _group_id(bot) is None
    assert notice.chat_id == bot.person("Bart").telegram_id and "/bindgroup" in notice.text
    [row] = await _rows(bot, "message")
    assert row.state == "cancelled"
    await bot.chat.update(_removed(bot, "left"))  # a second notice of the same loss
    assert len(await _rows(bot, GROUP_LOST)) == 1
    await bot.send("Bart", "/newmeeting 2026-12-01 14:00 Budget")  # fan-outs no longer queue to it
    bot.clock.advance(timedelta(days=2))
    await bot.dispatch()
    async with bot.services.db.reading() as session:
        assert await session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == GROUP_CHAT["id"],
                                                                OutboxMessage.state == "pending")) is None


async def test_bot_muted_in_the_group_is_the_group_lost_and_a_mere_demotion_is_not(bot):
    demoted = _removed(bot, "member")
    demoted["my_chat_member"]["old_chat_member"] = {"status": "administrator", "user": BOT_USER,
                                                    "can_be_edited": False, "is_anonymous": False,
                                                    "can_manage_chat": True, "can_delete_messages": True,
                                                    "can_manage_video_chats": True, "can_restrict_members": True,
                                                    "can_promote_members": False, "can_change_info": True,
                                                    "can_invite_users": True, "can_post_stories": False,
                                                    "can_edit_stories": False, "can_delete_stories": False}
    assert await bot.chat.update(demoted) == [] and await _group_id(bot) == GROUP_CHAT["id"]
    rights = ("can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
              "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
              "can_send_other_messages", "can_add_web_page_previews", "can_change_info",
              "can_invite_users", "can_pin_messages", "can_manage_topics", "can_edit_tag",
              "can_react_to_messages")
    muted = _removed(bot, "restricted")
    muted["my_chat_member"]["new_chat_member"].update({"is_member": True, "until_date": 0,
                                                       **{right: False for right in rights}})
    [notice] = await bot.chat.update(muted)
    assert notice.chat_id == bot.person("Bart").telegram_id and await _group_id(bot) is None


async def test_bot_removed_from_another_group_changes_nothing(bot):
    await bot.chat.update(_removed(bot, "left", {"id": -100777, "type": "supergroup", "title": "x"}))
    assert await _group_id(bot) == GROUP_CHAT["id"]


async def test_forbidden_in_the_group_unbinds_it_and_tells_the_chair_once(bot):
    bot.api.kicked_chats.add(GROUP_CHAT["id"])  # the update saying so was lost
    await _owe_group(bot, GROUP_CHAT["id"], "announcement")
    await _owe_group(bot, GROUP_CHAT["id"], "second")
    await _owe_group(bot, GROUP_CHAT["id"], "agenda later", later=timedelta(hours=1))
    [notice] = await bot.dispatch()
    assert notice.chat_id == bot.person("Bart").telegram_id and "/bindgroup" in notice.text
    assert await _group_id(bot) is None
    states = sorted(row.state for row in await _rows(bot, "message"))
    assert states == ["cancelled", "cancelled", "failed"]  # tried once; nothing left pending
    assert len(await _rows(bot, GROUP_LOST)) == 1


def _left(bot, who: str, message_id: int, by: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    gone = bot.person(who).as_api()
    return {"message": {"message_id": message_id, "date": int(time.time()), "chat": GROUP_CHAT,
                        "from": bot.person(by or who).as_api(), "left_chat_member": gone}}


async def test_a_member_leaving_the_group_is_told_to_the_chair_once_and_still_reached(bot):
    await bot.send("Bart", "/lang fr")
    told = await bot.chat.update(_left(bot, "Samy", 901)) + await bot.dispatch()
    [notice] = [m for m in told if m.chat_id == bot.person("Bart").telegram_id]
    assert notice.text == ("Samy Arokiasamy a quitté le groupe du comité (ou en a été retiré·e). Ses messages "
                           "privés, rappels et procès-verbaux lui parviennent toujours. Si cette personne a quitté "
                           "le comité, enregistrez-le avec /depart Samy Arokiasamy.")
    assert not [m for m in told if m.chat_id == GROUP_CHAT["id"]]  # nothing said in the group
    again = await bot.chat.update(_left(bot, "Samy", 901)) + await bot.dispatch()  # the same update again
    assert not [m for m in again if m.chat_id == bot.person("Bart").telegram_id]
    removed = await bot.chat.update(_left(bot, "Ingrid", 902, by="Bart")) + await bot.dispatch()
    assert [m for m in removed if "Ingrid Mulamba a quitté" in m.text]
    stranger = {"id": 4242, "is_bot": False, "first_name": "Visitor"}
    visit = {"message": {"message_id": 903, "date": int(time.time()), "chat": GROUP_CHAT, "from": stranger,
                         "left_chat_member": stranger}}
    assert await bot.chat.update(visit) + await bot.dispatch() == []  # not on the roster: nobody is told
    [reply] = await bot.send("Samy", "/mytasks")  # still reached in private
    assert "action" in reply.text.lower()


async def test_a_member_naming_the_bot_without_mentioning_it_learns_how_to_ask(bot):
    """Where the bot sees every group message (privacy off, or an admin), it stays silent on the
    conversation, but a question that names it without the @ is not silently dropped."""
    assert await bot.send("Samy", "Hello everyone, see you on Thursday", group=True) == []
    assert await bot.send("Samy", "I asked the robot yesterday", group=True) == []
    [hint] = await bot.send("Ingrid", "inspir_bot qui est la présidente ?", group=True)
    assert hint.chat_id == GROUP_CHAT["id"]
    assert "@inspir_bot" in hint.text and "répondez à l’un de mes messages" in hint.text
    assert await bot.send(bot.stranger("fr"), "inspir bot, hello", group=True) == []
