"""The roster as members see it: /members, and /invite for the chair."""

from itertools import groupby

from telegram.ext import Application, CommandHandler

from bot.services import members
from bot.i18n.translation import N_, Safe, escape
from bot.domain.names import fold
from bot.domain.labels import network_label, roles_label
from handlers.common import CommandSpec, Env, command

COMMANDS = [
    CommandSpec("members", N_("The committee by continental network, with everyone's local time")),
    CommandSpec("invite", N_("Create a one-time link that connects a member's Telegram account"),
                access="chair"),
]


def _network_key(network: str | None) -> str:
    return network or ""


@command()
async def members_command(env: Env) -> None:
    t = env.t
    roster = await members.active_members(env.session)
    wanted = fold(" ".join(env.args))
    if wanted:
        roster = [m for m in roster if wanted in fold(m.network or "")
                  or wanted in fold(network_label(t, m.network))]
        if not roster:
            env.reply(t("No continental network matches “{query}”.", query=" ".join(env.args)[:100]))
            return
    lines = [t.plural("<b>{n} committee member</b>", "<b>{n} committee members</b>", len(roster))]
    roster.sort(key=lambda m: (_network_key(m.network), m.name))
    for network, people in groupby(roster, key=lambda m: m.network):
        lines.append(f"\n<b>{network_label(t, network)}</b>")
        for person in people:
            zone = env.zone_of(person)
            details = [roles_label(t, person.roles)] if person.roles else []
            details += [escape(v) for v in (person.organisation, person.country) if v]
            details.append(escape(f"{t.time(env.now, zone)} ({zone})"))
            lines.append(t("• <b>{name}</b>: {details}", name=person.name, details=Safe(" · ".join(details))))
    env.reply("\n".join(lines), personal=True)


@command(access="chair")
async def invite(env: Env) -> None:
    t = env.t
    query = env.rest(200)
    if query is None:
        return
    if not query:
        env.reply(t("Usage: /invite &lt;member name&gt;"))
        return
    match = await members.find_member(env.session, query)
    if match.found is None:
        names = ", ".join(m.name for m in (match.candidates or match.suggestions))
        env.reply(t("Which member? {names}", names=names) if names
                  else t("No member of the roster matches “{query}”.", query=query))
        return
    assert env.member is not None
    code = await members.create_invite(env.session, match.found, env.member, env.now)
    link = f"https://t.me/{env.bot_username}?start={code}"
    env.reply(t("Invitation for {name}, valid for 7 days and usable once. Send them this link "
                "through a channel you trust:\n{link}", name=match.found.name, link=link),
              personal=True)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("members", members_command))
    application.add_handler(CommandHandler("invite", invite))
