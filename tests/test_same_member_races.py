"""One member acting in two chats at the same moment, on both databases: the group's button
and the private command (or the chair's command and the member's own tap) race through the real
handlers. Neither fails, one row holds the last answer, and the reminders owed agree with it.
And an update that failed is not remembered as handled."""

import asyncio
from contextlib import asynccontextmanager
from datetime import timedelta

from sqlalchemy import delete, func, select

from bot.services import meetings
from bot.services.reminders import MEETING_REMINDER
from handlers.common import FAILED
from storage.models import Attendance, Ballot, Meeting, OutboxMessage, ProcessedUpdate, Rsvp
from tests.test_records_handlers import make_meeting

CHAIR, SECRETARIAT, MEMBER = "Bart Verstraeten", "Gabriela Prudencio", "Samy Arokiasamy"
REPETITIONS = 9


def failures(bot) -> list[str]:
    """Every "Something went wrong" the bot sent, in any language."""
    failed = {bot.services.i18n.translator(lang)(FAILED) for lang in ("fr", "en", "es")}
    return [m.text for m in bot.api.messages if m.text in failed]


async def race(bot, *updates) -> None:  # type: ignore[no-untyped-def]
    """Run ``updates`` together, their transactions opening at the same moment (as they do across
    two chats or two instances), not one after the other by the luck of scheduling. The first
    ``len(updates)`` transactions wait for each other; no clock is involved."""
    database = bot.services.db
    opening = asyncio.Barrier(len(updates))
    waiting = [len(updates)]
    original = database.transaction

    @asynccontextmanager
    async def together():  # type: ignore[no-untyped-def]
        if waiting[0] > 0:
            waiting[0] -= 1
            await opening.wait()
        async with original() as session:
            yield session

    database.transaction = together
    try:
        await asyncio.gather(*updates)
    finally:
        del database.transaction


async def rows(bot, model, *where):  # type: ignore[no-untyped-def]
    async with bot.services.db.transaction() as session:
        return list(await session.scalars(select(model).where(*where)))


async def test_rsvp_in_private_and_on_the_group_button_at_once(bot):
    await bot.send(CHAIR, "/newmeeting 2026-12-01 15:00 Steering committee")
    [first] = await rows(bot, Meeting)
    [notice] = [m for m in await bot.send(CHAIR, f"/meeting {first.id}", group=True) if m.buttons]
    samy = await bot.member(MEMBER)
    for repetition in range(REPETITIONS):
        async with bot.services.db.transaction() as session:
            meeting = Meeting(title=f"Race {repetition}", starts_at=bot.clock.now + timedelta(days=3),
                              duration_minutes=60, timezone="Europe/Brussels", status="scheduled")
            session.add(meeting)
            await session.flush()
            meeting_id = meeting.id
        for typed, tapped in (("yes", "no"), ("no", "yes")):  # a first answer, then a changed one
            await race(bot, bot.send(MEMBER, f"/rsvp {meeting_id} {typed}"),
                       bot.press(MEMBER, notice, f"rsvp:{meeting_id}:{tapped}"))
            [answer] = await rows(bot, Rsvp, Rsvp.meeting_id == meeting_id, Rsvp.member_id == samy.id)
            owed = await rows(bot, OutboxMessage, OutboxMessage.kind == MEETING_REMINDER,
                              OutboxMessage.ref_id == meeting_id, OutboxMessage.recipient_id == samy.id,
                              OutboxMessage.state == "pending")
            assert answer.answer in (typed, tapped)
            assert (len(owed) == 0) == (answer.answer == "no"), (answer.answer, len(owed))
    assert failures(bot) == []


async def test_present_typed_and_tapped_and_the_chair_recording_it_at_once(bot):
    meeting_id = await make_meeting(bot)
    replies = await bot.start_meeting(SECRETARIAT, "/startmeeting", group=True)
    [opened] = [m for m in replies if m.chat_id < 0 and m.buttons]
    samy = await bot.member(MEMBER)
    for _ in range(REPETITIONS):
        for first, second in (
                (bot.press(MEMBER, opened, f"att:{meeting_id}:apologies"), bot.send(MEMBER, "/present")),
                (bot.send(CHAIR, "/present Samy"), bot.press(MEMBER, opened, f"att:{meeting_id}:present"))):
            async with bot.services.db.transaction() as session:
                await session.execute(delete(Attendance))
            await race(bot, first, second)
            [row] = await rows(bot, Attendance, Attendance.meeting_id == meeting_id,
                               Attendance.member_id == samy.id)
            assert row.status in ("present", "apologies")
    assert failures(bot) == []


async def test_ballots_from_the_group_and_the_private_chat_at_once(bot):
    await make_meeting(bot)
    await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    replies = await bot.send(SECRETARIAT, "/vote Adopt the budget?")
    [in_private] = [m for m in replies if m.chat_id == bot.person(SECRETARIAT).telegram_id and m.buttons]
    [in_group] = [m for m in replies if m.chat_id < 0 and m.buttons]
    vote_data = in_group.button_data("Yes").rsplit(":", 1)[0]
    for _ in range(REPETITIONS):
        async with bot.services.db.transaction() as session:
            await session.execute(delete(Ballot))
        await race(bot, bot.press(SECRETARIAT, in_private, f"{vote_data}:no"),
                   bot.press(SECRETARIAT, in_group, f"{vote_data}:yes"))
        [ballot] = await rows(bot, Ballot)
        assert ballot.choice in ("yes", "no")
    async with bot.services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Ballot)) == 1
    assert failures(bot) == []


async def test_a_failed_update_leaves_no_trace_and_its_redelivery_is_handled(bot, monkeypatch):
    """The update id is recorded with the handler's changes only: after a failure the same
    update, delivered again, takes effect (once: a third delivery is ignored)."""
    async with bot.services.db.transaction() as session:
        meeting = Meeting(title="Budget", starts_at=bot.clock.now + timedelta(days=3), duration_minutes=60,
                          timezone="Europe/Brussels", status="scheduled")
        session.add(meeting)
    original = meetings.replan_meeting

    async def fails_after_the_answer_was_written(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(meetings, "replan_meeting", fails_after_the_answer_was_written)
    update_id = 4_000_000
    bot.chat._update_ids = iter([update_id])
    [reply] = await bot.send(MEMBER, f"/rsvp {meeting.id} yes")
    assert failures(bot) == [reply.text]
    assert await rows(bot, Rsvp) == [] and await rows(bot, ProcessedUpdate) == []
    monkeypatch.setattr(meetings, "replan_meeting", original)
    for delivery in range(2):
        bot.chat._update_ids = iter([update_id])
        replies = await bot.send(MEMBER, f"/rsvp {meeting.id} yes")
        assert [m.text for m in replies] == ([f"Your answer for meeting #{meeting.id} (Budget) is recorded: yes."]
                                             if delivery == 0 else [])
    [answer] = await rows(bot, Rsvp)
    assert answer.answer == "yes" and len(await rows(bot, ProcessedUpdate)) == 1
