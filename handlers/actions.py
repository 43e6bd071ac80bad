"""Between meetings: decisions and action items, and their history.

/decisions [query], /actions [member|open|overdue|done|all], /mytasks, /done, /reopen, /due,
/assign: changes are audited, and the owners and the chair are told in their language when an
action changes hands (and the chair the morning after an action falls overdue). /history
(chair) shows the audit of a decision or action.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CommandHandler

from bot.domain.notify import ALWAYS, OWN
from bot.services import action_items, records
from bot.delivery.dispatcher import Rendered, Skip
from bot.i18n.translation import N_, Translator
from bot.input.numbers import parse_id
from bot.services import Services
from handlers.common import CommandSpec, Env, command
from handlers.shared.agenda_text import item_title
from handlers.shared.minutes_text import counts_text
from handlers.shared.outbox_reader import recipient
from handlers.shared.replies import name_of, parse_due, resolve_member, typed_id
from storage.models import ActionItem, AgendaItem, AuditEntry, Decision, Meeting, Member, OutboxMessage

LIST_LIMIT = 30

COMMANDS = [
    CommandSpec("decisions", N_("Search the decisions: /decisions [words, meeting number or YYYY-MM-DD]")),
    CommandSpec("actions", N_("Action items: /actions [name | open | overdue | done | all]")),
    CommandSpec("mytasks", N_("Your open action items")),
    CommandSpec("done", N_("Mark an action item done: /done NUMBER")),
    CommandSpec("reopen", N_("Reopen an action item: /reopen NUMBER")),
    CommandSpec("due", N_("Change an action's due date: /due NUMBER YYYY-MM-DD (or none)")),
    CommandSpec("assign", N_("Give an action to a member: /assign NUMBER NAME (or - for nobody)")),
    CommandSpec("history", N_("Who changed a decision or an action item, and when: /history NUMBER"),
                access="chair"),
]

DUE_CHANGED = N_("{name} changed the due date of your action #{id} to {date}.")
CHAIR_TOLD = N_("{actor} gave action #{id} to {owner} (before: {before}): {text}")
OVERDUE_NOTICE = N_("Action #{id} ({owner}) was due {date} and is still open: {text}")
NO_ACTION = N_("There is no action item #{id}.")
NOT_YOURS = N_("Only its owner, the person who recorded it, the chair or the secretariat can change "
               "action #{id}.")


def _action_line(t: Translator, action: ActionItem, owner: Member | None, today: date) -> str:
    parts = [t("<b>#{id}</b> {text}", id=action.id, text=action.text), name_of(t, owner)]
    if action.due_date:
        parts.append(t("due {date}", date=t.date(action.due_date)))
        if action.status == "open" and action.due_date < today:
            parts.append(t("<b>overdue</b>"))
    if action.status == "done":
        parts.append(t("done"))
    return " · ".join(parts)


async def _owners(env: Env, actions: list[ActionItem]) -> dict[int, Member]:
    ids = {a.owner_id for a in actions if a.owner_id}
    if not ids:
        return {}
    return {m.id: m for m in await env.session.scalars(select(Member).where(Member.id.in_(ids)))}


async def _reply_actions(env: Env, heading: str, found: action_items.Found[ActionItem]) -> None:
    t = env.t
    today = records.local_today(env.now, env.committee.timezone)
    owners = await _owners(env, found.items)
    lines = [heading]
    lines += [f"• {_action_line(t, a, owners.get(a.owner_id or 0), today)}" for a in found.items]
    if found.total > len(found.items):
        lines.append(t("… and {n} more.", n=found.total - len(found.items)))
    env.reply("\n".join(lines))


@command()
async def decisions(env: Env) -> None:
    t = env.t
    query = env.rest(200)
    if query is None:
        return
    page = await action_items.search_decisions(env.session, query, env.committee.timezone, LIST_LIMIT)
    found = page.items
    if not found:
        env.reply(t("No decision matches “{query}”.", query=query) if query else t("No decision recorded yet."))
        return
    meetings = {m.id: m for m in await env.session.scalars(select(Meeting).where(
        Meeting.id.in_({d.meeting_id for d in found if d.meeting_id})))}
    items = {i.id: i for i in await env.session.scalars(select(AgendaItem).where(
        AgendaItem.id.in_({d.agenda_item_id for d in found if d.agenda_item_id})))}
    zone = env.zone_of(env.member)
    lines = [t.plural("<b>{n} decision</b>", "<b>{n} decisions</b>", page.total)]
    for decision in found:
        lines.append(t("• <b>#{id}</b> {text}", id=decision.id, text=decision.text))
        meeting = meetings.get(decision.meeting_id or 0)
        where = [t("meeting #{id} “{title}”, {date}", id=meeting.id, title=meeting.title,
                   date=t.short_datetime(meeting.starts_at, zone))] if meeting else [
            t("recorded {date}", date=t.short_datetime(decision.created_at, zone))]
        item = items.get(decision.agenda_item_id or 0)
        if item is not None:
            where.append(t("item: {title}", title=item_title(t, item.kind, item.title)))
        lines.append("   " + " · ".join(where))
    if page.total > len(found):
        lines.append(t("… and {n} more.", n=page.total - len(found)))
    env.reply("\n".join(lines))


@command()
async def actions(env: Env) -> None:
    t = env.t
    query = env.rest(200)
    if query is None:
        return
    word = query.lower()
    today = records.local_today(env.now, env.committee.timezone)
    if word in ("", "open", "ouvertes", "abiertas"):
        found = await action_items.find_actions(env.session, limit=LIST_LIMIT)
        heading = t.plural("<b>{n} open action item</b>", "<b>{n} open action items</b>", found.total)
    elif word in ("overdue", "en retard", "retard", "atrasadas", "vencidas"):
        found = await action_items.find_actions(env.session, limit=LIST_LIMIT, status=None, overdue_on=today)
        heading = t.plural("<b>{n} overdue action item</b>", "<b>{n} overdue action items</b>", found.total)
    elif word in ("done", "faites", "hechas"):
        found = await action_items.find_actions(env.session, limit=LIST_LIMIT, status="done")
        heading = t.plural("<b>{n} action item done</b>", "<b>{n} action items done</b>", found.total)
    elif word in ("all", "toutes", "todas"):
        found = await action_items.find_actions(env.session, limit=LIST_LIMIT, status=None)
        heading = t.plural("<b>{n} action item</b>", "<b>{n} action items</b>", found.total)
    else:
        owner = await resolve_member(env, query)
        if owner is None:
            return
        found = await action_items.find_actions(env.session, limit=LIST_LIMIT, owner=owner)
        heading = t.plural("<b>{n} open action item for {name}</b>", "<b>{n} open action items for {name}</b>",
                           found.total, name=owner.name)
    await _reply_actions(env, heading, found)


@command()
async def mytasks(env: Env) -> None:
    assert env.member is not None
    found = await action_items.find_actions(env.session, limit=LIST_LIMIT, owner=env.member)
    if not found.total:
        env.reply(env.t("You have no open action items."))
        return
    await _reply_actions(env, env.t.plural("<b>You have {n} open action item</b>",
                                           "<b>You have {n} open action items</b>", found.total), found)


async def _action_arg(env: Env, usage: str, count: int) -> tuple[ActionItem | None, list[str]]:
    """The action named by the first argument, checked for existence and rights."""
    assert env.member is not None
    if len(env.args) < count:
        env.reply(env.t(usage))
        return None, []
    action_id = typed_id(env, env.args[0], "action")
    if action_id is None:
        return None, []
    found = await action_items.get_action(env.session, action_id)
    if found is None:
        env.reply(env.t(NO_ACTION, id=env.args[0][:20]))
        return None, []
    if not action_items.may_change(found, env.member):
        env.reply(env.t(NOT_YOURS, id=found.id))
        return None, []
    return found, env.args[1:]


def _offsets(env: Env):  # type: ignore[no-untyped-def]
    return env.settings.reminders.action_offsets


async def _set_status(env: Env, status: str) -> None:
    assert env.member is not None
    usage = "Usage: /done NUMBER, for example /done 12." if status == "done" else \
        "Usage: /reopen NUMBER, for example /reopen 12."
    found, _rest = await _action_arg(env, usage, 1)
    if found is None:
        return
    try:
        await action_items.set_status(env.session, found, status, env.member, env.now, _offsets(env),
                                 env.committee.timezone)
    except records.RecordError:
        env.reply(env.t("Action #{id} is already done.", id=found.id) if status == "done"
                  else env.t("Action #{id} is already open.", id=found.id))
        return
    env.reply(env.t("Action #{id} is done. Thank you!", id=found.id) if status == "done"
              else env.t("Action #{id} is open again.", id=found.id))


N_("Usage: /done NUMBER, for example /done 12.")
N_("Usage: /reopen NUMBER, for example /reopen 12.")


@command()
async def done(env: Env) -> None:
    await _set_status(env, "done")


@command()
async def reopen(env: Env) -> None:
    await _set_status(env, "open")


@command()
async def due(env: Env) -> None:
    assert env.member is not None
    found, rest = await _action_arg(env, N_("Usage: /due NUMBER YYYY-MM-DD, for example /due 12 2026-12-15 "
                                            "(/due 12 none removes the date)."), 2)
    if found is None:
        return
    if not rest or len(rest) > 5:
        env.reply(env.t("Usage: /due NUMBER YYYY-MM-DD, for example /due 12 2026-12-15 "
                        "(/due 12 none removes the date)."))
        return
    new_date: date | None = None
    if " ".join(rest).lower() not in ("none", "aucune", "ninguna", "-"):
        ok, new_date = parse_due(env, " ".join(rest))
        if not ok:
            return
    await action_items.set_due(env.session, found, new_date, env.member, env.now, _offsets(env), env.committee.timezone)
    env.reply(env.t("Action #{id} is now due {date}.", id=found.id, date=env.t.date(new_date)) if new_date
              else env.t("Action #{id} has no due date any more.", id=found.id))
    if found.owner_id and found.owner_id != env.member.id:
        owner = await env.session.get(Member, found.owner_id)
        if owner is not None and owner.active:
            ot = env.translator_for(owner)
            await env.tell(owner, ot(DUE_CHANGED,
                                     name=env.member.name, id=found.id,
                                     date=ot.date(new_date) if new_date else "—"), ref=("action", found.id),
                           topic=OWN)


@command()
async def assign(env: Env) -> None:
    assert env.member is not None
    usage = N_("Usage: /assign NUMBER NAME, for example /assign 12 Samy (/assign 12 - for nobody).")
    found, rest = await _action_arg(env, usage, 2)
    if found is None:
        return
    query = " ".join(rest)[:200]
    owner: Member | None = None
    if query != "-":
        owner = await resolve_member(env, query)
        if owner is None:
            return
    if (owner.id if owner else None) == found.owner_id:
        env.reply(env.t("Action #{id} is already {name}’s.", id=found.id, name=name_of(env.t, owner)))
        return
    previous = await action_items.assign(env.session, found, owner, env.member, env.now, _offsets(env),
                                    env.committee.timezone)
    env.reply(env.t("Action #{id} now belongs to {name}.", id=found.id, name=name_of(env.t, owner)))
    told: set[int] = {env.member.id}
    for person, message in ((owner, N_("{actor} gave you action #{id}: {text}")),
                            (previous, N_("{actor} gave your action #{id} to {owner}: {text}"))):
        if person is not None and person.active and person.id not in told:
            told.add(person.id)
            pt = env.translator_for(person)
            await env.tell(person, pt(message, actor=env.member.name, id=found.id, text=found.text,
                                      owner=name_of(pt, owner)), ref=("action", found.id), topic=OWN)
    for chair in await records.chairs(env.session):
        if chair.id not in told:
            ct = env.translator_for(chair)
            await env.tell(chair, ct(CHAIR_TOLD,
                                     actor=env.member.name, id=found.id, owner=name_of(ct, owner),
                                     before=name_of(ct, previous), text=found.text), ref=("action", found.id),
                           topic=ALWAYS)


@command(access="chair")
async def history(env: Env) -> None:
    t = env.t
    if len(env.args) != 1 or parse_id(env.args[0]) is None:
        env.reply(t("Usage: /history NUMBER, for example /history 12."))
        return
    number = parse_id(env.args[0])
    assert number is not None
    decision = await env.session.get(Decision, number)
    action = await env.session.get(ActionItem, number)
    if decision is None and action is None:
        env.reply(t("There is no decision or action item #{id}.", id=number))
        return
    zone = env.zone_of(env.member)
    names = {m.id: m for m in await env.session.scalars(select(Member))}
    lines: list[str] = []
    for kind, row, heading in (("decision", decision, N_("<b>Decision #{id}</b>: {text}")),
                               ("action", action, N_("<b>Action #{id}</b>: {text}"))):
        if row is None:
            continue
        lines.append(t(heading, id=row.id, text=row.text[:200]))
        if row.deleted_at is not None:
            lines.append(t("(removed)"))
        for entry in await action_items.history(env.session, kind, row.id):
            lines.append(t("• {when}: {action} by {actor}{details}", when=t.short_datetime(entry.at, zone),
                           action=t(AUDIT_LABELS[entry.action]) if entry.action in AUDIT_LABELS
                           else entry.action, actor=name_of(t, names.get(entry.actor_id or 0))
                           if entry.actor_id else t("the bot"), details=_details(t, entry, names)))
        lines.append("")
    env.reply("\n".join(lines).strip(), personal=True)


AUDIT_LABELS = {
    "decision.recorded": N_("recorded"), "decision.undone": N_("removed"),
    "vote.opened": N_("vote opened"), "vote.closed": N_("vote closed"), "ballot.cast": N_("ballot cast"),
    "ballot.changed": N_("ballot changed"), "action.recorded": N_("recorded"), "action.done": N_("marked done"),
    "action.reopened": N_("reopened"), "action.due": N_("due date changed"), "action.assigned": N_("reassigned"),
    "action.undone": N_("removed"),
}


def _details(t: Translator, entry: AuditEntry, names: dict[int, Member]) -> str:
    """What changed, in the reader's words: members by name, dates as dates, never an id."""
    details = entry.details or {}

    def who(member_id: object) -> str:
        return name_of(t, names.get(member_id)) if isinstance(member_id, int) else t(NOBODY)

    def when(value: object) -> str:
        return t.date(date.fromisoformat(value)) if isinstance(value, str) else ""

    parts: list[str] = []
    if entry.action == "action.recorded":
        if details.get("owner"):
            parts.append(t("for {name}", name=who(details["owner"])))
        if details.get("due"):
            parts.append(t("due {date}", date=when(details["due"])))
    elif entry.action == "action.assigned":
        parts.append(t("from {before} to {after}", before=who(details.get("before")), after=who(details.get("after"))))
    elif entry.action == "action.due":
        before, after = details.get("before"), details.get("after")
        if after is None:
            parts.append(t("removed, it was {date}", date=when(before)))
        elif before is None:
            parts.append(t("set to {date}", date=when(after)))
        else:
            parts.append(t("from {before} to {after}", before=when(before), after=when(after)))
    elif entry.action == "vote.closed" and {"yes", "no", "abstain"} <= details.keys():
        parts.append(counts_text(t, details))
    elif entry.action in ("decision.recorded", "vote.opened") and details.get("meeting"):
        parts.append(t("in meeting #{id}", id=details["meeting"]))
    return f" ({' · '.join(parts)})" if parts else ""


NOBODY = N_("nobody")


async def render_chair_overdue(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    """The chair's notice that an action fell overdue, if it still is (and still due that day)."""
    action = await session.get(ActionItem, int(row.payload.get("action_id", 0)))
    if (action is None or action.deleted_at is not None or action.status != "open" or action.due_date is None
            or action.due_date.isoformat() != row.payload.get("due")):
        raise Skip("cancelled", "no longer overdue")
    chair, t, _zone = await recipient(session, row, services)
    owner = await session.get(Member, action.owner_id) if action.owner_id else None
    return Rendered(chair.telegram_id or 0, t(OVERDUE_NOTICE,
                                         id=action.id, owner=name_of(t, owner), date=t.date(action.due_date),
                                         text=action.text))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("decisions", decisions))
    application.add_handler(CommandHandler("actions", actions))
    application.add_handler(CommandHandler("mytasks", mytasks))
    application.add_handler(CommandHandler("done", done))
    application.add_handler(CommandHandler("reopen", reopen))
    application.add_handler(CommandHandler("due", due))
    application.add_handler(CommandHandler("assign", assign))
    application.add_handler(CommandHandler("history", history))


RENDERERS = {records.CHAIR_OVERDUE: render_chair_overdue}
