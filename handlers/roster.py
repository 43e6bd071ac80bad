"""The roster as members see it: /members; invitations for the chair and the secretariat."""

from itertools import groupby

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import members
from bot.i18n.translation import N_, Safe, escape
from bot.domain.names import fold, names_word_for_word
from bot.domain.labels import country_label, network_label, roles_label
from bot.input.callbacks import callback_ints
from handlers.common import CommandSpec, Env, button, command
from storage.models import Member

COMMANDS = [
    CommandSpec("members", N_("The committee by continental network, with everyone's local time")),
    CommandSpec("invite", N_("Create a one-time link that connects a member's Telegram account"),
                access="secretariat", chats="private"),
    CommandSpec("invites", N_("Invitations not used yet (to revoke), and who has not joined"),
                access="secretariat", chats="private"),
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
            details += [escape(person.organisation)] if person.organisation else []
            details += [country_label(t, person.country)] if person.country else []
            details.append(escape(f"{t.time(env.now, zone)} ({t.zone(env.now, zone)})"))
            lines.append(t("• <b>{name}</b>: {details}", name=person.name, details=Safe(" · ".join(details))))
    env.reply("\n".join(lines), personal=True)


def _answer(env: Env, text: str, buttons: list[list[tuple[str, str]]] | None = None) -> None:
    """A command replies (privately); a tapped button replaces its own message."""
    if env.data:
        env.edit(text, buttons)
    else:
        env.reply(text, buttons, personal=True)


async def _issue(env: Env, member: Member, relink: bool) -> None:
    assert env.member is not None
    code = await members.create_invite(env.session, member, env.member, env.now, relink=relink)
    link = f"https://t.me/{env.bot_username}?start={code}"
    text = env.t("Invitation for {name}, valid for 7 days and usable once; any older invitation for "
                 "them no longer works. Send them this link through a channel you trust:\n{link}",
                 name=member.name, link=link)
    _answer(env, text)


async def _invite_or_confirm(env: Env, member: Member) -> None:
    if member.telegram_id is None:
        await _issue(env, member, relink=False)
        return
    text = env.t("{name} has already joined with a Telegram account. Invite them again only if they "
                 "changed account: the new link replaces the current one, which will be told.",
                 name=member.name)
    buttons = [[(env.t("Yes, they changed account"), f"invite:{member.id}:1")]]
    _answer(env, text, buttons)


@command(access="secretariat")
async def invite(env: Env) -> None:
    """Whole words of one name only; anything else is a choice offered, never a silent pick."""
    t = env.t
    query = env.rest(200)
    if query is None:
        return
    if not query:
        env.reply(t("Usage: /invite &lt;member name&gt;"))
        return
    match = await members.find_member(env.session, query)
    if match.found is not None and names_word_for_word(query, match.found.name):
        await _invite_or_confirm(env, match.found)
        return
    people = [match.found] if match.found else match.candidates or match.suggestions
    if not people:
        env.reply(t("No member of the roster matches “{query}”.", query=query))
        return
    env.reply(t("Which member do you want to invite?"),
              [[(person.name, f"invite:{person.id}:0")] for person in people], personal=True)


@button(access="secretariat")
async def invite_button(env: Env) -> None:
    parts = callback_ints(env.data, "invite", 2)
    member = await env.session.get(Member, parts[0]) if parts and parts[1] in (0, 1) else None
    if member is None or not member.active:
        env.toast = env.t("This button is no longer valid.")
        return
    assert parts is not None
    if parts[1] == 1:
        await _issue(env, member, relink=True)
    else:
        await _invite_or_confirm(env, member)


@command(access="secretariat")
async def invites(env: Env) -> None:
    """Live invitations (each revocable), and who has not joined yet."""
    t = env.t
    live = await members.live_invites(env.session, env.now)
    zone = env.zone_of(env.member)
    lines = [t("<b>Invitations not used yet</b>")] if live else [t("No invitation is waiting to be used.")]
    lines += [t("• {name}: until {when}", name=member.name, when=t.short_datetime(invite.expires_at, zone))
              for invite, member in live]
    waiting = [m.name for m in await members.active_members(env.session) if m.telegram_id is None]
    if waiting:
        lines.append(t("Not joined yet: {names}. Invite them with /invite NAME.", names=", ".join(waiting)))
    buttons = [[(t("Revoke: {name}", name=member.name), f"invrevoke:{invite.id}")] for invite, member in live]
    env.reply("\n".join(lines), buttons or None, personal=True)


@button(access="secretariat")
async def revoke_button(env: Env) -> None:
    parts = callback_ints(env.data, "invrevoke", 1)
    assert env.member is not None
    member = await members.revoke_invite(env.session, parts[0], env.member, env.now) if parts else None
    if member is None:
        env.toast = env.t("This button is no longer valid.")
        return
    env.edit(env.t("The invitation for {name} is revoked: its link no longer works.", name=member.name))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("members", members_command))
    application.add_handler(CommandHandler("invite", invite))
    application.add_handler(CommandHandler("invites", invites))
    application.add_handler(CallbackQueryHandler(invite_button, pattern=r"^invite:"))
    application.add_handler(CallbackQueryHandler(revoke_button, pattern=r"^invrevoke:"))
