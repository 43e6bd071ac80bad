"""Availability polls: the chair picks times among /findslot's answer, every member answers each
in their own zone ("I can", "if need be", "I cannot") and may change it until the poll closes;
/poll shows the answers, /closepoll (or its button) closes it, and the winner becomes a meeting
with one tap (:mod:`handlers.shared.announcing` tells everyone).

Button data is never trusted: starts are quarter-hours (bot.input.callbacks), rights re-checked."""

from datetime import datetime

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.notify import MEETINGS
from bot.services import polls
from bot.i18n.translation import N_, Safe, Translator, escape
from bot.input.numbers import parse_id, parse_number
from bot.input.callbacks import SLOT_CHOICES, callback_args, callback_ints, read_quarter, slot_selection
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command
from bot.services.reach import roster_reach
from handlers.shared.announcing import create_and_announce, start_taken
from handlers.shared.meeting_text import DEFAULT_TITLE
from handlers.shared.reach_text import fanout_text
from storage.models import AvailabilityPoll, Meeting, Member, PollSlot

COMMANDS = [
    CommandSpec("poll", N_("Answers to an availability poll: /poll 3"), access="secretariat"),
    CommandSpec("closepoll", N_("Close an availability poll: /closepoll 3"), access="chair"),
]

ANSWER_CODES = {"y": "yes", "m": "maybe", "n": "no"}
ANSWER_LABELS = {"yes": N_("I can"), "maybe": N_("if need be"), "no": N_("I cannot")}
ANSWER_MARKS = {"yes": "✅", "maybe": "🤔", "no": "❌"}


def _duration(text: str) -> int | None:
    return parse_number(text, polls.MIN_DURATION, polls.MAX_DURATION)


# --- the winner as a meeting ------------------------------------------------------------

def _created_text(env: Env, meeting: Meeting) -> Safe:
    return Safe(env.t("Meeting #{id} “{title}” is scheduled for {when}.", id=meeting.id, title=meeting.title,
                      when=env.t.datetime(meeting.starts_at, env.zone_of(env.member)))
                + "\n" + fanout_text(env.t, env.reach(), group=bool(env.committee.group_chat_id),
                                      meeting_id=meeting.id))


async def _schedule(env: Env, title: str, start: datetime, duration: int) -> Meeting | None:
    if await start_taken(env, start):
        return None
    return await create_and_announce(env, title=title, starts_at=start, zone=env.committee.timezone,
                                     duration_minutes=duration)


# --- choosing the poll's times -------------------------------------------------------------

def _parse_selection(env: Env, action: str) -> tuple[int, int, list[datetime], list[int]] | None:
    parts = callback_args(env.data, "slot", 4)
    if parts is None or parts[0] != action:
        return None
    duration, mask = _duration(parts[1]), parse_number(parts[2], 0, (1 << SLOT_CHOICES) - 1)
    quarters_text = parts[3].split(".")
    if duration is None or mask is None or not 1 <= len(quarters_text) <= SLOT_CHOICES or mask >= 1 << len(quarters_text):
        return None
    starts = [read_quarter(text, env.now) for text in quarters_text]
    if any(start is None for start in starts) or len(set(starts)) != len(starts):
        return None
    return duration, mask, starts, [int(text) for text in quarters_text]  # type: ignore[return-value]


def _selection_view(env: Env, duration: int, mask: int, starts: list[datetime],
                    quarters: list[int]) -> tuple[str, list[list[tuple[str, str]]]]:
    t, zone = env.t, env.zone_of(env.member)
    lines = [t("<b>Availability poll for a {minutes}-minute meeting</b>", minutes=duration),
             t("Tap the times to offer (✅ offered), then open the poll. Every member gets them in their "
               "own time zone and answers “I can”, “if need be” or “I cannot”.")]
    buttons = []
    for index, start in enumerate(starts):
        chosen = bool(mask & (1 << index))
        label = f"{'✅' if chosen else '☐'} {index + 1}. {t.short_datetime(start, zone)}"
        lines.append(escape(label))
        buttons.append([(label, slot_selection("pick", duration, mask ^ (1 << index), quarters))])
    count = bin(mask).count("1")
    buttons.append([(t.plural("🗳 Open the poll ({n} time)", "🗳 Open the poll ({n} times)", count),
                     slot_selection("open", duration, mask, quarters))])
    return "\n".join(lines), buttons


