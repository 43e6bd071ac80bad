"""First contact: /start (with an invitation code or not) and /help."""

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.services import members
from bot.domain.access import has_access
from bot.i18n.translation import N_
from handlers.common import BUTTON_EXPIRED, REFUSAL, CommandSpec, Env, button, command

COMMANDS = [
    CommandSpec("start", N_("Start talking with the bot"), access="anyone"),
    CommandSpec("help", N_("What the bot can do for you"), access="anyone"),
]


@command(access=None)
async def start(env: Env) -> None:
    if env.args:
        if env.in_group:
            return
        assert env.sender is not None
        outcome, member = await members.redeem_invite(env.session, env.args[0], env.sender, env.now)
        if outcome is members.InviteOutcome.LINKED and member is not None:
            env.member = member
            env.t = env.translator_for(member)
            env.reply(env.t("Welcome, {name}! Your Telegram account is now linked to the committee "
                            "roster. Send /help to see what I can do.", name=member.name))
        elif outcome is members.InviteOutcome.ACCOUNT_TAKEN:
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


@command(access=None)
async def help_command(env: Env) -> None:
    from handlers import all_commands

    if env.member is None:
        env.reply(env.t(REFUSAL))
        return
    lines = [env.t("<b>What I can do for you</b>")]
    for spec in all_commands():
        if spec.access == "anyone" or has_access(env.member.access, spec.access):
            lines.append(f"/{spec.name}: {env.t(spec.description)}")
    env.reply("\n".join(lines))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))


@command(access=None)
async def unknown_private_message(env: Env) -> None:
    if env.member is None:
        env.reply(env.t(REFUSAL))
    elif env.text.startswith("/"):
        env.reply(env.t("I do not know that command. Send /help for the list."))


@button()
async def unknown_button(env: Env) -> None:
    """Data no button handler claims (forged, or a button of a retired version): answered, so
    the client stops spinning, and nothing done."""
    env.toast = env.t(BUTTON_EXPIRED)


def register_fallback(application: Application) -> None:
    """Last in line: whatever no other handler took, in a private chat (other text is a
    question for handlers/lookup.py), and any button no area claims."""
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE, unknown_private_message))
    application.add_handler(CallbackQueryHandler(unknown_button))
