"""The foundation's commands, driven as members and strangers would, on both databases."""

import pytest
from sqlalchemy import func, select

from storage.models import AuditEntry, Member


async def test_members_greeted_in_their_own_language(bot):
    replies = {}
    for name in ("Ingrid Mulamba", "Samy Arokiasamy", "Gabriela Prudencio"):
        replies[name] = bot.texts(await bot.send(name, "/start"))
    assert "Bonjour Ingrid Mulamba" in replies["Ingrid Mulamba"]
    assert "Hello Samy Arokiasamy" in replies["Samy Arokiasamy"]
    assert "Hola Gabriela Prudencio" in replies["Gabriela Prudencio"]


async def test_stranger_is_refused_and_learns_nothing(bot):
    stranger = bot.stranger("fr")
    for text in ("/start", "/members", "/me", "/help", "/invite Sabine", "qui représente l'Asie ?"):
        replies = await bot.send(stranger, text)
        assert len(replies) == 1
        assert "réservé aux membres" in replies[0].text
        assert "Sabine" not in replies[0].text and "Asia" not in replies[0].text


async def test_members_lists_roster_with_local_times(bot):
    [reply] = await bot.send("Bart Verstraeten", "/members")
    # 2026-11-23 09:00 UTC
    assert "Samy Arokiasamy" in reply.text and "14:30 (Kolkata, UTC+05:30)" in reply.text
    assert "Mary Karol Luna" in reply.text and "03:00 (Guatemala, UTC-06:00)" in reply.text
    assert "16:00 (Jakarta, UTC+07:00)" in reply.text
    assert "13 committee members" in reply.text


async def test_members_filtered_by_network_in_any_language(bot):
    [reply] = await bot.send("Ingrid Mulamba", "/members Asie")
    assert "Samy Arokiasamy" in reply.text and "Ingrid Mulamba" not in reply.text
    [reply] = await bot.send("Gabriela Prudencio", "/members nowhere")
    assert "Ninguna red" in reply.text


async def test_personal_data_asked_in_group_goes_privately(bot):
    replies = await bot.send("Samy Arokiasamy", "/members", group=True)
    private = [m for m in replies if m.chat_id == bot.person("Samy").telegram_id]
    group = [m for m in replies if m.chat_id < 0]
    assert private and "Mary Karol Luna" in private[0].text
    assert group and "Mary Karol Luna" not in group[0].text


async def test_lang_choice_overrides_roster_language(bot):
    [reply] = await bot.send("Samy Arokiasamy", "/lang es")
    assert "español" in reply.text
    [reply] = await bot.send("Samy Arokiasamy", "/me")
    assert "Su perfil" in reply.text
    [reply] = await bot.send("Samy Arokiasamy", "/lang klingon")
    assert "Idioma desconocido. Elija uno de estos: français, English, español." in reply.text


async def test_lang_by_its_name_in_any_language(bot):
    for typed, lang, answer in (("español", "es", "español"), ("Français", "fr", "français"),
                                ("inglés", "en", "English"), ("anglais", "en", "English")):
        [reply] = await bot.send("Ingrid Mulamba", f"/lang {typed}")
        assert answer in reply.text and (await bot.member("Ingrid Mulamba")).chosen_language == lang


async def test_lang_buttons_and_forged_callback(bot):
    [menu] = await bot.send("Samy Arokiasamy", "/lang")
    await bot.press("Samy Arokiasamy", menu, menu.button_data("Fr"))
    assert "français" in bot.api.messages[-1].text
    await bot.press("Samy Arokiasamy", menu, "lang:de")
    await bot.press("Samy Arokiasamy", menu, "lang:fr:extra")
    member = await bot.member("Samy Arokiasamy")
    assert member.chosen_language == "fr"
    assert bot.api.callback_answers[-1].get("text")


async def test_me_shows_profile_and_local_time(bot):
    [reply] = await bot.send("Gabriela Prudencio", "/me")
    assert "Gabriela Prudencio" in reply.text
    assert "05:00 (La Paz, UTC-04:00)" in reply.text and "La Paz (America/La_Paz)" in reply.text


async def _not_joined(bot, name: str) -> None:
    async with bot.services.db.transaction() as session:
        member = await session.scalar(select(Member).where(Member.name.startswith(name)))
        member.telegram_id = None


