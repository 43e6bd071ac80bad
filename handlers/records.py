"""The record of a meeting while it is held: once /startmeeting opened it
(:mod:`handlers.record_opening`), /topic, /next, /decide (/agreed), /vote and /closevote,
/action, /info, /present and /undo add to it."""

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.notify import OWN
from bot.services import members, records
from bot.domain.access import has_access
from bot.services.due_phrases import MalformedDue, split_due
from bot.i18n.translation import N_, Safe, Translator
from bot.input.numbers import parse_id
from bot.delivery.sending import Buttons
from storage.models import Meeting, Member, Vote
from bot.input.callbacks import callback_args
from handlers.common import CommandSpec, Env, button, command
from handlers.shared.agenda_text import item_title
from handlers.shared.minutes_text import counts_text
from handlers.shared.replies import (
    NO_SUCH_MEMBER, WHICH_MEMBER, due_not_past, in_group_languages, name_of, resolve_member, typed_id,
    writer_today,
)

COMMANDS = [
    CommandSpec("topic", N_("Record a new topic and make it current: /topic TEXT"), access="secretariat"),
    CommandSpec("next", N_("Move the record to the next agenda item"), access="secretariat"),
    CommandSpec("decide", N_("Record a decision on the current item: /decide TEXT (also /agreed)"),
                access="secretariat"),
    CommandSpec("vote", N_("Open a yes/no/abstain vote: /vote QUESTION"), access="secretariat"),
    CommandSpec("closevote", N_("Close the open vote and record its result"), access="secretariat"),
    CommandSpec("action", N_("Record an action item: /action NAME: TEXT due YYYY-MM-DD "
                             "(/action - TEXT for nobody yet)")),
    CommandSpec("info", N_("Add a note to the meeting record: /info TEXT")),
    CommandSpec("present", N_("Mark yourself present at the meeting being recorded")),
    CommandSpec("undo", N_("Remove your last record in the meeting (the chair: anyone's)")),
]

NO_RECORD = N_("No meeting record is open. The chair or the secretariat opens one with /startmeeting.")
EMPTY_TEXT = N_("Please add the text after the command, for example: {example}")
BAD_DUE = N_("I read “{text}” as a due date but it names no single day: write a date such as 2026-12-15 "
            "or 15/12, or a day such as next Friday, for example /action Samy: send the budget by 15/12. "
            "Nothing was recorded.")
GAVE_YOU = N_("{name} gave you action #{id}: {text}")
DUE_LINE = N_("Due: {date}")
WITHDRAWN = N_("{name} withdrew action #{id}, which had been given to you: {text}. You no longer owe it.")
CHOICE_LABELS = {"yes": N_("Yes"), "no": N_("No"), "abstain": N_("Abstain")}


async def _open_record(env: Env) -> Meeting | None:
    meeting = await records.open_record(env.session)
    if meeting is None:
        env.reply(env.t(NO_RECORD))
    return meeting


def _text_or_usage(env: Env, example: str) -> str | None:
    text = env.rest()
    if text is None:
        return None
    if not text:
        env.reply(env.t(EMPTY_TEXT, example=example))
        return None
    return text


# --- recording ----------------------------------------------------------------------------


async def _new_topic(env: Env, meeting, example: str) -> None:  # type: ignore[no-untyped-def]
    """A new agenda item, made current: ``/topic TEXT`` and ``/next TEXT``."""
    assert env.member is not None
    text = _text_or_usage(env, example)
    if text is None:
        return
    if len(text) > 300:
        env.reply(env.t("That text is too long (at most {limit} characters).", limit=300))
        return
    item, _note = await records.next_item(env.session, meeting, env.member, env.now, title=text)
    assert item is not None
    env.reply(env.t("Topic #{id}: {title}", id=item.id, title=item.title))


@command(access="secretariat")
async def topic(env: Env) -> None:
    meeting = await _open_record(env)
    if meeting is not None:
        await _new_topic(env, meeting, "/topic Budget 2027")


@command(access="secretariat")
async def next_command(env: Env) -> None:
    assert env.member is not None
    meeting = await _open_record(env)
    if meeting is None:
        return
    if env.args:
        await _new_topic(env, meeting, "/next Budget 2027")
        return
    item, _ = await records.next_item(env.session, meeting, env.member, env.now)
    if item is None:
        env.reply(env.t("That was the last agenda item. Start a new topic with /topic TEXT, or close "
                        "with /endmeeting."))
        return
    env.reply(env.t("Item #{id}: {title}", id=item.id, title=item_title(env.t, item.kind, item.title)))


