"""Finding a fair meeting time and asking the members: /findslot, /poll, /closepoll.

``/findslot <minutes> [from YYYY-MM-DD] [days]`` ranks starts with :func:`bot.domain.fair_slots.find_slots`
(rotation from the meetings already held) and shows the best non-overlapping ones, each with
every continental network's local times and the reason of its rank, plus a PNG chart.

A slot's "Schedule" button opens the guided /newmeeting (:mod:`handlers.planning`) at its title
(the usual title in the group's language offered), then confirms before anyone is told. A poll's
winner becomes a meeting with the poll's title at the chair's tap; both go through
``handlers.shared.announcing``, which tells everyone.

An availability poll offers the chosen times; every member gets them in their own zone with
yes / if need be / no buttons, and may change answers until the poll closes. The chair follows
the answers with ``/poll <id>``, closes it (``/closepoll <id>`` or a button) and creates the
meeting from the winner with one tap.

Callback data (never trusted, rights re-checked): starts are quarter-hour indexes since the
epoch (UTC minutes / 15), so five fit in a button.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from math import ceil
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import polls
from bot.domain import fair_slots as slots
from bot.i18n.translation import N_, Safe, Translator, escape
from bot.input.numbers import parse_id, parse_number
from bot.domain.names import fold
from bot.domain.slot_chart import render_slot_chart
from bot.domain.labels import network_label
from bot.input.callbacks import callback_args, callback_ints, quarter_of, read_quarter
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command
from bot.services.reach import roster_reach
from handlers.shared.announcing import create_and_announce, start_taken
from handlers.shared.meeting_text import DEFAULT_TITLE
from handlers.shared.reach_text import fanout_text
from storage.models import AvailabilityPoll, Meeting, Member, PollSlot

COMMANDS = [
    CommandSpec("findslot", N_("Fair meeting times for everyone: /findslot 90 [2026-12-01] [7]"),
                access="secretariat"),
    CommandSpec("poll", N_("Answers to an availability poll: /poll 3"), access="secretariat"),
    CommandSpec("closepoll", N_("Close an availability poll: /closepoll 3"), access="chair"),
]

SHOWN = 5  # candidates listed, offered as buttons and outlined in the chart
STEP_MINUTES = 30
DEFAULT_DAYS = 7
MAX_DAYS_AHEAD = 366
FROM_WORDS = {"from", "du", "dès", "des", "desde", "de", "del"}  # /findslot 90 du 2026-12-01
ANSWER_CODES = {"y": "yes", "m": "maybe", "n": "no"}
ANSWER_LABELS = {"yes": N_("I can"), "maybe": N_("if need be"), "no": N_("I cannot")}
ANSWER_MARKS = {"yes": "✅", "maybe": "🤔", "no": "❌"}
USAGE = N_("Usage: /findslot &lt;minutes&gt; [from YYYY-MM-DD] [days], for example /findslot 90 or "
           "/findslot 90 from 2026-12-01 5. Times are searched on weekdays, from tomorrow for "
           "{days} days unless you say otherwise.")


# --- quarter-hour indexes in callback data ---------------------------------------------

def _from_quarter(env: Env, text: str) -> datetime | None:
    return read_quarter(text, env.now)


def _duration(text: str) -> int | None:
    return parse_number(text, polls.MIN_DURATION, polls.MAX_DURATION)


# --- /findslot ---------------------------------------------------------------------------

def _parse_findslot(env: Env, today: date) -> tuple[int, date, int] | None:
    """(duration, first day, days), or None after telling the user what is wrong."""
    t = env.t
    words = [word for word in env.args if word.lower() not in FROM_WORDS]
    if not words or len(words) > 3:
        env.reply(t(USAGE, days=DEFAULT_DAYS))
        return None
    duration = _duration(words[0])
    if duration is None:
        env.reply(t("The duration is a number of minutes between {low} and {high}, for example "
                    "/findslot 90.", low=polls.MIN_DURATION, high=polls.MAX_DURATION))
        return None
    first, days = today + timedelta(days=1), DEFAULT_DAYS
    rest = words[1:]
    if rest and not (rest[0].isascii() and rest[0].isdecimal()):
        text = rest.pop(0)
        try:
            if len(text) != 10:
                raise ValueError
            first = date.fromisoformat(text)
        except ValueError:
            env.reply(t("“{text}” is not a date: write it as YYYY-MM-DD, for example {example}.",
                        text=text[:40], example=(today + timedelta(days=1)).isoformat()))
            return None
        if first < today:
            env.reply(t("That day has passed: choose today or a later day."))
            return None
        if first > today + timedelta(days=MAX_DAYS_AHEAD):
            env.reply(t("Choose a first day within the next year."))
            return None
    if rest:
        chosen = parse_number(rest.pop(0), polls.MIN_DAYS, polls.MAX_DAYS)
        if chosen is None:
            env.reply(t("The number of days must be between {low} and {high}.",
                        low=polls.MIN_DAYS, high=polls.MAX_DAYS))
            return None
        days = chosen
    if rest:
        env.reply(t(USAGE, days=DEFAULT_DAYS))
        return None
    return duration, first, days


def _reason(t: Translator, reason: slots.ScoreReason) -> Safe:
    worst_time = f"{reason.worst_local_start:%H:%M}" if reason.worst_local_start else ""
    if reason.verdict is slots.Verdict.PARTIAL:
        return t("Without {names}, who cannot attend at that time.", names=", ".join(reason.missing_required))
    if reason.verdict is slots.Verdict.NIGHT and reason.worst_member:
        return t.plural("At night (23:00–06:00) for {n} member; hardest for {name} ({time} local time).",
                        "At night (23:00–06:00) for {n} members; hardest for {name} ({time} local time).",
                        reason.at_night, name=reason.worst_member, time=worst_time)
    if reason.verdict is slots.Verdict.OUTSIDE_HOURS and reason.worst_member:
        return t.plural("Outside the working hours of {n} member; hardest for {name} ({time} local time).",
                        "Outside the working hours of {n} members; hardest for {name} ({time} local time).",
                        reason.outside_hours, name=reason.worst_member, time=worst_time)
    return t("Within everyone's working hours.")


def _member_time(slot: slots.MemberSlot, reader_day: date) -> str:
    mark = ("✖" if not slot.available else "🌙" if slot.at_night
            else "" if slot.within_working_hours else "⚠")
    shift = (slot.local_start.date() - reader_day).days
    day = f" ({shift:+d})" if shift else ""
    return f"{escape(slot.name)} {slot.local_start:%H:%M}{day}{mark and ' ' + mark}"


def _candidate_lines(t: Translator, rank: int, candidate: slots.SlotCandidate, zone: str,
                     networks: dict[str, str | None]) -> list[str]:
    reader_day = candidate.start_utc.astimezone(ZoneInfo(zone)).date()
    lines = [f"\n<b>{rank}. {escape(t.datetime(candidate.start_utc, zone))}</b>", _reason(t, candidate.reason)]
    grouped: dict[str, list[slots.MemberSlot]] = defaultdict(list)
    for slot in candidate.members:
        grouped[network_label(t, networks.get(slot.name))].append(slot)
    for label in sorted(grouped):
        times = " · ".join(_member_time(slot, reader_day) for slot in grouped[label])
        lines.append(f"• <b>{label}</b>: {times}")
    return lines


def _chart(shown: list[slots.SlotCandidate]) -> bytes:
    """Every shown candidate in one picture when they fit in two days, else the best one's day.
    No title: the chart's font lacks accented letters, so the translated words go in the caption."""
    first = min(candidate.start_utc for candidate in shown)
    last = max(candidate.end_utc for candidate in shown)
    span = ceil((last - first) / timedelta(hours=1)) + 2
    if span <= 48:
        hours = max(24, span)
        start = (first + (last - first) / 2 - timedelta(hours=hours / 2)).replace(minute=0, second=0,
                                                                                  microsecond=0)
        return render_slot_chart(shown, hours=hours, start=start)
    return render_slot_chart(shown)