async def test_invite_links_a_new_account_once(bot):
    await _not_joined(bot, "Sabine")
    [reply] = await bot.send("Bart Verstraeten", "/invite sabine degue")
    code = reply.text.split("start=")[1].split()[0]
    newcomer = bot.stranger("fr", user_id=424242)
    [welcome, *told] = await bot.send(newcomer, f"/start {code}")
    assert len(told) == 5  # the chair and the four secretariat members
    assert "Bienvenue, Sabine Jenifère Medetadji Degue" in welcome.text
    [again] = await bot.send(bot.stranger("fr", user_id=434343), f"/start {code}")
    assert "n’est pas valide" in again.text or "n'est pas valide" in again.text
    [me] = await bot.send(newcomer, "/me")
    assert "Sabine" in me.text


async def test_invite_expires(bot):
    from datetime import timedelta

    await _not_joined(bot, "Niwa")
    [reply] = await bot.send("Bart Verstraeten", "/invite Niwa Soulima")
    code = reply.text.split("start=")[1].split()[0]
    bot.clock.advance(timedelta(days=8))
    [late] = await bot.send(bot.stranger("en", user_id=515151), f"/start {code}")
    assert "not valid or has expired" in late.text


async def test_only_chair_and_secretariat_invite(bot):
    [reply] = await bot.send("Samy Arokiasamy", "/invite Sabine")
    assert "Only the chair or the secretariat can do that." in reply.text
    async with bot.services.db.transaction() as session:
        assert not await session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "invite.created"))


async def test_link_by_username_at_first_message(bot):
    async with bot.services.db.transaction() as session:
        member = await session.scalar(select(Member).where(Member.name == "Niwa Soulima"))
        member.telegram_id = None
        member.telegram_username = "niwa_s"
    replies = await bot.send(bot.stranger("fr", user_id=777001, username="Niwa_S"), "/start")
    [reply] = [m for m in replies if m.chat_id == 777001]
    assert "Bonjour Niwa Soulima" in reply.text
    # A username can change hands: the chair and the secretariat hear of every such link.
    told = {m.chat_id: m.text for m in replies if m.chat_id != 777001}
    assert told[bot.person("Bart").telegram_id].startswith("Niwa Soulima started using the bot: "
                                                          "the Telegram account @Niwa_S was linked")
    assert "/invite" in told[bot.person("Denis").telegram_id]
    assert bot.person("Samy").telegram_id not in told


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_an_operator_may_allow_invitations_only(db_url):
    from tests.harness import start_harness

    harness, application = await start_harness(db_url, committee={"link_by_username": False})
    try:
        async with harness.services.db.transaction() as session:
            member = await session.scalar(select(Member).where(Member.name == "Niwa Soulima"))
            member.telegram_id, member.telegram_username = None, "niwa_s"
        [reply] = await harness.send(harness.stranger("fr", user_id=777001, username="Niwa_S"), "/start")
        assert "réservé aux membres" in reply.text and "Niwa" not in reply.text
        assert (await harness.member("Niwa Soulima")).telegram_id is None
    finally:
        await application.shutdown()
        await harness.services.db.dispose()


async def test_unregistered_group_gets_notice_and_bot_leaves(bot):
    other = {"id": -100777, "type": "supergroup", "title": "Somewhere"}
    replies = await bot.send("Samy Arokiasamy", "/members", chat=other)
    assert len(replies) == 1 and "Samy" not in replies[0].text
    assert -100777 in bot.api.left_chats


async def test_bindgroup_by_chair_only(bot):
    other = {"id": -100888, "type": "supergroup", "title": "New committee group"}
    await bot.chat.joined_group(bot.person("Bart"), other)
    assert -100888 not in bot.api.left_chats
    [reply] = await bot.send("Bart Verstraeten", "/bindgroup", chat=other)
    assert "registered group" in reply.text
    replies = await bot.send("Samy Arokiasamy", "/members", chat=other)
    assert any(m.chat_id == bot.person("Samy").telegram_id for m in replies)
    await bot.chat.joined_group(bot.person("Samy"), {"id": -100999, "type": "group", "title": "x"})
    assert -100999 in bot.api.left_chats


async def test_html_in_names_is_escaped(bot):
    async with bot.services.db.transaction() as session:
        member = await session.scalar(select(Member).where(Member.name == "Santiago Fischer"))
        member.organisation = "<b>Evil</b> & co"
    [reply] = await bot.send("Santiago Fischer", "/me")
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; co" in reply.text


