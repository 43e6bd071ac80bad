"""The roster's life through the handlers, on both databases: a member leaves (/depart), the
secretariat's import meets what members chose themselves, a new member joins planned meetings."""

from sqlalchemy import select

from bot.services.departures import Planning
from bot.services.records import CHAIR_OVERDUE
from bot.services.reminders import replan_meeting
from bot.services.roster_changes import Options
from bot.services.importers import import_roster
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


def _code(message) -> str:
    return message.text.split("start=")[1].split()[0]


async def test_invitation_for_a_linked_member_is_not_usable_by_another_account(bot):
    [choice] = await bot.send(CHAIR, "/invite Angela Carrion")  # not her name: a choice, never a pick
    assert choice.text == "Which member do you want to invite?"
    [confirm] = await bot.press(CHAIR, choice, choice.button_data("Ángeles"))
    assert "Ángeles Carrión has already joined with a Telegram account" in confirm.text
    [exact] = await bot.send(CHAIR, "/invite ángeles carrión")
    assert "has already joined" in exact.text and "start=" not in exact.text
    [link] = await bot.press(CHAIR, exact, exact.button_data("changed account"))
    code = _code(link)
    intruder = bot.stranger("es", user_id=616161)
    sent = await bot.send(intruder, f"/start {code}")
    assert "Bienvenido, Ángeles Carrión" in sent[0].text or "Ángeles Carrión" in sent[0].text
    old_account = bot.person("Ángeles").telegram_id
    [warned] = [m for m in sent if m.chat_id == old_account]
    assert "ya no está vinculada a Ángeles Carrión" in warned.text
    [refused] = await bot.send("Ángeles", "/me")  # her old account is no longer hers
    assert "este bot está reservado a los miembros" in refused.text


async def test_a_stale_invitation_cannot_take_over_a_linked_member(bot):
    """An invitation made before the member joined (by another link or their username) dies."""
    from bot.services.members import create_invite

    async with bot.services.db.transaction() as session:
        samy = await session.scalar(select(Member).where(Member.name == MEMBER))
        chair = await session.scalar(select(Member).where(Member.name == CHAIR))
        code = await create_invite(session, samy, chair, bot.clock.now)
    [refused] = await bot.send(bot.stranger("en", user_id=919191), f"/start {code}")
    assert "not valid or has expired" in refused.text
    [profile] = await bot.send(MEMBER, "/me")
    assert "Name: Samy Arokiasamy" in profile.text


async def test_an_older_invitation_dies_when_a_new_one_is_issued(bot):
    async with bot.services.db.transaction() as session:
        niwa = await session.scalar(select(Member).where(Member.name == "Niwa Soulima"))
        niwa.telegram_id = None
    [first] = await bot.send(CHAIR, "/invite Niwa Soulima")
    [second] = await bot.send(SECRETARIAT, "/invite Niwa Soulima")
    [dead] = await bot.send(bot.stranger("en", user_id=717171), f"/start {_code(first)}")
    assert "not valid or has expired" in dead.text
    [listing] = await bot.send(SECRETARIAT, "/invites")
    assert "Niwa Soulima" in listing.text and "Not joined yet" not in listing.text.split("Niwa")[0]
    [revoked] = await bot.press(SECRETARIAT, listing, listing.button_data("Niwa"))
    assert "revoked" in revoked.text or "revocada" in revoked.text
    [dead] = await bot.send(bot.stranger("en", user_id=727272), f"/start {_code(second)}")
    assert "not valid or has expired" in dead.text
    [listing] = await bot.send(CHAIR, "/invites")
    assert "No invitation is waiting to be used." in listing.text
    assert "Not joined yet: Niwa Soulima." in listing.text


async def test_joining_tells_the_chair_and_the_secretariat(bot):
    async with bot.services.db.transaction() as session:
        niwa = await session.scalar(select(Member).where(Member.name == "Niwa Soulima"))
        niwa.telegram_id = None
    [link] = await bot.send(SECRETARIAT, "/invite Niwa Soulima")
    sent = await bot.send(bot.stranger("fr", user_id=818181), f"/start {_code(link)}")
    [chair_told] = to(bot, CHAIR, sent)
    assert chair_told.text == "Niwa Soulima joined the bot through the invitation from Gabriela Prudencio."
    [gabriela_told] = to(bot, SECRETARIAT, sent)
    assert gabriela_told.text.startswith("Niwa Soulima se unió al bot")