@command(access="secretariat")
async def decide(env: Env) -> None:
    assert env.member is not None
    meeting = await _open_record(env)
    if meeting is None:
        return
    text = _text_or_usage(env, "/decide The budget is approved.")
    if text is None:
        return
    decision, vote = await records.add_decision(env.session, meeting, env.member, text, env.now)
    reply = env.t("Decision #{id} recorded.", id=decision.id)
    if vote is not None:
        counts = await records.vote_counts(env.session, vote.id)
        reply += "\n" + env.t("With vote #{id}: {counts}", id=vote.id, counts=counts_text(env.t, counts))
    env.reply(reply)


def _vote_text(t: Translator, vote: Vote, cast: int) -> str:
    return "\n".join([
        t("<b>Vote #{id}</b>: {question}", id=vote.id, question=vote.question),
        t.plural("{n} ballot cast. You may change yours until the vote closes.",
                 "{n} ballots cast. You may change yours until the vote closes.", cast),
    ])


def _vote_buttons(t: Translator, vote_id: int) -> Buttons:
    return [[(t(label), f"vote:{vote_id}:{choice}") for choice, label in CHOICE_LABELS.items()]]


@command(access="secretariat")
async def vote(env: Env) -> None:
    assert env.member is not None
    meeting = await _open_record(env)
    if meeting is None:
        return
    question = _text_or_usage(env, "/vote Do we approve the budget?")
    if question is None:
        return
    opened = await records.open_vote(env.session, meeting, env.member, question, env.now)
    group_post = in_group_languages([(_vote_text(g, opened, 0), _vote_buttons(g, opened.id))
                                     for g in env.group_translators()])
    if env.in_group:  # the group's message is for everyone
        env.reply(*group_post)
    else:
        env.reply(_vote_text(env.t, opened, 0), _vote_buttons(env.t, opened.id))
        await env.tell_group(*group_post, ref=("meeting", meeting.id))


@button()
async def vote_button(env: Env) -> None:
    assert env.member is not None
    parts = callback_args(env.data, "vote", 2)
    vote_id = parse_id(parts[0]) if parts else None
    target = await env.session.get(Vote, vote_id) if vote_id else None
    if parts is None or target is None or parts[1] not in records.CHOICES:
        env.toast = env.t("This button is no longer valid.")
        return
    try:
        await records.cast_ballot(env.session, target, env.member, parts[1], env.now)
    except records.RecordError:
        env.toast = env.t("This vote is closed.")
        return
    env.toast = env.t("Your vote: {choice}. You may change it until the vote closes.",
                      choice=env.t(CHOICE_LABELS[parts[1]]))
    counts = await records.vote_counts(env.session, target.id)
    readers = env.group_translators() if env.in_group else [env.t]  # the group's message is for everyone
    env.edit(*in_group_languages([(_vote_text(vt, target, sum(counts.values())), _vote_buttons(vt, target.id))
                                  for vt in readers]))


@command(access="secretariat")
async def closevote(env: Env) -> None:
    assert env.member is not None
    meeting = await _open_record(env)
    if meeting is None:
        return
    if env.args:
        vote_id = typed_id(env, env.args[0], "vote")
        if vote_id is None:
            return
        target = await env.session.get(Vote, vote_id)
        if target is None or target.meeting_id != meeting.id:
            env.reply(env.t("There is no vote #{id} in this meeting.", id=env.args[0][:20]))
            return
    else:
        target = await records.latest_open_vote(env.session, meeting)
        if target is None:
            env.reply(env.t("No vote is open."))
            return
    try:
        counts = await records.close_vote(env.session, target, env.member, env.now)
    except records.RecordError:
        env.reply(env.t("Vote #{id} is already closed.", id=target.id))
        return
    env.reply("\n".join([env.t("<b>Vote #{id} closed</b>: {question}", id=target.id, question=target.question),
                         counts_text(env.t, counts),
                         env.t("Record the outcome with /decide TEXT: the vote is attached to it.")]))


ACTION_USAGE = N_("Usage: /action NAME: TEXT due YYYY-MM-DD, for example /action Samy: send the budget "
                  "due 2026-12-15. For an action nobody has taken yet: /action - TEXT.")


