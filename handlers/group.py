"""The committee's group chat: registering it, leaving any group that is not it, and following
what Telegram does to it (upgraded to a supergroup, the bot removed or muted, a member leaving)."""

import logging

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ChatID
from telegram.error import ChatMigrated, TelegramError
from telegram.ext import (
    Application, ApplicationHandlerStop, ChatMemberHandler, CommandHandler, ContextTypes, MessageHandler, filters,
)

from bot.delivery.dispatcher import Rendered, Skip
from bot.delivery.sending import Outgoing
from bot.domain.access import choose_language, has_access
from bot.domain.names import fold
from bot.i18n.translation import N_, Translator
from bot.logsafe import describe_exception
from bot.services import Services, members
from bot.services.group_chat import (
    GROUP_LOST, GROUP_MOVED, MEMBER_LEFT_GROUP, TOPIC_LOST, follow_migration, lose_group, member_left_group,
)
from handlers.common import SENDERS_GROUP, UNREGISTERED_GROUP, CommandSpec, Env, command, deliver, first_delivery
from storage.models import Member, OutboxMessage

log = logging.getLogger("inspir.group")
ANONYMOUS_ADMIN = N_("This command was sent anonymously, as the group, so I cannot tell who sent it "
                     "and I did nothing. Chair or secretariat: send it to me in a private chat, or "
                     "turn off “Remain anonymous” in your administrator rights in this group and "
                     "send it again.")

COMMANDS = [
    CommandSpec("bindgroup", N_("Register this group as the committee's group (in the group)"),
                access="chair", chats="group"),
]


@command(access="chair", any_group=True)
async def bindgroup(env: Env) -> None:
    if not env.in_group:
        env.reply(env.t("Send /bindgroup inside the group you want to register."))
        return
    previous = env.committee.group_chat_id
    env.committee.group_chat_id = env.chat_id
    env.committee.group_thread_id = env.thread_id  # sent in a topic: announcements go to it
    await members.audit(env.session, env.member, "committee.group_bound", "committee",
                        env.committee.id, replaced=previous is not None and previous != env.chat_id,
                        topic=env.thread_id)
    if env.thread_id is not None:
        env.reply(env.t("This group is now the committee's registered group: announcements, "
                        "agendas and minutes will be posted in this topic. Send /bindgroup in "
                        "another topic to move them there."))
        return
    env.reply(env.t("This group is now the committee's registered group: announcements and "
                    "agendas will be posted here."))


@command(access=None, any_group=True)
async def added_to_group(env: Env) -> None:
    """Stay where the chair or secretariat brought the bot (to be bound); leave anywhere else."""
    if env.chat_id == env.committee.group_chat_id:
        return
    if env.member is not None and has_access(env.member.access, "secretariat"):
        env.reply(env.t("Hello! The chair can register this group as the committee's group with /bindgroup."))
        return
    env.reply(env.t(UNREGISTERED_GROUP))
    env.leave_chat = True


@command(access=None)
async def unhandled_group_message(env: Env) -> None:
    """Messages in the registered group that no other handler wanted are ignored, except one
    from a member that names the bot without mentioning it ("inspir_bot, who is the chair?"):
    they learn how to ask. With Telegram's privacy mode on, the bot sees only commands,
    mentions and replies; this arises where it sees more (privacy off, or the bot an admin)."""
    if env.member is not None and env.bot_username and f" {fold(env.bot_username)} " in f" {fold(env.text)} ":
        env.reply(env.t("In the group I answer only when I am mentioned or replied to: write @{username} in "
                        "your question, or reply to one of my messages.",
                        username=env.bot_username))


def _joined(update: Update) -> bool:
    change = update.my_chat_member
    return (change is not None and change.chat.type != "private"
            and change.old_chat_member.status in ("left", "kicked")
            and change.new_chat_member.status in ("member", "administrator"))


