"""The record of a meeting while it is held, and its minutes in three languages.

/startmeeting opens the record (chair or secretariat); while it is open /topic, /next,
/decide (/agreed), /vote and /closevote, /action, /info, /present (or the attendance
buttons) and /undo add to it; /endmeeting closes it and sends the minutes: to every member
privately in their own language, to the group in the committee's language, as a message and
as Markdown and HTML files. The minutes are rendered at send time from the stored records
(outbox kind ``minutes``), so what is sent is always the record as it stands.
"""

import html
import re
import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import members, minutes as minutes_domain, records
from storage import outbox
from bot.domain.access import choose_language, has_access
from bot.delivery.dispatcher import Rendered, Skip, renderer
from bot.i18n.translation import N_, SUPPORTED, Safe, Translator
from bot.services.minutes import ActionRecord, Minutes, Person
from bot.services import Services
from bot.delivery.sending import Buttons
from storage.models import AgendaItem, Meeting, Member, OutboxMessage, Vote
from handlers.common import CommandSpec, Env, button, callback_args, callback_ints, command

MINUTES = "minutes"
PARTS = ("text", "md", "html")

COMMANDS = [
    CommandSpec("startmeeting", N_("Open the record of a meeting (the next one, or /startmeeting NUMBER)"),
                access="secretariat"),
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
    CommandSpec("endmeeting", N_("Close the meeting record and send the minutes"), access="secretariat"),
    CommandSpec("minutes", N_("Send the minutes of a meeting again: /minutes NUMBER [fr|en|es]")),
]

NO_RECORD = N_("No meeting record is open. The chair or the secretariat opens one with /startmeeting.")
NO_MEETING = N_("There is no meeting #{id}.")
EMPTY_TEXT = N_("Please add the text after the command, for example: {example}")
BAD_DATE = N_("“{text}” is not a valid date: write it as YYYY-MM-DD, for example 2026-12-15.")
PAST_DATE = N_("The due date {date} has already passed.")
WHICH_MEMBER = N_("Which member? {names}")
NO_SUCH_MEMBER = N_("No member of the roster matches “{query}”.")
VOTE_COUNTS = N_("yes {yes} · no {no} · abstain {abstain}")
FORMER = N_("former member")
DUE_WORDS = ("due", "échéance", "echeance", "pour", "para", "antes")
DUE = re.compile(r"\s+(?:" + "|".join(DUE_WORDS) + r")\s+(\S+)\s*$", re.IGNORECASE)
GAVE_YOU = N_("{name} gave you action #{id}: {text}")
DUE_LINE = N_("Due: {date}")
ATTENDANCE_LABELS = {"present": N_("Present"), "apologies": N_("Apologies")}
CHOICE_LABELS = {"yes": N_("Yes"), "no": N_("No"), "abstain": N_("Abstain")}


# --- helpers shared with handlers/actions.py ------------------------------------------------


def name_of(t: Translator, who: Person | Member | None) -> str:
    """A person as the record shows them: a former member's placeholder is translated."""
    if who is None:
        return t("unassigned")
    if isinstance(who, Member):
        return t(FORMER) if records.is_former(who) else who.name
    return t(FORMER) if who.former else who.name


async def resolve_member(env: Env, query: str) -> Member | None:
    """The roster member ``query`` names; otherwise tells the user (candidates) and None."""
    match = await members.find_member(env.session, query)
    if match.found is not None:
        return match.found
    names = ", ".join(m.name for m in (match.candidates or match.suggestions))
    env.reply(env.t(WHICH_MEMBER, names=names) if names else env.t(NO_SUCH_MEMBER, query=query[:100]))
    return None


def parse_due(env: Env, text: str) -> tuple[bool, date | None]:
    """(ok, date) for ``YYYY-MM-DD``; tells the user when malformed or already past."""
    day = records.parse_date(text)
    if day is None:
        env.reply(env.t(BAD_DATE, text=text[:40]))
        return False, None
    if day < records.local_today(env.now, env.committee.timezone):
        env.reply(env.t(PAST_DATE, date=env.t.date(day)))
        return False, None
    return True, day


