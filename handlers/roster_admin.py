"""The secretariat's roster work: the import's change set in words, /depart, /setmember,
/rosterhistory, and the notices a roster change owes (the member told what changed, the chairs
told who left)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import members
from bot.domain.access import choose_language
from bot.services.departures import MEMBER_DEPARTED, Planning, depart, leaves_no_chair
from bot.delivery.dispatcher import Rendered, Skip
from bot.i18n.translation import N_, Safe, Translator, escape
from bot.domain.names import fold, match_name, names_word_for_word
from bot.services.roster_changes import ROSTER_CHANGED, ChangeSet, Conflict, Entry, apply_changes, plan_changes
from bot.services import Services
from bot.domain.labels import (
    ACCESS_LEVELS, NETWORKS, ROLE_TITLES, network_label, read_access, read_network, read_role, roles_label,
)
from bot.input.callbacks import callback_ints
from handlers.common import CommandSpec, Env, button, command
from bot.services.csv_files import UTF8, UTF8_BOM, WINDOWS_1252, CsvFormat
from bot.services.importers import RosterRow
from storage.models import Member, OutboxMessage

COMMANDS = [
    CommandSpec("depart", N_("Record that a member has left the committee: /depart NAME"),
                access="secretariat", chats="private"),
    CommandSpec("setmember", N_("Change a member's title, access or network: "
                                "/setmember NAME | network | West Africa"),
                access="secretariat", chats="private"),
    CommandSpec("rosterhistory", N_("Who changed the roster, and what: /rosterhistory [NAME]"),
                access="secretariat", chats="private"),
]

HISTORY = {
    "member.added": N_("{actor} added {member}"),
    "member.changed": N_("{actor} changed {member}"),
    "member.departed": N_("{actor} recorded that {member} left"),
    "member.returned": N_("{actor} recorded that {member} came back"),
    "member.linked": N_("{member} linked a Telegram account"),
    "member.timezone": N_("{member} set their time zone"),
    "member.language": N_("{member} chose their language"),
    "member.reminders": N_("{member} switched their reminders on or off"),
    "member.notify": N_("{member} chose how much the bot sends them"),
    "member.reachable": N_("{member} can be reached again"),
    "member.forgotten": N_("{member} asked to be forgotten"),
    "invite.created": N_("{actor} invited {member}"),
    "invite.revoked": N_("{actor} revoked the invitation for {member}"),
}
IMPORT_ACTOR = N_("the roster import")

FIELD_LABELS = {
    "name": N_("name"), "roles": N_("titles"), "access": N_("access"), "network": N_("network"),
    "organisation": N_("organisation"), "country": N_("country"), "timezone": N_("time zone"),
    "language": N_("language"), "telegram_id": N_("Telegram account"),
    "telegram_username": N_("Telegram username"), "working_hours": N_("working hours"),
}

CONFLICTS = {
    "unknown_id": N_("{where}: there is no member with id {id}."),
    "telegram_twice": N_("{where}: Telegram id {telegram_id} is already on {other}."),
    "member_twice": N_("{where}: {name} is already on {other}."),
    "telegram_taken": N_("{where}: Telegram id {telegram_id} belongs to {owner}: one account cannot be "
                         "two members."),
    "relink": N_("{where}: {name} is linked to another Telegram account; a new account joins through "
                 "an invitation (/invite)."),
    "rename": N_("{where}: this line would rename {member} (id {id}) to {name}. If it corrects the "
                 "name, import again with --rename; if another person replaces them, record the "
                 "departure of {member} (status departed) and add the new person on a line without "
                 "this id or Telegram id."),
    "name_taken": N_("{where}: the name {name} is already another member's."),
    "similar": N_("{where}: {name} looks like {members}. If it is them, put their id in the id "
                  "column; to add a new person anyway, import again with --accept-similar."),
    "forgotten": N_("{where}: {name} asked to be forgotten. To add them again anyway, import again "
                    "with --recreate-forgotten."),
    "no_chair": N_("The committee would be left without a chair: give someone the chair title or "
                   "chair access."),
}


def _where(t: Translator, where: str) -> str:
    """``line 3`` / ``entry 2`` as the operator's language says it."""
    kind, _, number = where.partition(" ")
    if kind == "line":
        return t("line {n}", n=number)
    if kind == "entry":
        return t("entry {n}", n=number)
    return escape(where)