async def _due(bot, kind: str) -> dict[int, object]:
    async with bot.services.db.transaction() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind,
                                                                 OutboxMessage.state == "pending"))
        return {row.recipient_id: row.due_at for row in rows}


async def test_a_chair_handover_by_file_moves_the_chairs_notices(bot, tmp_path):
    await bot.send(CHAIR, "/action Samy: draft the report due 2026-12-01")
    bart, ingrid = await bot.member(CHAIR), await bot.member("Ingrid Mulamba")
    assert set(await _due(bot, CHAIR_OVERDUE)) == {bart.id}
    changes = await _import(bot, tmp_path, "name,role\nBart Verstraeten,representative\n"
                                           "Ingrid Mulamba,Présidente\n")
    assert [c.after for e in changes.changed for c in e.changes if c.field == "access"] == ["member", "chair"]
    assert set(await _due(bot, CHAIR_OVERDUE)) == {ingrid.id}
    [refused] = await bot.send(CHAIR, "/depart Samy")
    assert "Only the chair or the secretariat" in refused.text


async def test_a_zone_change_moves_the_members_action_reminders(bot):
    await bot.send(CHAIR, "/action Samy: draft the report due 2026-12-01")
    samy = await bot.member(MEMBER)
    before = (await _due(bot, "action_reminder"))[samy.id]
    await bot.send(MEMBER, "/tz America/Lima")
    after = (await _due(bot, "action_reminder"))[samy.id]
    assert (after - before).total_seconds() == 10.5 * 3600  # 09:00 in Kolkata, then 09:00 in Lima


async def test_roster_history_tells_who_changed_what_with_names(bot, tmp_path):
    await _import(bot, tmp_path, "name,organisation\nDenis Mushiya,CENADEP\n")
    [choice] = await bot.send(CHAIR, "/depart Samy Arokiasamy")
    await bot.press(CHAIR, choice, choice.button_data("Samy"))
    [history] = await bot.send(CHAIR, "/rosterhistory")
    assert "Bart Verstraeten recorded that Samy Arokiasamy left" in history.text
    assert "the roster import changed Denis Mushiya: organisation: — → CENADEP" in history.text
    [history] = await bot.send(SECRETARIAT, "/rosterhistory samy")  # a departed member too
    assert "Bart Verstraeten registró la salida de Samy Arokiasamy" in history.text
    assert "Denis" not in history.text
    [refused] = await bot.send("Ingrid", "/rosterhistory")
    assert "Seuls la présidence ou le secrétariat" in refused.text


async def test_setmember_changes_one_field_after_confirmation_and_tells_the_member(bot):
    [asked] = await bot.send(SECRETARIAT, "/setmember Samy | red | Europa")
    assert asked.text == "Cambio para Samy Arokiasamy: red: Asia → Europa. ¿Confirmar?"
    assert (await bot.member(MEMBER)).network == "Asia"  # nothing before the tap
    sent = await bot.press(SECRETARIAT, asked, asked.button_data("Confirmar"))
    [done] = to(bot, SECRETARIAT, sent)
    assert done.text == "Hecho. Samy Arokiasamy: red: Asia → Europa."
    [told] = to(bot, MEMBER, sent)
    assert told.text == "The secretariat updated your profile: network. Send /me to see it."
    assert (await bot.member(MEMBER)).network == "Europe"
    [refused] = await bot.send(SECRETARIAT, "/setmember Samy | network | Oceania")
    assert "«Oceania» no es una de estas opciones" in refused.text
    [only_chair] = await bot.send(CHAIR, "/setmember Bart | access | member")
    assert "would be left without a chair" in only_chair.text
    [usage] = await bot.send(CHAIR, "/setmember Samy")
    assert usage.text.startswith("Usage: /setmember NAME")
    [refused] = await bot.send("Ingrid", "/setmember Samy | network | Asia")
    assert "Seuls la présidence ou le secrétariat" in refused.text