def counts_text(t: Translator, counts: dict[str, int]) -> Safe:
    return t(VOTE_COUNTS, yes=counts["yes"], no=counts["no"], abstain=counts["abstain"])


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


# --- opening and closing ------------------------------------------------------------------


def _attendance_buttons(t: Translator, meeting_id: int) -> Buttons:
    return [[(t(ATTENDANCE_LABELS["present"]), f"att:{meeting_id}:present"),
             (t(ATTENDANCE_LABELS["apologies"]), f"att:{meeting_id}:apologies")]]


@command(access="secretariat")
async def startmeeting(env: Env) -> None:
    t = env.t
    assert env.member is not None
    if env.args:
        meeting_id = records.parse_id(env.args[0])
        meeting = await records.get_meeting(env.session, meeting_id)
        if meeting is None or len(env.args) > 1:
            env.reply(t(NO_MEETING, id=env.args[0][:20]))
            return
    else:
        meeting = await records.open_record(env.session) or await records.default_meeting(env.session, env.now)
        if meeting is None:
            env.reply(t("There is no scheduled meeting to open. Give its number: /startmeeting 12."))
            return
    try:
        await records.start_record(env.session, meeting, env.member, env.now)
    except records.RecordError as error:
        messages = {
            "other_open": N_("The record of meeting #{id} is still open: close it with /endmeeting first."),
            "already_open": N_("The record of meeting #{id} is already open."),
            "cancelled": N_("Meeting #{id} was cancelled."),
        }
        env.reply(t(messages[error.code], id=error.details["meeting_id"]))
        return
    item = await records.current_item(env.session, meeting)
    ot = env.group_translator() if env.in_group else t  # the group's message is for everyone
    env.reply(_opened_text(ot, meeting, item), _attendance_buttons(ot, meeting.id))
    if not env.in_group:
        g = env.group_translator()
        await env.tell_group(_opened_text(g, meeting, item), _attendance_buttons(g, meeting.id),
                             ref=("meeting", meeting.id))


def _opened_text(t: Translator, meeting: Meeting, item: AgendaItem | None) -> str:
    lines = [t("<b>The record of meeting #{id} “{title}” is open.</b>", id=meeting.id, title=meeting.title)]
    if item is not None:
        lines.append(t("Current item: {title}", title=item.title))
    lines.append(t("Record with /topic, /next, /decide, /vote, /action and /info; /undo removes your last "
                   "record; /endmeeting closes the record and sends the minutes. Please tell us whether "
                   "you are present:"))
    return "\n".join(lines)


@command(access="secretariat")
async def endmeeting(env: Env) -> None:
    assert env.member is not None
    meeting = await _open_record(env)
    if meeting is None:
        return
    await records.end_record(env.session, meeting, env.member, env.now)
    sent = await queue_minutes(env, meeting)
    env.reply(env.t.plural("The record of meeting #{id} is closed. The minutes are on their way to {n} member "
                           "and to the group.",
                           "The record of meeting #{id} is closed. The minutes are on their way to {n} members "
                           "and to the group.", sent, id=meeting.id))


async def queue_minutes(env: Env, meeting: Meeting) -> int:
    """Owe every linked member (in their language) and the group the minutes: a message and two
    files each, rendered when sent. Returns the number of members."""
    batch = uuid.uuid4().hex[:12]
    people = [m for m in await members.active_members(env.session) if m.telegram_id]
    for person in people:
        for part in PARTS:
            await outbox.enqueue(env.session, kind=MINUTES, due_at=env.now, recipient=person,
                                 dedupe_key=f"minutes:{meeting.id}:{batch}:{person.id}:{part}",
                                 ref_type="meeting", ref_id=meeting.id,
                                 payload={"meeting_id": meeting.id, "part": part})
    if env.committee.group_chat_id:
        for part in PARTS:
            await outbox.enqueue(env.session, kind=MINUTES, due_at=env.now, chat_id=env.committee.group_chat_id,
                                 dedupe_key=f"minutes:{meeting.id}:{batch}:group:{part}",
                                 ref_type="meeting", ref_id=meeting.id,
                                 payload={"meeting_id": meeting.id, "part": part})
    env.owes_messages = True
    return len(people)


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
    env.reply(env.t("Item #{id}: {title}", id=item.id, title=item.title))


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
    vt = env.group_translator() if env.in_group else env.t  # the group's message is for everyone
    env.reply(_vote_text(vt, opened, 0), _vote_buttons(vt, opened.id))
    if not env.in_group:
        g = env.group_translator()
        await env.tell_group(_vote_text(g, opened, 0), _vote_buttons(g, opened.id), ref=("meeting", meeting.id))