def _value(t: Translator, field: str, value: object) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if field == "roles":
        return roles_label(t, value)  # type: ignore[arg-type]
    if field == "network":
        return network_label(t, value)  # type: ignore[arg-type]
    if field == "access":
        return t(ACCESS_LEVELS.get(str(value), str(value)))
    return escape(value)


def _details(t: Translator, entry: Entry, created: bool = False) -> Safe:
    """What the entry changes, ``field: before → after`` (a new member: ``field: value``)."""
    if created:
        parts = [t("{field}: {value}", field=t(FIELD_LABELS[c.field]),
                   value=Safe(_value(t, c.field, c.after))) for c in entry.changes if c.field != "name"]
    else:
        parts = [t("{field}: {before} → {after}", field=t(FIELD_LABELS[c.field]),
                   before=Safe(_value(t, c.field, c.before)), after=Safe(_value(t, c.field, c.after)))
                 for c in entry.changes]
    if entry.kept_own:
        parts.append(t("kept as the member set it: {fields}",
                       fields=", ".join(t(FIELD_LABELS[f]) for f in entry.kept_own)))
    if entry.status == "departed":
        parts.append(t("leaves the committee"))
    elif entry.status == "returned":
        parts.append(t("comes back"))
    return Safe("; ".join(parts))


def _entry_line(t: Translator, entry: Entry, created: bool = False) -> str:
    name = entry.name if created or entry.member is None else entry.member.name
    return t("• {name} ({where}): {details}", name=name, where=Safe(_where(t, entry.where)),
             details=_details(t, entry, created))


def conflict_text(t: Translator, conflict: Conflict) -> str:
    values = dict(conflict.values)
    if "other" in values:
        values["other"] = Safe(_where(t, values["other"]))
    if "members" in values:
        values["members"] = ", ".join(f"{name} (id {mid})" for mid, name in values["members"])
    return t(CONFLICTS[conflict.code], where=Safe(_where(t, conflict.where)), **values)


ENCODINGS = {UTF8: N_("UTF-8"), UTF8_BOM: N_("UTF-8 with a byte-order mark"), WINDOWS_1252: N_("Windows-1252")}
SEPARATORS = {",": N_("commas"), ";": N_("semicolons")}


def read_as(t: Translator, source: CsvFormat) -> str:
    """How a CSV file was read, so the operator sees a wrong guess before anything is applied."""
    return t("File read as {encoding}, cells separated by {separator}.",
             encoding=t(ENCODINGS[source.encoding]), separator=t(SEPARATORS[source.separator]))


def describe_changes(t: Translator, changes: ChangeSet, applied: bool) -> str:
    """The change set as the secretariat reads it: how the file was read, what is added,
    changed, kept, refused."""
    head = [read_as(t, changes.source)] if changes.source else []
    return "\n".join([*head, _describe(t, changes, applied)])


def _describe(t: Translator, changes: ChangeSet, applied: bool) -> str:
    if changes.conflicts:
        lines = [t.plural("Nothing was changed: {n} line needs a decision first.",
                          "Nothing was changed: {n} lines need a decision first.", len(changes.conflicts))]
        lines += [f"• {conflict_text(t, c)}" for c in changes.conflicts]
        return "\n".join(lines)
    lines = []
    if changes.is_empty:
        lines.append(t("No change: the roster already says what the file says."))
    if changes.created:
        lines.append(t("To add ({n}):", n=len(changes.created)))
        lines += [_entry_line(t, e, created=True) for e in changes.created]
    if changes.changed:
        lines.append(t("To change ({n}):", n=len(changes.changed)))
        lines += [_entry_line(t, e) for e in changes.changed]
    kept = [e for e in changes.unchanged if e.kept_own]
    lines += [_entry_line(t, e) for e in kept]
    lines.append(t.plural("{n} member unchanged.", "{n} members unchanged.", len(changes.unchanged)))
    if changes.absent:
        lines.append(t("Not in the file, left as they are: {names}. To record a departure, use /depart "
                       "or the status column.", names=", ".join(m.name for m in changes.absent)))
    if not changes.is_empty:
        lines.append(t("Applied.") if applied else t("Dry run: nothing was changed."))
    return "\n".join(lines)


def planning(env: Env) -> Planning:
    reminders = env.settings.reminders
    return Planning(env.now, env.committee.timezone, list(reminders.meeting_offsets),
                    list(reminders.action_offsets))


