"""First contact: /start (with an invitation code or not) and /help; what no other area takes
(unknown commands and buttons, edited commands)."""

from telegram import Update
from telegram.ext import (
    Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters,
)

from bot.domain.notify import ALWAYS
from bot.services import Services, members
from storage import conversation_state, outbox
from bot.domain.access import has_access
from bot.domain.command_names import suggest_commands
from bot.i18n.translation import N_
from bot.input.callbacks import callback_args
from handlers.common import (
    BUTTON_EXPIRED, CHAIR_ONLY, EDITS_GROUP, NOT_ALLOWED, REFUSAL, CommandSpec, Env, button, command,
)
from storage.models import Member

COMMANDS = [
    CommandSpec("start", N_("Start talking with the bot"), access="anyone", chats="private"),
    CommandSpec("help", N_("What the bot can do for you"), access="anyone"),
]


@command(access=None)
async def start(env: Env) -> None:
    if env.args:
        if env.in_group:
            return
        assert env.sender is not None
        redeemed = await members.redeem_invite(env.session, env.args[0], env.sender, env.now)
        member = redeemed.member
        if redeemed.outcome is members.InviteOutcome.LINKED and member is not None:
            env.member = member
            env.menus_changed.add(member.id)
            env.t = env.translator_for(member)
            env.reply(env.t("Welcome, {name}! Your Telegram account is now linked to the committee "
                            "roster. Send /help to see what I can do.", name=member.name))
            await _announce_link(env, member, redeemed)
        elif redeemed.outcome is members.InviteOutcome.ACCOUNT_TAKEN:
            env.reply(env.t("This Telegram account is already linked to another member of the roster. "
                            "Ask the chair to sort it out."))
        else:
            env.reply(env.t("This invitation link is not valid or has expired. "
                            "Ask the chair for a new one."))
        return
    if env.member is None:
        env.reply(env.t(REFUSAL))
        return
    env.reply(env.t("Hello {name}! I help the INSP!R steering committee with its roster, meetings "
                    "across time zones, reminders, decisions and action items. "
                    "Send /help to see what I can do.", name=env.member.name))


JOINED = N_("{name} joined the bot through the invitation from {inviter}.")
FORMER_INVITER = N_("a former member")
REPLACED = N_("This Telegram account is no longer linked to {name} in the committee roster: another "
              "account was linked through an invitation. If you did not expect this, tell the chair.")


async def _announce_link(env: Env, member: Member, redeemed: members.Redeemed) -> None:
    """The chair and the secretariat learn who joined; a replaced account learns it was replaced."""
    for keeper in await members.roster_keepers(env.session):
        if keeper.id != member.id:
            kt = env.translator_for(keeper)
            await env.tell(keeper, kt(JOINED, name=member.name, inviter=redeemed.inviter.name
                                      if redeemed.inviter else kt(FORMER_INVITER)), ref=("member", member.id),
                           topic=ALWAYS)
    if redeemed.previous_account is not None:
        mt = env.translator_for(member)
        await outbox.enqueue_text(env.session, env.now, mt(REPLACED, name=member.name),
                                  chat_id=redeemed.previous_account, ref_type="member", ref_id=member.id)
        env.owes_messages = True


HELP_LEVELS = ("secretariat", "chair")
HELP_TITLES = {"member": N_("<b>What I can do for you</b>"),
               "secretariat": N_("<b>For the secretariat and the chair</b>"),
               "chair": N_("<b>For the chair only</b>")}
HELP_LINE = N_("/{command}: {description}")  # French puts a space before the colon
HELP_BUTTONS = {"secretariat": N_("Secretariat commands"), "chair": N_("Chair commands")}


def _help_page(env: Env, level: str) -> str:
    """The commands that need exactly ``level``: each page stays well under Telegram's 4,096
    characters in every language, so /help is one message, not a wall cut in two."""
    wanted = ("anyone", "member") if level == "member" else (level,)
    lines = [env.t(HELP_TITLES[level])]
    lines += [env.t(HELP_LINE, command=spec.name, description=env.t(spec.description))
              for spec in env.commands if spec.access in wanted]
    return "\n".join(lines)


