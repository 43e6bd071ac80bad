"""Due dates read one way in French, English and Spanish: the rule itself, then /action and
/due through the real handlers on SQLite and PostgreSQL (date out of the text, a reminder
planned, a malformed date answered and nothing recorded)."""

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.services.due_phrases import MalformedDue, read_due_date, split_due
from storage.models import ActionItem, OutboxMessage

DAY = date(2026, 12, 20)


@pytest.mark.parametrize("typed", [
    "informe para el 2026-12-20", "informe vence 2026-12-20", "informe, fecha límite: 2026-12-20",
    "informe antes del 2026-12-20", "informe plazo 2026-12-20", "rapport avant le 2026-12-20",
    "rapport d'ici le 2026-12-20", "rapport d’ici le 2026-12-20", "rapport pour le 2026-12-20",
    "rapport échéance 2026-12-20", "report by 2026-12-20.", "report before 2026-12-20", "report due 2026-12-20",
    "report deadline 2026-12-20"])
def test_every_due_phrase_gives_the_date_and_leaves_the_text(typed):
    found = split_due(typed)
    assert found.day == DAY and found.text in ("informe", "rapport", "report")


@pytest.mark.parametrize("typed", ["send it by post", "rapport pour Bruxelles", "para todos", "task",
                                   "postponed due to the weather"])
def test_ordinary_words_after_a_phrase_stay_text(typed):
    assert split_due(typed).text == typed and split_due(typed).day is None


@pytest.mark.parametrize("typed", ["rapport avant le 20/12", "x due 2026-13-01", "x by 2026-12-20 noon",
                                   "x para el 20 de diciembre", "x due tomorrow", "x échéance demain",
                                   "x fecha límite mañana", "x due <b>2026-12-03</b>"])
def test_what_looks_like_a_date_but_is_not_is_refused(typed):
    with pytest.raises(MalformedDue):
        split_due(typed)


def test_a_date_alone_or_after_a_phrase():
    assert read_due_date("2026-12-20") == read_due_date("para el 2026-12-20") == DAY
    with pytest.raises(MalformedDue):
        read_due_date("mañana")


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
    ("Gabriela Prudencio", "/action Samy: informe para el 20/12", "Leí «20/12» como fecha de vencimiento"),
    ("Ingrid Mulamba", "/action Samy: rapport avant le 20 décembre", "« 20 décembre » comme une échéance"),
    ("Bart Verstraeten", "/action Samy: report by 2026-12-40", "“2026-12-40” as a due date but it is not one"),
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
    assert "not a valid date" in bad.text
