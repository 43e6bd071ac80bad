"""A member's own data: /mydata sends everything the bot holds about them as JSON; /forgetme
anonymises them after confirmation (see :func:`bot.services.personal_data.forget` for what is
kept and why), and the chair learns which open actions lost their owner."""

import json

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.notify import ALWAYS
from bot.i18n.translation import N_
from bot.input.callbacks import callback_ints
from bot.services import personal_data, records
from handlers.common import CommandSpec, Env, button, command

COMMANDS = [
    CommandSpec("mydata", N_("Everything the bot holds about you, as a JSON file"), chats="private"),
    CommandSpec("forgetme", N_("Erase your personal data from the bot"), chats="private"),
]


@command()
async def mydata(env: Env) -> None:
    assert env.member is not None
    data = await personal_data.personal_data(env.session, env.member)
    content = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    env.reply_document("my-data.json", content, env.t(
        "Everything the bot holds about you. To have it erased, send /forgetme."), personal=True)


@command()
async def forgetme(env: Env) -> None:
    assert env.member is not None
    mid = env.member.id
    env.reply(env.t("This erases your personal data: your name becomes “former member” in the record, your "
                    "Telegram account, country, organisation, time zone and answers are removed, and you can no "
                    "longer use the bot. Decisions and actions stay in the committee's record. Are you sure?"),
              [[(env.t("Yes, erase my data"), f"forget:{mid}:1"), (env.t("No, keep it"), f"forget:{mid}:0")]],
              personal=True)


@button()
async def forget_button(env: Env) -> None:
    assert env.member is not None
    parts = callback_ints(env.data, "forget", 2)
    if parts is None or parts[0] != env.member.id or parts[1] not in (0, 1):
        env.toast = env.t("This button is no longer valid.")
        return
    if parts[1] == 0:
        env.edit(env.t("Nothing was erased."))
        return
    t = env.t
    released = await personal_data.forget(env.session, env.member, env.now, env.settings.reminders.action_offsets, env.committee.timezone)
    env.edit(t("Your personal data has been erased. Goodbye, and thank you for your work for the committee."))
    if released:
        for chair in await records.chairs(env.session):
            ct = env.translator_for(chair)
            await env.tell(chair, ct.plural(
                "A member asked to be forgotten: {n} open action item is now unassigned ({ids}). Use /assign.",
                "A member asked to be forgotten: {n} open action items are now unassigned ({ids}). Use /assign.",
                len(released), ids=", ".join(f"#{a.id}" for a in released)), topic=ALWAYS)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("mydata", mydata))
    application.add_handler(CommandHandler("forgetme", forgetme))
    application.add_handler(CallbackQueryHandler(forget_button, pattern=r"^forget:"))
