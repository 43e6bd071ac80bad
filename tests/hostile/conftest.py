"""A shared lab per module (one harness for hundreds of inputs, each checked with table
snapshots), on SQLite and PostgreSQL (``lab``) or SQLite only (``sqlite_lab``, for the big
hypothesis sweeps); the session's hostile-input counts (tests.hostile.lab.STATS) are printed
by tests/conftest.py.

The harness runs in its own event loop (``asyncio.Runner``) so that synchronous tests, and
hypothesis examples, can reuse it across a module; the root fixtures give the databases.
"""

import asyncio
import logging
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.telegram.offline import SentMessage
from storage.models import ActionItem, AgendaItem, AvailabilityPoll, Meeting, Member, PollSlot, Vote
from tests.databases import require_postgres, scratch_directory
from tests.harness import start_harness
from tests.hostile.lab import ErrorLog, Lab

CHAIR, MEMBER, SECRETARIAT, REMOVED = "Bart Verstraeten", "Samy Arokiasamy", "Denis Mushiya", "Santiago Fischer"
OTHER_GROUP = {"id": -1009999999999, "type": "supergroup", "title": "Not the committee"}


def _quarter(moment: datetime) -> int:
    return int(moment.timestamp()) // 900


async def _latest(lab: Lab, model, **where):  # type: ignore[no-untyped-def]
    async with lab.bot.services.db.transaction() as session:
        query = select(model).filter_by(**where).order_by(model.id.desc()).limit(1)
        return await session.scalar(query)


async def build_world(lab: Lab) -> None:
    """The committee's ordinary state that hostile inputs aim at: meetings, an agenda with a
    proposal, an open record with votes, decisions and actions, an open availability poll."""
    bot, world = lab.bot, lab.world
    for name in (CHAIR, MEMBER, SECRETARIAT, REMOVED):
        [world[f"anchor:{name}"]] = await bot.send(name, "/start")
    async with bot.services.db.transaction() as session:
        await session.execute(update(Member).where(Member.name == REMOVED).values(active=False))
        ids = dict((await session.execute(select(Member.name, Member.id))).tuples().all())
    world["ids"] = ids
    await bot.send(CHAIR, "/newmeeting 2026-12-03 15:00 Europe/Brussels 90 Budget review")
    world["meeting"] = (await _latest(lab, Meeting)).id
    [night] = await bot.send(CHAIR, "/newmeeting 2026-11-23 09:30 UTC 60 Record meeting")  # 03:30 in Guatemala
    await bot.press(CHAIR, night, night.button_data("anyway"))
    world["record"] = (await _latest(lab, Meeting)).id
    await bot.send(MEMBER, f"/propose {world['meeting']} An idea")
    world["proposal"] = (await _latest(lab, AgendaItem, status="proposed")).id
    await bot.send(CHAIR, f"/additem {world['meeting']} Finance | 20 | Samy")
    world["item"] = (await _latest(lab, AgendaItem, meeting_id=world["meeting"])).id
    await bot.start_meeting(CHAIR, f"/startmeeting {world['record']}")
    await bot.send(CHAIR, "/topic Finance")
    await bot.send(CHAIR, "/vote Approve the budget?")
    await bot.send(CHAIR, "/decide The budget is approved.")
    world["closed_vote"] = (await _latest(lab, Vote)).id
    await bot.send(CHAIR, "/vote A second question?")
    world["vote"] = (await _latest(lab, Vote)).id
    await bot.send(CHAIR, "/action Samy: send the budget due 2026-12-15")
    world["action"] = (await _latest(lab, ActionItem)).id
    await bot.send(CHAIR, "/action Bart Verstraeten: the chair's own task")
    world["chair_action"] = (await _latest(lab, ActionItem)).id
    await bot.send(CHAIR, "/info A note for the record.")
    now = bot.clock.now
    quarters = [_quarter(now.replace(hour=14, minute=0) + timedelta(days=d)) for d in (3, 4)]
    await bot.press(CHAIR, world[f"anchor:{CHAIR}"], f"slot:open:60:3:{quarters[0]}.{quarters[1]}")
    poll = await _latest(lab, AvailabilityPoll)
    world["poll"] = poll.id
    world["slots"] = [s.id for s in await _scalars(lab, select(PollSlot).where(PollSlot.poll_id == poll.id))]
    world["quarters"] = quarters
    answer = await bot.send(MEMBER, "/org a")
    world["lookup"] = next((b["callback_data"] for m in answer for row in m.buttons for b in row
                            if str(b.get("callback_data", "")).startswith("lk:")), None)
    await lab.learn_secrets()


async def _scalars(lab: Lab, query):  # type: ignore[no-untyped-def]
    async with lab.bot.services.db.transaction() as session:
        return list(await session.scalars(query))


def _open_lab(db: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Lab]:
    runner = asyncio.Runner()
    if db == "sqlite":  # in memory, as the template: thousands of small commits, no fsync wait
        template = request.getfixturevalue("sqlite_template")
        directory = scratch_directory(tmp_path)
        if directory != tmp_path:
            request.addfinalizer(lambda: shutil.rmtree(directory, ignore_errors=True))
        url = template.fresh(directory)
    else:
        scratch, reason = request.getfixturevalue("postgres_scratch")
        if scratch is None:
            runner.close()
            require_postgres(reason)
        url = runner.run(scratch.fresh())
    harness, application = runner.run(start_harness(url))
    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    lab = Lab(harness, errors, db)
    lab.run = runner.run  # type: ignore[attr-defined]
    try:
        runner.run(build_world(lab))
        assert not errors.records, [r.getMessage() for r in errors.records]
        yield lab
    finally:
        logging.getLogger().removeHandler(errors)
        runner.run(application.shutdown())
        runner.run(harness.services.db.dispose())
        runner.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def lab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    yield from _open_lab(request.param, request, tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def sqlite_lab(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    yield from _open_lab("sqlite", request, tmp_path_factory.mktemp("hostile"))


__all__ = ["CHAIR", "MEMBER", "OTHER_GROUP", "REMOVED", "SECRETARIAT", "SentMessage"]
