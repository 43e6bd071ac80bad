"""The record of a meeting through the real handlers, on both databases: opening, topics,
decisions, votes, actions, notes, attendance, undo, closing and the minutes fan-out."""

from datetime import timedelta

from sqlalchemy import func, select

from storage.models import ActionItem, AgendaItem, Attendance, AuditEntry, Ballot, Decision, Meeting, Note, Vote

CHAIR, SECRETARIAT, MEMBER = "Bart Verstraeten", "Gabriela Prudencio", "Samy Arokiasamy"


async def make_meeting(bot, title: str = "Steering committee", items=("Budget 2027", "Elections"),
                       hours_ahead: float = 0.5) -> int:
    async with bot.services.db.transaction() as session:
        meeting = Meeting(title=title, starts_at=bot.clock.now + timedelta(hours=hours_ahead),
                          duration_minutes=90, timezone="Europe/Brussels", status="scheduled")
        session.add(meeting)
        await session.flush()
        for position, item in enumerate(items, start=1):
            session.add(AgendaItem(meeting_id=meeting.id, position=position, title=item, status="approved"))
        return meeting.id


async def count(bot, model, *where) -> int:
    async with bot.services.db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


def to(bot, name: str, messages):
    chat = bot.person(name).telegram_id
    return [m for m in messages if m.chat_id == chat]


def group(messages):
    return [m for m in messages if m.chat_id < 0]


async def test_whole_meeting_and_minutes_in_each_language(bot):
    meeting_id = await make_meeting(bot)
    [opened] = await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    assert f"#{meeting_id}" in opened.text and "Budget 2027" in opened.text
    await bot.press(MEMBER, opened, opened.button_data("Present"))
    await bot.press("Ingrid Mulamba", opened, opened.button_data("Apologies"))
    await bot.press(SECRETARIAT, opened, opened.button_data("Present"))
    [vote] = await bot.send(CHAIR, "/vote Do we adopt the 2027 budget?", group=True)
    await bot.press(MEMBER, vote, vote.button_data("Yes"))
    await bot.press(SECRETARIAT, vote, vote.button_data("Yes"))
    await bot.press("Drissa Soaré", vote, vote.button_data("No"))
    assert "3 ballots cast" in vote.text
    [closed] = await bot.send(CHAIR, "/closevote", group=True)
    assert "yes 2 · no 1 · abstain 0" in closed.text
    [decided] = await bot.send(CHAIR, "/decide The 2027 budget is adopted.", group=True)
    assert "Decision #" in decided.text and "yes 2 · no 1 · abstain 0" in decided.text
    [moved] = await bot.send(SECRETARIAT, "/next", group=True)
    assert "Elections" in moved.text
    [topic] = await bot.send(CHAIR, "/topic Solidarity fund", group=True)
    assert "Solidarity fund" in topic.text
    replies = await bot.send(CHAIR, "/action Samy: send the budget to the networks due 2026-12-15", group=True)
    assert "Action #" in group(replies)[0].text and "Samy Arokiasamy" in group(replies)[0].text
    assert "send the budget" in to(bot, MEMBER, replies)[0].text  # the owner is told privately
    [unassigned] = await bot.send(MEMBER, "/action - find a venue for the assembly", group=True)
    assert "unassigned" in unassigned.text
    [note] = await bot.send(MEMBER, "/info The report is on the shared drive.", group=True)
    assert "Note #" in note.text

    sent = await bot.send(CHAIR, "/endmeeting", group=True)
    assert "13 members" in group(sent)[0].text
    expectations = {
        "Ingrid Mulamba": ("Procès-verbal", "Décision", "oui 2 · non 1 · abstention 0", "Actions par responsable",
                           "échéance : mardi 15 décembre 2026", "Excusés (1) : Ingrid Mulamba"),
        MEMBER: ("Minutes of meeting", "Decision #", "yes 2 · no 1 · abstain 0", "Actions by owner",
                 "due Tuesday, December 15, 2026", "Apologies (1): Ingrid Mulamba"),
        "Ángeles Carrión": ("Acta de la reunión", "Decisión", "sí 2 · no 1 · abstención 0", "Acciones por responsable",
                            "fecha límite: martes, 15 de diciembre de 2026", "Ausencias justificadas (1): Ingrid Mulamba"),
    }
    for name, wanted in expectations.items():
        mine = to(bot, name, sent)
        text = "\n".join(m.text for m in mine if not m.document)
        documents = {m.document[0]: m.document[1].decode() for m in mine if m.document}
        for part in wanted:
            assert part in text, (name, part, text)
        assert "The 2027 budget is adopted." in text and "send the budget to the networks" in text
        assert "find a venue" in text and "Solidarity fund" in text
        assert len(documents) == 2, documents.keys()
        page = next(v for k, v in documents.items() if k.endswith(".html"))
        markdown = next(v for k, v in documents.items() if k.endswith(".md"))
        assert page.startswith("<!DOCTYPE html>") and 'lang="' in page
        assert wanted[2] in page and wanted[2] in markdown and "The 2027 budget is adopted." in markdown
    group_text = "\n".join(m.text for m in group(sent))
    assert "Minutes of meeting" in group_text  # the committee's default language
    assert len([m for m in group(sent) if m.document]) == 6  # two files in each of the group's languages
    async with bot.services.db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        assert meeting.record_closed_at is not None
        assert await session.scalar(select(func.count()).select_from(Vote).where(Vote.closed_at.is_(None))) == 0


