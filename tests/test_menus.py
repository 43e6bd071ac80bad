"""Telegram's command menus fit each reader and chat (bot.telegram.menus), on both databases:
a member's private menu, the group's, and the chair's and the secretariat's own, in their
language; the description in each language."""

from __future__ import annotations

import json

from bot.telegram.menus import announce_commands
from bot.telegram.offline import GROUP_CHAT


def _menu(bot, scope: dict, language: str = "") -> set[str]:  # type: ignore[no-untyped-def]
    commands = bot.api.commands[(json.dumps(scope, sort_keys=True), language)]
    return {entry["command"] for entry in commands}


async def test_menus_by_chat_and_rights(bot):
    await announce_commands(bot.chat.application)
    private = _menu(bot, {"type": "all_private_chats"}, "fr")
    group = _menu(bot, {"type": "all_group_chats"}, "fr")
    assert {"lang", "tz", "me", "forgetme", "meetings"} <= private and not {"invite", "bindgroup"} & private
    assert {"meetings", "agenda", "who", "decisions"} <= group and not {"forgetme", "mydata", "lang"} & group
    bart, denis, samy = (bot.person(name).telegram_id for name in ("Bart", "Denis", "Samy"))
    chair = _menu(bot, {"type": "chat", "chat_id": bart})
    assert {"invite", "newmeeting", "meetingreminders", "history", "me"} <= chair and "bindgroup" not in chair
    secretariat = _menu(bot, {"type": "chat", "chat_id": denis})
    assert {"invite", "newmeeting"} <= secretariat and not {"meetingreminders", "history"} & secretariat
    in_the_group = _menu(bot, {"type": "chat_member", "chat_id": GROUP_CHAT["id"], "user_id": bart})
    assert {"bindgroup", "startmeeting", "decide", "endmeeting"} <= in_the_group and "invite" not in in_the_group
    assert not any(f'"chat_id": {samy}' in scope for scope, _ in bot.api.commands)  # a member: the shared menu


async def test_descriptions_and_menus_in_each_language(bot):
    await announce_commands(bot.chat.application)
    assert bot.api.descriptions[("short_description", "es")].startswith("Comité directivo de INSP!R")
    assert "comité de pilotage" in bot.api.descriptions[("description", "fr")]
    spanish = {entry["command"]: entry["description"]
               for entry in bot.api.commands[(json.dumps({"type": "all_private_chats"}), "es")]}
    assert spanish["help"] == "Lo que el bot puede hacer por usted"
    assert all(len(text) <= 120 for (kind, _), text in bot.api.descriptions.items() if kind == "short_description")


async def test_a_members_own_menus_follow_a_change_of_access_and_language_at_once(bot):
    samy = bot.person("Samy").telegram_id
    own = json.dumps({"type": "chat", "chat_id": samy}, sort_keys=True)
    in_group = json.dumps({"type": "chat_member", "chat_id": GROUP_CHAT["id"], "user_id": samy}, sort_keys=True)
    [confirm] = await bot.send("Bart", "/setmember Samy | access | secretariat")
    await bot.press("Bart", confirm, confirm.button_data("Confirm"))
    assert {"newmeeting", "invite", "startmeeting"} <= _menu(bot, {"type": "chat", "chat_id": samy})
    assert (in_group, "") in bot.api.commands
    await bot.send("Samy", "/lang es")
    described = {entry["command"]: entry["description"] for entry in bot.api.commands[(own, "")]}
    assert described["newmeeting"].startswith("Planificar una reunión")
    [confirm] = await bot.send("Bart", "/setmember Samy | access | member")
    await bot.press("Bart", confirm, confirm.button_data("Confirm"))
    assert (own, "") not in bot.api.commands and (in_group, "") not in bot.api.commands  # the shared menu again