@button(access="secretariat")
async def slot_pick(env: Env) -> None:
    """``choose`` (under the /findslot answer) opens the choice; ``pick`` toggles a time in it."""
    action = "choose" if env.data.startswith("slot:choose:") else "pick"
    parsed = _parse_selection(env, action)
    if parsed is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    text, buttons = _selection_view(env, *parsed)
    if action == "choose":
        env.reply(text, buttons)
    else:
        env.edit(text, buttons)


@button(access="secretariat")
async def slot_open(env: Env) -> None:
    parsed = _parse_selection(env, "open")
    if parsed is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    duration, mask, starts, _quarters = parsed
    chosen = [start for index, start in enumerate(starts) if mask & (1 << index)]
    if not chosen:
        env.toast = env.t("Choose at least one time.")
        return
    closes = polls.default_closing(env.now, chosen)
    if closes is None:
        env.toast = env.t("The first time is too close for a poll: schedule the meeting directly.")
        return
    # Members the bot cannot write to are not asked; /poll still lists them as not answered.
    reach = await roster_reach(env.session)
    reachable = reach.reachable
    poll = await polls.open_poll(env.session, title=env.group_translator()(DEFAULT_TITLE),
                                 duration_minutes=duration, starts=chosen, created_by=env.member,
                                 closes_at=closes, now=env.now, recipients=reachable)
    poll_slots = await polls.poll_slots(env.session, poll.id)
    for member in reachable:
        text, buttons = _ballot(env.translator_for(member), env.zone_of(member), poll, poll_slots, {}, member)
        await env.tell(member, text, buttons, ref=("poll", poll.id), topic=MEETINGS, about_start=closes)
    env.edit(env.t("Poll #{id} is open until {when}. See the answers with /poll {id}.", id=poll.id,
                   when=env.t.datetime(closes, env.zone_of(env.member))) + "\n" + fanout_text(env.t, reach, group=False),
             [[(env.t("📊 Answers"), f"poll:view:{poll.id}")]])


# --- a member's ballot ---------------------------------------------------------------------

def _ballot(t: Translator, zone: str, poll: AvailabilityPoll, poll_slots: list[PollSlot],
            answers: dict[int, str], member: Member,
            now: datetime | None = None) -> tuple[str, list[list[tuple[str, str]]] | None]:
    open_ = now is None or polls.is_open(poll, now)
    lines = [t("<b>Availability poll #{id}: {title}</b>", id=poll.id, title=poll.title),
             t("When could you attend a {minutes}-minute meeting? The times are in your time zone ({zone}).",
               minutes=poll.duration_minutes, zone=t.place(zone))]
    for number, slot in enumerate(poll_slots, start=1):
        answer = answers.get(slot.id)
        state = f"{ANSWER_MARKS[answer]} {t(ANSWER_LABELS[answer])}" if answer else t("not answered yet")
        lines.append(t("{n}. {when}: {answer}", n=number, when=t.short_datetime(slot.starts_at, zone),
                       answer=Safe(state)))
    if not open_:
        lines.append(t("This poll is closed."))
        return "\n".join(lines), None
    if poll.closes_at is not None:
        lines.append(t("Answer each time; you can change your answers until {when}.",
                       when=t.datetime(poll.closes_at, zone)))
    buttons = [[(t("{n}: I can", n=number), f"poll:a:{poll.id}:{slot.id}:y:{member.id}"),
                (t("{n}: if need be", n=number), f"poll:a:{poll.id}:{slot.id}:m:{member.id}"),
                (t("{n}: I cannot", n=number), f"poll:a:{poll.id}:{slot.id}:n:{member.id}")]
               for number, slot in enumerate(poll_slots, start=1)]
    return "\n".join(lines), buttons


