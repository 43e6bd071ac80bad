"""Everyday questions (issue 15) through the real handlers, on both databases: every directory
case of the set, asked by a member who speaks its language (half of them), and the committee's business
asked in plain words, answered exactly as its command answers it."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import select

from bot.i18n.translation import utc_offset
from bot.telegram.offline import GROUP_CHAT
from storage.models import ActionItem, AgendaItem, Decision, Meeting, Member
from tests.lookup_everyday import DIRECTORY_CASES
from tests.test_lookup_handlers import ASKER, all_pages, entries

UTC = timezone.utc
LINK = "https://meet.example.org/inspir-steering"


def problems_with(bot, case: dict[str, Any], pages: list[str]) -> list[str]:
    text = "\n".join(pages)
    found = sorted(name for name, _ in entries(text))
    problems = []
    if case["people"] is not None and found != sorted(case["people"]):
        problems.append(f"listed {found}")
    if case["orgs"] is not None and found != sorted(case["orgs"]):
        problems.append(f"listed {found}")
    if case["total"] is not None and f"<b>{case['total']} " not in text:
        problems.append("total not stated")
    if case["zone"] is not None:
        t = bot.services.i18n.translator(case["lang"])
        clock = f"<b>{t.time(bot.clock.now, case['zone'])}</b> ({utc_offset(bot.clock.now, case['zone'])})"
        if clock not in pages[0].splitlines()[0]:
            problems.append(f"no {clock} first")
    if case["suggest"] is not None:
        if found:
            problems.append(f"answered {found}")
        problems += [f"{name} not suggested" for name in case["suggest"] if name not in text]
    return problems


async def test_everyday_questions_through_the_handlers(bot):
    """Every other case of the set (each class, each language): the domain test has them all."""
    failures, score = {}, dict.fromkeys(sorted({case["cls"] for case in DIRECTORY_CASES}), 0)
    for case in DIRECTORY_CASES[::2]:
        asker = ASKER[case["lang"]]
        replies = await bot.send(asker, case["question"])
        assert len(replies) == 1, (case["question"], replies)
        problems = problems_with(bot, case, await all_pages(bot, asker, replies[0]))
        score[case["cls"]] += not problems
        if problems:
            failures[case["question"]] = problems
    print(score)
    assert not failures, failures


async def test_city_names_and_time_in_the_readers_language(bot):
    [reply] = await bot.send("Gabriela Prudencio", "¿quién está en Bruselas?")
    assert reply.text.startswith("<b>2 miembros del comité</b> de Bruselas:")
    [reply] = await bot.send("Ingrid Mulamba", "heure à Katmandou ?")
    assert reply.text == "À Katmandou, il est <b>14:45</b> (UTC+05:45), lundi 23 novembre 2026."
    [reply] = await bot.send("Samy Arokiasamy", "who is in Makassar?")  # nobody there: the country
    assert reply.text.startswith("<b>2 committee members</b> in Indonesia:")


async def test_an_unknown_first_name_is_never_answered_with_someone_else(bot):
    [reply] = await bot.send("Samy Arokiasamy", "do you know Pedro Fischer?")
    assert "I found nobody on the committee" in reply.text
    assert "Closest names: Santiago Fischer." in reply.text and "<b>Santiago" not in reply.text
    [reply] = await bot.send("Ingrid Mulamba", "quelle heure est-il pour Paul Soaré ?")
    assert "Drissa Soaré" in reply.text and "<b>Drissa" not in reply.text


async def committee_business(bot) -> dict[str, int]:
    """Next Thursday's meeting with a link and an agenda, a Friday meeting, Samy's task and a
    decision on the budget (the harness's Monday 23 November 2026, 09:00 UTC)."""
    async with bot.services.db.transaction() as session:
        samy = await session.scalar(select(Member).where(Member.name == "Samy Arokiasamy"))
        thursday = Meeting(title="Steering committee", starts_at=datetime(2026, 11, 26, 14, tzinfo=UTC),
                           duration_minutes=90, timezone="Europe/Brussels", status="scheduled", link=LINK)
        friday = Meeting(title="Asia network", starts_at=datetime(2026, 11, 27, 8, tzinfo=UTC),
                         duration_minutes=60, timezone="Asia/Jakarta", status="scheduled")
        session.add_all([thursday, friday])
        await session.flush()
        session.add(AgendaItem(meeting_id=thursday.id, position=1, title="Budget 2027", status="approved"))
        session.add(ActionItem(text="Send the Asia report", owner_id=samy.id, due_date=date(2026, 11, 20)))
        session.add(Decision(text="The 2027 budget is adopted."))
        return {"thursday": thursday.id, "friday": friday.id}


async def test_business_questions_answer_as_their_commands(bot):
    ids = await committee_business(bot)
    same = [
        ("Samy Arokiasamy", "when is the next meeting?", f"/meeting {ids['thursday']}"),
        ("Ingrid Mulamba", "quand est la prochaine réunion ?", f"/meeting {ids['thursday']}"),
        ("Gabriela Prudencio", "¿qué hay en el orden del día?", f"/agenda {ids['thursday']}"),
        ("Ingrid Mulamba", "l'ordre du jour de vendredi ?", f"/agenda {ids['friday']}"),
        ("Samy Arokiasamy", "what do I have to do?", "/mytasks"),
        ("Gabriela Prudencio", "¿qué tengo que hacer?", "/mytasks"),
        ("Samy Arokiasamy", "did we decide anything on the budget?", "/decisions budget"),
        ("Ingrid Mulamba", "a-t-on décidé quelque chose sur le budget ?", "/decisions budget"),
        ("Samy Arokiasamy", "who is coming on Friday?", f"/meeting {ids['friday']}"),
        ("Gabriela Prudencio", "¿quién viene el jueves?", f"/meeting {ids['thursday']}"),
        ("Ingrid Mulamba", "quelles actions sont en retard ?", "/actions overdue"),
        ("Samy Arokiasamy", "which action items are still open?", "/actions open"),
    ]
    for asker, question, command in same:
        [asked] = await bot.send(asker, question)
        [typed] = await bot.send(asker, command)
        assert asked.text == typed.text and asked.buttons == typed.buttons, question
    [reply] = await bot.send("Samy Arokiasamy", "what do I have to do?")
    assert "Send the Asia report" in reply.text
    [reply] = await bot.send("Gabriela Prudencio", "¿cuál es el enlace?")
    assert LINK in reply.text and f"/meeting {ids['thursday']}" in reply.text
    assert "Detalles y hora local" in reply.text
    [reply] = await bot.send("Ingrid Mulamba", "qui vient mercredi ?")
    assert reply.text.startswith("Aucune réunion n’est prévue le mercredi 25 novembre 2026.")


async def test_business_without_meetings_says_none_is_planned(bot):
    [reply] = await bot.send("Samy Arokiasamy", "what's the link?")
    [typed] = await bot.send("Samy Arokiasamy", "/meetings")
    assert reply.text == typed.text and "No meeting is planned" in reply.text


async def test_business_asked_in_the_group_is_answered_privately(bot):
    await committee_business(bot)
    samy = bot.person("Samy").telegram_id
    replies = await bot.send("Samy Arokiasamy", "@inspir_bot what do I have to do?", group=True)
    assert any(m.chat_id == samy and "Send the Asia report" in m.text for m in replies)
    assert all("Asia report" not in m.text for m in replies if m.chat_id == GROUP_CHAT["id"])


async def test_strangers_learn_nothing_of_the_business(bot):
    await committee_business(bot)
    stranger = bot.stranger("fr", user_id=818181)
    for text in ("qu'y a-t-il à l'ordre du jour ?", "what's the link?", "who is coming on Thursday?"):
        [reply] = await bot.send(stranger, text)
        assert LINK not in reply.text and "Budget" not in reply.text and "Samy" not in reply.text
        assert "membres" in reply.text


async def test_the_time_somewhere_reads_as_a_sentence_in_spanish(bot):
    """Spanish cannot put "son las" before a weekday ("son las jueves, 3 de diciembre")."""
    [reply] = await bot.send("Gabriela Prudencio", "¿qué hora es en Katmandú?")
    assert reply.text == "En Katmandú: <b>14:45</b> (UTC+05:45), lunes, 23 de noviembre de 2026."
    [reply] = await bot.send("Gabriela Prudencio", "¿qué hora es para Bismo?")
    assert reply.text.startswith("Para Bismo Sanyoto, en Yakarta: <b>16:00</b> (UTC+07:00), lunes, 23 de noviembre de 2026.")
