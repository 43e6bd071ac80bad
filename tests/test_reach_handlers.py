"""Truthful reach through the real handlers, on SQLite and PostgreSQL: with members not linked
to Telegram (or who blocked the bot), no reply claims they were told, the chair is named who
was not, /reach reads back what Telegram confirmed, and /reminders status tells "not linked"
apart from real failures."""

from datetime import datetime, timezone

from sqlalchemy import select

from storage.models import Invite, Meeting, Member, OutboxMessage

CHAIR = "Bart Verstraeten"
UNLINKED = ("Niwa Soulima", "Samy Arokiasamy", "Ángeles Carrión")


async def unlink(bot, *names):
    async with bot.services.db.transaction() as session:
        for member in await session.scalars(select(Member).where(Member.name.in_(names))):
            member.telegram_id = None


async def block(bot, name):
    async with bot.services.db.transaction() as session:
        member = await session.scalar(select(Member).where(Member.name == name))
        member.unreachable_since = datetime(2026, 11, 20, tzinfo=timezone.utc)


def private(bot, messages, name):
    return [m for m in messages if m.chat_id == bot.person(name).telegram_id]


async def latest_meeting(bot):
    async with bot.services.db.transaction() as session:
        return await session.scalar(select(Meeting.id).order_by(Meeting.id.desc()).limit(1))


async def test_announcement_names_who_was_not_told_and_reach_reads_back_deliveries(bot):
    await unlink(bot, *UNLINKED)
    replies = await bot.send(CHAIR, "/newmeeting 2026-12-03 15:00 Steering committee")
    [answer] = private(bot, replies, CHAIR)[:1]
    assert "Everyone has been told" not in answer.text and "every member" not in answer.text.lower()
    assert "Queued for 10 members" in answer.text
    assert "Not told, not linked to Telegram yet: Ángeles Carrión, Niwa Soulima, Samy Arokiasamy." in answer.text
    mid = await latest_meeting(bot)
    [report] = await bot.send(CHAIR, f"/reach {mid}")
    assert "Delivered (Telegram confirmed): Bart Verstraeten, Bismo Sanyoto" in report.text
    assert "Not linked to Telegram, not sent: Ángeles Carrión, Niwa Soulima, Samy Arokiasamy" in report.text
    assert "Still on its way" not in report.text and "Failed" not in report.text
    async with bot.services.db.transaction() as session:
        states = set(await session.scalars(select(OutboxMessage.state).join(
            Member, Member.id == OutboxMessage.recipient_id).where(Member.name.in_(UNLINKED), OutboxMessage.kind == "message")))
    assert states == {"unlinked"}


async def test_status_tells_not_linked_apart_from_failures_and_never_claims_everyone(bot):
    await unlink(bot, *UNLINKED)
    await block(bot, "Elly Rosita Silaban")
    await bot.send(CHAIR, "/newmeeting 2026-12-03 15:00 Steering committee")
    [status] = await bot.send(CHAIR, "/reminders status")
    assert "not linked to Telegram: 3" in status.text
    assert "Telegram could not be reached" not in status.text
    assert "Every member" not in status.text
    assert "Not linked to Telegram yet (3): Ángeles Carrión, Niwa Soulima, Samy Arokiasamy" in status.text
    assert "Blocked the bot or never opened a chat with it (1): Elly Rosita Silaban" in status.text
    [spanish] = await bot.send("Gabriela Prudencio", "/reminders status")
    assert "sin vincular a Telegram: 3" in spanish.text and "Todos los miembros" not in spanish.text


async def test_everyone_linked_is_said_only_when_true(bot):
    [status] = await bot.send(CHAIR, "/reach")
    assert "Linked to Telegram and reachable: 13 of 13." in status.text
    assert "Every member is linked to Telegram" in status.text and not status.buttons


async def test_publishagenda_counts_only_reachable_members_in_each_language(bot):
    await bot.send(CHAIR, "/newmeeting 2026-12-03 15:00 Steering committee")
    await unlink(bot, *UNLINKED)
    await block(bot, "Elly Rosita Silaban")
    mid = await latest_meeting(bot)
    [es] = private(bot, await bot.send("Gabriela Prudencio", f"/publishagenda {mid}"), "Gabriela Prudencio")[:1]
    assert "13" not in es.text
    assert "En cola para 9 miembros" in es.text
    assert "No avisados, aún sin vincular a Telegram: Ángeles Carrión, Niwa Soulima, Samy Arokiasamy." in es.text
    assert "No avisados, bloquearon el bot o nunca abrieron un chat con él: Elly Rosita Silaban." in es.text
    [fr] = private(bot, await bot.send("Denis Mushiya", f"/publishagenda {mid}"), "Denis Mushiya")[:1]
    assert "En file d’attente pour 9 membres" in fr.text
    assert "Non prévenus, pas encore liés à Telegram : Ángeles Carrión, Niwa Soulima, Samy Arokiasamy." in fr.text


async def test_moved_cancelled_and_minutes_say_who_was_not_told(bot):
    await bot.send(CHAIR, "/newmeeting 2026-12-03 15:00 Steering committee")
    mid = await latest_meeting(bot)
    await unlink(bot, "Niwa Soulima")
    [moved] = private(bot, await bot.send(CHAIR, f"/reschedule {mid} 2026-12-04 15:00"), CHAIR)[:1]
    assert "Everyone" not in moved.text and "Queued for 12 members" in moved.text and "Niwa Soulima" in moved.text
    await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    ended = await bot.send(CHAIR, "/endmeeting", group=True)
    [closed] = [m for m in ended if "record of meeting" in m.text]
    assert "Queued for 12 members" in closed.text and "not linked to Telegram yet: Niwa Soulima" in closed.text
    [cancelled] = private(bot, await bot.send(CHAIR, f"/cancelmeeting {mid}"), CHAIR)[:1]
    assert "Everyone" not in cancelled.text and "Niwa Soulima" in cancelled.text


async def test_chair_creates_every_missing_invitation_in_one_tap(bot):
    await unlink(bot, *UNLINKED)
    [fr] = await bot.send("Denis Mushiya", "/reach")
    assert "Pas encore liés à Telegram (3)" in fr.text and not fr.buttons
    assert "/reach" in fr.text
    [listing] = await bot.send(CHAIR, "/reach")
    [[invite]] = listing.buttons
    assert invite["text"] == "Create invitations for 3 members"
    [links] = await bot.press(CHAIR, listing, invite["callback_data"])
    for name in UNLINKED:
        assert f"{name}: https://t.me/" in links.text
    async with bot.services.db.transaction() as session:
        assert len(list(await session.scalars(select(Invite)))) == 3
    [refused] = await bot.press("Denis Mushiya", listing, invite["callback_data"])
    assert "Seule la présidence" in refused.text
    async with bot.services.db.transaction() as session:
        assert len(list(await session.scalars(select(Invite)))) == 3