async def test_votes_one_ballot_each_changeable_until_closed(bot):
    await make_meeting(bot)
    await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    [vote] = await bot.send(SECRETARIAT, "/vote Adopt?", group=True)
    await bot.press(MEMBER, vote, vote.button_data("Yes"))
    await bot.press(MEMBER, vote, vote.button_data("No"))
    await bot.press(MEMBER, vote, vote.button_data("Abstain"))
    assert await count(bot, Ballot) == 1
    assert "1 ballot cast" in vote.text
    assert "abstain" in bot.api.callback_answers[-1]["text"].lower()
    await bot.press(bot.stranger("en"), vote, vote.button_data("Yes"))
    assert await count(bot, Ballot) == 1
    [closed] = await bot.send(SECRETARIAT, "/closevote", group=True)
    assert "sí 0 · no 0 · abstención 1" in closed.text  # in the language of who closed it
    await bot.press("Ingrid Mulamba", vote, vote.button_data("Yes"))
    assert bot.api.callback_answers[-1]["text"] == "Ce vote est clos."
    assert await count(bot, Ballot) == 1
    [again] = await bot.send(SECRETARIAT, "/closevote", group=True)
    assert "ninguna votación abierta" in again.text
    for forged in ("vote:999:yes", "vote:1:maybe", "vote:x:yes", "vote:1", "vote:1:yes:extra"):
        await bot.press(MEMBER, vote, forged)
        assert bot.api.callback_answers[-1]["text"] == "This button is no longer valid."
    assert await count(bot, Ballot) == 1


async def test_plain_members_cannot_run_the_record(bot):
    await make_meeting(bot)
    for command in ("/startmeeting", "/decide x", "/vote x", "/closevote", "/topic x", "/next", "/endmeeting"):
        [reply] = await bot.send(MEMBER, command)
        assert "Only the chair or the secretariat" in reply.text, command
    stranger = bot.stranger("es")
    for command in ("/startmeeting", "/action Samy: x", "/info x", "/minutes 1", "/undo"):
        [reply] = await bot.send(stranger, command)
        assert "miembros" in reply.text
    assert await count(bot, Meeting, Meeting.record_opened_at.is_not(None)) == 0


async def test_recording_needs_an_open_record(bot):
    await make_meeting(bot)
    for command in ("/decide The budget is adopted.", "/vote Adopt?", "/info x", "/topic x", "/undo"):
        [reply] = await bot.send(CHAIR, command)
        assert "No meeting record is open" in reply.text, command
    [reply] = await bot.send("Ingrid Mulamba", "/info note")
    assert "Aucun compte rendu" in reply.text or "/startmeeting" in reply.text
    assert await count(bot, Decision) == 0 and await count(bot, Note) == 0


async def test_bad_input_changes_nothing(bot):
    meeting_id = await make_meeting(bot)
    [reply] = await bot.send(CHAIR, "/startmeeting 999")
    assert "There is no meeting #999" in reply.text
    [reply] = await bot.send(CHAIR, "/startmeeting abc")
    assert reply.text == "“abc” is not a meeting number. Write it as 12 or #12."
    await bot.start_meeting(CHAIR, f"/startmeeting {meeting_id}")
    [reply] = await bot.send(CHAIR, f"/startmeeting {meeting_id}")
    assert "already open" in reply.text
    [reply] = await bot.send(CHAIR, "/decide " + "x" * 1001)
    assert "too long" in reply.text
    [reply] = await bot.send(CHAIR, "/decide")
    assert "/decide" in reply.text
    [reply] = await bot.send(CHAIR, "/action Zorglub Martian: conquer the moon")
    assert "No member of the roster matches" in reply.text
    [reply] = await bot.send(CHAIR, "/action Samy: send it due 2026-02-31")
    assert "as a due date but it names no single day" in reply.text
    [reply] = await bot.send(CHAIR, "/action Samy: send it due 2020-01-01")
    assert "already passed" in reply.text
    [reply] = await bot.send(CHAIR, "/action S: something")
    assert "Which member?" in reply.text or "No member" in reply.text
    [reply] = await bot.send(CHAIR, "/action")
    assert "Usage" in reply.text
    assert await count(bot, ActionItem) == 0 and await count(bot, Decision) == 0
    [opened] = [m for m in bot.api.messages if "is open" in m.text][:1]
    for forged in ("att:999:present", "att:1:asleep", "att:1", "att:-1:present"):
        await bot.press(MEMBER, opened, forged)
        assert bot.api.callback_answers[-1]["text"] == "This button is no longer valid."
    assert await count(bot, Attendance) == 0