def _removed(update: Update) -> str | None:
    """Why the bot can no longer post in this group ("left", "kicked", "restricted"), or None."""
    change = update.my_chat_member
    if change is None or change.chat.type == "private":
        return None
    new = change.new_chat_member
    if change.old_chat_member.status in ("left", "kicked"):
        return None
    if new.status in ("left", "kicked"):
        return new.status
    if new.status == "restricted" and not getattr(new, "can_send_messages", True):
        return "restricted"
    return None


async def _follow(services: Services, action) -> bool:  # type: ignore[no-untyped-def]
    """Run ``action(session)`` in its own transaction; these updates have no member behind them
    (Telegram sends them, or an admin acted in the group's settings) and are idempotent."""
    async with services.db.transaction() as session:
        return await action(session)


async def _joined_by_migration(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Telegram tells the bot it "joined" the new supergroup when the committee's group is
    upgraded, maybe before the service messages, and signed by whoever changed the setting: so
    as not to leave it as an unregistered group, ask Telegram about the bound group; a
    migrated group answers with its new id, and if that is this chat the binding follows."""
    change = update.my_chat_member
    services: Services = context.bot_data["services"]
    if change is None or change.chat.type != "supergroup":
        return False
    async with services.db.reading() as session:
        bound = (await members.committee(session)).group_chat_id
    if bound is None or bound == change.chat.id:
        return False
    try:
        await context.bot.get_chat(bound)
    except ChatMigrated as migrated:
        if migrated.new_chat_id != change.chat.id:
            return False
        if await _follow(services, lambda s: follow_migration(s, bound, change.chat.id, services.clock())):
            context.bot_data["dispatcher"].wake()
        return True
    except TelegramError:
        return False
    return False


async def bot_membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if _joined(update):
        if not await _joined_by_migration(update, context):
            await added_to_group(update, context)
        return
    reason = _removed(update)
    if reason is None:
        return
    services: Services = context.bot_data["services"]
    chat_id = update.my_chat_member.chat.id  # type: ignore[union-attr]
    try:
        if await _follow(services, lambda s: lose_group(s, chat_id, services.clock(), reason)):
            log.warning("the bot can no longer post in the committee's group (%s)", reason)
            context.bot_data["dispatcher"].wake()
    except Exception as error:  # noqa: BLE001 - the next refused send unbinds the group too
        log.error("could not record the group as lost: %s", describe_exception(error))


async def group_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The service message of a group upgraded to a supergroup: ``migrate_to_chat_id`` in the
    old group, ``migrate_from_chat_id`` in the new supergroup; whichever comes first moves
    the binding (the other finds it moved already)."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    services: Services = context.bot_data["services"]
    try:
        if await _follow(services, lambda s: follow_migration(s, old, new, services.clock())):
            log.info("the committee's group became a supergroup: binding moved")
            context.bot_data["dispatcher"].wake()
    except Exception as error:  # noqa: BLE001 - the next send to the old id follows it too
        log.error("could not follow the group's migration: %s", describe_exception(error))


async def member_left(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram's service message when someone leaves the group or is removed (sent to bots in
    every privacy mode): a roster member leaving the committee's group is told to the chairs."""
    message = update.effective_message
    gone = message.left_chat_member if message else None
    if message is None or gone is None or gone.is_bot:
        return  # the bot itself leaving is a my_chat_member update (bot_membership_changed)
    services: Services = context.bot_data["services"]
    try:
        if await _follow(services, lambda s: member_left_group(s, message.chat.id, gone.id, message.message_id,
                                                               services.clock())):
            context.bot_data["dispatcher"].wake()
    except Exception as error:  # noqa: BLE001 - a lost notice is not worth the update
        log.error("could not record a member leaving the group: %s", describe_exception(error))


async def anonymous_admin_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command from an anonymous group admin: Telegram signs it ``GroupAnonymousBot`` with the
    group itself as ``sender_chat``, so nothing says which admin sent it (the chair or anyone
    else; their button presses do carry their own id). Answered once, in the committee's
    language, and run by no other handler."""
    message = update.effective_message
    if message is None or message.sender_chat is None or message.sender_chat.id != message.chat.id:
        return  # a channel's automatic forward, or another bot: not an admin hiding
    services: Services = context.bot_data["services"]
    try:
        if not await first_delivery(services, update.update_id):
            raise ApplicationHandlerStop
        async with services.db.reading() as session:
            lang = (await members.committee(session)).default_language
    except ApplicationHandlerStop:
        raise
    except Exception as error:  # noqa: BLE001 - the database is down: answer anyway
        log.error("anonymous admin command not recorded: %s", describe_exception(error))
        lang = services.settings.committee.default_language
    text = services.i18n.translator(lang)(ANONYMOUS_ADMIN)
    try:
        await deliver(context.bot, Outgoing(message.chat.id, text, thread_id=message.message_thread_id
                                            if message.is_topic_message else None))
    except TelegramError as error:
        log.warning("could not answer an anonymous admin: %s", type(error).__name__)
    raise ApplicationHandlerStop


async def _chair_reader(session: AsyncSession, row: OutboxMessage, services: Services) -> tuple[Member, Translator]:
    chair = await session.get(Member, row.recipient_id) if row.recipient_id else None
    if chair is None or not chair.active or not chair.telegram_id:
        raise Skip("failed", "recipient has no Telegram account")
    default = (await members.committee(session)).default_language
    lang = choose_language(chair.chosen_language, chair.language, None, default)
    return chair, services.i18n.translator(lang)


# What the chair is told when Telegram changes the committee's group, one message per kind.
GROUP_NOTICES = {
    GROUP_MOVED: (N_("Telegram upgraded the committee's group to a supergroup, which gave it a new chat "
                     "id. I followed it: announcements, agendas and minutes go to the group as before, "
                     "including those that were waiting. Nothing is needed from you."),),
    GROUP_LOST: (N_("I can no longer post in the committee's group: I was removed from it or may not "
                    "write there."),
                 N_("Announcements, agendas and minutes are not posted in any group until you add "
                    "me back and send /bindgroup in the group; members still get their private "
                    "messages.")),
    TOPIC_LOST: (N_("The topic of the committee's group where I posted announcements, agendas and "
                    "minutes was deleted or closed: I post them in General now. To choose another "
                    "topic, send /bindgroup in it."),),
}


async def render_group_notice(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    chair, t = await _chair_reader(session, row, services)
    return Rendered(chair.telegram_id, "\n".join(t(line) for line in GROUP_NOTICES[row.kind]))  # type: ignore[arg-type]


LEFT_GROUP = N_("{name} left the committee's group (or was removed from it). Their private messages, "
                "reminders and minutes still reach them. If they have left the committee, record it with "
                "/depart {name}.")


async def render_member_left(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    chair, t = await _chair_reader(session, row, services)
    member = await session.get(Member, int(row.payload.get("member_id", 0)))
    if member is None or not member.active:
        raise Skip("cancelled", "no longer a member")
    return Rendered(chair.telegram_id, t(LEFT_GROUP, name=member.name))


RENDERERS = {**{kind: render_group_notice for kind in GROUP_NOTICES}, MEMBER_LEFT_GROUP: render_member_left}


def register(application: Application) -> None:
    application.add_handler(CommandHandler("bindgroup", bindgroup))
    application.add_handler(ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated))
    application.add_handler(MessageHandler(filters.StatusUpdate.LEFT_CHAT_MEMBER, member_left))
    application.add_handler(MessageHandler(filters.COMMAND & filters.User(ChatID.ANONYMOUS_ADMIN),
                                           anonymous_admin_command), group=SENDERS_GROUP)


def register_fallback(application: Application) -> None:
    """Last in line: in an unregistered group any message makes the bot leave. Service messages
    (someone joined, the title changed...) are not messages from people: when the chair adds
    the bot, the "new member" notice must not make it leave before /bindgroup."""
    application.add_handler(MessageHandler(filters.ChatType.GROUPS & ~filters.StatusUpdate.ALL,
                                           unhandled_group_message))
