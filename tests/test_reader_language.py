"""What a French and a Spanish member read, driven through the bot on both databases: no time-zone
identifier in a sentence, and none of the roster's English words (countries, organisation kinds,
titles) where the reader's language has its own.

The scenario: /members, /me, /org, a meeting planned by the chair (the announcement each member
gets), /meetings, /meeting and the reminder a day before."""

import re
from datetime import timedelta

import pytest

CHAIR = "Bart Verstraeten"
# An IANA identifier: ``Area/City`` (``America/Argentina/Buenos_Aires`` included).
IANA = re.compile(r"\b(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)"
                  r"/[A-Za-z_+-]+(?:/[A-Za-z_+-]+)?")
# The roster's and the directory's English words, where French or Spanish say it otherwise.
COUNTRIES = {"fr": ["Belgium", "Benin", "DR Congo", "Peru", "Bolivia", "Indonesia", "India"],
             "es": ["Belgium", "Benin", "DR Congo", "Peru"]}
KINDS = ["trade union", "mutual health organisation", "network/platform", "NGO", "youth organisation",
         "women's organisation", "cooperative/SSE", "research/training", "strategic partner"]
TITLES = ["representative", "network coordinator", "continental coordinator", "chair"]
NETWORKS = ["Central Africa", "West Africa", "Latin America and the Caribbean"]
# The one place a member sees the identifier of the zone they set: their profile's zone line.
SETTING_LINE = {"fr": "Fuseau horaire\u00a0:", "es": "Zona horaria:"}
READERS = {"fr": "Ingrid Mulamba", "es": "Mary Karol Luna"}


def english_words(lang: str, text: str) -> list[str]:
    words = [*COUNTRIES[lang], *KINDS, *TITLES, *NETWORKS]
    return [word for word in words if re.search(rf"(?<![\w/]){re.escape(word)}(?![\w/])", text)]


def identifiers(lang: str, text: str) -> list[str]:
    prose = "\n".join(line for line in text.splitlines() if not line.startswith(SETTING_LINE[lang]))
    return IANA.findall(prose)


def check(lang: str, what: str, text: str) -> None:
    assert not identifiers(lang, text), (lang, what, identifiers(lang, text), text)
    assert not english_words(lang, text), (lang, what, english_words(lang, text), text)


@pytest.mark.parametrize("lang", ["fr", "es"])
async def test_every_place_and_word_in_the_readers_language(bot, lang):
    reader = READERS[lang]
    tid = bot.person(reader).telegram_id

    [members] = await bot.send(reader, "/members")
    check(lang, "/members", members.text)
    assert {"fr": "Congo-Kinshasa", "es": "República Democrática del Congo"}[lang] in members.text
    assert {"fr": "Bénin", "es": "Benín"}[lang] in members.text
    assert {"fr": "(Calcutta, UTC+05:30)", "es": "(Calcuta, UTC+05:30)"}[lang] in members.text

    [me] = await bot.send(reader, "/me")
    check(lang, "/me", me.text)
    assert {"fr": "Kinshasa (Africa/Kinshasa)", "es": "Guatemala (America/Guatemala)"}[lang] in me.text

    for query in ("MUNASA", "CSB", "Togo"):
        [org] = await bot.send(reader, f"/org {query}")
        check(lang, f"/org {query}", org.text)
    [org] = await bot.send(reader, "/org MUNASA")
    assert {"fr": "mutuelle de santé", "es": "mutual de salud"}[lang] in org.text

    replies = await bot.send(CHAIR, "/newmeeting 2026-12-01 15:00 Steering committee")
    [announcement] = [m for m in replies if m.chat_id == tid]
    check(lang, "announcement", announcement.text)
    assert {"fr": "(Kinshasa, UTC+01:00)", "es": "(Guatemala, UTC-06:00)"}[lang] in announcement.text

    [listing] = await bot.send(reader, "/meetings")
    check(lang, "/meetings", listing.text)
    assert {"fr": "(heure : Kinshasa)", "es": "(hora de Guatemala)"}[lang] in listing.text
    [details] = await bot.send(reader, "/meeting 1")
    check(lang, "/meeting", details.text)
    assert {"fr": "Heure prévue à Bruxelles : 15:00", "es": "Planificada en la hora de Bruselas: 15:00"}[lang] \
        in details.text

    bot.clock.advance(timedelta(days=7, hours=5))  # due the reminder a day before, not the start
    sent = [m for m in await bot.dispatch() if m.chat_id == tid]
    assert sent, "no reminder was sent"
    for reminder in sent:
        check(lang, "reminder", reminder.text)


async def test_keywords_are_shown_and_accepted_in_the_readers_language(bot):
    [help_fr] = await bot.send("Ingrid Mulamba", "/help")
    assert "/actions [nom | ouvertes | en retard | faites | toutes]" in help_fr.text and "(ou aucune)" in help_fr.text
    [reply] = await bot.send("Ingrid Mulamba", "/actions en retard")
    assert "en retard" in reply.text
    [help_es] = await bot.send("Mary Karol Luna", "/help")
    assert "/actions [nombre | abiertas | atrasadas | hechas | todas]" in help_es.text
    [reply] = await bot.send("Mary Karol Luna", "/lang klingon")
    assert "Elija uno de estos: français, English, español" in reply.text
