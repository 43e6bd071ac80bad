"""Between meetings, through the real handlers on both databases: searching decisions, action
items and who may change them, notices to owners and the chair, history, /mydata, /forgetme."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from storage.models import ActionItem, AuditEntry, Ballot, Decision, Member, OutboxMessage, Rsvp
from tests.test_records_handlers import CHAIR, MEMBER, SECRETARIAT, count, make_meeting, to


async def held_meeting(bot, title="Steering committee", decisions=("The 2027 budget is adopted.",)) -> int:
    meeting_id = await make_meeting(bot, title=title)
    await bot.start_meeting(CHAIR, f"/startmeeting {meeting_id}")
    for text in decisions:
        await bot.send(CHAIR, f"/decide {text}")
    await bot.send(CHAIR, "/endmeeting")
    return meeting_id


async def action_id(bot, text: str) -> int:
    async with bot.services.db.transaction() as session:
        return await session.scalar(select(ActionItem.id).where(ActionItem.text == text))


async def test_decisions_search_by_words_meeting_and_date(bot):
    first = await held_meeting(bot, "November", ("The 2027 budget is adopted.", "Élections en mars"))
    bot.clock.advance(timedelta(days=10))
    second = await held_meeting(bot, "December", ("The solidarity fund opens.",))
    [reply] = await bot.send(MEMBER, "/decisions budget")
    assert "1 decision" in reply.text and "The 2027 budget is adopted." in reply.text
    assert f"meeting #{first}" in reply.text and "item: Budget 2027" in reply.text
    [reply] = await bot.send(MEMBER, "/decisions elections")  # accents forgiven
    assert "Élections en mars" in reply.text
    [reply] = await bot.send(MEMBER, f"/decisions #{second}")
    assert "solidarity fund" in reply.text and "budget" not in reply.text
    [reply] = await bot.send(MEMBER, "/decisions 2026-11-23")
    assert "2 decisions" in reply.text and "solidarity" not in reply.text
    [reply] = await bot.send(MEMBER, "/decisions")
    assert "3 decisions" in reply.text
    [reply] = await bot.send("Ingrid Mulamba", "/decisions volcan")
    assert "Aucune décision ne correspond à « volcan »" in reply.text
    [reply] = await bot.send(MEMBER, "/decisions " + "x" * 300)
    assert "too long" in reply.text


async def test_actions_lists_and_changes(bot):
    await bot.send(CHAIR, "/action Samy: draft the report due 2026-12-01")
    await bot.send(CHAIR, "/action Ingrid: call the networks due 2026-11-25")
    await bot.send(CHAIR, "/action - find a venue")
    report, call, venue = [await action_id(bot, t) for t in ("draft the report", "call the networks", "find a venue")]
    [reply] = await bot.send(MEMBER, "/mytasks")
    assert "1 open action item" in reply.text and "draft the report" in reply.text
    [reply] = await bot.send(MEMBER, "/actions")
    assert "3 open action items" in reply.text and "unassigned" in reply.text
    [reply] = await bot.send(MEMBER, "/actions Ingrid")
    assert "call the networks" in reply.text and "draft" not in reply.text
    bot.clock.advance(timedelta(days=3))
    [reply] = await bot.send(MEMBER, "/actions overdue")
    assert "1 overdue action item" in reply.text and "call the networks" in reply.text

    [reply] = await bot.send(MEMBER, f"/done {call}")
    assert "Only its owner" in reply.text
    [reply] = await bot.send("Ingrid Mulamba", f"/done {call}")
    assert "est faite" in reply.text
    [reply] = await bot.send("Ingrid Mulamba", f"/done {call}")
    assert "déjà faite" in reply.text
    [reply] = await bot.send(MEMBER, "/actions done")
    assert "call the networks" in reply.text
    [reply] = await bot.send("Ingrid Mulamba", f"/reopen {call}")
    assert "de nouveau en cours" in reply.text
    [reply] = await bot.send(MEMBER, f"/due {report} 2027-02-30")
    assert "is not one day" in reply.text
    [reply] = await bot.send(MEMBER, f"/due {report} 2027-01-15")
    assert "January 15, 2027" in reply.text
    [reply] = await bot.send(MEMBER, f"/due {report} none")
    assert "no due date any more" in reply.text
    for bad in ("/done 9999", "/done", "/assign 9999 Samy"):
        [reply] = await bot.send(MEMBER, bad)
        assert "There is no action item" in reply.text or "Usage" in reply.text, bad
    for bad in ("/done abc", "/reopen #x1", "/due 12b 2027-01-15", "/assign deux Samy"):
        [reply] = await bot.send(MEMBER, bad)
        typed = bad.split()[1]
        assert reply.text == f"“{typed}” is not an action number. Write it as 12 or #12; /mytasks and /actions list them."
    async with bot.services.db.transaction() as session:
        actions = {a.id: a for a in await session.scalars(select(ActionItem))}
        assert actions[call].status == "open" and actions[report].due_date is None
        assert actions[venue].owner_id is None
        assert await session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity_type == "action")) == 7


async def test_assign_tells_new_and_previous_owner_and_chair(bot):
    await bot.send(SECRETARIAT, "/action Samy: draft the report due 2026-12-01")
    report = await action_id(bot, "draft the report")
    sent = await bot.send(SECRETARIAT, f"/assign {report} Ángeles")
    assert "now belongs to Ángeles Carrión" in to(bot, SECRETARIAT, sent)[0].text or \
        "ahora es de Ángeles Carrión" in to(bot, SECRETARIAT, sent)[0].text
    assert "le asignó la acción" in to(bot, "Ángeles Carrión", sent)[0].text       # Spanish
    assert "gave your action" in to(bot, MEMBER, sent)[0].text                     # English
    assert "gave action" in to(bot, CHAIR, sent)[0].text and "before: Samy" in to(bot, CHAIR, sent)[0].text
    [reply] = await bot.send(SECRETARIAT, f"/assign {report} Ángeles")
    assert "ya es de" in reply.text
    [reply] = await bot.send(SECRETARIAT, f"/assign {report} Nobody Known")
    assert "Ningún miembro" in reply.text
    sent = await bot.send(CHAIR, f"/assign {report} -")
    assert "unassigned" in to(bot, CHAIR, sent)[0].text
    async with bot.services.db.transaction() as session:
        assert (await session.get(ActionItem, report)).owner_id is None
        # reminders followed the owner: none pending for Samy or Ángeles
        assert not await session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.ref_type == "action", OutboxMessage.kind == "action_reminder",
            OutboxMessage.state == "pending"))


async def test_chair_told_the_morning_after_an_action_falls_overdue(bot):
    await bot.send(SECRETARIAT, "/action Samy: draft the report due 2026-11-25")
    await bot.send(SECRETARIAT, "/action Ingrid: call the networks due 2026-11-25")
    done = await action_id(bot, "call the networks")
    await bot.send("Ingrid Mulamba", f"/done {done}")
    bot.clock.now = bot.clock.now.replace(day=26, hour=9, minute=30)
    sent = await bot.dispatch()
    chair = [m.text for m in to(bot, CHAIR, sent)]
    assert any("draft the report" in text and "still open" in text for text in chair), chair
    assert not any("call the networks" in text for text in chair)


async def test_history_for_the_chair_only(bot):
    await held_meeting(bot)
    async with bot.services.db.transaction() as session:
        decision = await session.scalar(select(Decision.id))
    [reply] = await bot.send(MEMBER, f"/history {decision}")
    assert "Only the chair" in reply.text
    [reply] = await bot.send(CHAIR, f"/history {decision}")
    assert "The 2027 budget is adopted." in reply.text and "recorded by Bart Verstraeten" in reply.text
    [reply] = await bot.send(CHAIR, "/history 777")
    assert "no decision or action item #777" in reply.text
    [reply] = await bot.send(CHAIR, "/history")
    assert "Usage" in reply.text


async def test_history_speaks_in_names_and_dates_in_the_readers_language(bot):
    await bot.send(CHAIR, "/action Samy: send the report due 2026-12-20")
    number = await action_id(bot, "send the report")
    await bot.send(CHAIR, f"/assign {number} Elly")
    await bot.send(CHAIR, f"/due {number} none")
    await bot.send(CHAIR, "/lang fr")
    [reply] = await bot.send(CHAIR, f"/history {number}")
    lines = reply.text.splitlines()[1:]
    assert lines[0].endswith(": enregistrée par Bart Verstraeten (pour Samy Arokiasamy · échéance : "
                             "dimanche 20 décembre 2026)"), lines
    assert lines[1].endswith(": réattribuée par Bart Verstraeten (de Samy Arokiasamy à Elly Rosita Silaban)")
    assert lines[2].endswith(": échéance modifiée par Bart Verstraeten (supprimée, c’était dimanche 20 décembre 2026)")
    assert not any(word in reply.text for word in ("owner=", "before=", "after=", "due=", "2026-12-20"))


async def test_mydata_sends_everything_held(bot):
    meeting_id = await make_meeting(bot)
    async with bot.services.db.transaction() as session:
        samy = await bot.member("Samy")
        session.add(Rsvp(meeting_id=meeting_id, member_id=samy.id, answer="yes"))
    await bot.start_meeting(CHAIR, "/startmeeting")
    await bot.send(MEMBER, "/present")
    await bot.send(MEMBER, "/info my note")
    await bot.send(CHAIR, "/action Samy: my task")
    replies = await bot.send(MEMBER, "/mydata", group=True)
    [document] = [m for m in replies if m.document]
    assert document.chat_id == bot.person("Samy").telegram_id  # personal data goes privately
    data = json.loads(document.document[1])
    assert data["profile"]["name"] == "Samy Arokiasamy" and data["profile"]["timezone"] == "Asia/Kolkata"
    assert data["rsvps"][0]["answer"] == "yes" and data["attendance"][0]["status"] == "present"
    assert data["notes_recorded"][0]["text"] == "my note" and data["actions_owned"][0]["text"] == "my task"
    assert data["audit"]


async def test_forgetme_anonymises_and_keeps_the_record(bot):
    meeting_id = await make_meeting(bot)
    async with bot.services.db.transaction() as session:
        drissa = await bot.member("Drissa")
        session.add(Rsvp(meeting_id=meeting_id, member_id=drissa.id, answer="yes"))
    [opened] = await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    await bot.press("Drissa", opened, opened.button_data("Present"))
    [vote] = await bot.send(CHAIR, "/vote Adopt?", group=True)
    await bot.press("Drissa", vote, vote.button_data("Yes"))
    await bot.send(CHAIR, "/closevote", group=True)
    await bot.send("Drissa", "/decide Drissa's decision")
    await bot.send(CHAIR, "/action Drissa: book the venue due 2026-12-10")
    await bot.send(CHAIR, "/endmeeting", group=True)

    [confirm] = await bot.send("Drissa", "/forgetme")
    assert "Êtes-vous sûr" in confirm.text
    drissa_id = (await bot.member("Drissa")).id
    await bot.press("Drissa", confirm, f"forget:{drissa_id + 1}:1")  # forged: someone else's id
    await bot.press(MEMBER, confirm, f"forget:{drissa_id}:1")  # someone else's tap
    assert (await bot.member("Drissa")) is not None
    yes = confirm.button_data("Oui")
    await bot.press("Drissa", confirm, confirm.button_data("Non"))
    assert "Rien n’a été effacé" in confirm.text
    assert (await bot.member("Drissa")) is not None
    sent = await bot.press("Drissa", confirm, yes)
    assert "ont été effacées" in confirm.text
    assert any("now unassigned" in m.text for m in to(bot, CHAIR, sent))

    async with bot.services.db.transaction() as session:
        row = await session.get(Member, drissa_id)
        assert row.name == f"former member #{drissa_id}" and not row.active
        assert row.telegram_id is None and row.country is None and row.timezone is None
        assert row.organisation is None and row.telegram_username is None
        assert not await session.scalar(select(func.count()).select_from(Rsvp).where(Rsvp.member_id == drissa_id))
        assert await session.scalar(select(func.count()).select_from(Ballot).where(Ballot.member_id == drissa_id))
        decision = await session.scalar(select(Decision).where(Decision.text == "Drissa's decision"))
        assert decision.author_id == drissa_id
        action = await session.scalar(select(ActionItem).where(ActionItem.text == "book the venue"))
        assert action.owner_id is None
    [text, *_] = await bot.send(MEMBER, f"/minutes {meeting_id}")
    assert "former member" in text.text and "Drissa" not in text.text.replace("Drissa's decision", "")
    assert "yes 1 · no 0 · abstain 0" in text.text  # the vote count stands
    [reply] = await bot.send("Drissa", "/mytasks")
    assert "réservé aux membres" in reply.text
    assert await count(bot, AuditEntry, AuditEntry.action == "member.forgotten") == 1


async def test_long_lists_show_a_page_and_the_total(bot):
    from storage.models import ActionItem, Decision

    async with bot.services.db.transaction() as session:
        samy = await bot.member("Samy Arokiasamy")
        session.add_all([Decision(text=f"Décision budgétaire {n}") for n in range(45)])
        session.add_all([ActionItem(text=f"Task {n}", owner_id=samy.id) for n in range(35)])
    [reply] = await bot.send("Samy Arokiasamy", "/decisions budgetaire")
    assert "45 decisions" in reply.text and "… and 15 more." in reply.text
    assert "Décision budgétaire 44" in reply.text  # newest first
    [reply] = await bot.send("Samy Arokiasamy", "/mytasks")
    assert "You have 35 open action items" in reply.text and "… and 5 more." in reply.text


async def test_decisions_by_dates_at_the_edges_of_the_calendar(bot):
    for day in ("0001-01-01", "9999-12-31", "1899-12-31"):
        [reply] = await bot.send("Samy Arokiasamy", f"/decisions {day}")
        assert "No decision" in reply.text