@command()
async def action(env: Env) -> None:
    assert env.member is not None
    body = env.rest()
    if body is None:
        return
    if not body:
        env.reply(env.t(ACTION_USAGE))
        return
    try:
        found = split_due(body, writer_today(env))
    except MalformedDue as bad:
        env.reply(env.t(BAD_DUE, text=bad.typed[:40]))
        return
    due, body = found.day, found.text
    if due is not None and not due_not_past(env, due):
        return
    owner: Member | None = None
    if body.startswith("-"):
        text = body[1:].lstrip(" :").strip()
    elif ":" in body:
        name, _, text = body.partition(":")
        owner = await resolve_member(env, name.strip())
        if owner is None:
            return
        text = text.strip()
    else:
        name, _, text = body.partition(" ")
        match = await members.find_member(env.session, name)
        if match.found is None:
            if match.candidates:
                env.reply(env.t(WHICH_MEMBER, names=", ".join(m.name for m in match.candidates)))
            else:
                env.reply(env.t(NO_SUCH_MEMBER, query=name[:100]) + "\n" + env.t(ACTION_USAGE))
            return
        owner, text = match.found, text.strip()
    if not text:
        env.reply(env.t(ACTION_USAGE))
        return
    meeting = await records.open_record(env.session)
    created = await records.add_action(env.session, meeting, env.member, owner, text, due, env.now,
                                       env.settings.reminders.action_offsets, env.committee.timezone)
    details = [name_of(env.t, owner)]
    details.append(env.t("due {date}", date=env.t.date(due)) if due else env.t("no due date"))
    env.reply(env.t("Action #{id} recorded: {details}.", id=created.id, details=Safe(", ".join(details))))
    if owner is not None and owner.id != env.member.id:
        ot = env.translator_for(owner)
        await env.tell(owner, ot(GAVE_YOU, name=env.member.name, id=created.id, text=text)
                       + ("\n" + ot(DUE_LINE, date=ot.date(due)) if due else ""),
                       ref=("action", created.id), topic=OWN)


@command()
async def info(env: Env) -> None:
    assert env.member is not None
    meeting = await _open_record(env)
    if meeting is None:
        return
    text = _text_or_usage(env, "/info The report is on the shared drive.")
    if text is None:
        return
    note = await records.add_note(env.session, meeting, env.member, text, env.now)
    env.reply(env.t("Note #{id} recorded.", id=note.id))


@command()
async def present(env: Env) -> None:
    assert env.member is not None
    meeting = await _open_record(env)
    if meeting is None:
        return
    who = env.member
    query = env.rest(200)
    if query is None:
        return
    if query:
        if not has_access(env.member.access, "secretariat"):
            env.reply(env.t("Only the chair or the secretariat can do that."))
            return
        found = await resolve_member(env, query)
        if found is None:
            return
        who = found
    await records.set_attendance(env.session, meeting, who, "present", env.member)
    env.reply(env.t("{name} is recorded as present at meeting #{id}.", name=who.name, id=meeting.id))


@command()
async def undo(env: Env) -> None:
    assert env.member is not None
    meeting = await _open_record(env)
    if meeting is None:
        return
    anyone = has_access(env.member.access, "chair")
    undone = await records.undo_last(env.session, meeting, env.member, anyone, env.now,
                                     env.settings.reminders.action_offsets, env.committee.timezone)
    if undone is None:
        env.reply(env.t("You have nothing to undo in this meeting."))
        return
    labels = {"decision": N_("Removed decision #{id}: {text}"), "action": N_("Removed action #{id}: {text}"),
              "info": N_("Removed note #{id}: {text}"), "topic": N_("Removed topic: {text}")}
    env.reply(env.t(labels[undone.kind], id=undone.id, text=undone.text[:200]))
    owner = await env.session.get(Member, undone.owner_id) if undone.owner_id else None
    if owner is not None and owner.id != env.member.id and owner.active:  # they were told it was theirs
        ot = env.translator_for(owner)
        await env.tell(owner, ot(WITHDRAWN, name=env.member.name, id=undone.id, text=undone.text[:200]),
                       ref=("action", undone.id), topic=OWN)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("topic", topic))
    application.add_handler(CommandHandler("next", next_command))
    application.add_handler(CommandHandler(["decide", "agreed"], decide))
    application.add_handler(CommandHandler("vote", vote))
    application.add_handler(CommandHandler("closevote", closevote))
    application.add_handler(CommandHandler("action", action))
    application.add_handler(CommandHandler("info", info))
    application.add_handler(CommandHandler("present", present))
    application.add_handler(CommandHandler("undo", undo))
    application.add_handler(CallbackQueryHandler(vote_button, pattern=r"^vote:"))