async def test_help_lists_commands_by_access(bot):
    [member_help] = await bot.send("Samy Arokiasamy", "/help")
    [chair_help] = await bot.send("Bart Verstraeten", "/help")
    assert "/members" in member_help.text and "/invite" not in member_help.text
    assert not member_help.buttons
    [secretariat_page] = await bot.press("Bart Verstraeten", chair_help, "help:secretariat")
    [chair_page] = await bot.press("Bart Verstraeten", chair_help, "help:chair")
    assert "/invite" in secretariat_page.text and "/members" not in secretariat_page.text
    assert "/bindgroup" in chair_page.text and "/invite" not in chair_page.text


async def test_help_pages_each_fit_one_message_in_every_language(bot):
    """The chair's /help was a 4,300-character wall Telegram cut in two: every page is one message."""
    for name, language in (("Bart Verstraeten", "fr"), ("Bart Verstraeten", "es"), ("Bart Verstraeten", "en")):
        await bot.send(name, f"/lang {language}")
        [menu] = await bot.send(name, "/help")
        pages = [menu]
        for row in menu.buttons:
            for button in row:
                pages += await bot.press(name, menu, button["callback_data"])
        assert len(pages) == 3
        assert all(len(page.text) < 3500 for page in pages), [len(page.text) for page in pages]


async def test_help_buttons_forged_or_above_ones_rights_show_nothing(bot):
    [menu] = await bot.send("Samy Arokiasamy", "/help")
    for data in ("help:chair", "help:secretariat", "help:member", "help:chair:x", "help:"):
        assert await bot.press("Samy Arokiasamy", menu, data) == []
        assert bot.api.callback_answers[-1].get("text")
    [menu] = await bot.send("Denis Mushiya", "/help")
    assert len(menu.buttons[0]) == 1
    assert await bot.press("Denis Mushiya", menu, "help:chair") == []
    assert bot.api.callback_answers[-1].get("text") == "Seule la présidence peut faire cela."


async def test_tz_by_city_in_any_language(bot):
    [reply] = await bot.send("Santiago Fischer", "/tz katmandou")
    assert "Asia/Kathmandu" in reply.text and "14:45" in reply.text
    assert (await bot.member("Santiago Fischer")).timezone == "Asia/Kathmandu"
    [reply] = await bot.send("Santiago Fischer", "/tz")
    assert "Asia/Kathmandu" in reply.text


async def test_tz_unknown_gets_suggestions_and_changes_nothing(bot):
    [reply] = await bot.send("Niwa Soulima", "/tz Atlantide du Sud")
    assert "Je ne connais pas le fuseau horaire" in reply.text
    assert (await bot.member("Niwa Soulima")).timezone == "Africa/Lome"
    assert reply.buttons, "suggestions are offered as buttons"
    await bot.press("Niwa Soulima", reply, "tz:Mars/Olympus")
    await bot.press("Niwa Soulima", reply, "tz:Europe/Paris'; DROP TABLE member;--")
    assert (await bot.member("Niwa Soulima")).timezone == "Africa/Lome"
    assert bot.api.callback_answers[-1]["text"] == "Ce bouton n’est plus valable."
    first_suggestion = reply.buttons[0][0]["callback_data"]
    await bot.press("Niwa Soulima", reply, first_suggestion)
    assert (await bot.member("Niwa Soulima")).timezone == first_suggestion.removeprefix("tz:")
    assert "Votre fuseau horaire est maintenant" in reply.text and not reply.buttons
    [reply] = await bot.send("Niwa Soulima", "/tz " + "x" * 500)
    assert "trop long" in reply.text


async def test_update_delivered_twice_is_processed_once(bot):
    from telegram import Update

    from storage.models import AuditEntry

    [menu] = await bot.send("Samy Arokiasamy", "/lang")
    query = {"id": "dup", "from": bot.person("Samy").as_api(), "chat_instance": "x",
             "data": "lang:es", "message": bot.api._as_api(menu)}
    update = Update.de_json({"update_id": 4242, "callback_query": query}, bot.chat.application.bot)
    await bot.chat.application.process_update(update)
    assert (await bot.member("Samy Arokiasamy")).chosen_language == "es"
    query["data"] = "lang:fr"
    again = Update.de_json({"update_id": 4242, "callback_query": query}, bot.chat.application.bot)
    await bot.chat.application.process_update(again)
    assert (await bot.member("Samy Arokiasamy")).chosen_language == "es"
    async with bot.services.db.transaction() as session:
        changes = await session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "member.language"))
    assert changes == 1