def _selection_data(action: str, duration: int, mask: int, quarters: list[int]) -> str:
    return f"slot:{action}:{duration}:{mask}:{'.'.join(map(str, quarters))}"


@command(access="secretariat")
async def findslot(env: Env) -> None:
    t = env.t
    committee_zone = env.committee.timezone
    today = env.now.astimezone(ZoneInfo(committee_zone)).date()
    parsed = _parse_findslot(env, today)
    if parsed is None:
        return
    duration, first, days = parsed
    default_hours = slots.WorkingHours.parse(env.settings.meetings.working_hours)
    roster = await polls.slot_roster(env.session, committee_zone, default_hours)
    if not roster:
        env.reply(t("The roster is empty: import it first."))
        return
    roster.sort(key=lambda pair: (network_label(t, pair[0].network), fold(pair[0].name)))
    networks = {member.name: member.network for member, _ in roster}
    history = await polls.meeting_history(env.session, env.now)
    query = slots.SlotQuery(first, days, duration, committee_zone=committee_zone, step_minutes=STEP_MINUTES,
                            default_hours=default_hours, limit=300)
    search = slots.find_slots([view for _, view in roster], query, history)
    shown = polls.spread(search.best, SHOWN, env.now)
    zone = env.zone_of(env.member)
    last_day = first + timedelta(days=days - 1)
    lines = [t("<b>Times for a {minutes}-minute meeting</b>, {first} to {last}, in your time zone ({zone}).",
               minutes=duration, first=t.date(first), last=t.date(last_day), zone=t.place(zone))]
    if not shown:
        lines.append(t("No time in this window lets enough members attend. Try more days or a shorter "
                       "meeting."))
        if search.unaccommodated:
            lines.append(t("Cannot attend at any time in this window: {names}.",
                           names=", ".join(search.unaccommodated)))
        env.reply("\n".join(lines), personal=True)
        return
    if not search.candidates:
        lines.append(t("<b>No time suits everyone.</b> The best partial times, each saying who would miss it:"))
        if search.unaccommodated:
            lines.append(t("Cannot attend at any time in this window: {names}.",
                           names=", ".join(search.unaccommodated)))
    for rank, candidate in enumerate(shown, start=1):
        lines += _candidate_lines(t, rank, candidate, zone, networks)
    lines.append("\n" + t("⚠ outside working hours · 🌙 at night · ✖ cannot attend · (+1) the day after "
                          "yours, (-1) the day before"))
    quarters = [quarter_of(candidate.start_utc) for candidate in shown]
    buttons = [[(t("📅 Schedule {n}", n=rank), f"nm:slot:{duration}:{quarter}")
                for rank, quarter in enumerate(quarters[row:row + 3], start=row + 1)]
               for row in range(0, len(quarters), 3)]
    buttons.append([(t("🗳 Availability poll…"), _selection_data("choose", duration, (1 << len(shown)) - 1,
                                                                 quarters))])
    env.reply("\n".join(lines), buttons, personal=True)
    env.reply_document("slots.png", _chart(shown),
                       caption=t("Each member's local hours: green within working hours, yellow outside "
                                 "them, dark at night; the numbered frames are the times above."),
                       personal=True)