@button()
async def poll_answer(env: Env) -> None:
    t = env.t
    parts = callback_args(env.data, "poll", 5)
    ids = [parse_id(p) for p in (parts[1], parts[2], parts[4])] if parts else [None]
    if parts is None or parts[0] != "a" or parts[3] not in ANSWER_CODES or None in ids:
        env.toast = t(BUTTON_EXPIRED)
        return
    assert env.member is not None
    poll_id, slot_id, member_id = ids
    if member_id != env.member.id:
        env.toast = t("This poll was sent to another member: your answer was not recorded.")
        return
    poll = await polls.get_poll(env.session, poll_id)
    if poll is None:
        env.toast = t(BUTTON_EXPIRED)
        return
    outcome = await polls.record_answer(env.session, poll, slot_id, env.member, ANSWER_CODES[parts[3]], env.now)
    if outcome is polls.AnswerOutcome.CLOSED:
        env.toast = t("This poll is closed: answers can no longer be changed.")
        return
    if outcome is not polls.AnswerOutcome.RECORDED:
        env.toast = t(BUTTON_EXPIRED)
        return
    answers = await polls.member_answers(env.session, poll.id, env.member.id)
    text, buttons = _ballot(t, env.zone_of(env.member), poll, await polls.poll_slots(env.session, poll.id),
                            answers, env.member, env.now)
    env.edit(text, buttons)
    env.toast = t("Answer saved.")


# --- the chair's view ----------------------------------------------------------------------

def _names(members: list[str]) -> str:
    return ", ".join(members) or "—"


async def _poll_view(env: Env, poll: AvailabilityPoll) -> tuple[str, list[list[tuple[str, str]]]]:
    t, zone = env.t, env.zone_of(env.member)
    result = await polls.tally(env.session, poll)
    total = len(result.respondents) + len(result.non_respondents)
    open_ = polls.is_open(poll, env.now)
    lines = [t("<b>Availability poll #{id}: {title}</b> ({minutes} minutes)", id=poll.id, title=poll.title,
               minutes=poll.duration_minutes)]
    if open_ and poll.closes_at is not None:
        lines.append(t("Open until {when}.", when=t.datetime(poll.closes_at, zone)))
    elif poll.closed_at is None:
        lines.append(t("No more answers are accepted; close the poll to choose the time."))
    else:
        lines.append(t("Closed."))
    lines.append(t("{answered} of {total} members answered. Times in your time zone ({zone}):",
                   answered=len(result.respondents), total=total, zone=t.place(zone)))
    winner = result.winner
    for number, entry in enumerate(result.slots, start=1):
        lead = " 🏆" if winner is not None and entry is winner else ""
        lines.append(f"\n<b>{number}. {escape(t.short_datetime(entry.slot.starts_at, zone))}</b>{lead}: "
                     f"✅ {len(entry.yes)} · 🤔 {len(entry.maybe)} · ❌ {len(entry.no)}")
        for answer, names in (("yes", entry.yes), ("maybe", entry.maybe), ("no", entry.no)):
            if names:
                lines.append(t("{mark} {answer}: {names}", mark=ANSWER_MARKS[answer], answer=t(ANSWER_LABELS[answer]),
                               names=_names(names)))
    lines.append("\n" + t.plural("<b>Not answered yet</b> ({n}): {names}", "<b>Not answered yet</b> ({n}): {names}",
                                 len(result.non_respondents),
                                 names=_names([member.name for member in result.non_respondents])))
    buttons: list[list[tuple[str, str]]] = []
    if poll.meeting_id is not None:
        lines.append(t("Meeting #{id} was created from this poll.", id=poll.meeting_id))
    elif winner is None:
        lines.append(t("No one can attend any time yet."))
    else:
        number = result.slots.index(winner) + 1
        lines.append(t("Leading: time {n}.", n=number))
        if poll.closed_at is not None:
            buttons.append([(t("📅 Create the meeting at time {n}", n=number), f"poll:meet:{poll.id}")])
    if poll.closed_at is None:
        buttons.append([(t("🔄 Refresh"), f"poll:view:{poll.id}"), (t("🔒 Close the poll"), f"poll:close:{poll.id}")])
    return "\n".join(lines), buttons


async def _poll_from_args(env: Env, usage: str) -> AvailabilityPoll | None:
    t = env.t
    poll_id = parse_id(env.args[0]) if len(env.args) == 1 else None
    if poll_id is None:
        env.reply(t(usage))
        return None
    poll = await polls.get_poll(env.session, poll_id)
    if poll is None:
        env.reply(t("There is no poll #{id}.", id=poll_id))
    return poll


