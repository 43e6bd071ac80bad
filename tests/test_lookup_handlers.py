"""/who, /org and plain questions through the real handlers, on both databases: the shared
question set, pages, privacy in the group, strangers, escaping, and the directory cache."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from babel import Locale
from sqlalchemy import select

from bot.services.directory_cache import cache_for
from bot.domain.lookup.countries import country_code
from bot.telegram.offline import GROUP_CHAT, SentMessage
from bot.services.importers import import_organisations
from storage.models import Member, Organisation
from tests.lookup_questions import QUESTIONS

ASKER = {"fr": "Ingrid Mulamba", "en": "Samy Arokiasamy", "es": "Gabriela Prudencio"}
NARROW = {"fr": "Pour préciser", "en": "To narrow it down", "es": "Para precisar"}
NEXT = {"fr": "Suivant", "en": "Next", "es": "Siguiente"}
ENTRY = re.compile(r"^• <b>(.*?)</b>(.*)$", re.MULTILINE)


async def ask(bot, who: str, case: dict[str, Any]) -> list[SentMessage]:
    text = {"ask": "{}", "who": "/who {}", "org": "/org {}"}[case["via"]].format(case["question"])
    return await bot.send(who, text)


async def all_pages(bot, who: str, message: SentMessage) -> list[str]:
    """The text of every page of an answer, turning pages with its Next button."""
    pages = [message.text]
    while True:
        data = [b["callback_data"] for row in message.buttons for b in row
                if any(label in b["text"] for label in NEXT.values())]
        if not data:
            return pages
        await bot.press(who, message, data[0])
        pages.append(message.text)
        assert len(pages) <= 30


def entries(text: str) -> list[tuple[str, str]]:
    """(bold name or acronym, rest of the line) of each listed person or organisation."""
    return [(name.replace("&amp;", "&"), rest) for name, rest in ENTRY.findall(text)]


def country_shown(lang: str, written: str) -> str:
    return Locale.parse(lang).territories[country_code(written)]


def check(case: dict[str, Any], lang: str, pages: list[str]) -> list[str]:
    """What is wrong with the answer (empty when right)."""
    text = "\n".join(pages)
    found = entries(text)
    problems = []
    exact = case["expect_total"] is None
    if case["expect_people"] or (exact and case["intent"].startswith(("person", "local"))):
        names = [name for name, _ in found]
        if exact and sorted(names) != sorted(case["expect_people"]):
            problems.append(f"people {names} != {case['expect_people']}")
        missing = set(case["expect_people"]) - set(names)
        if missing:
            problems.append(f"missing people {missing}")
    if case["expect_orgs"] or (exact and case["intent"].startswith("org")):
        for label, country in case["expect_orgs"]:
            lines = [rest for name, rest in found if name == label]
            if not lines:
                problems.append(f"missing organisation {label}")
            elif country and not any(country_shown(lang, country) in rest for rest in lines) \
                    and country_shown(lang, country) not in pages[0].split("\n", 1)[0]:  # or said once, above
                problems.append(f"{label} not shown in {country}")
        if exact and len(found) != len(case["expect_orgs"]):
            problems.append(f"{len(found)} organisations listed, {len(case['expect_orgs'])} expected")
    if not exact and f"<b>{case['expect_total']} " not in text:
        problems.append(f"total {case['expect_total']} not stated")
    if not exact and len(found) != case["expect_total"]:
        problems.append(f"{len(found)} entries over all pages, {case['expect_total']} expected")
    if case["ambiguous"] and NARROW[lang] not in text:
        problems.append("no hint to narrow an ambiguous answer")
    for name in case["expect_suggestions"]:
        if name not in text:
            problems.append(f"suggestion {name} missing")
    if not case["expect_people"] and not case["expect_orgs"] and found:
        problems.append(f"answered {found} where nothing matches")
    return problems


async def test_question_set_through_the_handlers(bot):
    """All 87 questions, each asked by a member who speaks its language."""
    failures = {}
    for case in QUESTIONS:
        lang = case["lang"]
        who = ASKER[lang]
        replies = await ask(bot, who, case)
        assert len(replies) == 1, (case["question"], replies)
        problems = check(case, lang, await all_pages(bot, who, replies[0]))
        if problems:
            failures[case["question"]] = problems
    assert not failures, failures
    assert len(QUESTIONS) == 87


async def test_answers_in_the_askers_language_with_local_time(bot):
    [reply] = await bot.send("Ingrid Mulamba", "quelle heure est-il chez Gabriela ?")
    assert "Pour Gabriela Prudencio, à La Paz, il est <b>05:00</b> (UTC-04:00), lundi 23 novembre 2026." in reply.text
    assert "Bolivie" in reply.text and "Amérique latine et Caraïbes" in reply.text
    [reply] = await bot.send("Gabriela Prudencio", "/who Népal")
    assert "Ningún miembro del comité" in reply.text and "Samy Arokiasamy" in reply.text
    [reply] = await bot.send("Samy Arokiasamy", "/who DR Congo")
    assert "Congo - Kinshasa" in reply.text and "Central Africa" in reply.text
    assert "Denis Mushiya" in reply.text and "11:00 (Lubumbashi, UTC+02:00)" in reply.text
    [reply] = await bot.send("Elly Rosita Silaban", "/who Mary")
    assert "local time 03:00 (Guatemala, UTC-06:00)" in reply.text
    # At 19:00 UTC it is Tuesday for Elly and still Monday for Mary: the weekday is shown.
    bot.clock.advance(timedelta(hours=10))
    [reply] = await bot.send("Elly Rosita Silaban", "/who Mary")
    assert "local time Mon 13:00 (Guatemala, UTC-06:00)" in reply.text


async def test_not_found_suggests_and_never_guesses(bot):
    [reply] = await bot.send("Samy Arokiasamy", "/who Prudenzo")
    assert "found nobody" in reply.text and "Closest names: Gabriela Prudencio" in reply.text
    assert not entries(reply.text)
    [reply] = await bot.send("Samy Arokiasamy", "/org Gefonttt")
    assert "I know no organisation called “Gefonttt”" in reply.text and "Closest names: GEFONT" in reply.text
    assert not entries(reply.text)
    [reply] = await bot.send("Samy Arokiasamy", "/org Zzyzx")
    assert "I know no organisation" in reply.text and "Closest" not in reply.text
    [reply] = await bot.send("Samy Arokiasamy", "blue bicycles")
    assert "I found no one and nothing" in reply.text and "who represents Asia?" in reply.text
    assert not entries(reply.text)


async def test_usage_and_overlong_queries(bot):
    [reply] = await bot.send("Samy Arokiasamy", "/who")
    assert "Usage: /who" in reply.text
    [reply] = await bot.send("Ingrid Mulamba", "/org")
    assert "Utilisation : /org" in reply.text
    [reply] = await bot.send("Samy Arokiasamy", "/who " + "Asia " * 100)
    assert "too long" in reply.text and "Samy" not in reply.text
    [reply] = await bot.send("Gabriela Prudencio", "¿quién representa a Asia? " * 20)
    assert "demasiado larga" in reply.text and "Samy" not in reply.text
    [reply] = await bot.send("Samy Arokiasamy", "/nosuchcommand")
    assert "I do not know that command" in reply.text


async def test_pages_turn_for_the_asker_only(bot):
    [reply] = await bot.send("Samy Arokiasamy", "/org Asia")
    assert "<b>42 member organisations</b> in Asia" in reply.text and "Page 1 of 5" in reply.text
    assert len(reply.buttons[0]) == 1
    first_page = reply.text
    next_data = reply.button_data("Next")
    assert len(next_data.encode()) <= 64 and "Samy" not in next_data

    await bot.press("Ingrid Mulamba", reply, next_data)
    assert bot.api.callback_answers[-1]["text"] == "Seul le membre qui a posé la question peut tourner ces pages."
    assert reply.text == first_page

    await bot.press("Samy Arokiasamy", reply, next_data)
    assert "Page 2 of 5" in reply.text and reply.text != first_page
    assert [b["text"] for b in reply.buttons[0]] == ["‹ Previous", "Next ›"]
    await bot.press("Samy Arokiasamy", reply, reply.button_data("Previous"))
    assert reply.text == first_page

    token = next_data.split(":")[1]
    for forged in (f"lk:{token}:99", f"lk:{token}:-1", f"lk:{token}:x", "lk:nosuchtoken:1", f"lk:{token}:1:2"):
        await bot.press("Samy Arokiasamy", reply, forged)
        assert bot.api.callback_answers[-1]["text"] == "This button is no longer valid."
        assert reply.text == first_page
    stranger = bot.stranger("en")
    await bot.press(stranger, reply, next_data)
    assert reply.text == first_page

    pages = await all_pages(bot, "Samy Arokiasamy", reply)
    listed = [name for page in pages for name, _ in entries(page)]
    assert len(listed) == 42 and len(set(zip(listed, pages))) <= 42
    assert all(len(page) <= 4096 for page in pages)


async def test_every_page_fits_in_a_telegram_message(bot):
    async with bot.services.db.transaction() as session:
        for number in range(120):
            session.add(Organisation(acronym=f"LONG{number}", name="Très " * 50 + f"longue {number}",
                                     country="Togo", network="West Africa", kind="& " * 40))
    [reply] = await bot.send("Niwa Soulima", "/org Togo")
    pages = await all_pages(bot, "Niwa Soulima", reply)
    assert len(pages) == 14 and all(len(page) <= 4096 for page in pages)
    assert "<b>134 organisations membres</b>" in pages[0]


async def test_people_answers_asked_in_the_group_go_privately(bot):
    samy = bot.person("Samy").telegram_id
    replies = await bot.send("Samy Arokiasamy", "@inspir_bot who represents Asia?", group=True)
    private = [m for m in replies if m.chat_id == samy]
    public = [m for m in replies if m.chat_id == GROUP_CHAT["id"]]
    assert private and "Elly Rosita Silaban" in private[0].text
    assert public and "private message" in public[0].text and "Elly" not in public[0].text

    replies = await bot.send("Samy Arokiasamy", "/who chair", group=True)
    assert {m.chat_id for m in replies if "Bart Verstraeten" in m.text} == {samy}

    # Organisation facts may be answered in the group.
    [reply] = await bot.send("Ingrid Mulamba", "@inspir_bot qu'est-ce que CRISOL ?", group=True)
    assert reply.chat_id == GROUP_CHAT["id"] and "Bolivie" in reply.text


async def test_group_questions_only_when_addressed(bot):
    assert await bot.send("Samy Arokiasamy", "who represents Asia?", group=True) == []
    assert await bot.send("Samy Arokiasamy", "mail me at samy@inspir_bots.org", group=True) == []
    [answer] = await bot.send("Samy Arokiasamy", "@INSPIR_BOT what is GEFONT?", group=True)
    assert "GEFONT" in answer.text and answer.chat_id == GROUP_CHAT["id"]
    # A reply to one of the bot's messages is a question too.
    replies = await bot.chat.send(bot.person("Samy"), "and CRISOL?", chat=GROUP_CHAT, reply_to=answer)
    assert any("Corriente de Renovación" in m.text for m in replies)
    ingrid, samy = bot.person("Ingrid").as_api(), bot.person("Samy").as_api()
    reply_to_member = {"message_id": 7, "date": 0, "chat": GROUP_CHAT, "from": ingrid, "text": "hello"}
    message = {"message_id": 8, "date": 0, "chat": GROUP_CHAT, "from": samy, "text": "what is CRISOL?",
               "reply_to_message": reply_to_member}
    assert await bot.chat._process({"message": message}) == []


async def test_group_page_buttons_refuse_other_members(bot):
    [reply] = await bot.send("Samy Arokiasamy", "/org Asia", group=True)
    assert reply.chat_id == GROUP_CHAT["id"] and "Page 1 of 5" in reply.text
    first = reply.text
    await bot.press("Bismo Sanyoto", reply, reply.button_data("Next"))
    assert reply.text == first
    await bot.press("Samy Arokiasamy", reply, reply.button_data("Next"))
    assert "Page 2 of 5" in reply.text


async def test_strangers_learn_nothing(bot):
    stranger = bot.stranger("es", user_id=808080)
    for text in ("¿quién representa a Asia?", "/who Samy", "/org CSB", "hola", "@inspir_bot ¿qué es CRISOL?"):
        replies = await bot.send(stranger, text)
        assert len(replies) == 1 and "reservado a los miembros" in replies[0].text, replies
        assert not any(word in replies[0].text for word in ("Samy", "CSB", "CRISOL", "Asia"))
    replies = await bot.send(stranger, "@inspir_bot who represents Asia?", group=True)
    assert all("Samy" not in m.text for m in replies)


async def test_html_in_data_is_escaped(bot):
    async with bot.services.db.transaction() as session:
        member = await session.scalar(select(Member).where(Member.name == "Santiago Fischer"))
        member.name = "Santiago <b>Fischer</b> & Co"
        member.organisation = "<i>Evil</i>"
        session.add(Organisation(acronym="<X&Y>", name="A <b>bold</b> & sneaky org", country="Belgium"))
    [reply] = await bot.send("Samy Arokiasamy", "/who Santiago")
    assert "Santiago &lt;b&gt;Fischer&lt;/b&gt; &amp; Co" in reply.text
    assert "&lt;i&gt;Evil&lt;/i&gt;" in reply.text
    [reply] = await bot.send("Samy Arokiasamy", "/org sneaky")
    assert "<b>&lt;X&amp;Y&gt;</b> (A &lt;b&gt;bold&lt;/b&gt; &amp; sneaky org)" in reply.text
    [reply] = await bot.send("Samy Arokiasamy", "/who <script>")
    assert "<script>" not in reply.text


async def test_directory_is_built_once_and_rebuilt_on_change(bot, tmp_path: Path):
    cache = cache_for(bot.services.db)
    await bot.send("Samy Arokiasamy", "/who Asia")
    await bot.send("Ingrid Mulamba", "/org CSB")
    await bot.send("Gabriela Prudencio", "¿qué es CRISOL?")
    assert cache.builds == 1

    await bot.send("Santiago Fischer", "/tz Lima")  # a member changed: rebuilt once
    [reply] = await bot.send("Samy Arokiasamy", "/who Santiago")
    assert "(Lima, UTC-05:00)" in reply.text
    await bot.send("Samy Arokiasamy", "/who Santiago")
    assert cache.builds == 2

    async with bot.services.db.transaction() as session:
        session.add(Organisation(acronym="NEWORG", name="A new organisation", country="Nepal"))
    [reply] = await bot.send("Samy Arokiasamy", "/org NEWORG")
    assert "A new organisation" in reply.text and cache.builds == 3

    # An import that only renames an organisation in place changes no count nor id.
    csv = tmp_path / "organisations.csv"
    csv.write_text("acronym,name,country,network,kind\n"
                   "GEFONTX,General Federation of Nepalese Trade Unions,Nepal,Asia,trade union\n")
    async with bot.services.db.transaction() as session:
        await import_organisations(session, csv)
    [reply] = await bot.send("Samy Arokiasamy", "/org GEFONTX")
    assert "<b>GEFONTX</b>" in reply.text and cache.builds == 4
    await bot.send("Bart Verstraeten", "/invite Niwa")  # audited, but neither roster nor directory
    await bot.send("Samy Arokiasamy", "/org CSB")
    assert cache.builds == 4


async def test_inactive_members_are_not_found(bot):
    async with bot.services.db.transaction() as session:
        member = await session.scalar(select(Member).where(Member.name == "Niwa Soulima"))
        member.active = False
    [reply] = await bot.send("Samy Arokiasamy", "/who West Africa")
    assert "Niwa" not in reply.text and "Drissa Soaré" in reply.text


async def test_suggestions_are_capped(bot):
    async with bot.services.db.transaction() as session:
        for number in range(20):
            session.add(Member(name=f"Asian Member {number}", roles=["representative"], network="Asia",
                               country="India", timezone="Asia/Kolkata"))
    [reply] = await bot.send("Samy Arokiasamy", "/who Nepal")
    assert "No committee member matches" in reply.text and "and 13 others" in reply.text
    assert reply.text.count(", ") == 9


async def test_a_list_under_a_heading_naming_its_country_does_not_repeat_it(bot):
    [reply] = await bot.send("Ingrid Mulamba", "/org Bénin")
    heading, *lines = reply.text.splitlines()
    assert "Bénin" in heading and "Afrique de l’Ouest" not in heading
    listed = [line for line in lines if line.startswith("•")]
    assert len(listed) > 1 and not [line for line in listed if "Bénin ·" in line or line.endswith("Bénin")]
    [people] = await bot.send("Ingrid Mulamba", "qui représente l'Asie ?")
    assert "Asie" in people.text.splitlines()[0] and "Asie" not in "\n".join(people.text.splitlines()[1:])


async def test_several_places_are_listed_as_the_language_lists_them(bot):
    [es] = await bot.send("Mary Karol Luna", "¿quién es de África Central y África Occidental?")
    assert es.text.startswith("<b>5 miembros del comité</b> de África Central y África Occidental:")
    [fr] = await bot.send("Ingrid Mulamba", "membres de Afrique centrale et Afrique de l'Ouest")
    assert "Afrique centrale et Afrique de l’Ouest" in fr.text.splitlines()[0]