@command(access=None)
async def help_command(env: Env) -> None:
    if env.member is None:
        env.reply(env.t(REFUSAL))
        return
    more = [level for level in HELP_LEVELS if has_access(env.member.access, level)]
    buttons = [[(env.t(HELP_BUTTONS[level]), f"help:{level}") for level in more]] if more else None
    env.reply(_help_page(env, "member"), buttons)


@button(access=None)
async def help_button(env: Env) -> None:
    """The secretariat's and the chair's commands, on request: rights are checked again, so a
    forged or forwarded button shows a member nothing more."""
    parts = callback_args(env.data, "help", 1)
    if env.member is None or parts is None or parts[0] not in HELP_LEVELS:
        env.toast = env.t(BUTTON_EXPIRED)
    elif not has_access(env.member.access, parts[0]):
        env.toast = env.t(CHAIR_ONLY if parts[0] == "chair" else NOT_ALLOWED)
    else:
        env.reply(_help_page(env, parts[0]))


EDIT_NOT_TAKEN = N_("I do not take edited messages: the command as you first sent it stands, and "
                    "the record keeps what it said. To change something, send a new command (in a "
                    "meeting record, /undo removes your last entry).")


EDIT_IN_DIALOGUE = N_("I do not take edited messages: your first answer stands. If it was wrong, "
                      "press Cancel and start again.")


@command(access="member")
async def edited_command(env: Env) -> None:
    env.reply(env.t(EDIT_NOT_TAKEN))


@command(access="member")
async def edited_answer(env: Env) -> None:
    env.reply(env.t(EDIT_IN_DIALOGUE))


async def _edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram sends an edited message as a new update: run again, an edited /decide would
    record a second decision (and an edited answer in a dialogue would answer the next
    question); ignored, members would read one text and the record hold another. An edited
    question outside a dialogue is simply answered again."""
    message, user = update.edited_message, update.effective_user
    if message is None or user is None:
        return
    if (message.text or "").startswith("/"):
        await edited_command(update, context)
        raise ApplicationHandlerStop
    services: Services = context.bot_data["services"]
    async with services.db.reading() as session:
        under_way = await conversation_state.in_dialogue(session, message.chat.id, user.id, services.clock())
    if under_way is not None:
        await edited_answer(update, context)
        raise ApplicationHandlerStop


def register(application: Application) -> None:
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, _edited),
                            group=EDITS_GROUP)
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CallbackQueryHandler(help_button, pattern=r"^help:"))


@command(access=None)
async def unknown_private_message(env: Env) -> None:
    if env.member is None:
        env.reply(env.t(REFUSAL))
        return
    if not env.text.startswith("/"):
        return
    typed = env.text.split(maxsplit=1)[0][1:].split("@", 1)[0]
    known = [spec.name for spec in env.commands if spec.chats != "group"
             and (spec.access == "anyone" or has_access(env.member.access, spec.access))]
    suggestions = suggest_commands(typed, known)
    if suggestions:
        env.reply(env.t("I do not know the command /{typed}. Did you mean {suggestions}? Send /help for the list.",
                        typed=typed[:40], suggestions=" ".join(f"/{name}" for name in suggestions)))
    else:
        env.reply(env.t("I do not know that command. Send /help for the list."))


@button()
async def unknown_button(env: Env) -> None:
    """Data no button handler claims (forged, or a button of a retired version): answered, so
    the client stops spinning, and nothing done."""
    env.toast = env.t(BUTTON_EXPIRED)


def register_fallback(application: Application) -> None:
    """Last in line: whatever no other handler took, in a private chat (other text is a
    question for handlers/lookup.py; a command no area knows gets the closest of the sender's
    commands), and any button no area claims."""
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE, unknown_private_message))
    application.add_handler(CallbackQueryHandler(unknown_button))
