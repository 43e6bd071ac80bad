"""/notify through the real handlers, on SQLite and PostgreSQL: members who pay for every
megabyte choose everything, important only, or a daily digest at an hour of their own day;
reminders they asked for always go; the chair is told truthfully who gets what, and when."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from storage.models import Meeting, Member, OutboxMessage

CHAIR = "Bart Verstraeten"
SAMY = "Samy Arokiasamy"      # Asia/Kolkata, English
INGRID = "Ingrid Mulamba"     # Africa/Kinshasa, French
ANGELES = "Ángeles Carrión"   # America/Lima, Spanish
GABRIELA = "Gabriela Prudencio"  # secretariat, America/La_Paz, Spanish
NB = "\u00a0"


def private(bot, messages, name):
    return [m for m in messages if m.chat_id == bot.person(name).telegram_id]


async def choice(bot, name):
    async with bot.services.db.reading() as session:
        member = await session.scalar(select(Member).where(Member.name == name))
        return member.notify, member.digest_hour


async def latest_meeting(bot):
    async with bot.services.db.reading() as session:
        return await session.scalar(select(Meeting.id).order_by(Meeting.id.desc()).limit(1))


async def test_each_member_chooses_in_their_language_and_bad_input_changes_nothing(bot):
    [shown] = await bot.send(INGRID, "/notify")
    assert f"Le bot vous envoie{NB}: <b>tout</b>." in shown.text
    assert [b["text"] for b in shown.buttons[0]] == ["Tout", "L’important seulement", "Résumé quotidien"]
    [done] = await bot.send(INGRID, "/notify résumé quotidien 7h")
    assert f"Désormais, le bot vous envoie{NB}: <b>un résumé quotidien à 07:00 (heure de Kinshasa)</b>." in done.text
    assert await choice(bot, INGRID) == ("digest", 7)
    [done] = await bot.send(ANGELES, "/notify importantes")
    assert "A partir de ahora, el bot le envía: <b>solo los mensajes importantes</b>." in done.text
    [done] = await bot.send(SAMY, "/notify digest 7 pm")
    assert "a daily digest at 19:00 (Kolkata)" in done.text
    [profile] = await bot.send(SAMY, "/me")
    assert "The bot sends you: a daily digest at 19:00 (Kolkata) (/notify)" in profile.text

    for text, answer in (("/notify sometimes", "I did not understand “sometimes”."),
                         ("/notify not important", "I did not understand"),
                         ("/notify digest 25", "“25” is not an hour of the day"),
                         ("/notify digest 7:30", "“7:30” is not an hour of the day"),
                         ("/notify important 7h", "I did not understand"),
                         ("/notify <b>tout</b>", "I did not understand “&lt;b&gt;tout&lt;/b&gt;”.")):
        [refused] = await bot.send(SAMY, text)
        assert answer in refused.text, text
        assert await choice(bot, SAMY) == ("digest", 19), text

    [menu] = await bot.send(SAMY, "/notify")
    for data in ("notify:never", "notify:all:x", "notify:"):
        assert await bot.press(SAMY, menu, data) == []
        assert bot.api.callback_answers[-1]["text"] == "This button is no longer valid."
    assert await choice(bot, SAMY) == ("digest", 19)
    [pressed] = await bot.press(SAMY, menu, menu.button_data("Important only"))
    assert "From now on the bot sends you: <b>important messages only</b>." in pressed.text
    assert await choice(bot, SAMY) == ("important", 19)
    [stranger] = await bot.send(bot.stranger("es"), "/notify todo")
    assert "notify" not in stranger.text.lower() or "todo" not in stranger.text


async def test_the_chair_sees_every_choice_in_reach(bot):
    await bot.send(INGRID, "/notify résumé 7h")
    await bot.send(SAMY, "/notify important")
    [reach] = await bot.send(CHAIR, "/reach")
    assert "Important messages only (1): Samy Arokiasamy" in reach.text
    assert "A daily digest (1): Ingrid Mulamba at 07:00 (Kinshasa)" in reach.text
    [gabriela] = await bot.send(GABRIELA, "/reach")
    assert "Un resumen diario (1): Ingrid Mulamba a las 07:00 (hora de Kinshasa)" in gabriela.text


async def test_a_digest_member_gets_one_message_at_their_hour_and_the_chair_knows(bot):
    await bot.send(SAMY, "/notify digest 19h")  # 19:00 in Kolkata is 13:30 UTC
    replies = await bot.send(CHAIR, "/newmeeting 2026-12-10 15:00 Steering committee")
    [answer] = private(bot, replies, CHAIR)[:1]
    assert "Queued for 12 members" in answer.text
    assert "In their daily digest, as they chose (/notify): Samy Arokiasamy." in answer.text
    assert private(bot, replies, SAMY) == []
    meeting_id = await latest_meeting(bot)
    await bot.send(CHAIR, f"/additem {meeting_id} Budget 2027 | 30")
    replies = await bot.send(CHAIR, f"/publishagenda {meeting_id}")
    assert private(bot, replies, SAMY) == []
    assert "Samy Arokiasamy" in private(bot, replies, CHAIR)[0].text

    [report] = await bot.send(CHAIR, f"/reach {meeting_id}")
    assert "Still on its way: Samy Arokiasamy" in report.text
    bot.clock.advance(timedelta(hours=4, minutes=29))  # 13:29 UTC: not yet
    assert private(bot, await bot.dispatch(), SAMY) == []
    bot.clock.advance(timedelta(minutes=1))
    sent = private(bot, await bot.dispatch(), SAMY)
    assert [m.text.split("\n")[0] for m in sent][:1] == ["📬 <b>Your daily digest</b>: 1 message."]
    [digest, announcement] = sent
    assert "Budget 2027" in digest.text and "/notify" in digest.text
    assert "New meeting #" in announcement.text and announcement.button_data("yes") == f"rsvp:{meeting_id}:yes"
    async with bot.services.db.reading() as session:
        held = set(await session.scalars(select(OutboxMessage.state).where(OutboxMessage.kind == "digest_item")))
    assert held == {"sent"}
    [report] = await bot.send(CHAIR, f"/reach {meeting_id}")
    assert "Samy Arokiasamy" in report.text.split("\n")[1] and "Still on its way" not in report.text
    bot.clock.advance(timedelta(days=1))
    assert private(bot, await bot.dispatch(), SAMY) == []  # nothing sent twice, no empty digest

    # what cannot wait for the digest goes at once: a meeting before tomorrow's 13:30 UTC + 3 h
    replies = await bot.send(CHAIR, "/newmeeting 2026-11-25 15:00 Urgent call")  # 14:00 UTC
    assert "Urgent call" in private(bot, replies, SAMY)[0].text
    assert "daily digest" not in private(bot, replies, CHAIR)[0].text


async def test_reminders_asked_for_always_go(bot):
    await bot.send(SAMY, "/notify digest 19h")
    await bot.send(INGRID, "/notify important")
    await bot.send(CHAIR, "/newmeeting 2026-11-30 15:00 Steering committee")  # 14:00 UTC
    bot.clock.now = datetime(2026, 11, 29, 13, 45, tzinfo=timezone.utc)
    await bot.dispatch()  # Samy's digest hour (13:30 UTC) has passed: the announcement came
    bot.clock.now = datetime(2026, 11, 29, 14, 0, tzinfo=timezone.utc)  # 24 h before
    sent = await bot.dispatch()
    for name in (SAMY, INGRID):
        [reminder] = private(bot, sent, name)
        assert "Steering committee" in reminder.text and "/notify" not in reminder.text, name


async def test_important_only_gets_the_minutes_as_text_and_the_files_on_request(bot):
    await bot.send(SAMY, "/notify important")
    await bot.send(CHAIR, "/newmeeting 2026-11-23 15:00 Steering committee")
    await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    replies = await bot.send(CHAIR, "/endmeeting", group=True)
    [text] = private(bot, replies, SAMY)
    assert text.document is None and "Minutes" in text.text
    everyone = private(bot, replies, "Elly Rosita Silaban")
    assert [m.document is not None for m in everyone] == [False, True, True]
    files = await bot.press(SAMY, text, text.button_data("as files"))
    assert sorted(m.document[0].rsplit(".", 1)[1] for m in files if m.document) == ["html", "md"]
    assert await bot.press(SAMY, text, "minutes:files:999999") == []
    assert bot.api.callback_answers[-1]["text"] == "This button is no longer valid."


async def test_a_digest_member_gets_the_minutes_text_at_their_hour(bot):
    await bot.send(SAMY, "/notify digest 19h")
    await bot.send(CHAIR, "/newmeeting 2026-11-23 15:00 Steering committee")  # told at once: too soon
    await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    replies = await bot.send(CHAIR, "/endmeeting", group=True)
    assert private(bot, replies, SAMY) == []
    [closed] = [m for m in replies if "minutes are queued" in m.text]
    assert "In their daily digest, as they chose (/notify): Samy Arokiasamy." in closed.text
    bot.clock.now = datetime(2026, 11, 23, 13, 30, tzinfo=timezone.utc)
    [text] = private(bot, await bot.dispatch(), SAMY)  # no reminder of the meeting already held
    assert text.document is None and text.button_data("as files").startswith("minutes:files:")


async def test_going_back_to_everything_sends_what_waited_at_once(bot):
    await bot.send(INGRID, "/notify résumé 20h")
    replies = await bot.send(CHAIR, "/newmeeting 2026-12-10 15:00 Steering committee")
    assert private(bot, replies, INGRID) == []
    replies = await bot.send(INGRID, "/notify tout")
    assert "1 message qui attendait votre résumé part maintenant." in private(bot, replies, INGRID)[0].text
    assert any("Steering committee" in m.text for m in private(bot, replies, INGRID)[1:])
    bot.clock.now = datetime(2026, 11, 23, 19, 0, tzinfo=timezone.utc)
    assert private(bot, await bot.dispatch(), INGRID) == []  # its digest was called off


async def test_the_slot_chart_is_a_picture_on_request_for_who_chose_less(bot):
    replies = await bot.send(CHAIR, "/findslot 60")
    assert [m.document[0] for m in replies if m.document] == ["slots.png"]
    await bot.send(GABRIELA, "/notify importantes")
    replies = await bot.send(GABRIELA, "/findslot 60")
    assert [m for m in replies if m.document] == []
    [listing] = replies
    chart = await bot.press(GABRIELA, listing, listing.button_data("Gráfico"))
    assert [m.document[0] for m in chart if m.document] == ["slots.png"]
    assert await bot.press(GABRIELA, listing, "chart:60:1.2") == []
    assert bot.api.callback_answers[-1]["text"] == "Este botón ya no es válido."


async def test_a_digest_refused_by_telegram_fails_with_what_it_carried_and_nothing_waits_forever(bot):
    await bot.send(SAMY, "/notify digest 19h")
    await bot.send(CHAIR, "/newmeeting 2026-12-10 15:00 Steering committee")
    meeting_id = await latest_meeting(bot)
    await bot.send(CHAIR, f"/publishagenda {meeting_id}")
    bot.api.blocked_chats.add(bot.person(SAMY).telegram_id)  # Samy blocks the bot before 19:00
    bot.clock.now = datetime(2026, 11, 23, 13, 30, tzinfo=timezone.utc)
    assert private(bot, await bot.dispatch(), SAMY) == []
    async with bot.services.db.reading() as session:
        states = set(await session.scalars(select(OutboxMessage.state).where(
            OutboxMessage.kind.in_(("digest_item", "daily_digest")))))
    assert states == {"failed"}
    [report] = await bot.send(CHAIR, f"/reach {meeting_id}")
    assert "Failed: Samy Arokiasamy" in report.text
    replies = await bot.send(CHAIR, "/newmeeting 2026-12-17 15:00 Steering committee")  # blocked: not held
    assert "Not told, they blocked the bot or never opened a chat with it: Samy Arokiasamy." in \
        private(bot, replies, CHAIR)[0].text
