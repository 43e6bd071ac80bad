"""The chair acts on proposals without their buttons (/approve N, /decline N), and a published
agenda carries only approved items, through the real handlers on SQLite and PostgreSQL."""

from tests.test_agenda_handlers import CHAIR, items, meeting_id, private, say


async def test_approve_and_decline_by_number_and_publish_leaves_proposals_out(bot):
    mid = await meeting_id(bot)
    await bot.send("Ingrid Mulamba", f"/propose {mid} Rapport Afrique centrale")
    await bot.send("Samy Arokiasamy", f"/propose {mid} Off topic")
    await bot.send(CHAIR, f"/additem {mid} Budget | 20")
    replies = await bot.send("Gabriela Prudencio", f"/publishagenda {mid}")
    [ingrid] = private(bot, replies, "Ingrid Mulamba")
    assert "Budget" in ingrid.text and "Rapport Afrique" not in ingrid.text and "Off topic" not in ingrid.text
    replies = await bot.send(CHAIR, "/approve 1")
    assert "Item #1 (Rapport Afrique centrale) approved" in private(bot, replies, CHAIR)[0].text
    assert "a été ajoutée à l’ordre du jour" in private(bot, replies, "Ingrid Mulamba")[0].text
    replies = await bot.send("Gabriela Prudencio", "/decline 2")
    assert "#2 (Off topic)" in private(bot, replies, "Gabriela Prudencio")[0].text
    assert "was declined by Gabriela Prudencio" in private(bot, replies, "Samy Arokiasamy")[0].text
    assert {(title, status) for title, status, _ in await items(bot, mid)} == {
        ("Rapport Afrique centrale", "approved"), ("Off topic", "declined"), ("Budget", "approved")}
    assert "already decided" in await say(bot, CHAIR, "/approve 1")
    assert "no proposed agenda item #3" in await say(bot, CHAIR, "/approve 3")
    assert "Usage: /approve" in await say(bot, CHAIR, "/approve abc")
    assert "secrétariat" in await say(bot, "Ingrid Mulamba", "/approve 1")
