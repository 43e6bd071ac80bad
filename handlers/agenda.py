"""Meeting agendas: /agenda, /additem, /moveitem, /dropitem, /propose (approved or declined by
the chair or the secretariat with buttons) and /publishagenda.

Times are computed by :mod:`bot.domain.agenda_timing` and shown in the reader's zone. Open action
items from earlier meetings appear under a standard "Review of action items" item at the top
(:func:`bot.services.meetings.ensure_action_review`).
"""

from sqlalchemy import select
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import meetings as service
from bot.services import members
from bot.domain.access import has_access
from bot.i18n.translation import N_, Translator
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, callback_args, command
from handlers.meetings import explain_refusal, meeting_from_arg, title_or_reply
from storage.models import AgendaItem, Meeting, Member

COMMANDS = [
    CommandSpec("agenda", N_("A meeting's agenda with times in your zone: /agenda [meeting number]")),
    CommandSpec("propose", N_("Propose an agenda item: /propose 12 title")),
    CommandSpec("additem", N_("Add an agenda item: /additem 12 title | minutes | owner"), access="secretariat"),
    CommandSpec("moveitem", N_("Move an agenda item: /moveitem item-number position"), access="secretariat"),
    CommandSpec("dropitem", N_("Remove an agenda item: /dropitem item-number"), access="secretariat"),
    CommandSpec("publishagenda", N_("Send a meeting's agenda to the group and every member: /publishagenda 12"),
                access="secretariat"),
]
REVIEW_TITLE = N_("Review of action items")
NO_SUCH_ITEM = N_("There is no agenda item #{id}. /agenda shows the items with their numbers.")


def item_title(t: Translator, item: AgendaItem) -> str:
    return t(REVIEW_TITLE) if item.kind == service.REVIEW_KIND else item.title


