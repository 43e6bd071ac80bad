"""Due dates read one way in French, English and Spanish: the rule itself, then /action and
/due through the real handlers on SQLite and PostgreSQL (date out of the text, a reminder
planned, a malformed date answered and nothing recorded). Days in words ("vendredi prochain",
"20 de diciembre", "end of the month") count from the writer's own local date."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.services.due_phrases import MalformedDue, read_due_date, split_due
from storage.models import ActionItem, OutboxMessage

DAY = date(2026, 12, 20)
TODAY = date(2026, 11, 23)  # the harness clock's first day, a Monday


@pytest.mark.parametrize("typed", [
    "informe para el 2026-12-20", "informe vence 2026-12-20", "informe, fecha límite: 2026-12-20",
    "informe antes del 2026-12-20", "informe plazo 2026-12-20", "rapport avant le 2026-12-20",
    "rapport d'ici le 2026-12-20", "rapport d’ici le 2026-12-20", "rapport pour le 2026-12-20",
    "rapport échéance 2026-12-20", "report by 2026-12-20.", "report before 2026-12-20", "report due 2026-12-20",
    "report deadline 2026-12-20"])
def test_every_due_phrase_gives_the_date_and_leaves_the_text(typed):
    found = split_due(typed, TODAY)
    assert found.day == DAY and found.text in ("informe", "rapport", "report")


@pytest.mark.parametrize("typed, day", [
    ("rapport pour vendredi prochain", date(2026, 11, 27)), ("rapport pour vendredi", date(2026, 11, 27)),
    ("rapport avant le 20/12", DAY), ("rapport d'ici le 20 décembre", DAY), ("rapport pour demain", date(2026, 11, 24)),
    ("rapport dans trois jours", date(2026, 11, 26)), ("rapport pour la fin du mois", date(2026, 11, 30)),
    ("rapport échéance 1er décembre", date(2026, 12, 1)), ("rapport pour lundi", date(2026, 11, 30)),
    ("informe para el viernes", date(2026, 11, 27)), ("informe para el próximo martes", date(2026, 11, 24)),
    ("informe para el 20 de diciembre", DAY), ("informe en dos semanas", date(2026, 12, 7)),
    ("informe vence mañana", date(2026, 11, 24)), ("informe para fin de mes", date(2026, 11, 30)),
    ("informe antes del viernes de la semana que viene", date(2026, 12, 4)),
    ("report by Friday", date(2026, 11, 27)), ("report due tomorrow", date(2026, 11, 24)),
    ("report by the end of the month", date(2026, 11, 30)), ("report in 2 weeks", date(2026, 12, 7)),
    ("report due December 20", DAY), ("report by 20/12/2026", DAY), ("report by end of next month", date(2026, 12, 31)),
    ("report by 2 January", date(2027, 1, 2)),
])
def test_days_in_words_give_the_date_and_leave_the_text(typed, day):
    found = split_due(typed, TODAY)
    assert (found.day, found.text) == (day, typed.split()[0])


@pytest.mark.parametrize("typed", ["send it by post", "rapport pour Bruxelles", "para todos", "task",
                                   "postponed due to the weather", "traduction en espagnol", "write it in English",
                                   "plan a corto plazo", "rapport pour la semaine de la protection sociale"])
def test_ordinary_words_after_a_phrase_stay_text(typed):
    assert split_due(typed, TODAY).text == typed and split_due(typed, TODAY).day is None


@pytest.mark.parametrize("typed", ["rapport avant le 31/02", "x due 2026-13-01", "x by 2026-12-20 noon",
                                   "x para el 31 de febrero", "x due next week", "x pour la semaine prochaine",
                                   "x para la próxima semana", "x due someday", "x by December", "x due <b>2026-12-03</b>",
                                   "x before 2101-01-01"])
def test_what_looks_like_a_day_but_names_none_is_refused(typed):
    with pytest.raises(MalformedDue):
        split_due(typed, TODAY)


def test_a_date_alone_or_after_a_phrase():
    assert read_due_date("2026-12-20", TODAY) == read_due_date("para el 2026-12-20", TODAY) == DAY
    assert read_due_date("mañana", TODAY) == read_due_date("demain", TODAY) == TODAY + timedelta(days=1)
    with pytest.raises(MalformedDue):
        read_due_date("la semaine prochaine", TODAY)


async def latest_action(bot):
    async with bot.services.db.transaction() as session:
        found = await session.scalar(select(ActionItem).order_by(ActionItem.id.desc()).limit(1))
        reminders = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "action_reminder", OutboxMessage.ref_id == (found.id if found else 0),
            OutboxMessage.state == "pending"))
    return found, reminders


@pytest.mark.parametrize("who, typed, answer", [
    ("Gabriela Prudencio", "/action Samy: informe para el 2026-12-20", "fecha límite"),
    ("Gabriela Prudencio", "/action Samy: informe vence 2026-12-20", "fecha límite"),
    ("Ingrid Mulamba", "/action Samy: rapport d'ici le 2026-12-20", "échéance"),
    ("Bart Verstraeten", "/action Samy: report by 2026-12-20", "due"),
])
async def test_action_takes_the_date_out_of_the_text_and_plans_a_reminder(bot, who, typed, answer):
    [reply, *_] = await bot.send(who, typed)
    found, reminders = await latest_action(bot)
    assert found.due_date == DAY and found.text in ("informe", "rapport", "report"), found.text
    assert reminders >= 1
    assert answer in reply.text and "2026" in reply.text


@pytest.mark.parametrize("who, typed, expected", [
    ("Gabriela Prudencio", "/action Samy: informe para el 31/02", "Leí «31/02» como fecha de vencimiento"),
    ("Ingrid Mulamba", "/action Samy: rapport avant le 31 février", "« 31 février » comme une échéance"),
    ("Ingrid Mulamba", "/action Samy: rapport pour la semaine prochaine", "« la semaine prochaine » comme une échéance"),
    ("Bart Verstraeten", "/action Samy: report by 2026-12-40", "“2026-12-40” as a due date but it names no single day"),
])
async def test_malformed_due_date_is_answered_and_nothing_recorded(bot, who, typed, expected):
    [reply] = await bot.send(who, typed)
    assert expected in reply.text
    found, _ = await latest_action(bot)
    assert found is None


async def test_due_command_reads_the_same_phrases(bot):
    await bot.send("Bart Verstraeten", "/action Samy: report")
    found, _ = await latest_action(bot)
    [reply, *_] = await bot.send("Gabriela Prudencio", f"/due {found.id} para el 2026-12-20")
    found, reminders = await latest_action(bot)
    assert found.due_date == DAY and reminders >= 1
    [bad] = await bot.send("Bart Verstraeten", f"/due {found.id} 2026-12-40")
    assert "is not one day" in bad.text
    await bot.send("Gabriela Prudencio", f"/due {found.id} el viernes")
    found, _ = await latest_action(bot)
    assert found.due_date == date(2026, 11, 27)


@pytest.mark.parametrize("who, typed, day, said", [
    ("Ingrid Mulamba", "/action Samy: rapport pour vendredi prochain", date(2026, 11, 27), "27 novembre"),
    ("Gabriela Prudencio", "/action Samy: informe para el 20 de diciembre", DAY, "20 de diciembre"),
    ("Bart Verstraeten", "/action Samy: report by the end of the month", date(2026, 11, 30), "November 30"),
])
async def test_a_day_in_words_is_the_due_date_and_the_reply_names_it(bot, who, typed, day, said):
    [reply, *_] = await bot.send(who, typed)
    found, reminders = await latest_action(bot)
    assert found.due_date == day and reminders >= 1
    assert said in reply.text


async def test_an_action_without_a_due_date_says_so(bot):
    [reply, *_] = await bot.send("Ingrid Mulamba", "/action Samy: rapport sur la réunion en décembre")
    found, _ = await latest_action(bot)
    assert found.due_date is None and found.text == "rapport sur la réunion en décembre"
    assert "sans échéance" in reply.text


async def test_today_is_the_writers_own_day(bot):
    """At 21:00 in Guatemala it is already tomorrow in Brussels: "hoy" is still today, not past."""
    bot.clock.advance(timedelta(hours=18))  # 2026-11-24 03:00 UTC, 2026-11-23 21:00 in Guatemala
    [reply, *_] = await bot.send("Mary Karol Luna", "/action Mary: informe para hoy")
    found, _ = await latest_action(bot)
    assert found is not None and found.due_date == TODAY, reply.text
