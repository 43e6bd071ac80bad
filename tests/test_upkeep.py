"""The periodic upkeep keeps recurring series alive and forgets old update ids."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.telegram.application import upkeep
from storage.models import Meeting, OutboxMessage, ProcessedUpdate



async def test_series_keep_rolling_without_anyone_looking(bot):
    await bot.send("Bart Verstraeten", "/newmeeting 2026-12-01 15:00 Weekly steering")
    async with bot.services.db.transaction() as session:
        head = await session.scalar(select(Meeting).order_by(Meeting.id.desc()).limit(1))
    await bot.send("Bart Verstraeten", f"/recur {head.id} weekly")

    async def latest_start() -> datetime:
        async with bot.services.db.transaction() as session:
            return await session.scalar(select(func.max(Meeting.starts_at)).where(
                Meeting.status == "scheduled"))

    horizon = await latest_start()
    bot.clock.advance(timedelta(days=120))
    assert await upkeep(bot.services) > 0
    extended = await latest_start()
    assert extended >= bot.clock.now + timedelta(days=80)
    # still 15:00 in Brussels, whatever the season
    assert extended.astimezone(ZoneInfo("Europe/Brussels")).hour == 15
    assert extended > horizon
    async with bot.services.db.transaction() as session:
        newest = await session.scalar(select(Meeting).where(Meeting.starts_at == extended))
        owed = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.ref_type == "meeting", OutboxMessage.ref_id == newest.id,
            OutboxMessage.state == "pending"))
    assert owed == 13 * 2  # every member, 24 h and 1 h before
    assert await upkeep(bot.services) == 0  # idempotent


async def test_old_update_ids_are_forgotten(bot):
    now = bot.clock.now
    async with bot.services.db.transaction() as session:
        session.add_all([ProcessedUpdate(update_id=1, at=now - timedelta(days=40)),
                         ProcessedUpdate(update_id=2, at=now - timedelta(days=1))])
    await upkeep(bot.services)
    async with bot.services.db.transaction() as session:
        kept = list(await session.scalars(select(ProcessedUpdate.update_id).where(
            ProcessedUpdate.update_id.in_([1, 2]))))
    assert kept == [2]


async def test_delivered_messages_and_dead_invitations_are_dropped_after_their_retention(bot):
    """[retention]: sent or given-up messages after 90 days, used, revoked or expired invitation
    codes after 30; what is still owed, and recent rows, stay."""
    from storage.models import Invite, Member

    now = bot.clock.now
    async with bot.services.db.transaction() as session:
        samy = await session.scalar(select(Member).where(Member.name == "Samy Arokiasamy"))
        old, recent = now - timedelta(days=100), now - timedelta(days=10)
        session.add_all([
            OutboxMessage(recipient_id=samy.id, kind="message", dedupe_key="r:sent-old", due_at=old, sent_at=old,
                          state="sent", payload={"text": "personal"}),
            OutboxMessage(recipient_id=samy.id, kind="message", dedupe_key="r:failed-old", due_at=old, state="failed"),
            OutboxMessage(recipient_id=samy.id, kind="message", dedupe_key="r:sent-recent", due_at=recent,
                          sent_at=recent, state="sent"),
            OutboxMessage(recipient_id=samy.id, kind="message", dedupe_key="r:pending-old", due_at=old,
                          state="pending"),
            Invite(code_hash="a" * 64, member_id=samy.id, expires_at=old, used_at=old),
            Invite(code_hash="b" * 64, member_id=samy.id, expires_at=now - timedelta(days=40)),
            Invite(code_hash="c" * 64, member_id=samy.id, expires_at=now + timedelta(days=5)),
        ])
    await upkeep(bot.services)
    async with bot.services.db.transaction() as session:
        keys = set(await session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("r:%"))))
        codes = set(await session.scalars(select(Invite.code_hash)))
    assert keys == {"r:sent-recent", "r:pending-old"}
    assert "c" * 64 in codes and not {"a" * 64, "b" * 64} & codes


def test_retention_below_what_the_guarantees_need_is_refused():
    import pytest

    from bot.config import ConfigError, load_settings

    with pytest.raises(ConfigError):
        load_settings(None, retention={"processed_updates": "12h"})
    assert load_settings(None, retention={"delivered_messages": "45d"}).retention.delivered_messages == timedelta(days=45)