async def _names(env: Env, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await env.session.execute(select(Member.id, Member.name).where(Member.id.in_(wanted)))
    return dict(rows.tuples().all())


async def agenda_lines(env: Env, meeting: Meeting, zone: str, t: Translator | None = None) -> list[str]:
    """The numbered agenda with clock times in ``zone``, durations, owners, the action review
    and an overrun warning; then the proposals awaiting a decision."""
    t = t or env.t
    items = await service.agenda(env.session, meeting)
    proposed = await service.agenda(env.session, meeting, "proposed")
    if not items:
        lines = [t("No agenda item yet.")]
    else:
        timing = service.timing(meeting, items)
        actions = await service.open_actions_before(env.session, meeting)
        names = await _names(env, {i.owner_id for i in items} | {a.owner_id for a in actions})
        lines = []
        for number, (item, timed) in enumerate(zip(items, timing.items, strict=True), start=1):
            minutes = t.plural("{n} min", "{n} min", timed.minutes)
            line = t("{number}. {start}–{end} <b>{title}</b> ({minutes}) · #{id}", number=number,
                     start=t.time(timed.start, zone), end=t.time(timed.end, zone), title=item_title(t, item),
                     minutes=minutes if timed.estimated else t("about {minutes}", minutes=minutes), id=item.id)
            if item.owner_id in names:
                line += t(" — {owner}", owner=names[item.owner_id])
            lines.append(line)
            if item.kind == service.REVIEW_KIND:
                lines += [_action_line(t, action, names) for action in actions] or [t("    ◦ no open action item")]
        if timing.overrun_minutes:
            lines.append(t.plural("⚠️ The agenda overruns the meeting by {n} minute.",
                                  "⚠️ The agenda overruns the meeting by {n} minutes.", timing.overrun_minutes))
    if proposed:
        lines.append(t("Proposed, awaiting the chair: {items}",
                       items=", ".join(f"#{i.id} {i.title}" for i in proposed)))
    return lines


def _action_line(t: Translator, action, names: dict[int, str]) -> str:  # type: ignore[no-untyped-def]
    owner = names.get(action.owner_id) if action.owner_id else None
    due = t.date(action.due_date) if action.due_date else None
    if owner and due:
        return t("    ◦ #{id} {text} — {owner}, due {due}", id=action.id, text=action.text[:200], owner=owner, due=due)
    if owner:
        return t("    ◦ #{id} {text} — {owner}", id=action.id, text=action.text[:200], owner=owner)
    if due:
        return t("    ◦ #{id} {text}, due {due}", id=action.id, text=action.text[:200], due=due)
    return t("    ◦ #{id} {text}", id=action.id, text=action.text[:200])


async def agenda_text(env: Env, meeting: Meeting, t: Translator, zone: str) -> str:
    await service.ensure_action_review(env.session, meeting, env.now)
    lines = [t("<b>Agenda of meeting #{id}: {title}</b>", id=meeting.id, title=meeting.title),
             t("{when} · {minutes}", when=t.datetime(meeting.starts_at, zone),
               minutes=t.plural("{n} minute", "{n} minutes", meeting.duration_minutes))]
    if meeting.status == "cancelled":
        lines.append(t("❌ This meeting was cancelled."))
    return "\n".join(lines + await agenda_lines(env, meeting, zone, t))


@command()
async def agenda(env: Env) -> None:
    if env.args:
        meeting = await meeting_from_arg(env, env.args[0])
    else:
        meeting = await service.next_meeting(env.session, env.now)
        if meeting is None:
            env.reply(env.t("No meeting is planned, so there is no agenda to show."))
    if meeting is None:
        return
    env.reply(await agenda_text(env, meeting, env.t, env.zone_of(env.member)))


async def _item_from_arg(env: Env, text: str) -> AgendaItem | None:
    item_id = service.parse_id(text)
    if item_id is None:
        env.reply(env.t("“{text}” is not an item number. Write it as 5 or #5.", text=text[:20]))
        return None
    item = await service.get_item(env.session, item_id)
    if item is None or item.status == "declined":
        env.reply(env.t(NO_SUCH_ITEM, id=item_id))
        return None
    return item


@command(access="secretariat")
async def additem(env: Env) -> None:
    body = env.rest()
    if body is None:
        return
    first, _, rest = body.partition(" ")
    fields = [part.strip() for part in rest.split("|")]
    if not first or not fields[0] or len(fields) > 3:
        env.reply(env.t("Usage: /additem &lt;meeting number&gt; title | minutes | owner name "
                        "(minutes and owner are optional)"))
        return
    meeting = await meeting_from_arg(env, first)
    if meeting is None:
        return
    title = title_or_reply(env, fields[0])
    if title is None:
        return
    minutes = None
    if len(fields) > 1 and fields[1]:
        if not fields[1].isdecimal() or not 1 <= int(fields[1][:6]) <= service.MAX_ITEM_MINUTES:
            env.reply(env.t("The minutes must be a whole number between 1 and {max}. Nothing was changed.",
                            max=service.MAX_ITEM_MINUTES))
            return
        minutes = int(fields[1])
    owner = None
    if len(fields) > 2 and fields[2]:
        match = await members.find_member(env.session, fields[2][:200])
        if match.found is None:
            names = ", ".join(m.name for m in (match.candidates or match.suggestions))
            env.reply(env.t("Which member? {names}. Nothing was changed.", names=names) if names else
                      env.t("No member of the roster matches “{query}”. Nothing was changed.", query=fields[2][:100]))
            return
        owner = match.found
    try:
        await service.ensure_action_review(env.session, meeting, env.now)
        item = await service.add_item(env.session, meeting, title, by=env.member, now=env.now,
                                      minutes=minutes, owner=owner)
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    env.reply(env.t("Item #{item} added to the agenda of meeting #{id}.", item=item.id, id=meeting.id) + "\n\n"
              + await agenda_text(env, meeting, env.t, env.zone_of(env.member)))


@command(access="secretariat")
async def moveitem(env: Env) -> None:
    if len(env.args) != 2:
        env.reply(env.t("Usage: /moveitem &lt;item number&gt; &lt;position&gt;"))
        return
    item = await _item_from_arg(env, env.args[0])
    if item is None:
        return
    position = service.parse_id(env.args[1])
    try:
        if position is None:
            raise service.BadPosition(0)
        await service.move_item(env.session, item, position, by=env.member)
    except service.BadPosition:
        count = len(await service.agenda(env.session, await env.session.get(Meeting, item.meeting_id)))
        env.reply(env.t("The position must be a number between 1 and {max}. Nothing was changed.", max=max(count, 1)))
        return
    except service.AlreadyDecided:
        env.reply(env.t("Item #{id} is still a proposal: approve it first.", id=item.id))
        return
    meeting = await env.session.get(Meeting, item.meeting_id)
    assert meeting is not None
    env.reply(env.t("Item #{item} is now number {position}.", item=item.id, position=position) + "\n\n"
              + await agenda_text(env, meeting, env.t, env.zone_of(env.member)))


@command(access="secretariat")
async def dropitem(env: Env) -> None:
    if len(env.args) != 1:
        env.reply(env.t("Usage: /dropitem &lt;item number&gt;"))
        return
    item = await _item_from_arg(env, env.args[0])
    if item is None:
        return
    meeting = await env.session.get(Meeting, item.meeting_id)
    assert meeting is not None
    item_id = item.id
    await service.drop_item(env.session, item, by=env.member)
    env.reply(env.t("Item #{item} removed from the agenda of meeting #{id}.", item=item_id, id=meeting.id))


@command()
async def propose(env: Env) -> None:
    body = env.rest()
    if body is None:
        return
    first, _, rest = body.partition(" ")
    if not first or not rest.strip():
        env.reply(env.t("Usage: /propose &lt;meeting number&gt; title of the item"))
        return
    meeting = await meeting_from_arg(env, first)
    if meeting is None:
        return
    title = title_or_reply(env, rest)
    if title is None:
        return
    try:
        item = await service.add_item(env.session, meeting, title, by=env.member, now=env.now, proposed=True)
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    assert env.member is not None
    for deciding in await members.active_members(env.session):
        if has_access(deciding.access, "secretariat"):
            t = env.translator_for(deciding)
            await env.tell(deciding, t("📝 {name} proposes an item #{item} for meeting #{id} ({meeting}): <b>{title}</b>",
                                       name=env.member.name, item=item.id, id=meeting.id, meeting=meeting.title,
                                       title=item.title),
                           [[(t("Approve"), f"agenda:approve:{item.id}"), (t("Decline"), f"agenda:decline:{item.id}")]],
                           ref=("agenda_item", item.id))
    env.reply(env.t("Thank you: your proposal #{item} was sent to the chair and the secretariat. "
                    "You will hear their decision.", item=item.id))


@button(access="secretariat")
async def decide_button(env: Env) -> None:
    parts = callback_args(env.data, "agenda", 2)
    item_id = service.parse_id(parts[1]) if parts else None
    if parts is None or parts[0] not in ("approve", "decline") or item_id is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    item = await service.get_item(env.session, item_id)
    if item is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    approve = parts[0] == "approve"
    try:
        await service.decide_proposal(env.session, item, approve, by=env.member)
    except service.AlreadyDecided:
        env.toast = env.t("This proposal was already decided.")
        return
    meeting = await env.session.get(Meeting, item.meeting_id)
    assert meeting is not None and env.member is not None
    env.edit(env.t("Item #{item} ({title}) approved for meeting #{id}.", item=item.id, title=item.title, id=meeting.id)
             if approve else
             env.t("Item #{item} ({title}) declined.", item=item.id, title=item.title))
    proposer = await env.session.get(Member, item.proposed_by_id) if item.proposed_by_id else None
    if proposer is not None and proposer.active:
        t = env.translator_for(proposer)
        await env.tell(proposer, t("Your proposal #{item} ({title}) was added to the agenda of meeting #{id} by {name}.",
                                   item=item.id, title=item.title, id=meeting.id, name=env.member.name)
                       if approve else
                       t("Your proposal #{item} ({title}) for meeting #{id} was declined by {name}.",
                         item=item.id, title=item.title, id=meeting.id, name=env.member.name),
                       ref=("agenda_item", item.id))


@command(access="secretariat")
async def publishagenda(env: Env) -> None:
    if len(env.args) != 1:
        env.reply(env.t("Usage: /publishagenda &lt;meeting number&gt;"))
        return
    meeting = await meeting_from_arg(env, env.args[0])
    if meeting is None:
        return
    if meeting.status != "scheduled":
        env.reply(env.t("Meeting #{id} was cancelled: its agenda is not sent.", id=meeting.id))
        return
    group_t = env.group_translator()
    await env.tell_group(await agenda_text(env, meeting, group_t, meeting.timezone), ref=("meeting", meeting.id))
    roster = await members.active_members(env.session)
    for member in roster:
        t = env.translator_for(member)
        await env.tell(member, await agenda_text(env, meeting, t, env.zone_of(member)), ref=("meeting", meeting.id))
    await members.audit(env.session, env.member, "agenda.published", "meeting", meeting.id)
    env.reply(env.t("The agenda of meeting #{id} was sent to the group and to {n} members.", id=meeting.id,
                    n=len(roster)))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("agenda", agenda))
    application.add_handler(CommandHandler("additem", additem))
    application.add_handler(CommandHandler("moveitem", moveitem))
    application.add_handler(CommandHandler("dropitem", dropitem))
    application.add_handler(CommandHandler("propose", propose))
    application.add_handler(CommandHandler("publishagenda", publishagenda))
    application.add_handler(CallbackQueryHandler(decide_button, pattern=r"^agenda:"))
