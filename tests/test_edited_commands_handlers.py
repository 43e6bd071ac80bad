"""An edited command, as Telegram sends it (an ``edited_message`` update): not run again (an
edited /decide would record a second decision), not ignored either: the sender is told that
the original stands."""

import time
from datetime import timedelta

from sqlalchemy import select

from bot.telegram.offline import GROUP_CHAT
from tests.harness import raw_message
from storage.models import Decision, Dialogue, Meeting, Member



async def _meeting_under_record(bot) -> None:  # type: ignore[no-untyped-def]
    async with bot.services.db.transaction() as session:
        session.add(Meeting(title="Steering committee", starts_at=bot.clock.now + timedelta(minutes=30),
                            duration_minutes=90, timezone="Europe/Brussels", status="scheduled"))
    await bot.send("Bart", "/startmeeting", group=True)


async def test_edited_decide_is_not_recorded_again_and_says_so(bot):
    await _meeting_under_record(bot)
    bart = bot.person("Bart").as_api()
    original = raw_message(501, bart, "/decide The budget is adopted.", GROUP_CHAT)
    [decided] = await bot.chat.update({"message": original})
    assert "Decision #" in decided.text
    edited = {**original, "text": "/decide The budget is rejected.", "edit_date": int(time.time()) + 5}
    [note] = await bot.chat.update({"edited_message": edited})
    assert note.chat_id == GROUP_CHAT["id"] and "edited" in note.text and "/undo" in note.text
    async with bot.services.db.reading() as session:
        assert list(await session.scalars(select(Decision.text))) == ["The budget is adopted."]


async def test_edited_command_in_private_keeps_the_original_in_the_reader_language(bot):
    samy = bot.person("Samy")
    chat = {"id": samy.telegram_id, "type": "private", "first_name": samy.first_name}
    original = raw_message(12, samy.as_api(), "/tz Asia/Tokyo", chat)
    await bot.chat.update({"message": original})
    await bot.send("Samy", "/lang fr")
    [note] = await bot.chat.update({"edited_message": {**original, "text": "/tz Europe/Paris",
                                                       "edit_date": int(time.time())}})
    assert "modifiés" in note.text
    async with bot.services.db.reading() as session:
        samy_row = await session.scalar(select(Member).where(Member.telegram_id == samy.telegram_id))
        assert samy_row.timezone == "Asia/Tokyo"


async def test_edited_command_from_a_stranger_is_refused_as_the_command_was(bot):
    stranger = bot.stranger("en")
    chat = {"id": stranger.telegram_id, "type": "private", "first_name": stranger.first_name}
    [reply] = await bot.chat.update({"edited_message": raw_message(3, stranger.as_api(), "/tz Lima", chat,
                                                                edit_date=int(time.time()))})
    assert "steering committee only" in reply.text


async def test_edited_answer_in_a_dialogue_is_not_taken_for_the_next_answer(bot):
    gabriela = bot.person("Gabriela")
    chat = {"id": gabriela.telegram_id, "type": "private", "first_name": gabriela.first_name}
    await bot.send("Gabriela", "/newmeeting")
    answer = raw_message(40, gabriela.as_api(), "Budget review", chat)
    [start_question] = await bot.chat.update({"message": answer})
    assert "¿Cuándo empieza?" in start_question.text  # Gabriela reads Spanish
    [note] = await bot.chat.update({"edited_message": {**answer, "text": "2026-12-04 16:00 Asia/Jakarta",
                                                       "edit_date": int(time.time())}})
    assert "primera respuesta se mantiene" in note.text and "Cancelar" in note.text
    async with bot.services.db.reading() as session:
        (flow,) = list(await session.scalars(select(Dialogue.data)))
    assert "Budget review" in str(flow) and "Asia/Jakarta" not in str(flow)


async def test_an_edited_question_outside_a_dialogue_is_answered_again(bot):
    samy = bot.person("Samy")
    chat = {"id": samy.telegram_id, "type": "private", "first_name": samy.first_name}
    question = raw_message(41, samy.as_api(), "who is the chair?", chat)
    [first] = await bot.chat.update({"message": question})
    [again] = await bot.chat.update({"edited_message": {**question, "text": "who is the chair ?",
                                                        "edit_date": int(time.time())}})
    assert "Bart" in first.text and "Bart" in again.text