# --- meetings from a slot ----------------------------------------------------------------

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
    duration, mask = _duration(parts[1]), parse_number(parts[2], 0, (1 << SHOWN) - 1)
    quarters_text = parts[3].split(".")
    if duration is None or mask is None or not 1 <= len(quarters_text) <= SHOWN or mask >= 1 << len(quarters_text):
        return None
    starts = [_from_quarter(env, text) for text in quarters_text]
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
        buttons.append([(label, _selection_data("pick", duration, mask ^ (1 << index), quarters))])
    count = bin(mask).count("1")
    buttons.append([(t.plural("🗳 Open the poll ({n} time)", "🗳 Open the poll ({n} times)", count),
                     _selection_data("open", duration, mask, quarters))])
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
        await env.tell(member, text, buttons, ref=("poll", poll.id))
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


def _poll_button(env: Env, action: str) -> int | None:
    parts = callback_args(env.data, "poll", 2)
    if parts is None or parts[0] != action:
        return None
    ints = callback_ints(f"p:{parts[1]}", "p", 1)
    return ints[0] if ints else None


@button(access="secretariat")
async def poll_view(env: Env) -> None:
    poll_id = _poll_button(env, "view")
    poll = await polls.get_poll(env.session, poll_id) if poll_id is not None else None
    if poll is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    env.edit(*await _poll_view(env, poll))


@button(access="chair")
async def poll_close(env: Env) -> None:
    poll_id = _poll_button(env, "close")
    poll = await polls.get_poll(env.session, poll_id) if poll_id is not None else None
    if poll is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    note = await _close(env, poll)
    env.toast = note or env.t("Poll closed.")
    env.edit(*await _poll_view(env, poll))


@button(access="chair")
async def poll_meet(env: Env) -> None:
    t = env.t
    poll_id = _poll_button(env, "meet")
    poll = await polls.get_poll(env.session, poll_id) if poll_id is not None else None
    if poll is None:
        env.toast = t(BUTTON_EXPIRED)
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
    application.add_handler(CommandHandler("findslot", findslot))
    application.add_handler(CommandHandler("poll", poll_command))
    application.add_handler(CommandHandler("closepoll", closepoll))
    application.add_handler(CallbackQueryHandler(slot_pick, pattern=r"^slot:(choose|pick):"))
    application.add_handler(CallbackQueryHandler(slot_open, pattern=r"^slot:open:"))
    application.add_handler(CallbackQueryHandler(poll_answer, pattern=r"^poll:a:"))
    application.add_handler(CallbackQueryHandler(poll_view, pattern=r"^poll:view:"))
    application.add_handler(CallbackQueryHandler(poll_close, pattern=r"^poll:close:"))
    application.add_handler(CallbackQueryHandler(poll_meet, pattern=r"^poll:meet:"))
