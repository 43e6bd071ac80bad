"""Meeting agendas: /agenda, /additem, /moveitem, /dropitem, /propose (approved or declined by
the chair or the secretariat with buttons) and /publishagenda.

Times are computed by :mod:`bot.domain.agenda_timing` and shown in the reader's zone. Open action
items from earlier meetings appear under a standard "Review of action items" item at the top
(:func:`bot.services.standing_items.ensure_standing_items`).
"""

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.notify import ALWAYS, MEETINGS, OWN
from bot.services import agenda as agenda_service
from bot.services import meetings as service
from bot.services import members, standing_items
from bot.domain.access import has_access
from bot.i18n.translation import N_
from bot.input.numbers import parse_id, parse_number
from bot.input.callbacks import callback_args
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command
from handlers.shared.agenda_text import agenda_text
from handlers.shared.replies import explain_refusal, in_group_languages, meeting_from_arg, title_or_reply, typed_id
from handlers.shared.reach_text import fanout_text
from storage.models import AgendaItem, Meeting, Member

COMMANDS = [
    CommandSpec("agenda", N_("A meeting's agenda with times in your zone: /agenda [meeting number]")),
    CommandSpec("propose", N_("Propose an agenda item: /propose 12 title")),
    CommandSpec("additem", N_("Add an agenda item: /additem 12 title | minutes | owner"), access="secretariat"),
    CommandSpec("moveitem", N_("Move an agenda item: /moveitem item-number position"), access="secretariat"),
    CommandSpec("dropitem", N_("Remove an agenda item: /dropitem item-number"), access="secretariat"),
    CommandSpec("approve", N_("Approve a proposed agenda item: /approve item-number"), access="secretariat"),
    CommandSpec("decline", N_("Decline a proposed agenda item: /decline item-number"), access="secretariat"),
    CommandSpec("publishagenda", N_("Send a meeting's agenda to the group and the members: /publishagenda 12"),
                access="secretariat"),
]
NO_SUCH_ITEM = N_("There is no agenda item #{id}. /agenda shows the items with their numbers.")


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
    item_id = typed_id(env, text, "item")
    if item_id is None:
        return None
    item = await agenda_service.get_item(env.session, item_id)
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
        minutes = parse_number(fields[1], 1, service.MAX_ITEM_MINUTES)
        if minutes is None:
            env.reply(env.t("The minutes must be a whole number between 1 and {max}. Nothing was changed.",
                            max=service.MAX_ITEM_MINUTES))
            return
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
        await standing_items.ensure_standing_items(env.session, meeting, env.now)
        item = await agenda_service.add_item(env.session, meeting, title, by=env.member, now=env.now,
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
    position = parse_id(env.args[1])
    try:
        if position is None:
            raise agenda_service.BadPosition(0)
        await agenda_service.move_item(env.session, item, position, by=env.member)
    except agenda_service.BadPosition:
        count = len(await agenda_service.agenda(env.session, await env.session.get(Meeting, item.meeting_id)))
        env.reply(env.t("The position must be a number between 1 and {max}. Nothing was changed.", max=max(count, 1)))
        return
    except agenda_service.AlreadyDecided:
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
    await agenda_service.drop_item(env.session, item, by=env.member)
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
        item = await agenda_service.add_item(env.session, meeting, title, by=env.member, now=env.now, proposed=True)
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    assert env.member is not None
    for deciding in await members.active_members(env.session):
        if has_access(deciding.access, "secretariat"):
            t = env.translator_for(deciding)
            await env.tell(deciding, t("📝 {name} proposes item #{item} for meeting #{id} ({meeting}): <b>{title}</b>",
                                       name=env.member.name, item=item.id, id=meeting.id, meeting=meeting.title,
                                       title=item.title),
                           [[(t("Approve"), f"agenda:approve:{item.id}"), (t("Decline"), f"agenda:decline:{item.id}")]],
                           ref=("agenda_item", item.id), topic=ALWAYS)
    env.reply(env.t("Thank you: your proposal #{item} is on its way to the chair and the secretariat. "
                    "You will hear their decision.", item=item.id))


@button(access="secretariat")
async def decide_button(env: Env) -> None:
    parts = callback_args(env.data, "agenda", 2)
    item_id = parse_id(parts[1]) if parts else None
    if parts is None or parts[0] not in ("approve", "decline") or item_id is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    item = await agenda_service.get_item(env.session, item_id)
    if item is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    await _decide(env, item, parts[0] == "approve", tapped=True)


async def _decide_command(env: Env, approve: bool) -> None:
    """/approve N and /decline N: the proposal's button, for a chair who lost the message."""
    item_id = parse_id(env.args[0]) if len(env.args) == 1 else None
    if item_id is None:
        env.reply(env.t("Usage: /approve &lt;item number&gt; or /decline &lt;item number&gt; (/agenda shows "
                        "the proposals awaiting the chair)."))
        return
    item = await agenda_service.get_item(env.session, item_id)
    if item is None or item.proposed_by_id is None:
        env.reply(env.t("There is no proposed agenda item #{item}.", item=item_id))
        return
    await _decide(env, item, approve, tapped=False)


@command(access="secretariat")
async def approve(env: Env) -> None:
    await _decide_command(env, True)


@command(access="secretariat")
async def decline(env: Env) -> None:
    await _decide_command(env, False)


async def _decide(env: Env, item, approve: bool, *, tapped: bool) -> None:  # type: ignore[no-untyped-def]
    """Approve or decline a proposal, from its button (``tapped``) or a command; the proposer is told."""
    answer = env.edit if tapped else env.reply
    try:
        await agenda_service.decide_proposal(env.session, item, approve, by=env.member)
    except agenda_service.AlreadyDecided:
        if tapped:
            env.toast = env.t("This proposal was already decided.")
        else:
            env.reply(env.t("This proposal was already decided."))
        return
    meeting = await env.session.get(Meeting, item.meeting_id)
    assert meeting is not None and env.member is not None
    answer(env.t("Item #{item} ({title}) approved for meeting #{id}.", item=item.id, title=item.title, id=meeting.id)
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
                       ref=("agenda_item", item.id), topic=OWN)


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
    posts = [(await agenda_text(env, meeting, g, meeting.timezone, published=True), None)
             for g in env.group_translators()]
    await env.tell_group(*in_group_languages(posts), ref=("meeting", meeting.id))
    roster = await members.active_members(env.session)
    for member in roster:
        t = env.translator_for(member)
        await env.tell(member, await agenda_text(env, meeting, t, env.zone_of(member), published=True),
                       ref=("meeting", meeting.id), topic=MEETINGS, about_start=meeting.starts_at)
    await members.audit(env.session, env.member, "agenda.published", "meeting", meeting.id)
    env.reply(env.t("The agenda of meeting #{id} is published.", id=meeting.id) + "\n"
              + fanout_text(env.t, env.reach(), group=bool(env.committee.group_chat_id), meeting_id=meeting.id))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("agenda", agenda))
    application.add_handler(CommandHandler("additem", additem))
    application.add_handler(CommandHandler("moveitem", moveitem))
    application.add_handler(CommandHandler("dropitem", dropitem))
    application.add_handler(CommandHandler("propose", propose))
    application.add_handler(CommandHandler("publishagenda", publishagenda))
    application.add_handler(CommandHandler("approve", approve))
    application.add_handler(CommandHandler("decline", decline))
    application.add_handler(CallbackQueryHandler(decide_button, pattern=r"^agenda:"))
