"""The committee's group chat: registering it, and leaving any group that is not it."""

from telegram import Update
from telegram.ext import Application, ChatMemberHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.services import members
from bot.domain.access import has_access
from bot.i18n.translation import N_
from handlers.common import UNREGISTERED_GROUP, CommandSpec, Env, command

COMMANDS = [
    CommandSpec("bindgroup", N_("Register this group as the committee's group (in the group)"),
                access="chair"),
]


@command(access="chair", any_group=True)
async def bindgroup(env: Env) -> None:
    if not env.in_group:
        env.reply(env.t("Send /bindgroup inside the group you want to register."))
        return
    previous = env.committee.group_chat_id
    env.committee.group_chat_id = env.chat_id
    await members.audit(env.session, env.member, "committee.group_bound", "committee",
                        env.committee.id, replaced=previous is not None and previous != env.chat_id)
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
    """Messages in the registered group that no other handler wanted are ignored."""


def _joined(update: Update) -> bool:
    change = update.my_chat_member
    return (change is not None and change.chat.type != "private"
            and change.old_chat_member.status in ("left", "kicked")
            and change.new_chat_member.status in ("member", "administrator"))


async def bot_membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if _joined(update):
        await added_to_group(update, context)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("bindgroup", bindgroup))
    application.add_handler(ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))


def register_fallback(application: Application) -> None:
    """Last in line: in an unregistered group any message makes the bot leave. Service messages
    (someone joined, the title changed...) are not messages from people: when the chair adds
    the bot, the "new member" notice must not make it leave before /bindgroup."""
    application.add_handler(MessageHandler(filters.ChatType.GROUPS & ~filters.StatusUpdate.ALL,
                                           unhandled_group_message))
