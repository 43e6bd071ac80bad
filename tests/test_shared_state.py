"""What a conversation remembers lives in the database, on both databases: a guided /newmeeting
half-way and the page buttons of a long answer carry on behind a second instance and after a
restart, a step that fails does not advance the dialogue, and a dialogue left alone expires."""

from datetime import timedelta

from sqlalchemy import func, select

from storage import conversation_state
from bot.bootstrap import build_bot, prepared_services
from bot.telegram.offline import OfflineBotApi, OfflineChat
from handlers.common import FAILED
from storage.models import Meeting
from tests.harness import BotHarness

CHAIR = "Bart Verstraeten"


async def another_instance(bot: BotHarness) -> tuple[BotHarness, object]:
    """A second bot process on the same database (same clock and people), started afresh."""
    services = await prepared_services(bot.services.settings, clock=bot.clock)
    api = OfflineBotApi()
    application = build_bot(services, request=api)
    await application.initialize()
    return BotHarness(services, api, OfflineChat(application, api), bot.people), application


async def stop(harness: BotHarness, application) -> None:  # type: ignore[no-untyped-def]
    await application.shutdown()
    await harness.services.db.dispose()


async def meetings(bot: BotHarness) -> list[Meeting]:
    async with bot.services.db.transaction() as session:
        return list(await session.scalars(select(Meeting)))


async def test_a_guided_newmeeting_goes_on_behind_another_instance_and_after_a_restart(bot):
    [ask] = await bot.send(CHAIR, "/newmeeting")
    assert "What is its title" in ask.text
    second, second_app = await another_instance(bot)
    [when] = await second.send(CHAIR, "Budget review")  # the other instance knows the dialogue
    assert "When does it start?" in when.text
    await stop(second, second_app)
    restarted, restarted_app = await another_instance(bot)  # a restart half-way
    try:
        [durations] = await restarted.send(CHAIR, "2026-12-04 16:00 Asia/Kathmandu")
        assert "How long" in durations.text
        [confirm] = await restarted.press(CHAIR, durations, durations.button_data("60"))
        assert "Budget review" in confirm.text
        await restarted.press(CHAIR, confirm, "nm:ok")
    finally:
        await stop(restarted, restarted_app)
    [meeting] = await meetings(bot)
    assert (meeting.title, meeting.timezone, meeting.duration_minutes) == ("Budget review", "Asia/Kathmandu", 60)


async def test_a_failed_step_does_not_advance_the_dialogue(bot, monkeypatch):
    await bot.send(CHAIR, "/newmeeting")
    original = conversation_state.keep_dialogue

    async def saved_then_failed(*args, **kwargs):  # type: ignore[no-untyped-def]
        await original(*args, **kwargs)
        raise RuntimeError("the database went away before the commit")

    monkeypatch.setattr(conversation_state, "keep_dialogue", saved_then_failed)
    [failed] = await bot.send(CHAIR, "Budget review")
    assert failed.text == FAILED
    monkeypatch.setattr(conversation_state, "keep_dialogue", original)
    [again] = await bot.send(CHAIR, "Budget review")  # still the title step: asked for the start
    assert "When does it start?" in again.text


async def test_a_dialogue_left_alone_expires(bot):
    await bot.send(CHAIR, "/newmeeting")
    bot.clock.advance(timedelta(minutes=31))
    replies = await bot.send(CHAIR, "Budget review")
    assert replies and all("When does it start" not in m.text for m in replies)  # a question, not an answer
    async with bot.services.db.transaction() as session:
        await conversation_state.forget_expired(session, bot.clock.now)
        assert await conversation_state.in_dialogue(session, bot.person(CHAIR).telegram_id,
                                                    bot.person(CHAIR).telegram_id, bot.clock.now) is None
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 0


async def test_page_buttons_turn_behind_another_instance(bot):
    [reply] = await bot.send("Samy Arokiasamy", "/org Asia")
    assert "Page 1 of 5" in reply.text
    second, second_app = await another_instance(bot)
    try:
        second.api.messages.append(reply)
        await second.press("Samy Arokiasamy", reply, reply.button_data("Next"))
        assert "Page 2 of 5" in reply.text
        await second.press("Ingrid Mulamba", reply, reply.button_data("Next"))
        assert second.api.callback_answers[-1]["text"] == ("Seul le membre qui a posé la question peut "
                                                           "tourner ces pages.")
    finally:
        await stop(second, second_app)
    bot.clock.advance(timedelta(hours=25))
    await bot.press("Samy Arokiasamy", reply, reply.button_data("Next"))
    assert bot.api.callback_answers[-1]["text"] == "This button is no longer valid."
