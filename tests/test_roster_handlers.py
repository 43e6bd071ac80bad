"""The roster's life through the handlers, on both databases: a member leaves (/depart), the
secretariat's import meets what members chose themselves, a new member joins planned meetings."""

from sqlalchemy import select

from bot.departures import Planning
from bot.reminders import replan_meeting
from bot.roster_changes import Options
from storage.importers import import_roster
from storage.models import ActionItem, Meeting, Member, OutboxMessage
from tests.test_records_handlers import CHAIR, MEMBER, SECRETARIAT, make_meeting, to


async def _import(bot, tmp_path, text: str, **options):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    reminders = bot.services.settings.reminders
    planning = Planning(bot.clock.now, "Europe/Brussels", list(reminders.meeting_offsets),
                        list(reminders.action_offsets))
    async with bot.services.db.transaction() as session:
        return await import_roster(session, path, Options(**options), planning=planning)


async def _pending(bot, member_id: int) -> list[OutboxMessage]:
    async with bot.services.db.transaction() as session:
        return list(await session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient_id == member_id, OutboxMessage.state == "pending")))


async def test_departed_member_can_do_nothing_and_is_reminded_of_nothing(bot):
    await bot.send(CHAIR, "/action Samy: draft the report due 2026-12-01")
    samy = await bot.member(MEMBER)
    assert await _pending(bot, samy.id)  # the action's reminder
    [refused] = await bot.send(MEMBER, "/depart Ingrid")
    assert "Only the chair or the secretariat" in refused.text
    [choice] = await bot.send(SECRETARIAT, "/depart samy")
    assert "Quién dejó el comité" in choice.text
    data = choice.button_data("Samy Arokiasamy")
    sent = await bot.press(SECRETARIAT, choice, data)
    [edited] = to(bot, SECRETARIAT, sent)
    assert edited.text == "Samy Arokiasamy dejó el comité. 1 acción abierta vuelve a la presidencia."
    assert await _pending(bot, samy.id) == []
    [answer] = await bot.send(MEMBER, "/me")
    assert "serves the members of the INSP!R steering committee only" in answer.text
    [notice] = to(bot, CHAIR, sent)
    async with bot.services.db.transaction() as session:
        action = await session.scalar(select(ActionItem).where(ActionItem.text == "draft the report"))
        kept = await session.get(Member, samy.id)
    assert action.owner_id is None and kept.name == "Samy Arokiasamy" and kept.left_at is not None
    assert notice.text == (f"Samy Arokiasamy has left the committee. Their open action item #{action.id} "
                           "is yours to reassign with /assign.")
    assert not to(bot, MEMBER, sent + await bot.dispatch())
    await bot.press(SECRETARIAT, choice, data)
    assert bot.api.callback_answers[-1]["text"] == "Este botón ya no es válido."


async def test_the_only_chair_cannot_depart(bot):
    [choice] = await bot.send("Bismo", "/depart Bart Verstraeten")
    [edited] = await bot.press("Bismo", choice, choice.button_data("Bart"))
    assert "is the committee's only chair" in edited.text
    assert (await bot.member(CHAIR)).active


async def test_members_own_zone_survives_the_import_and_they_are_told(bot, tmp_path):
    [set_zone] = await bot.send(SECRETARIAT, "/tz America/Mexico_City")
    assert "America/Mexico_City" in set_zone.text
    changes = await _import(bot, tmp_path, "name,timezone,organisation\n"
                                           "Gabriela Prudencio,America/La_Paz,Fundación Jubileo\n")
    [entry] = changes.changed
    assert entry.kept_own == ["timezone"] and [c.field for c in entry.changes] == ["organisation"]
    [told] = to(bot, SECRETARIAT, await bot.dispatch())  # the import is not an update: the outbox sends
    assert told.text == "La secretaría actualizó su perfil: organización. Envíe /me para verlo."
    [profile] = await bot.send(SECRETARIAT, "/me")
    assert "America/Mexico_City" in profile.text and "Fundación Jubileo" in profile.text


async def test_a_renamed_linked_row_never_rewrites_the_member(bot, tmp_path):
    samy = await bot.member(MEMBER)
    changes = await _import(bot, tmp_path, f"name,telegram_id\nRobert Smith,{samy.telegram_id}\n")
    assert [c.code for c in changes.conflicts] == ["rename"]
    [profile] = await bot.send(MEMBER, "/me")
    assert "Name: Samy Arokiasamy" in profile.text


async def test_a_member_who_joins_gets_the_planned_meetings_reminders(bot, tmp_path):
    meeting_id = await make_meeting(bot, hours_ahead=48)
    async with bot.services.db.transaction() as session:
        meeting = await session.get(Meeting, meeting_id)
        await replan_meeting(session, meeting, list(bot.services.settings.reminders.meeting_offsets),
                             bot.clock.now)
    await _import(bot, tmp_path, "name,network,country,telegram_id\nLucía Rojas,América Latina y el Caribe,"
                                 "Chile,7777\n")
    lucia = await bot.member("Lucía Rojas")
    assert lucia.network == "Latin America and the Caribbean"
    kinds = {(row.kind, row.ref_id) for row in await _pending(bot, lucia.id)}
    assert kinds == {("meeting_reminder", meeting_id)}