@button()
async def vote_button(env: Env) -> None:
    assert env.member is not None
    parts = callback_args(env.data, "vote", 2)
    vote_id = records.parse_id(parts[0]) if parts else None
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
    vt = env.group_translator() if env.in_group else env.t
    env.edit(_vote_text(vt, target, sum(counts.values())), _vote_buttons(vt, target.id))


@command(access="secretariat")
async def closevote(env: Env) -> None:
    assert env.member is not None
    meeting = await _open_record(env)
    if meeting is None:
        return
    if env.args:
        vote_id = records.parse_id(env.args[0])
        target = await env.session.get(Vote, vote_id) if vote_id else None
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
    due: date | None = None
    found = DUE.search(body)
    if found:
        ok, due = parse_due(env, found.group(1))
        if not ok:
            return
        body = body[:found.start()].rstrip()
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
    if due:
        details.append(env.t("due {date}", date=env.t.date(due)))
    env.reply(env.t("Action #{id} recorded: {details}.", id=created.id, details=Safe(", ".join(details))))
    if owner is not None and owner.id != env.member.id:
        ot = env.translator_for(owner)
        await env.tell(owner, ot(GAVE_YOU, name=env.member.name, id=created.id, text=text)
                       + ("\n" + ot(DUE_LINE, date=ot.date(due)) if due else ""),
                       ref=("action", created.id))


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


@button()
async def attendance_button(env: Env) -> None:
    assert env.member is not None
    parts = callback_args(env.data, "att", 2)
    meeting_id = records.parse_id(parts[0]) if parts else None
    meeting = await records.get_meeting(env.session, meeting_id)
    if parts is None or meeting is None or parts[1] not in records.ATTENDANCE:
        env.toast = env.t("This button is no longer valid.")
        return
    if meeting.record_opened_at is None or meeting.record_closed_at is not None:
        env.toast = env.t("The record of this meeting is closed.")
        return
    await records.set_attendance(env.session, meeting, env.member, parts[1], env.member)
    env.toast = env.t("Noted: {status}.", status=env.t(ATTENDANCE_LABELS[parts[1]]))


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


# --- minutes --------------------------------------------------------------------------------

Block = tuple[str, Safe]  # (style, Telegram-HTML-safe text): h1, h2, h3, p, li


