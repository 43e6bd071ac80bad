"""What /healthz judges (the route itself is tested live in tests/e2e/test_webhook_e2e.py): an
updater not receiving, a dispatcher that has not run lately and a database that does not answer
each make the probe fail, named; both databases."""

from datetime import timedelta

from bot.telegram.healthz import problems
from storage.database import create_engine


async def test_the_probe_names_what_is_wrong(bot, monkeypatch):
    application = bot.chat.application
    found = await problems(application)  # the offline harness has no updater, its dispatcher never ran
    assert "the updater is not receiving updates" in found
    assert "the outbox dispatcher has not finished a run recently" in found
    await bot.dispatch()
    assert "the outbox dispatcher has not finished a run recently" not in await problems(application)
    bot.clock.advance(timedelta(minutes=5))
    assert "the outbox dispatcher has not finished a run recently" in await problems(application)
    await bot.dispatch()
    gone = create_engine("sqlite+aiosqlite:////nonexistent/directory/inspir.db")
    monkeypatch.setattr(bot.services.db, "engine", gone)
    assert [p for p in await problems(application) if p.startswith("the database does not answer (")]
    await gone.dispose()
