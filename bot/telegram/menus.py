"""Telegram's command menus and the bot's description, in each reader's language and fitted to
each chat: a member's private chat lists what a member can do there; the committee group, what
makes sense in a group (no /forgetme there); the chair's and the secretariat's own chats (and
their menu inside the group) add their commands. Registered at every start, so a change of
access or language shows at the next one."""

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
        keepers = [member for member in await active_members(session)
                   if member.telegram_id and has_access(member.access, "secretariat")]
        for member in keepers:
            lang = choose_language(member.chosen_language, member.language, None, default)
            menus.append((BotCommandScopeChat(member.telegram_id), None, lang, member.access, "private"))
            if group:
                menus.append((BotCommandScopeChatMember(group, member.telegram_id), None, lang,
                              member.access, "group"))
    return menus


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