async def test_html_is_escaped_in_confirmations_and_minutes(bot):
    meeting_id = await make_meeting(bot)
    await bot.start_meeting(CHAIR, "/startmeeting")
    await bot.send(CHAIR, "/decide <b>Budget</b> & <script>alert(1)</script>")
    await bot.send(CHAIR, "/action Samy: check <i>this</i> due 2026-12-01")
    await bot.send(CHAIR, "/endmeeting")
    [text, *docs] = await bot.send(CHAIR, f"/minutes {meeting_id}")
    assert "&lt;b&gt;Budget&lt;/b&gt; &amp; &lt;script&gt;" in text.text and "<script>" not in text.text
    page = next(d for d in docs if d.document[0].endswith(".html")).document[1].decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    markdown = next(d for d in docs if d.document[0].endswith(".md")).document[1].decode()
    assert r"\<b\>Budget\</b\> & \<script\>" in markdown and r"check \<i\>this\</i\>" in markdown


async def test_undo_rules(bot):
    await make_meeting(bot)
    await bot.start_meeting(SECRETARIAT, "/startmeeting")
    await bot.send(MEMBER, "/info Samy's note")
    await bot.send(SECRETARIAT, "/decide Gabriela's decision")
    await bot.send("Ingrid Mulamba", "/action Ingrid: Ingrid's action")
    [reply] = await bot.send(MEMBER, "/undo")
    assert "Samy's note" in reply.text
    [reply] = await bot.send(MEMBER, "/undo")
    assert "nothing to undo" in reply.text
    [reply] = await bot.send(SECRETARIAT, "/undo")  # the secretariat only undoes its own
    assert "Gabriela's decision" in reply.text
    await bot.send(SECRETARIAT, "/decide Second decision")
    [reply] = await bot.send(CHAIR, "/undo")  # the chair undoes anyone's last: the latest record
    assert "Second decision" in reply.text
    [reply] = to(bot, CHAIR, await bot.send(CHAIR, "/undo"))
    assert "Ingrid's action" in reply.text
    assert await count(bot, Decision, Decision.deleted_at.is_(None)) == 0
    assert await count(bot, Note, Note.deleted_at.is_(None)) == 0
    assert await count(bot, ActionItem, ActionItem.deleted_at.is_(None)) == 0
    assert await count(bot, AuditEntry, AuditEntry.action.like("%.undone")) == 4


async def test_withdrawing_an_action_tells_the_owner_who_was_told_it(bot):
    await make_meeting(bot)
    await bot.start_meeting(SECRETARIAT, "/startmeeting")
    recorded = await bot.send(SECRETARIAT, "/action Ingrid: book the venue")
    [given] = to(bot, "Ingrid Mulamba", recorded + await bot.dispatch())
    action_id = int(given.text.split("#")[1].split()[0])
    undone = await bot.send(SECRETARIAT, "/undo") + await bot.dispatch()
    [told] = to(bot, "Ingrid Mulamba", undone)
    assert told.text == (f"Gabriela Prudencio a retiré l’action #{action_id}, qui vous avait été confiée : book "
                         "the venue. Vous ne la devez plus.")
    await bot.send(SECRETARIAT, "/action Gabriela: my own task")
    mine = await bot.send(SECRETARIAT, "/undo") + await bot.dispatch()
    assert [m.text for m in mine] == [m.text for m in to(bot, SECRETARIAT, mine)]  # nobody else to tell


async def test_undo_of_a_topic_and_its_empty_item(bot):
    meeting_id = await make_meeting(bot, items=("Budget",))
    await bot.start_meeting(CHAIR, "/startmeeting")
    await bot.send(CHAIR, "/topic Unplanned point")
    [reply] = await bot.send(CHAIR, "/undo")
    assert "Unplanned point" in reply.text
    async with bot.services.db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        current = await session.get(AgendaItem, meeting.current_item_id)
        assert current.title == "Budget"
        titles = list(await session.scalars(select(AgendaItem.title).where(AgendaItem.meeting_id == meeting_id)))
        assert titles == ["Budget"]


