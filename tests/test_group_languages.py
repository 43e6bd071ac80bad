"""The committee group reads three languages: what is posted there for everyone (a meeting's
announcement, the record's attendance call and votes) comes in each of the group's languages,
one block each, and its buttons carry every language. Through the handlers, both databases."""

from __future__ import annotations

import pytest

from bot.telegram.offline import GROUP_CHAT
from tests.harness import start_harness
from tests.test_records_handlers import make_meeting

CHAIR = "Bart Verstraeten"


def in_group(messages):
    return [m for m in messages if m.chat_id == GROUP_CHAT["id"]]


def labels(message) -> list[str]:
    return [button["text"] for row in message.buttons for button in row]


async def test_an_announcement_reaches_the_group_in_its_three_languages(bot):
    [post] = in_group(await bot.send(CHAIR, "/newmeeting 2026-12-01 15:00 Steering committee"))
    blocks = post.text.split("\n\n")
    assert [block.splitlines()[0] for block in blocks] == [
        "📅 <b>New meeting #1: Steering committee</b>",  # the committee's default language first
        "📅 <b>Nouvelle réunion #1 : Steering committee</b>",
        "📅 <b>Nueva reunión #1: Steering committee</b>",
    ]
    assert "Bruxelles" in post.text and "Bruselas" in post.text and "Brussels" in post.text


async def test_the_record_asks_and_votes_in_every_language_with_buttons_everyone_reads(bot):
    await make_meeting(bot)
    [opened] = await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    assert labels(opened)[0] == "Present · Présent·e · Presente"
    assert "The record of meeting #1" in opened.text and "Indique si está presente" in opened.text
    assert len(opened.text.split("\n\n")) == 3
    [vote] = await bot.send(CHAIR, "/vote Do we adopt the 2027 budget?", group=True)
    assert labels(vote) == ["Yes · Oui · Sí", "No · Non", "Abstain · Abstention · Abstención"]
    await bot.press("Ingrid Mulamba", vote, vote.buttons[0][0]["callback_data"])
    edited = bot.api.messages[-1]
    assert edited.text.count("1 ballot") + edited.text.count("1 vote") >= 1 and labels(edited) == labels(vote)
    # Privately, the chair reads only their own language.
    await bot.send(CHAIR, "/closevote", group=True)
    replies = await bot.send(CHAIR, "/vote Second question?")
    [private] = [m for m in replies if m.chat_id == bot.person(CHAIR).telegram_id]
    assert labels(private) == ["Yes", "No", "Abstain"]
    [posted] = in_group(replies)
    assert labels(posted) == labels(vote)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_committee_may_choose_the_groups_languages(db_url):
    harness, application = await start_harness(db_url, committee={"group_languages": ["es"]})
    try:
        [post] = in_group(await harness.send(CHAIR, "/newmeeting 2026-12-01 15:00 Steering committee"))
        assert [block.splitlines()[0] for block in post.text.split("\n\n")] == [
            "📅 <b>New meeting #1: Steering committee</b>", "📅 <b>Nueva reunión #1: Steering committee</b>"]
    finally:
        await application.shutdown()
        await harness.services.db.dispose()
