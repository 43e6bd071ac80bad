"""Agendas through the real handlers on both databases: items, timing in the reader's zone,
overrun, proposals approved or declined, publication, and the review of open action items."""

from datetime import date, datetime, timezone

from sqlalchemy import func, select

from storage.models import ActionItem, AgendaItem, AuditEntry, Meeting, Member

UTC = timezone.utc
CHAIR = "Bart Verstraeten"


def private(bot, messages, name):
    chat = bot.person(name).telegram_id
    return [m for m in messages if m.chat_id == chat]


async def say(bot, name, text):
    """The sender's own first answer."""
    return private(bot, await bot.send(name, text), name)[0].text


async def meeting_id(bot, text="/newmeeting 2026-12-01 15:00 60 Steering committee"):
    await bot.send(CHAIR, text)
    async with bot.services.db.transaction() as session:
        return await session.scalar(select(func.max(Meeting.id)))


async def items(bot, mid):
    async with bot.services.db.transaction() as session:
        rows = await session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == mid)
                                     .order_by(AgendaItem.position))
        return [(r.title, r.status, r.position) for r in rows]


async def test_items_with_times_in_each_readers_zone_and_overrun(bot):
    mid = await meeting_id(bot)  # 14:00-15:00 UTC
    reply = await say(bot, CHAIR, f"/additem {mid} Opening | 10")
    assert "Item #1 added" in reply and "1. 15:00–15:10 <b>Opening</b> (10 min)" in reply
    await bot.send(CHAIR, f"/additem #{mid} Budget 2027 | 30 | Gabriela")
    await bot.send("Denis Mushiya", f"/additem {mid} Any other business")
    agenda = await say(bot, "Elly Rosita Silaban", f"/agenda {mid}")
    assert "1. 21:00–21:10 <b>Opening</b> (10 min)" in agenda
    assert "2. 21:10–21:40 <b>Budget 2027</b> (30 min) · #2 — Gabriela Prudencio" in agenda
    assert "3. 21:40–22:00 <b>Any other business</b> (about 20 min)" in agenda
    assert "overruns" not in agenda
    agenda = await say(bot, "Santiago Fischer", "/agenda")  # the next meeting by default
    assert "15:10–15:40" in agenda
    await bot.send(CHAIR, f"/additem {mid} Strategy | 45")
    agenda = await say(bot, "Gabriela Prudencio", f"/agenda {mid}")
    assert "10:00–10:10" in agenda and "supera la duración de la reunión en 30 minutos" in agenda
    assert "(unos 5 min)" in agenda


async def test_move_drop_and_bad_input(bot):
    mid = await meeting_id(bot)
    for title in ("One", "Two", "Three"):
        await bot.send(CHAIR, f"/additem {mid} {title}")
    reply = await say(bot, CHAIR, "/moveitem #3 1")
    assert "Item #3 is now number 1" in reply
    assert await items(bot, mid) == [("Three", "approved", 1), ("One", "approved", 2), ("Two", "approved", 3)]
    assert "removed" in await say(bot, CHAIR, "/dropitem 1")
    assert await items(bot, mid) == [("Three", "approved", 1), ("Two", "approved", 2)]
    for text, expected in (("/moveitem 2 9", "between 1 and 2"), ("/moveitem 2 x", "between 1 and 2"),
                           ("/moveitem abc 1", "not an item number"), ("/dropitem 99", "no agenda item #99"),
                           ("/additem 99 Ghost", "no meeting #99"), ("/additem x Ghost", "not a meeting number"),
                           (f"/additem {mid} Long | 0", "between 1 and 720"),
                           (f"/additem {mid} Owner | 5 | Nobody Atall", "No member of the roster"),
                           (f"/additem {mid} " + "y" * 201, "too long"), (f"/additem {mid}", "Usage")):
        assert expected in await say(bot, CHAIR, text), text
    for text in (f"/additem {mid} Mine", "/moveitem 2 1", "/dropitem 2", f"/publishagenda {mid}"):
        assert "Only the chair or the secretariat" in await say(bot, "Samy Arokiasamy", text)
    assert await items(bot, mid) == [("Three", "approved", 1), ("Two", "approved", 2)]
    await bot.send(CHAIR, f"/additem {mid} <i>Evil</i> & co")
    assert "&lt;i&gt;Evil&lt;/i&gt; &amp; co" in await say(bot, "Samy Arokiasamy", f"/agenda {mid}")