async def test_undone_records_leave_the_minutes_and_decide_reattaches_vote(bot):
    meeting_id = await make_meeting(bot)
    await bot.start_meeting(CHAIR, "/startmeeting")
    [vote, _announced] = await bot.send(CHAIR, "/vote Adopt?")
    await bot.press(MEMBER, vote, vote.button_data("Yes"))
    await bot.send(CHAIR, "/decide First wording")
    await bot.send(CHAIR, "/undo")
    [decided] = await bot.send(CHAIR, "/decide Better wording")
    assert "yes 1 · no 0 · abstain 0" in decided.text
    await bot.send(CHAIR, "/endmeeting")
    [text, *_docs] = await bot.send(MEMBER, f"/minutes {meeting_id}")
    assert "Better wording" in text.text and "First wording" not in text.text
    assert text.text.count("yes 1 · no 0 · abstain 0") == 1


async def test_start_and_present_privately_announce_in_group(bot):
    meeting_id = await make_meeting(bot)
    replies = await bot.start_meeting(SECRETARIAT, "/startmeeting")
    private = to(bot, SECRETARIAT, replies)
    assert "registro de la reunión" in private[0].text
    announced = group(replies)
    assert announced and "is open" in announced[0].text and announced[0].buttons
    [reply] = await bot.send(MEMBER, "/present")
    assert "Samy Arokiasamy is recorded as present" in reply.text
    [reply] = await bot.send(MEMBER, "/present Ingrid")
    assert "Only the chair or the secretariat" in reply.text
    [reply] = await bot.send(SECRETARIAT, "/present Ingrid")
    assert "Ingrid Mulamba" in reply.text
    assert await count(bot, Attendance, Attendance.meeting_id == meeting_id) == 2
    [reply] = await bot.start_meeting(CHAIR, "/startmeeting")
    assert "still open" in reply.text or "already open" in reply.text


async def test_minutes_command_languages_and_errors(bot):
    meeting_id = await make_meeting(bot)
    [reply] = await bot.send(MEMBER, f"/minutes {meeting_id}")
    assert "no record yet" in reply.text
    await bot.start_meeting(CHAIR, "/startmeeting")
    await bot.send(CHAIR, "/decide Adopted.")
    [draft, *_] = await bot.send(MEMBER, f"/minutes {meeting_id}")
    assert "Draft" in draft.text
    await bot.send(CHAIR, "/endmeeting")
    for lang, heading in (("fr", "Procès-verbal"), ("es", "Acta"), ("en", "Minutes of meeting")):
        [text, md, page] = await bot.send(MEMBER, f"/minutes {meeting_id} {lang}")
        assert heading in text.text and "Adopted." in text.text
        assert md.document[0] == f"minutes-{meeting_id}-{lang}.md"
        assert f'<html lang="{lang}">' in page.document[1].decode()
    [reply] = await bot.send(MEMBER, f"/minutes {meeting_id} de")
    assert "Choose one of français, English, español." in reply.text
    [reply] = await bot.send(MEMBER, "/minutes 4242")
    assert "There is no meeting #4242" in reply.text
    [reply] = await bot.send(MEMBER, "/minutes")
    assert "Usage" in reply.text


async def test_minutes_keep_the_meeting_after_an_edit(bot):
    meeting_id = await make_meeting(bot)
    await bot.start_meeting(CHAIR, "/startmeeting")
    await bot.send(CHAIR, "/action Samy: draft the report due 2026-12-15")
    await bot.send(CHAIR, "/endmeeting")
    async with bot.services.db.transaction() as session:
        action_id = await session.scalar(select(ActionItem.id))
    await bot.send(MEMBER, f"/due {action_id} 2027-01-20")
    await bot.send(CHAIR, f"/assign {action_id} Ingrid")
    [text, *_] = await bot.send(MEMBER, f"/minutes {meeting_id}")
    record, since = text.text.split("Since the meeting (not part of the minutes)")
    assert "December 15" in record and "Samy Arokiasamy" in record  # as decided in the meeting
    assert "January 20, 2027" not in record and "Ingrid" not in record.split("Actions by owner")[1]
    assert "now with Ingrid Mulamba · now due Wednesday, January 20, 2027" in since


async def test_long_minutes_are_split_for_telegram(bot):
    meeting_id = await make_meeting(bot)
    await bot.start_meeting(CHAIR, "/startmeeting")
    for number in range(12):
        await bot.send(CHAIR, f"/info {number:02d} " + "word " * 190)
    await bot.send(CHAIR, "/endmeeting")
    replies = await bot.send(MEMBER, f"/minutes {meeting_id}")
    texts = [m for m in replies if not m.document]
    assert len(texts) >= 2 and all(len(m.text) <= 4096 for m in texts)
    assert "11 word" in texts[-1].text or any("11 word" in m.text for m in texts)
