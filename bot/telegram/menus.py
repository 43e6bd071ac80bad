"""Telegram's command menus and the bot's description, in each reader's language and fitted to
each chat: a member's private chat lists what a member can do there; the committee group, what
makes sense in a group (no /forgetme there); the chair's and the secretariat's own chats (and
their menu inside the group) add their commands. Registered at every start, and a member's own
menus again as soon as their access, language or link changes."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import (
    BotCommand, BotCommandScope, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats,
    BotCommandScopeChat, BotCommandScopeChatMember,
)
from telegram.error import TelegramError
from telegram.ext import Application

from bot.domain.access import choose_language, has_access
from bot.i18n.translation import N_, SUPPORTED
from bot.services import Services
from bot.services.members import active_members, committee
from storage.models import Member

log = logging.getLogger("inspir.menus")

DESCRIPTION = N_("The bot of the INSP!R steering committee: meetings across time zones, reminders in "
                 "your language and your local time, the agenda, decisions and action items. For "
                 "committee members: your invitation link comes from the chair or the secretariat.")
SHORT_DESCRIPTION = N_("INSP!R steering committee: meetings across time zones, reminders, decisions.")
MAX_COMMANDS = 100  # Telegram's limit for one menu


def command_list(services: Services, commands: Sequence, lang: str, access: str, chats: str) -> list[BotCommand]:
    """The menu of someone with ``access`` in a ``chats`` ("private" or "group") chat, in ``lang``."""
    t = services.i18n.translator(lang)
    wanted = [spec for spec in commands if spec.chats in ("any", chats)
              and (spec.access == "anyone" or has_access(access, spec.access))]
    return [BotCommand(spec.name, str(t(spec.description))[:256]) for spec in wanted][:MAX_COMMANDS]


async def _menus(services: Services) -> list[tuple[BotCommandScope | None, str | None, str, str, str]]:
    """(scope, language_code, language, access, chats) of every menu to register."""
    default = services.settings.committee.default_language
    menus: list[tuple[BotCommandScope | None, str | None, str, str, str]] = []
    for code, lang in [*((code, code) for code in SUPPORTED), (None, default)]:
        menus += [(None, code, lang, "member", "private"),
                  (BotCommandScopeAllPrivateChats(), code, lang, "member", "private"),
                  (BotCommandScopeAllGroupChats(), code, lang, "member", "group")]
    async with services.db.reading() as session:
        group = (await committee(session)).group_chat_id
        keepers = [member for member in await active_members(session) if _keeper(member)]
        for member in keepers:
            menus += _own_menus(member, group, default)
    return menus


def _keeper(member: Member) -> bool:
    """Whether the member has menus of their own (the chair's and the secretariat's commands)."""
    return bool(member.active and member.telegram_id and has_access(member.access, "secretariat"))


def _own_menus(member: Member, group: int | None, default: str) -> list[tuple[BotCommandScope, None, str, str, str]]:
    lang = choose_language(member.chosen_language, member.language, None, default)
    assert member.telegram_id is not None
    own: list[tuple[BotCommandScope, None, str, str, str]] = [
        (BotCommandScopeChat(member.telegram_id), None, lang, member.access, "private")]
    if group:
        own.append((BotCommandScopeChatMember(group, member.telegram_id), None, lang, member.access, "group"))
    return own


async def refresh_member_menus(application: Application, member_ids: set[int]) -> None:
    """After a change of access, language or link (/setmember, /lang, an invitation redeemed,
    /depart): the member's own menus now, not at the next start. A member without chair or
    secretariat rights gets their own menus removed, so the shared member menu shows again."""
    services: Services = application.bot_data["services"]
    commands = application.bot_data.get("commands", ())
    try:
        async with services.db.reading() as session:
            bound = await committee(session)
            people = [await session.get(Member, member_id) for member_id in member_ids]
        default = services.settings.committee.default_language
        for member in people:
            if member is None or not member.telegram_id:
                continue
            if _keeper(member):
                for scope, code, lang, access, chats in _own_menus(member, bound.group_chat_id, default):
                    await application.bot.set_my_commands(command_list(services, commands, lang, access, chats),
                                                          scope=scope, language_code=code)
                continue
            await application.bot.delete_my_commands(scope=BotCommandScopeChat(member.telegram_id))
            if bound.group_chat_id:
                await application.bot.delete_my_commands(
                    scope=BotCommandScopeChatMember(bound.group_chat_id, member.telegram_id))
    except TelegramError as error:
        log.warning("could not refresh a member's menus: %s", type(error).__name__)


async def announce_commands(application: Application) -> None:
    """Register every menu and the description in each language; a failure must not stop the
    bot (the menus are a convenience: every command works typed)."""
    services: Services = application.bot_data["services"]
    commands = application.bot_data["commands"]
    bot = application.bot
    try:
        for scope, code, lang, access, chats in await _menus(services):
            await bot.set_my_commands(command_list(services, commands, lang, access, chats), scope=scope,
                                      language_code=code)
        for code in SUPPORTED:
            t = services.i18n.translator(code)
            await bot.set_my_description(str(t(DESCRIPTION)), language_code=code)
            await bot.set_my_short_description(str(t(SHORT_DESCRIPTION)), language_code=code)
    except TelegramError as error:
        log.warning("could not register the command menus: %s", type(error).__name__)