@command(access="secretariat")
async def poll_command(env: Env) -> None:
    t = env.t
    if not env.args:
        recent = await polls.recent_polls(env.session)
        if not recent:
            env.reply(t("There is no availability poll yet: /findslot proposes times and opens one."))
            return
        lines = [t("<b>Availability polls</b>")]
        for poll in recent:
            if polls.is_open(poll, env.now):
                lines.append(t("#{id} {title} (open): /poll {id}", id=poll.id, title=poll.title))
            else:
                lines.append(t("#{id} {title} (closed): /poll {id}", id=poll.id, title=poll.title))
        env.reply("\n".join(lines))
        return
    poll = await _poll_from_args(env, N_("Usage: /poll &lt;number&gt;, for example /poll 3."))
    if poll is not None:
        env.reply(*await _poll_view(env, poll))


async def _close(env: Env, poll: AvailabilityPoll) -> Safe | None:
    """Close the poll; a note when it already was."""
    if await polls.close_poll(env.session, poll, env.now) is polls.CloseOutcome.ALREADY_CLOSED:
        return env.t("Poll #{id} was already closed.", id=poll.id)
    return None


@command(access="chair")
async def closepoll(env: Env) -> None:
    poll = await _poll_from_args(env, N_("Usage: /closepoll &lt;number&gt;, for example /closepoll 3."))
    if poll is None:
        return
    note = await _close(env, poll)
    text, buttons = await _poll_view(env, poll)
    env.reply(f"{note}\n\n{text}" if note else text, buttons)


async def _poll_of_button(env: Env, action: str) -> AvailabilityPoll | None:
    """The poll a ``poll:ACTION:ID`` button names, or None after answering the tap as expired."""
    parts = callback_args(env.data, "poll", 2)
    ints = callback_ints(f"p:{parts[1]}", "p", 1) if parts is not None and parts[0] == action else None
    poll = await polls.get_poll(env.session, ints[0]) if ints else None
    if poll is None:
        env.toast = env.t(BUTTON_EXPIRED)
    return poll


@button(access="secretariat")
async def poll_view(env: Env) -> None:
    poll = await _poll_of_button(env, "view")
    if poll is None:
        return
    env.edit(*await _poll_view(env, poll))


@button(access="chair")
async def poll_close(env: Env) -> None:
    poll = await _poll_of_button(env, "close")
    if poll is None:
        return
    note = await _close(env, poll)
    env.toast = note or env.t("Poll closed.")
    env.edit(*await _poll_view(env, poll))


@button(access="chair")
async def poll_meet(env: Env) -> None:
    t = env.t
    poll = await _poll_of_button(env, "meet")
    if poll is None:
        return
    if poll.meeting_id is not None:
        env.toast = t("Meeting #{id} was already created from this poll.", id=poll.meeting_id)
        return
    if poll.closed_at is None:
        env.toast = t("Close the poll first.")
        return
    winner = (await polls.tally(env.session, poll)).winner
    if winner is None:
        env.toast = t("No one can attend any time yet.")
        return
    if winner.slot.starts_at <= env.now:
        env.toast = t("That time has passed.")
        return
    meeting = await _schedule(env, poll.title, winner.slot.starts_at, poll.duration_minutes)
    if meeting is None:
        return
    await polls.attach_meeting(env.session, poll, meeting, env.now)
    env.edit(*await _poll_view(env, poll))
    env.reply(_created_text(env, meeting))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("poll", poll_command))
    application.add_handler(CommandHandler("closepoll", closepoll))
    application.add_handler(CallbackQueryHandler(slot_pick, pattern=r"^slot:(choose|pick):"))
    application.add_handler(CallbackQueryHandler(slot_open, pattern=r"^slot:open:"))
    application.add_handler(CallbackQueryHandler(poll_answer, pattern=r"^poll:a:"))
    application.add_handler(CallbackQueryHandler(poll_view, pattern=r"^poll:view:"))
    application.add_handler(CallbackQueryHandler(poll_close, pattern=r"^poll:close:"))
    application.add_handler(CallbackQueryHandler(poll_meet, pattern=r"^poll:meet:"))
