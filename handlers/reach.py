"""Who the bot can reach, told truthfully: the sentence every fan-out ends with, and /reach.

A reply is written before anything leaves (messages go through the outbox after commit), so
it says what was *queued* and names who was not told; only /reach, reading the outbox back,
says what Telegram confirmed. ``/reach`` lists the members not linked to Telegram (with one
button to create all their invitations) and those who blocked the bot; ``/reach 12`` says
what became of the latest private message about meeting #12 for each member.
"""

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import members
from bot.i18n.translation import N_, Safe, Translator
from storage.outbox import MESSAGE
from bot.services.notifications import DIGEST_ITEM
from bot.services.reach import Delivery, delivery, roster_reach
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command
from handlers.shared.notify_text import choices_text
from handlers.shared.reach_text import names_of, roster_text
from handlers.shared.replies import meeting_from_arg

COMMANDS = [
    CommandSpec("reach", N_("Who the bot can reach, or what became of a meeting's messages: /reach [12]"),
                access="secretariat"),
]

MEETING_KINDS = (MESSAGE, "minutes", DIGEST_ITEM)
INVITE_ALL = "reach:invite"


def delivery_text(t: Translator, meeting_id: int, found: Delivery) -> Safe:
    lines = [t("<b>Latest private message about meeting #{id}, member by member</b>", id=meeting_id)]
    for label, people in ((N_("Delivered (Telegram confirmed): {names}"), found.sent),
                          (N_("Still on its way: {names}"), found.queued),
                          (N_("Not linked to Telegram, not sent: {names}"), found.unlinked),
                          (N_("Failed: {names}"), found.failed)):
        if people:
            lines.append(t(label, names=names_of(people)))
    if len(lines) == 1:
        lines.append(t("No private message about meeting #{id} was queued.", id=meeting_id))
    return Safe("\n".join(lines))


@command(access="secretariat")
async def reach_command(env: Env) -> None:
    if env.args:

        meeting = await meeting_from_arg(env, env.args[0])
        if meeting is not None:
            found = await delivery(env.session, "meeting", meeting.id, MEETING_KINDS)
            env.reply(delivery_text(env.t, meeting.id, found), personal=True)
        return
    reach = await roster_reach(env.session)
    text = Safe("\n".join([roster_text(env.t, reach), *choices_text(env.t, await members.active_members(env.session),
                                                                  env.committee.timezone)]))
    buttons = None
    if reach.unlinked and env.member is not None and env.member.access == "chair":
        buttons = [[(env.t.plural("Create the invitation for {n} member", "Create invitations for {n} members",
                                  len(reach.unlinked)), INVITE_ALL)]]
    elif reach.unlinked:
        env.reply(text + "\n" + env.t("The chair can create their invitations with /reach."), personal=True)
        return
    env.reply(text, buttons, personal=True)


@button(access="chair")
async def invite_all_button(env: Env) -> None:
    """One tap: a one-time invitation link for every member not linked yet, to the chair only."""
    if env.data != INVITE_ALL or env.in_group:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    assert env.member is not None
    reach = await roster_reach(env.session)
    if not reach.unlinked:
        env.edit(env.t("Every member is linked to Telegram: no invitation is needed."))
        return
    lines = [env.t("Invitations, each valid for 7 days and usable once. Send each link to its member "
                   "through a channel you trust:")]
    for person in reach.unlinked:
        code = await members.create_invite(env.session, person, env.member, env.now)
        lines.append(env.t("{name}: {link}", name=person.name, link=f"https://t.me/{env.bot_username}?start={code}"))
    env.edit("\n".join(lines))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("reach", reach_command))
    application.add_handler(CallbackQueryHandler(invite_all_button, pattern=r"^reach:"))
