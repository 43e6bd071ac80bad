"""Availability polls end to end through the handlers on both databases: the chair opens a poll
from /findslot, every member answers in their own zone and language and may change answers, the
chair follows counts and non-respondents, closes the poll and creates the meeting from the winner.
Forged and out-of-turn taps change nothing. The clock starts on Monday 2026-11-23 09:00 UTC."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.services import polls
from storage.models import AvailabilityPoll, Meeting, Member, OutboxMessage, PollAnswer, PollSlot


def chat(bot, name: str) -> int:
    return bot.person(name).telegram_id


def ballot_of(bot, replies, name: str):
    found = [m for m in replies if m.chat_id == chat(bot, name) and "poll:a:" in str(m.buttons)]
    assert len(found) == 1, name
    return found[0]


async def open_poll(bot, unselect: tuple[int, ...] = (2,)):
    """/findslot from Monday 30 November, drop some times, open the poll; (poll, ballots, starts)."""
    replies = await bot.send("Bart Verstraeten", "/findslot 90 2026-11-30 5")
    [answer] = [m for m in replies if m.document is None]
    [choice] = await bot.press("Bart Verstraeten", answer, answer.button_data("poll"))
    assert "Availability poll for a 90-minute meeting" in choice.text
    for number in unselect:
        [choice] = await bot.press("Bart Verstraeten", choice, choice.buttons[number - 1][0]["callback_data"])
        assert f"☐ {number}." in choice.text
    opened = await bot.press("Bart Verstraeten", choice, choice.button_data("Open the poll"))
    async with bot.services.db.transaction() as session:
        poll = await session.scalar(select(AvailabilityPoll))
        starts = [slot.starts_at for slot in await polls.poll_slots(session, poll.id)]
    return poll, opened, starts


async def answers_of(bot, name: str) -> dict[datetime, str]:
    async with bot.services.db.transaction() as session:
        rows = await session.execute(select(PollSlot.starts_at, PollAnswer.answer)
                                     .join(PollAnswer, PollAnswer.slot_id == PollSlot.id)
                                     .join(Member, Member.id == PollAnswer.member_id)
                                     .where(Member.name == name))
        return dict(rows.all())


async def test_poll_end_to_end(bot):
    poll, opened, starts = await open_poll(bot)
    assert len(starts) == 4 and starts == sorted(starts)
    confirmation = [m for m in opened if "Poll #" in m.text and m.chat_id == chat(bot, "Bart")]
    assert confirmation and "Queued for 13 members" in confirmation[0].text
    # Every member got the times in their own zone and language.
    samy = ballot_of(bot, opened, "Samy Arokiasamy")
    for number, start in enumerate(starts, start=1):
        assert f"{number}. {start.astimezone(ZoneInfo('Asia/Kolkata')):%a %-d %b, %H:%M} (UTC+05:30)" in samy.text
    assert "(Kolkata)" in samy.text and len(samy.buttons) == 4 and len(samy.buttons[0]) == 3
    ingrid = ballot_of(bot, opened, "Ingrid Mulamba")
    assert "Sondage de disponibilité" in ingrid.text and "(Kinshasa)" in ingrid.text
    assert f"{starts[0].astimezone(ZoneInfo('Africa/Kinshasa')):%H:%M} (UTC+01:00)" in ingrid.text
    mary = ballot_of(bot, opened, "Mary Karol Luna")
    assert "Encuesta de disponibilidad" in mary.text and "(UTC-06:00)" in mary.text
    assert mary.button_data("1: puedo")
    # A reminder is owed to every member 24 h before the poll closes.
    async with bot.services.db.transaction() as session:
        poll = await session.get(AvailabilityPoll, poll.id)
        reminders = list(await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "poll_reminder")))
        ids = {m.id for m in await session.scalars(select(Member))}
    assert poll.closes_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # three days to answer
    assert len(reminders) == 13 and {r.recipient_id for r in reminders} == ids
    for row in reminders:
        assert row.due_at == poll.closes_at - timedelta(hours=24) and row.state == "pending"
        assert (row.ref_type, row.ref_id, row.payload) == ("poll", poll.id, {"poll_id": poll.id})
        assert row.dedupe_key == f"poll_reminder:{poll.id}:{row.recipient_id}"

    # Members answer, and change their minds.
    [samy] = await bot.press("Samy Arokiasamy", samy, samy.button_data("1: I can"))
    assert "✅ I can" in samy.text
    [samy] = await bot.press("Samy Arokiasamy", samy, samy.button_data("2: if need be"))
    [samy] = await bot.press("Samy Arokiasamy", samy, samy.button_data("1: I cannot"))
    assert "❌ I cannot" in samy.text and "🤔 if need be" in samy.text and "not answered yet" in samy.text
    assert bot.api.callback_answers[-1].get("text") == "Answer saved."
    assert await answers_of(bot, "Samy Arokiasamy") == {starts[0]: "no", starts[1]: "maybe"}
    [ingrid] = await bot.press("Ingrid Mulamba", ingrid, ingrid.button_data("2 : je peux"))
    assert "✅ je peux" in ingrid.text
    [ingrid] = await bot.press("Ingrid Mulamba", ingrid, ingrid.button_data("1 : je peux"))
    [mary] = await bot.press("Mary Karol Luna", mary, mary.button_data("3: no puedo"))

    # The chair sees live counts and who has not answered.
    [view] = await bot.send("Bart Verstraeten", f"/poll {poll.id}")
    assert "3 of 13 members answered" in view.text
    assert "✅ 1 · 🤔 0 · ❌ 1" in view.text  # time 1: Ingrid yes, Samy no
    assert "✅ 1 · 🤔 1 · ❌ 0" in view.text  # time 2: Ingrid yes, Samy if need be
    not_answered = view.text.split("Not answered yet</b> (10): ")[1].splitlines()[0]
    assert "Bart Verstraeten" in not_answered and "Elly Rosita Silaban" in not_answered
    assert "Samy" not in not_answered and "Ingrid" not in not_answered and "Mary" not in not_answered
    assert "Leading: time 2." in view.text
    assert not any("Create the meeting" in b["text"] for row in view.buttons for b in row)

    # Only the chair closes; then answers are refused and reminders cancelled.
    [refused] = await bot.send("Samy Arokiasamy", f"/closepoll {poll.id}")
    assert "Only the chair" in refused.text
    [refused] = await bot.send("Denis Mushiya", f"/closepoll {poll.id}")
    assert "Seule la présidence" in refused.text
    [refused] = await bot.press("Bismo Sanyoto", view, view.button_data("Close the poll"))
    assert "Only the chair" in refused.text
    async with bot.services.db.transaction() as session:
        assert (await session.get(AvailabilityPoll, poll.id)).closed_at is None
    [view] = await bot.press("Bart Verstraeten", view, view.button_data("Close the poll"))
    assert "Closed." in view.text
    assert await bot.press("Samy Arokiasamy", samy, samy.button_data("1: I can")) == []
    assert "closed" in bot.api.callback_answers[-1]["text"]
    assert await answers_of(bot, "Samy Arokiasamy") == {starts[0]: "no", starts[1]: "maybe"}
    async with bot.services.db.transaction() as session:
        states = set(await session.scalars(select(OutboxMessage.state).where(
            OutboxMessage.kind == "poll_reminder")))
    assert states == {"cancelled"}

    # One tap creates the meeting at the winner, once.
    replies = await bot.press("Bart Verstraeten", view, view.button_data("Create the meeting at time 2"))
    async with bot.services.db.transaction() as session:
        [meeting] = list(await session.scalars(select(Meeting)))
        poll = await session.get(AvailabilityPoll, poll.id)
    assert meeting.starts_at == starts[1] and meeting.duration_minutes == 90
    assert poll.meeting_id == meeting.id
    assert any(f"Meeting #{meeting.id}" in m.text and "Queued for 13 members" in m.text for m in replies)
    assert any(m.chat_id == chat(bot, "Samy") and m.message_id != samy.message_id for m in replies)
    assert await bot.press("Bart Verstraeten", view, f"poll:meet:{poll.id}") == []
    assert "already created" in bot.api.callback_answers[-1]["text"]
    [again] = await bot.send("Bart Verstraeten", f"/closepoll {poll.id}")
    assert "already closed" in again.text and f"Meeting #{meeting.id} was created from this poll" in again.text


async def test_forged_and_foreign_answers_change_nothing(bot):
    poll, opened, starts = await open_poll(bot, unselect=())
    samy, ingrid = ballot_of(bot, opened, "Samy Arokiasamy"), ballot_of(bot, opened, "Ingrid Mulamba")
    foreign = ingrid.button_data("1 : je peux")
    assert await bot.press("Samy Arokiasamy", ingrid, foreign) == []  # Samy tapping Ingrid's ballot
    assert "another member" in bot.api.callback_answers[-1]["text"]
    own = samy.button_data("1: I can")
    _, _, _, slot_id, _, member_id = own.split(":")
    async with bot.services.db.transaction() as session:
        other_poll_slot = PollSlot(poll_id=poll.id, starts_at=starts[0] + timedelta(days=30))
        second = AvailabilityPoll(title="other", duration_minutes=60, closes_at=starts[0])
        session.add(second)
        await session.flush()
        other_poll_slot.poll_id = second.id
        session.add(other_poll_slot)
        await session.flush()
        foreign_slot = other_poll_slot.id
    forged = [f"poll:a:{poll.id}:{slot_id}:x:{member_id}", f"poll:a:999:{slot_id}:y:{member_id}",
              f"poll:a:{poll.id}:99999:y:{member_id}", f"poll:a:{poll.id}:{foreign_slot}:y:{member_id}",
              f"poll:a:{poll.id}:{slot_id}:y", f"poll:a:{poll.id}:{slot_id}:y:{member_id}:1",
              f"poll:a:{poll.id}:-{slot_id}:y:{member_id}", "poll:a:" + "9" * 70]
    for data in forged:
        before = len(bot.api.callback_answers)
        assert await bot.press("Samy Arokiasamy", samy, data) == [], data
        assert bot.api.callback_answers[before].get("text"), data
    for data in ("poll:view:abc", "poll:close:999", "poll:meet:999", "poll:view:1:2"):
        assert await bot.press("Bart Verstraeten", samy, data) == [], data
        assert bot.api.callback_answers[-1].get("text"), data
    async with bot.services.db.transaction() as session:
        assert not list(await session.scalars(select(PollAnswer)))
        assert (await session.get(AvailabilityPoll, poll.id)).closed_at is None


async def test_answers_refused_once_the_poll_has_expired(bot):
    poll, opened, starts = await open_poll(bot, unselect=())
    samy = ballot_of(bot, opened, "Samy Arokiasamy")
    bot.clock.advance(timedelta(days=3, minutes=1))
    assert await bot.press("Samy Arokiasamy", samy, samy.button_data("1: I can")) == []
    assert "closed" in bot.api.callback_answers[-1]["text"]
    [view] = await bot.send("Bart Verstraeten", f"/poll {poll.id}")
    assert "close the poll to choose the time" in view.text and "0 of 13 members answered" in view.text
    # Nobody answered: there is no winner to schedule.
    [view] = await bot.press("Bart Verstraeten", view, view.button_data("Close the poll"))
    assert "No one can attend any time yet." in view.text
    assert await bot.press("Bart Verstraeten", view, f"poll:meet:{poll.id}") == []
    async with bot.services.db.transaction() as session:
        assert not list(await session.scalars(select(Meeting)))


async def test_poll_commands_usage_and_listing(bot):
    [none] = await bot.send("Bart Verstraeten", "/poll")
    assert "no availability poll yet" in none.text
    poll, _, _ = await open_poll(bot)
    [listing] = await bot.send("Gabriela Prudencio", "/poll")
    assert f"#{poll.id} Steering committee meeting (abierta): /poll {poll.id}" in listing.text
    for text, expected in (("/poll abc", "Usage: /poll"), ("/poll 1 2", "Usage: /poll"),
                           ("/poll 42", "There is no poll #42."), ("/closepoll", "Usage: /closepoll"),
                           ("/closepoll 42", "There is no poll #42.")):
        [reply] = await bot.send("Bart Verstraeten", text)
        assert expected in reply.text, text
    [refused] = await bot.send("Samy Arokiasamy", f"/poll {poll.id}")
    assert "Only the chair or the secretariat" in refused.text
    [view] = await bot.send("Denis Mushiya", f"/poll #{poll.id}")
    assert "Sondage de disponibilité" in view.text and "Pas encore de réponse</b> (13)" in view.text


async def test_poll_too_close_to_its_first_time_is_refused(bot):
    replies = await bot.send("Bart Verstraeten", "/findslot 90")  # tomorrow onwards
    [answer] = [m for m in replies if m.document is None]
    [choice] = await bot.press("Bart Verstraeten", answer, answer.button_data("poll"))
    bot.clock.advance(timedelta(hours=26))  # the first time (Tuesday 12:30 UTC) is now 1.5 h away
    assert await bot.press("Bart Verstraeten", choice, choice.button_data("Open the poll")) == []
    assert "too close" in bot.api.callback_answers[-1]["text"]
    async with bot.services.db.transaction() as session:
        assert not list(await session.scalars(select(AvailabilityPoll)))


def test_winner_prefers_most_available_then_most_yes_then_earliest():
    from storage.models import AvailabilityPoll as Poll, PollSlot as Slot

    early, late = (datetime(2026, 12, 1, 12, tzinfo=UTC), datetime(2026, 12, 2, 12, tzinfo=UTC))
    first, second = Slot(id=1, starts_at=early), Slot(id=2, starts_at=late)

    def tally(a, b):
        return polls.PollTally(Poll(id=1), [polls.SlotTally(first, *a), polls.SlotTally(second, *b)], [], [])

    assert tally((["x"], [], []), (["y"], ["z"], [])).winner.slot is second
    assert tally((["x"], ["w"], []), (["y", "v"], [], [])).winner.slot is second
    assert tally((["x"], [], []), (["y"], [], [])).winner.slot is first
    assert tally(([], [], ["x"]), ([], [], ["y"])).winner is None
    assert polls.default_closing(early - timedelta(hours=2, minutes=30), [early]) is None
    now = early - timedelta(days=10)
    assert polls.default_closing(now, [early, late]) == now + timedelta(days=3)


async def test_reminder_reaches_only_members_who_have_not_answered_and_its_buttons_work(bot):
    poll, opened, starts = await open_poll(bot, unselect=())
    samy = ballot_of(bot, opened, "Samy Arokiasamy")
    await bot.press("Samy Arokiasamy", samy, samy.button_data("1: I can"))
    bot.clock.advance(timedelta(days=2, minutes=1))  # 24 h before the poll closes
    sent = await bot.dispatch()
    reminded = {m.chat_id: m for m in sent if "poll:a:" in str(m.buttons)}
    assert chat(bot, "Samy") not in reminded and len(reminded) == 12
    elly = reminded[chat(bot, "Elly")]
    assert "(UTC+07:00)" in elly.text
    [elly] = await bot.press("Elly Rosita Silaban", elly, elly.button_data("2: if need be"))
    assert "🤔 if need be" in elly.text
    assert await answers_of(bot, "Elly Rosita Silaban") == {starts[1]: "maybe"}


async def test_members_without_telegram_are_not_asked_but_listed_as_not_answered(bot):
    async with bot.services.db.transaction() as session:
        niwa = await session.scalar(select(Member).where(Member.name == "Niwa Soulima"))
        niwa.telegram_id = None
    poll, opened, _ = await open_poll(bot)
    assert any("Queued for 12 members" in m.text and "not linked to Telegram yet: Niwa Soulima" in m.text for m in opened)
    async with bot.services.db.transaction() as session:
        reminders = list(await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "poll_reminder")))
    assert len(reminders) == 12 and niwa.id not in {r.recipient_id for r in reminders}
    [view] = await bot.send("Bart Verstraeten", f"/poll {poll.id}")
    assert "0 of 13 members answered" in view.text and "Niwa Soulima" in view.text.split("Not answered yet")[1]
