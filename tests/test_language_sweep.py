"""Proof, not hope (issue 14): a French and a Spanish secretariat member and a French and a
Spanish member run a whole meeting cycle through the bot on both databases (help, profile,
roster, planning, proposals, agenda, answers, calendar, slot search, reminders, the record,
votes, actions, minutes and their files, questions in words, personal data), and everything
they were sent is read for English: a word of an English stop-list that is not a name or a
text they typed, or a time-zone identifier in a sentence, fails the test with the message."""

import re
from datetime import timedelta
from functools import lru_cache

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from bot.i18n.translation import LOCALES_DIR

from storage.models import Member, Organisation
from tests.test_reader_language import IANA, SETTING_LINE

CHAIR = "Bart Verstraeten"
CAST = {"fr": ("Denis Mushiya", "Ingrid Mulamba"), "es": ("Gabriela Prudencio", "Mary Karol Luna")}
TYPED = {  # what the members type, in their own language (never checked: it is theirs)
    "fr": {"title": "Comité de pilotage", "item": "Budget prévisionnel", "proposal": "Campagne santé",
           "decision": "Le budget est adopté.", "question": "Adopter le budget ?", "task": "envoyer le budget",
           "due": "pour le 15/12", "note": "La salle est réservée.", "yes": "oui",
           "asks": ["quand est la prochaine réunion ?", "qui représente l'Asie ?", "qu'est-ce que je dois faire ?",
                    "14h à Bruxelles, quelle heure à Jakarta ?"]},
    "es": {"title": "Comité directivo", "item": "Presupuesto anual", "proposal": "Campaña de salud",
           "decision": "Se aprueba el presupuesto.", "question": "¿Aprobar el presupuesto?",
           "task": "enviar el presupuesto", "due": "para el 15/12", "note": "La sala está reservada.", "yes": "sí",
           "asks": ["¿cuándo es la próxima reunión?", "¿quién representa a Asia?", "¿qué tengo que hacer?",
                    "si son las 14:00 en Lima, ¿qué hora es en Yakarta?"]},
}
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _words_only(text: str) -> str:
    """A catalog sentence without its placeholders, commands and markup: the words it says."""
    return re.sub(r"\{\w+\}|/\w+|<[^>]+>|&\w+;", " ", text)


