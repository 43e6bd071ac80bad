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