@command(access="secretariat")
async def depart_command(env: Env) -> None:
    t = env.t
    query = env.rest(200)
    if query is None:
        return
    if not query:
        env.reply(t("Usage: /depart &lt;member name&gt;"))
        return
    match = await members.find_member(env.session, query)
    people = [match.found] if match.found else match.candidates or match.suggestions
    if not people:
        env.reply(t("No member of the roster matches “{query}”.", query=query))
        return
    env.reply(t("Who has left the committee? They lose access and reminders at once; their open "
                "action items return to the chair; the record keeps their name."),
              [[(person.name, f"depart:{person.id}")] for person in people], personal=True)


@button(access="secretariat")
async def depart_button(env: Env) -> None:
    t = env.t
    parts = callback_ints(env.data, "depart", 1)
    member = await env.session.get(Member, parts[0]) if parts else None
    if member is None or not member.active:
        env.toast = t("This button is no longer valid.")
        return
    if await leaves_no_chair(env.session, member):
        env.edit(t("{name} is the committee's only chair: give the chair to someone else first.",
                   name=member.name))
        return
    released = await depart(env.session, member, env.member, planning(env))
    env.menus_changed.add(member.id)
    env.owes_messages = True
    env.edit(t.plural("{name} has left the committee. {n} open action item returns to the chair.",
                      "{name} has left the committee. {n} open action items return to the chair.",
                      len(released), name=member.name))


@command(access="secretariat")
async def roster_history(env: Env) -> None:
    """Roster changes as sentences, with names (a departed member's as it was), newest first."""
    t = env.t
    query = env.rest(200)
    if query is None:
        return
    everyone = {m.id: m for m in await env.session.scalars(select(Member))}
    whom = None
    if query:
        match = match_name(query, [m for m in everyone.values() if m.forgotten_key is None], lambda m: m.name)
        if match.found is None:
            names = ", ".join(m.name for m in (match.candidates or match.suggestions))
            env.reply(t("Which member? {names}", names=names) if names
                      else t("No member of the roster matches “{query}”.", query=query))
            return
        whom = match.found
    entries = await members.roster_history(env.session, whom)
    if not entries:
        env.reply(t("No roster change is recorded yet."))
        return
    zone = env.zone_of(env.member)
    lines = [t("<b>Roster changes, newest first</b>")]
    for entry in entries:
        actor = everyone.get(entry.actor_id or 0)
        member = everyone.get(entry.entity_id or 0)
        what = t(HISTORY.get(entry.action, entry.action), actor=actor.name if actor else t(IMPORT_ACTOR),
                 member=member.name if member else "—")
        fields = (entry.details or {}).get("fields") or {}
        if fields:
            what = Safe(what + t(": {changes}", changes=Safe("; ".join(
                t("{field}: {before} → {after}", field=t(FIELD_LABELS.get(name, name)),
                  before=Safe(_value(t, name, pair[0])), after=Safe(_value(t, name, pair[1])))
                for name, pair in fields.items() if name in FIELD_LABELS))))
        lines.append(t("• {when}: {what}", when=t.short_datetime(entry.at, zone), what=what))
    env.reply("\n".join(lines), personal=True)


# --- one change in the chat: title, access or network, confirmed, through the change set ----

SETTABLE = {"role": ROLE_TITLES, "access": ACCESS_LEVELS, "network": NETWORKS}
FIELD_WORDS = {"role": "role", "title": "role", "titre": "role", "fonction": "role", "cargo": "role",
               "rol": "role", "access": "access", "acces": "access", "acceso": "access",
               "network": "network", "reseau": "network", "red": "network"}
READERS = {"role": read_role, "access": read_access, "network": read_network}


async def _one_change(env: Env, member: Member, field: str, key: str) -> ChangeSet:
    row = RosterRow.model_validate({"id": member.id, "name": member.name, field: key})
    return await plan_changes(env.session, [("", row)])