@lru_cache(maxsize=None)
def english_only(lang: str) -> frozenset[str]:
    """The words of the bot's English sentences that its translations into ``lang`` never use
    ("the", "meeting", "due"...): drawn from the catalogs themselves, so a new English sentence
    brings its words along and a French word that looks English ("file", "vote") is not one."""
    english: set[str] = set()
    translated: set[str] = set()
    for path in (LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po"):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                english.update(w.casefold() for text in ids for w in WORD.findall(_words_only(text)))
                translated.update(w.casefold() for text in strings for w in WORD.findall(_words_only(text)))
    return frozenset(word for word in english - translated if len(word) > 1)




async def known_names(bot) -> list[str]:
    """Names the data gives (members, organisations, acronyms): English inside them is theirs."""
    async with bot.services.db.reading() as session:
        names = list(await session.scalars(select(Member.name)))
        for name, acronym in await session.execute(select(Organisation.name, Organisation.acronym)):
            names += [name, acronym or ""]
    return sorted((n for n in names if n), key=len, reverse=True)


def english_in(text: str, exempt: list[str], lang: str) -> list[str]:
    prose = "\n".join(line for line in text.splitlines() if not line.startswith(SETTING_LINE[lang]))
    prose = re.sub(r"(?s)<style>.*?</style>", " ", prose)
    prose = re.sub(r"<[^>]+>|https?://\S+|/\w+|\b[\w.-]+\.(?:md|html|ics|png|json|csv)\b", " ", prose)
    for name in exempt:
        prose = prose.replace(name, " ")
    found = [word for word in WORD.findall(prose) if word.casefold() in english_only(lang)]
    return found + IANA.findall(prose)


async def run_cycle(bot, lang: str, pages: list[str]) -> None:
    staff, member = CAST[lang]
    typed = TYPED[lang]
    day = (bot.clock.now + timedelta(days=10)).date()

    async def as_staff(text: str):  # type: ignore[no-untyped-def]
        return await bot.send(staff, text)

    for text in ("/start", "/help", "/me", "/members", "/reach", "/mytask", "/done abc", "/meeting 999",
                 "/rsvp abc oui", "/actions ouvertes" if lang == "fr" else "/actions abiertas"):
        await as_staff(text)
    [help_page] = [m for m in bot.api.messages if m.chat_id == bot.person(staff).telegram_id and "help:" in str(m.buttons)]
    for data in [button["callback_data"] for row in help_page.buttons for button in row]:
        [page] = await bot.press(staff, help_page, data)  # the secretariat's page: read before it is edited again
        pages.append(page.text)
    await as_staff(f"/newmeeting {day:%Y-%m-%d} 15:00 Europe/Brussels 90 {typed['title']}")
    await as_staff(f"/additem 1 {typed['item']}")
    await bot.send(member, f"/propose 1 {typed['proposal']}")
    await bot.dispatch()
    [asked] = [m for m in bot.api.messages if m.chat_id == bot.person(staff).telegram_id
               and "agenda:approve:" in str(m.buttons)]
    await bot.press(staff, asked, asked.buttons[0][0]["callback_data"])
    await as_staff("/publishagenda 1")
    for text in ("/meetings", "/meeting", "/meeting 1", "/agenda", f"/rsvp 1 {typed['yes']}", "/ics 1", "/mytasks",
                 "/reminders"):
        await bot.send(member, text)
    slots = await as_staff("/findslot 60")
    [ranked] = [m for m in slots if m.buttons]
    [title_asked] = await bot.press(staff, ranked, ranked.button_data("1"))
    await bot.press(staff, title_asked, "nm:cancel")
    await as_staff("/newmeeting")  # the guided flow, then cancelled
    [when] = await as_staff(typed["title"])
    await bot.press(staff, when, "nm:cancel")

    bot.clock.advance(timedelta(days=9))  # the reminder a day before
    await bot.dispatch()
    bot.clock.advance(timedelta(hours=23, minutes=50))
    await bot.dispatch()
    await bot.start_meeting(staff, "/startmeeting 1")
    opened = [m for m in bot.api.messages if m.chat_id == bot.person(member).telegram_id and "att:1:" in str(m.buttons)]
    if opened:
        await bot.press(member, opened[-1], "att:1:present")
    await as_staff(f"/decide {typed['decision']}")
    await as_staff(f"/vote {typed['question']}")
    ballots = [m for m in bot.api.messages if m.chat_id == bot.person(member).telegram_id and "vote:" in str(m.buttons)]
    if ballots:
        await bot.press(member, ballots[-1], ballots[-1].buttons[0][0]["callback_data"])
    await as_staff("/closevote")
    await as_staff(f"/action {member.split()[0]}: {typed['task']} {typed['due']}")
    await as_staff(f"/info {typed['note']}")
    await as_staff("/undo")
    await as_staff(f"/action {member.split()[0]}: {typed['task']} {typed['due']}")
    await as_staff("/endmeeting")
    await bot.dispatch()
    for text in ("/mytasks", "/actions", "/decisions", "/minutes 1", "/mydata", *typed["asks"]):
        await bot.send(member, text)
    await bot.send(member, "/done 2")
    bot.clock.advance(timedelta(days=20))  # a digest and an overdue nudge if any
    await bot.dispatch()


@pytest.mark.parametrize("lang", ["fr", "es"])
async def test_a_whole_cycle_reads_in_french_and_spanish(bot, lang):
    for name in CAST[lang]:
        await bot.send(name, f"/lang {lang}")
    pages: list[str] = []  # help pages, edited in place by each tap
    await run_cycle(bot, lang, pages)
    assert len(pages) >= 1
    readers = {bot.person(name).telegram_id for name in CAST[lang]}
    exempt = ["INSP!R", "Telegram", "Markdown", "HTML", "UTC"] + await known_names(bot) \
        + [text for key, text in TYPED[lang].items() if isinstance(text, str)] \
        + TYPED[lang]["asks"]
    found = []
    seen = set()
    help_message = next(m for m in bot.api.messages if m.chat_id in readers and "help:" in str(m.buttons))
    for message in bot.api.messages:
        if message.chat_id not in readers:
            continue
        texts = [message.text] + [button["text"] for row in message.buttons for button in row]
        if message is help_message:
            texts += pages
        if message.document and message.document[0].endswith((".md", ".html")):
            texts.append(message.document[1].decode("utf-8"))
        for text in texts:
            english = english_in(text, exempt, lang)
            if english and text not in seen:
                seen.add(text)
                found.append(f"{sorted(set(english))}: {text[:300]!r}")
    assert not found, f"{len(found)} messages with English in {lang}:\n" + "\n".join(found[:30])
    received = [m for m in bot.api.messages if m.chat_id in readers]
    files = {m.document[0] for m in received if m.document}
    assert {f"minutes-1-{lang}.md", f"minutes-1-{lang}.html", "inspir-meeting-1.ics", "slots.png"} <= files
    assert [m for m in received if m.text.startswith("⏰")] and len(received) > 50  # the cycle really ran