def minutes_blocks(t: Translator, record: Minutes, zone: str) -> list[Block]:
    """The minutes in the reader's language as styled lines, rendered three ways below."""
    blocks: list[Block] = [("h1", t("Minutes of meeting #{id}: {title}", id=record.meeting_id, title=record.title))]
    blocks.append(("p", t("Date and time: {local}", local=t.datetime(record.starts_at, zone))))
    blocks.append(("p", t("In UTC: {utc}", utc=t.datetime(record.starts_at, "UTC"))))
    if record.opened_at:
        blocks.append(("p", t("Record opened at {opened}, closed at {closed} ({zone}).",
                              opened=t.time(record.opened_at, zone),
                              closed=t.time(record.closed_at, zone) if record.closed_at else "—", zone=zone)))
    if record.closed_at is None:
        blocks.append(("p", t("Draft: the record of this meeting is still open.")))
    blocks.append(("h2", t("Attendance")))
    blocks.append(("p", t("Present ({n}): {names}", n=len(record.present),
                          names=", ".join(name_of(t, p) for p in record.present) or "—")))
    blocks.append(("p", t("Apologies ({n}): {names}", n=len(record.apologies),
                          names=", ".join(name_of(t, p) for p in record.apologies) or "—")))
    blocks.append(("h2", t("Agenda and record")))
    number = 0
    for item in record.items:
        if item.id is None:
            blocks.append(("h3", t("Before the first item")))
        else:
            number += 1
            blocks.append(("h3", t("{number}. {title}", number=number, title=item.title)))
        for decision in item.decisions:
            blocks.append(("li", t("Decision #{id}: {text}", id=decision.id, text=decision.text)))
            if decision.vote:
                blocks.append(("li", _vote_line(t, decision.vote)))
        for loose_vote in item.votes:
            blocks.append(("li", _vote_line(t, loose_vote)))
        for note in item.notes:
            blocks.append(("li", t("Note: {text} ({author})", text=note.text, author=name_of(t, note.author))))
        for act in item.actions:
            blocks.append(("li", _action_line(t, act, with_owner=True)))
        if item.empty:
            blocks.append(("p", t("Nothing recorded.")))
    blocks.append(("h2", t("Actions by owner")))
    if not record.actions_by_owner:
        blocks.append(("p", t("No action items.")))
    for owner, acts in record.actions_by_owner:
        blocks.append(("h3", name_of(t, owner)))
        for act in acts:
            blocks.append(("li", _action_line(t, act, with_owner=False)))
    return blocks


def _vote_line(t: Translator, record: minutes_domain.VoteRecord) -> Safe:
    status = t("closed") if record.closed else t("still open")
    return t("Vote #{id}: {question}: {counts} ({status})", id=record.id, question=record.question,
             counts=counts_text(t, record.counts), status=status)


def _action_line(t: Translator, act: ActionRecord, with_owner: bool) -> Safe:
    parts = [t("Action #{id}: {text}", id=act.id, text=act.text)]
    if with_owner:
        parts.append(t("owner: {name}", name=name_of(t, act.owner)))
    parts.append(t("due {date}", date=t.date(act.due)) if act.due else t("no due date"))
    if act.status == "done":
        parts.append(t("done"))
    return Safe(" · ".join(parts))


def as_telegram(blocks: list[Block]) -> str:
    lines = []
    for style, text in blocks:
        if style == "h1":
            lines.append(f"<b>{text}</b>")
        elif style == "h2":
            lines.append(f"\n<b>{text}</b>")
        elif style == "h3":
            lines.append(f"<u>{text}</u>")
        elif style == "li":
            lines.append(f"• {text}")
        else:
            lines.append(text)
    return "\n".join(lines)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _markdown_text(text: Safe) -> str:
    plain = _MD_SPECIAL.sub(r"\\\1", html.unescape(text))
    return "\\" + plain if plain[:1] in ("#", "-", "+") else plain


def as_markdown(blocks: list[Block]) -> str:
    lines: list[str] = []
    for style, text in blocks:
        body = _markdown_text(text)
        if style == "h1":
            lines += [f"# {body}", ""]
        elif style == "h2":
            lines += ["", f"## {body}", ""]
        elif style == "h3":
            lines += ["", f"### {body}", ""]
        elif style == "li":
            lines.append(f"- {body}")
        else:
            lines += [body, ""]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def as_html_page(blocks: list[Block], lang: str) -> str:
    """A standalone page; the texts are already escaped (Telegram HTML without tags)."""
    title = blocks[0][1] if blocks else ""
    body: list[str] = []
    in_list = False
    for style, text in blocks:
        if style == "li" and not in_list:
            body.append("<ul>")
            in_list = True
        elif style != "li" and in_list:
            body.append("</ul>")
            in_list = False
        tag = {"h1": "h1", "h2": "h2", "h3": "h3", "li": "li"}.get(style, "p")
        body.append(f"<{tag}>{text}</{tag}>")
    if in_list:
        body.append("</ul>")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n"
            "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}"
            "h3{margin-bottom:.2em}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def render_parts(t: Translator, record: Minutes, zone: str) -> dict[str, str]:
    blocks = minutes_blocks(t, record, zone)
    return {"text": as_telegram(blocks), "md": as_markdown(blocks), "html": as_html_page(blocks, t.lang)}