@command(access="secretariat")
async def setmember(env: Env) -> None:
    """Shows the change (before → after) and asks to confirm; nothing changes before the tap."""
    t = env.t
    query = env.rest(300)
    if query is None:
        return
    parts = [part.strip() for part in query.split("|")]
    field = FIELD_WORDS.get(fold(parts[1])) if len(parts) == 3 else None
    if field is None:
        env.reply(t("Usage: /setmember NAME | role, access or network | value, for example "
                    "/setmember Samy | network | Asia"))
        return
    key = READERS[field](parts[2])
    if key not in SETTABLE[field]:
        env.reply(t("“{value}” is not one of: {choices}.", value=parts[2][:100], choices=", ".join(
            t(label) for label in SETTABLE[field].values())))
        return
    match = await members.find_member(env.session, parts[0])
    if match.found is None or not names_word_for_word(parts[0], match.found.name):
        people = [match.found] if match.found else match.candidates or match.suggestions
        env.reply(t("Which member? {names}", names=", ".join(p.name for p in people)) if people
                  else t("No member of the roster matches “{query}”.", query=parts[0][:100]))
        return
    changes = await _one_change(env, match.found, field, key)
    if changes.conflicts:
        env.reply(conflict_text(t, changes.conflicts[0]))
        return
    if not changes.changed:
        env.reply(t("Nothing to change: {name} already has that.", name=match.found.name))
        return
    data = f"setm:{match.found.id}:{list(SETTABLE).index(field)}:{list(SETTABLE[field]).index(key)}"
    env.reply(t("Change for {name}: {details}. Confirm?", name=match.found.name,
                details=_details(t, changes.changed[0])), [[(t("Confirm"), data)]], personal=True)


@button(access="secretariat")
async def setmember_button(env: Env) -> None:
    parts = callback_ints(env.data, "setm", 3)
    member = await env.session.get(Member, parts[0]) if parts else None
    fields = list(SETTABLE)
    if member is None or not member.active or parts is None or parts[1] >= len(fields) \
            or parts[2] >= len(SETTABLE[fields[parts[1]]]):
        env.toast = env.t("This button is no longer valid.")
        return
    field = fields[parts[1]]
    changes = await _one_change(env, member, field, list(SETTABLE[field])[parts[2]])
    if changes.conflicts or not changes.changed:
        env.edit(conflict_text(env.t, changes.conflicts[0]) if changes.conflicts
                 else env.t("Nothing to change: {name} already has that.", name=member.name))
        return
    await apply_changes(env.session, changes, env.member, planning(env))
    env.owes_messages = True
    if field == "access":
        env.menus_changed.add(member.id)  # the chair's commands appear, or go, in their menus now
    env.edit(env.t("Done. {name}: {details}.", name=member.name, details=_details(env.t, changes.changed[0])))


def _reader(services: Services, member: Member, default: str) -> Translator:
    return services.i18n.translator(choose_language(member.chosen_language, member.language, None, default))


async def _recipient(session: AsyncSession, row: OutboxMessage) -> Member:
    member = await session.get(Member, row.recipient_id) if row.recipient_id else None
    if member is None or not member.active or not member.telegram_id:
        raise Skip("failed", "recipient has no Telegram account")
    return member


async def render_roster_changed(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    member = await _recipient(session, row)
    t = _reader(services, member, (await members.committee(session)).default_language)
    fields = ", ".join(t(FIELD_LABELS[f]) for f in row.payload.get("fields", []) if f in FIELD_LABELS)
    text = t("The secretariat updated your profile: {fields}. Send /me to see it.", fields=fields)
    return Rendered(member.telegram_id, text)  # type: ignore[arg-type]


async def render_member_departed(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    chair = await _recipient(session, row)
    t = _reader(services, chair, (await members.committee(session)).default_language)
    departed = await session.get(Member, int(row.payload.get("member_id", 0)))
    if departed is None:
        raise Skip("cancelled", "member gone")
    actions = row.payload.get("actions", [])
    text = t("{name} has left the committee.", name=departed.name)
    if actions:
        text += " " + t.plural("Their open action item {ids} is yours to reassign with /assign.",
                               "Their open action items {ids} are yours to reassign with /assign.",
                               len(actions), ids=", ".join(f"#{a}" for a in actions))
    return Rendered(chair.telegram_id, text)  # type: ignore[arg-type]


def register(application: Application) -> None:
    application.add_handler(CommandHandler("depart", depart_command))
    application.add_handler(CommandHandler("rosterhistory", roster_history))
    application.add_handler(CommandHandler("setmember", setmember))
    application.add_handler(CallbackQueryHandler(setmember_button, pattern=r"^setm:"))
    application.add_handler(CallbackQueryHandler(depart_button, pattern=r"^depart:"))


RENDERERS = {ROSTER_CHANGED: render_roster_changed, MEMBER_DEPARTED: render_member_departed}
