"""The operator hears of failures (bot.delivery.alerts): one message per kind per hour in the
operator's chat and language, counts kept, no personal data; through the handlers, both databases."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.delivery.alerts import FailureCounter, report_failures
from storage.models import OutboxMessage
from tests.harness import start_harness

OPERATOR_CHAT = 424242


@pytest.fixture
async def operated(db_url):  # type: ignore[no-untyped-def]
    harness, application = await start_harness(db_url, operator={"chat_id": OPERATOR_CHAT, "language": "fr"})
    counter = FailureCounter()
    logging.getLogger().addHandler(counter)
    yield harness, counter
    logging.getLogger().removeHandler(counter)
    await application.shutdown()
    await harness.services.db.dispose()


async def _alerts(harness) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    async with harness.services.db.reading() as session:
        return list(await session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == OPERATOR_CHAT)))


async def test_a_failing_handler_reaches_the_operator_once_an_hour_without_personal_data(operated, monkeypatch):
    harness, counter = operated

    async def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("directory unreadable")

    monkeypatch.setattr("handlers.lookup.answer", broken)
    for _ in range(3):
        [reply] = await harness.send("Samy Arokiasamy", "who is Gabriela Prudencio?")
        assert "Something went wrong and nothing was changed" in reply.text  # the member is told
    assert await report_failures(harness.services, counter, OPERATOR_CHAT, harness.clock()) == 1
    [sent] = [m for m in await harness.dispatch() if m.chat_id == OPERATOR_CHAT]
    assert sent.text.startswith("⚠️ inspir-bot, pour son opérateur")
    assert "inspir.updates: handler %s failed: %s" in sent.text and "3 fois" in sent.text
    for private in ("Gabriela", "Samy", "directory unreadable"):
        assert private not in sent.text

    await harness.send("Samy Arokiasamy", "who is Elly?")  # the same kind again, the same hour
    await report_failures(harness.services, counter, OPERATOR_CHAT, harness.clock())
    assert [m for m in await harness.dispatch() if m.chat_id == OPERATOR_CHAT] == []
    assert len(await _alerts(harness)) == 1

    harness.clock.advance(timedelta(hours=1))  # a new hour: the kind may speak again
    await harness.send("Samy Arokiasamy", "who is Elly?")
    await report_failures(harness.services, counter, OPERATOR_CHAT, harness.clock())
    [again] = [m for m in await harness.dispatch() if m.chat_id == OPERATOR_CHAT]
    assert "1 fois" in again.text


async def test_kinds_are_told_apart_and_nothing_is_sent_without_failures(operated):
    harness, counter = operated
    assert await report_failures(harness.services, counter, OPERATOR_CHAT, harness.clock()) == 0
    logging.getLogger("inspir.outbox").error("outbox row %s: unexpected %s", 12, "ValueError")
    logging.getLogger("inspir.reminders").error("could not plan reminders: %s", "OperationalError")
    logging.getLogger("inspir.reminders").warning("a warning is no failure")
    assert await report_failures(harness.services, counter, OPERATOR_CHAT, harness.clock()) == 2
    texts = sorted(m.text for m in await harness.dispatch() if m.chat_id == OPERATOR_CHAT)
    assert len(texts) == 2 and "inspir.outbox: outbox row %s: unexpected %s" in texts[0]