def minutes_filename(meeting_id: int, lang: str, part: str) -> str:
    return f"minutes-{meeting_id}-{lang}.{part}"


def document_caption(t: Translator, meeting_id: int, part: str) -> str:
    return t("Minutes of meeting #{id} ({format})", id=meeting_id, format="Markdown" if part == "md" else "HTML")


@renderer(MINUTES)
async def render_minutes(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    """Minutes regenerated from the records at send time, in the reader's language now."""
    committee = await members.committee(session)
    meeting = await session.get(Meeting, int(row.payload.get("meeting_id", 0)))
    part = row.payload.get("part", "text")
    if meeting is None or meeting.record_opened_at is None or part not in PARTS:
        raise Skip("cancelled", "no such meeting record")
    if row.recipient_id is not None:
        member = await session.get(Member, row.recipient_id)
        if member is None or not member.active or not member.telegram_id:
            raise Skip("failed", "recipient has no Telegram account")
        chat_id = member.telegram_id
        lang = choose_language(member.chosen_language, member.language, None, committee.default_language)
    elif row.chat_id is not None:
        chat_id = row.chat_id
        lang = row.payload.get("lang") or committee.default_language
    else:
        raise Skip("failed", "no recipient")
    t = services.i18n.translator(lang)
    record = await minutes_domain.build(session, meeting)
    rendered = render_parts(t, record, committee.timezone)
    if part == "text":
        return Rendered(chat_id, rendered["text"])
    return Rendered(chat_id, document_caption(t, meeting.id, part),
                    document=(minutes_filename(meeting.id, lang, part), rendered[part].encode("utf-8")))


@command()
async def minutes(env: Env) -> None:
    if not env.args or len(env.args) > 2:
        env.reply(env.t("Usage: /minutes NUMBER [fr|en|es], for example /minutes 12 fr."))
        return
    meeting = await records.get_meeting(env.session, records.parse_id(env.args[0]))
    if meeting is None:
        env.reply(env.t(NO_MEETING, id=env.args[0][:20]))
        return
    lang = env.t.lang
    if len(env.args) == 2:
        lang = env.args[1].lower()
        if lang not in SUPPORTED:
            env.reply(env.t("Unknown language. Choose fr, en or es."))
            return
    if meeting.record_opened_at is None:
        env.reply(env.t("Meeting #{id} has no record yet.", id=meeting.id))
        return
    t = env.services.i18n.translator(lang)
    rendered = render_parts(t, await minutes_domain.build(env.session, meeting), env.committee.timezone)
    env.reply(rendered["text"], personal=True)
    for part in ("md", "html"):
        env.reply_document(minutes_filename(meeting.id, lang, part), rendered[part].encode("utf-8"),
                           document_caption(t, meeting.id, part), personal=True)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("startmeeting", startmeeting))
    application.add_handler(CommandHandler("endmeeting", endmeeting))
    application.add_handler(CommandHandler("topic", topic))
    application.add_handler(CommandHandler("next", next_command))
    application.add_handler(CommandHandler(["decide", "agreed"], decide))
    application.add_handler(CommandHandler("vote", vote))
    application.add_handler(CommandHandler("closevote", closevote))
    application.add_handler(CommandHandler("action", action))
    application.add_handler(CommandHandler("info", info))
    application.add_handler(CommandHandler("present", present))
    application.add_handler(CommandHandler("undo", undo))
    application.add_handler(CommandHandler("minutes", minutes))
    application.add_handler(CallbackQueryHandler(vote_button, pattern=r"^vote:"))
    application.add_handler(CallbackQueryHandler(attendance_button, pattern=r"^att:"))