async def test_proposals_are_approved_or_declined_by_the_chair(bot):
    mid = await meeting_id(bot)
    replies = await bot.send("Ingrid Mulamba", f"/propose {mid} Rapport Afrique centrale")
    assert "proposition #1" in private(bot, replies, "Ingrid Mulamba")[0].text
    [to_chair] = private(bot, replies, CHAIR)
    [to_drissa] = private(bot, replies, "Drissa Soaré")
    assert "Ingrid Mulamba proposes item #1" in to_chair.text and "propose le point #1" in to_drissa.text
    assert not private(bot, replies, "Samy Arokiasamy")
    # a plain member cannot use the buttons, forged data is refused
    await bot.press("Samy Arokiasamy", to_chair, "agenda:approve:1")
    await bot.press(CHAIR, to_chair, "agenda:approve:999")
    assert bot.api.callback_answers[-1]["text"] == "This button is no longer valid."
    await bot.press(CHAIR, to_chair, "agenda:promote:1")
    assert await items(bot, mid) == [("Rapport Afrique centrale", "proposed", 1)]
    assert "Proposed, awaiting the chair (/approve or /decline with the number): #1 Rapport" in await say(
        bot, "Samy Arokiasamy", f"/agenda {mid}")
    replies = await bot.press(CHAIR, to_chair, to_chair.button_data("Approve"))
    assert "approved for meeting" in to_chair.text
    [told] = private(bot, replies, "Ingrid Mulamba")
    assert "a été ajoutée à l’ordre du jour" in told.text and "Bart Verstraeten" in told.text
    await bot.press("Drissa Soaré", to_drissa, "agenda:decline:1")
    assert bot.api.callback_answers[-1]["text"] == "Cette proposition a déjà été tranchée."
    await bot.send("Samy Arokiasamy", f"/propose {mid} Asia exchange")
    replies = await bot.send("Samy Arokiasamy", f"/propose {mid} Off topic")
    [to_chair] = private(bot, replies, CHAIR)
    replies = await bot.press(CHAIR, to_chair, to_chair.button_data("Decline"))
    assert "was declined by Bart Verstraeten" in private(bot, replies, "Samy Arokiasamy")[0].text
    assert await items(bot, mid) == [("Rapport Afrique centrale", "approved", 1), ("Asia exchange", "proposed", 2),
                                     ("Off topic", "declined", 3)]
    async with bot.services.db.transaction() as session:
        actions = set(await session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("agenda.%"))))
    assert actions == {"agenda.proposed", "agenda.approved", "agenda.declined"}
    assert "not a meeting number" in await say(bot, "Samy Arokiasamy", "/propose abc Title")
    assert "comité" in (await bot.send(bot.stranger("fr"), f"/propose {mid} Spam"))[0].text


async def test_publish_sends_the_agenda_to_the_group_and_everyone_in_their_language(bot):
    mid = await meeting_id(bot)
    await bot.send(CHAIR, f"/additem {mid} Opening | 10")
    replies = await bot.send("Gabriela Prudencio", f"/publishagenda {mid}")
    assert "to 13 members" in private(bot, replies, "Gabriela Prudencio")[0].text or \
        "a 13 miembros" in private(bot, replies, "Gabriela Prudencio")[0].text
    [group] = [m for m in replies if m.chat_id < 0]
    assert "Agenda of meeting" in group.text and "15:00–15:10" in group.text
    [ingrid] = private(bot, replies, "Ingrid Mulamba")
    assert "Ordre du jour de la réunion" in ingrid.text and "15:00–15:10" in ingrid.text  # Kinshasa = UTC+1
    [elly] = private(bot, replies, "Elly Rosita Silaban")
    assert "21:00–21:10" in elly.text


async def test_open_action_items_are_reviewed_at_the_top_of_the_next_meeting(bot):
    earlier = await meeting_id(bot, "/newmeeting 2026-11-25 15:00 60 November")
    async with bot.services.db.transaction() as session:
        samy = await session.scalar(select(Member).where(Member.name == "Samy Arokiasamy"))
        session.add_all([
            ActionItem(meeting_id=earlier, owner_id=samy.id, text="Send the <Asia> report", due_date=date(2026, 11, 30)),
            ActionItem(meeting_id=earlier, text="Book the venue"),
            ActionItem(meeting_id=earlier, text="Done already", status="done"),
            ActionItem(meeting_id=earlier, text="Deleted", deleted_at=datetime(2026, 11, 23, tzinfo=UTC)),
        ])
    bot.clock.now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # the November meeting is over
    mid = await meeting_id(bot)
    await bot.send(CHAIR, f"/additem {mid} Budget | 20")
    agenda = await say(bot, "Samy Arokiasamy", f"/agenda {mid}")
    lines = agenda.splitlines()
    assert "1. 19:30–19:40 <b>Review of action items</b> (10 min)" in lines[2]
    assert "◦ #1 Send the &lt;Asia&gt; report — Samy Arokiasamy, due Monday, November 30, 2026" in lines[3]
    assert "◦ #2 Book the venue" in lines[4]
    assert "Done already" not in agenda and "Deleted" not in agenda
    assert "2. 19:40–20:00 <b>Budget</b>" in agenda
    french = await say(bot, "Ingrid Mulamba", f"/agenda {mid}")
    assert "Suivi des actions" in french
    # added once, whatever the number of readers; the earlier meeting gets none
    assert [t for t, _, _ in await items(bot, mid)] == ["Review of action items", "Budget"]
    assert await items(bot, earlier) == []
