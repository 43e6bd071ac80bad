"""Meetings across time zones: /newmeeting (typed or guided), /meetings, /meeting, /reschedule,
/cancelmeeting, /meetinglink, /recur, /rsvp (and its buttons), /ics.

Every change is made by :mod:`bot.services.meetings` (which audits it and re-plans reminders); this
module reads what users type and tells everyone, each in their language and time zone.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from storage import conversation_state
from bot.services import meetings as service
from bot.services import members, standing_items
from bot.i18n.translation import N_, Safe, Translator, utc_offset
from bot.input.numbers import parse_id
from bot.domain.meeting_time import (
    AmbiguousLocalTime,
    DurationOutOfRange,
    MalformedDateTime,
    MalformedDuration,
    MalformedWorkingHours,
    MeetingTimeError,
    NonexistentDate,
    PastDateTime,
    SkippedLocalTime,
    TooFarAhead,
    UnknownTimezone,
    parse_duration,
    parse_meeting_start,
    parse_working_hours,
    resolve_timezone,
    within_working_hours,
)
from bot.domain.names import fold
from bot.domain.night import at_night, weekend_for
from bot.domain.recurrence import Frequency, Recurrence, from_rrule, parse_recurrence
from bot.input.callbacks import callback_args
from handlers.common import BUTTON_EXPIRED, DIALOGUE_GROUP, CommandSpec, Env, button, command, dialogue_step
from handlers.shared.agenda_text import agenda_lines
from handlers.shared.hours_text import (
    WEEKEND_MARK, ask_to_create, ask_to_move, weekend_lines, who_at_night, who_on_weekend,
)
from handlers.shared.replies import (
    explain_refusal, in_group_languages, meeting_from_arg, meeting_or_next, title_or_reply,
)
from handlers.shared.reach_text import fanout_text
from storage.models import Meeting, Member

COMMANDS = [
    CommandSpec("meetings", N_("Upcoming meetings in your local time, with answers so far")),
    CommandSpec("meeting", N_("One meeting (the next one, or /meeting 12): details, agenda and everyone's local time")),
    CommandSpec("rsvp", N_("Say whether you will attend: /rsvp 12 yes|no|maybe")),
    CommandSpec("ics", N_("A calendar file (.ics) for the next meeting, or /ics 12 for another")),
    CommandSpec("newmeeting", N_("Plan a meeting: /newmeeting 2026-12-03 15:00 [Area/City] [minutes] title, "
                                 "or just /newmeeting to be guided"), access="secretariat"),
    CommandSpec("reschedule", N_("Move a meeting: /reschedule 12 2026-12-04 15:00 [Area/City]"),
                access="secretariat"),
    CommandSpec("cancelmeeting", N_("Cancel a meeting: /cancelmeeting 12"), access="secretariat"),
    CommandSpec("meetinglink", N_("Set a meeting's video link: /meetinglink 12 https://…"), access="secretariat"),
    CommandSpec("renamemeeting", N_("Rename a meeting: /renamemeeting 12 new title"), access="secretariat"),
]

ANSWERS = {"yes": N_("yes"), "no": N_("no"), "maybe": N_("maybe")}
ANSWER_MARKS = {"yes": "✅", "no": "❌", "maybe": "❔"}
_ANSWER_WORDS = {
    **dict.fromkeys(("yes", "y", "oui", "o", "si", "s"), "yes"),
    **dict.fromkeys(("no", "n", "non"), "no"),
    **dict.fromkeys(("maybe", "m", "peut etre", "peutetre", "pe", "quizas", "quiza", "tal vez", "talvez"), "maybe"),
}
ORDINALS = {1: N_("first"), 2: N_("second"), 3: N_("third"), 4: N_("fourth"), -1: N_("last")}
CREATED, MOVED, CANCELLED = "created", "moved", "cancelled"
MEETINGS_SHOWN = 15
FLOW = "newmeeting"  # the dialogue's kind in storage.conversation_state
FLOW_LIFETIME = timedelta(minutes=30)  # how long a guided /newmeeting waits for the next answer
DURATION_CHOICES = (60, 90, 120)



# --- reading what users type ------------------------------------------------------------------


def minutes_text(t: Translator, minutes: int) -> Safe:
    return t.plural("{n} minute", "{n} minutes", minutes)


def answer_word(text: str) -> str | None:
    return _ANSWER_WORDS.get(fold(text))


def _looks_like_zone(token: str) -> bool:
    import re

    return re.fullmatch(r"[A-Za-z][A-Za-z_]*(?:/[A-Za-z0-9_+\-]+)+", token) is not None or token.upper() in ("UTC", "GMT")


def _looks_like_duration(token: str) -> bool:
    """A token opening with a digit (any script, ² too) is a duration to check, never a title
    word: 99999999999999999999 is refused with the range, not folded into the title."""
    return token[:1].isdigit()


def zone_from_text(env: Env, text: str) -> str | None:
    """An IANA zone for ``text``, or None after telling the user (with suggestions)."""
    try:
        return resolve_timezone(text)
    except UnknownTimezone as unknown:
        if unknown.suggestions:
            env.reply(env.t("I do not know the time zone “{query}”. Did you mean {suggestions}?",
                            query=text[:60], suggestions=", ".join(unknown.suggestions)))
        else:
            env.reply(env.t("I do not know the time zone “{query}”. Use an IANA name such as "
                            "Europe/Brussels or Asia/Kathmandu.", query=text[:60]))
        return None


def time_error_text(t: Translator, error: MeetingTimeError, typed: str, zone: str) -> Safe:
    """A clear sentence for every way a typed meeting time can be wrong."""
    if isinstance(error, NonexistentDate):
        return t("The date {date} does not exist in the calendar. Nothing was changed.", date=typed.split()[0])
    if isinstance(error, SkippedLocalTime):
        return t("{time} on {date} does not exist in {zone}: that night the clocks jump from {start} "
                 "straight to {end}. Choose another time. Nothing was changed.",
                 time=f"{error.local:%H:%M}", date=t.date(error.local.date()), zone=t.place(zone),
                 start=f"{error.gap_start:%H:%M}", end=f"{error.gap_end:%H:%M}")
    if isinstance(error, AmbiguousLocalTime):
        return t("{time} on {date} happens twice in {zone}: the clocks go back that night, so it could "
                 "mean {first} or {second}. Choose another time, or give it in UTC (add UTC after the "
                 "time). Nothing was changed.",
                 time=f"{error.local:%H:%M}", date=t.date(error.local.date()), zone=t.place(zone),
                 first=f"{error.local:%H:%M} ({utc_offset(error.earlier_utc, zone)})",
                 second=f"{error.local:%H:%M} ({utc_offset(error.later_utc, zone)})")
    if isinstance(error, PastDateTime):
        return t("{when} is already past: a meeting can only be planned in the future. Nothing was changed.",
                 when=t.datetime(error.when_utc, zone))
    if isinstance(error, TooFarAhead):
        return t("That is too far ahead: a meeting can be planned up to {latest}. Nothing was changed.",
                 latest=t.date(error.latest_utc.astimezone(ZoneInfo(zone)).date()))
    if isinstance(error, (MalformedDuration, DurationOutOfRange)):
        return t(DURATION_BOUNDS, low=service.MIN_DURATION, high=service.MAX_DURATION)
    return t("I could not read “{text}” as a date and time. Write it as YYYY-MM-DD HH:MM, "
             "e.g. 2026-12-03 15:00. Nothing was changed.", text=typed[:40])


def read_start(env: Env, date_text: str, time_text: str, zone: str) -> datetime | None:
    typed = f"{date_text} {time_text}"
    try:
        return parse_meeting_start(typed, ZoneInfo(zone), now=env.now)
    except MeetingTimeError as error:
        env.reply(time_error_text(env.t, error, typed, zone))
        return None


# --- phrasing ---------------------------------------------------------------------------------


def describe_rule(t: Translator, rule: Recurrence, start_day: int) -> Safe:
    if rule.frequency is Frequency.WEEKLY:
        return t.plural("every week", "every {n} weeks", rule.interval)
    if rule.ordinal is not None and rule.weekday is not None:
        weekday = t.locale.days["format"]["wide"][rule.weekday]
        return t.plural("every month on the {ordinal} {weekday}", "every {n} months on the {ordinal} {weekday}",
                        rule.interval, ordinal=t(ORDINALS[rule.ordinal]), weekday=weekday)
    return t.plural("every month on day {day}", "every {n} months on day {day}", rule.interval, day=start_day)


async def series_text(env: Env, t: Translator, meeting: Meeting) -> Safe | None:
    head = await service.series_head(env.session, meeting)
    if head is None or not head.recurrence:
        return None
    originals = await service.original_starts(env.session, [head, meeting])
    local = originals[head.id].astimezone(ZoneInfo(head.timezone))
    rule = from_rrule(head.recurrence)
    text = t("{rule}, at {time} {zone} time", rule=describe_rule(t, rule, local.day),
             time=f"{local:%H:%M}", zone=t.place(head.timezone))
    if rule.until is not None:
        text = t("{rule}, the last one on {date}", rule=text, date=t.date(rule.until.astimezone(ZoneInfo(head.timezone)).date()))
    if meeting.id != head.id and meeting.starts_at != originals[meeting.id]:
        return t("{rule}; this one was moved from {when}", rule=text,
                 when=t.datetime(originals[meeting.id], head.timezone))
    return text


def meeting_lines(t: Translator, meeting: Meeting, zone: str, repeats: Safe | None = None) -> list[str]:
    lines = [t("When: {when}", when=t.datetime(meeting.starts_at, zone)),
             t("Duration: {duration}", duration=minutes_text(t, meeting.duration_minutes))]
    if repeats:
        lines.append(t("Repeats: {rule}", rule=repeats))
    if meeting.link:
        lines.append(t("Video link: {link}", link=meeting.link))
    return lines


def rsvp_buttons(t: Translator, meeting_id: int) -> list[list[tuple[str, str]]]:
    return [[(f"{ANSWER_MARKS[a]} {t(ANSWERS[a])}", f"rsvp:{meeting_id}:{a}") for a in ANSWERS]]


def _headline(t: Translator, meeting: Meeting, kind: str) -> Safe:
    if kind == CREATED:
        return t("📅 <b>New meeting #{id}: {title}</b>", id=meeting.id, title=meeting.title)
    if kind == MOVED:
        return t("🔁 <b>Meeting #{id} has moved: {title}</b>", id=meeting.id, title=meeting.title)
    return t("❌ <b>Meeting #{id} is cancelled: {title}</b>", id=meeting.id, title=meeting.title)


def notice_text(t: Translator, meeting: Meeting, kind: str, zone: str, previous: datetime | None,
                repeats: Safe | None, group: bool = False) -> str:
    lines = [_headline(t, meeting, kind)]
    if kind == CANCELLED:
        lines.append(t("It was planned for {when}.", when=t.datetime(meeting.starts_at, zone)))
        return "\n".join(lines)
    lines += meeting_lines(t, meeting, zone, repeats)
    if kind == MOVED and previous is not None:
        lines.append(t("Previously: {when}", when=t.datetime(previous, zone)))
    if group:
        lines.append(t("UTC: {time}. Members linked to the bot get the time in their own zone privately; "
                       "/meeting {id} shows everyone's local time.",
                       time=t.time(meeting.starts_at, "UTC"), id=meeting.id))
    else:
        lines.append(t("Will you attend? Answer with the buttons, or with /rsvp {id} yes, no or maybe.",
                       id=meeting.id))
    return "\n".join(lines)


async def announce(env: Env, meeting: Meeting, kind: str, previous: datetime | None = None) -> None:
    """Tell the group (its language, the meeting's zone) and every active member privately
    (their language and zone), with RSVP buttons unless the meeting is cancelled."""
    posts = [(notice_text(g, meeting, kind, meeting.timezone, previous, await series_text(env, g, meeting),
                          group=True), None) for g in env.group_translators()]
    await env.tell_group(*in_group_languages(posts), ref=("meeting", meeting.id))
    for member in await members.active_members(env.session):
        t = env.translator_for(member)
        text = notice_text(t, meeting, kind, env.zone_of(member), previous, await series_text(env, t, meeting))
        await env.tell(member, text, rsvp_buttons(t, meeting.id) if kind != CANCELLED else None,
                       ref=("meeting", meeting.id))


async def create_and_announce(env: Env, *, title: str, starts_at: datetime, zone: str, duration_minutes: int,
                              recurrence: Recurrence | str | None = None) -> Meeting:
    """Create a meeting (a series when ``recurrence`` is given, a Recurrence or a rule typed in
    en/fr/es), plan its reminders, add the action-item review, and tell everyone.

    ``starts_at`` must be aware and in the future. Raises :class:`bot.services.meetings.MeetingError`
    (title, duration), :class:`bot.domain.recurrence.UnknownRecurrence` or ``StartNotOnRule``;
    nothing is kept then, as the handler frame rolls back."""
    offsets = env.settings.reminders.meeting_offsets
    rule = parse_recurrence(recurrence) if isinstance(recurrence, str) else recurrence
    night = await who_at_night(env, starts_at, duration_minutes) if rule is None else []
    meeting = await service.create_meeting(env.session, title=title, starts_at=starts_at, zone=zone,
                                           duration_minutes=duration_minutes, by=env.member, now=env.now,
                                           offsets=offsets, draft=bool(night))
    if night:
        ask_to_create(env, meeting, night)
        return meeting
    if rule is not None:
        await service.make_recurring(env.session, meeting, rule, by=env.member, now=env.now, offsets=offsets)
    await standing_items.ensure_standing_items(env.session, meeting, env.now)
    await announce(env, meeting, CREATED)
    return meeting


def told_text(env: Env, meeting: Meeting) -> Safe:
    """Who this update's notices about ``meeting`` can reach (never more than the outbox knows)."""
    return fanout_text(env.t, env.reach(), group=bool(env.committee.group_chat_id), meeting_id=meeting.id)


async def created_text(env: Env, meeting: Meeting) -> Safe:
    """The chair's answer once a meeting is created: when, who was told, and whose weekend it is."""
    if meeting.status == service.DRAFT:
        return env.t("Meeting #{id} is a draft until you answer the question about night hours.", id=meeting.id)
    weekend = await who_on_weekend(env, meeting.starts_at, meeting.duration_minutes)
    return Safe("\n".join([env.t("Meeting #{id} created: <b>{title}</b>, {when}.", id=meeting.id, title=meeting.title,
                                  when=env.t.datetime(meeting.starts_at, env.zone_of(env.member))),
                            told_text(env, meeting), *weekend_lines(env.t, env, meeting, weekend)]))


# --- /newmeeting ------------------------------------------------------------------------------


DURATION_BOUNDS = N_("A meeting lasts between {low} and {high} minutes.")
NEWMEETING_USAGE = N_("Usage: /newmeeting YYYY-MM-DD HH:MM [Area/City] [minutes] title, e.g. "
                      "/newmeeting 2026-12-03 15:00 Europe/Brussels 90 Steering committee. "
                      "The time is read in your own zone unless you name one. Send /newmeeting alone "
                      "to be guided.")


@command(access="secretariat")
async def newmeeting(env: Env) -> None:
    body = env.rest()
    if body is None:
        return
    if not body:
        if env.in_group:
            env.reply(env.t(NEWMEETING_USAGE))
            return
        await _start_flow(env)
        return
    args = body.split()
    if len(args) < 3:
        env.reply(env.t(NEWMEETING_USAGE))
        return
    date_text, time_text, rest = args[0], args[1], args[2:]
    zone = env.zone_of(env.member)
    if rest and _looks_like_zone(rest[0]):
        found = zone_from_text(env, rest[0])
        if found is None:
            return
        zone, rest = found, rest[1:]
    minutes = service.DEFAULT_DURATION
    if rest and _looks_like_duration(rest[0]):
        try:
            minutes = int(parse_duration(rest[0]).total_seconds() // 60)
        except MeetingTimeError as error:
            env.reply(time_error_text(env.t, error, rest[0], zone))
            return
        rest = rest[1:]
    starts_at = read_start(env, date_text, time_text, zone)
    if starts_at is None:
        return
    title = title_or_reply(env, " ".join(rest))
    if title is None:
        return
    meeting = await create_and_announce(env, title=title, starts_at=starts_at, zone=zone, duration_minutes=minutes)
    if meeting.status != service.DRAFT:
        env.reply(await created_text(env, meeting))


@dataclass
class _Flow:
    """A guided /newmeeting in progress, kept in the database (storage.conversation_state)."""

    step: str = "title"
    title: str = ""
    zone: str = ""
    starts_at: datetime | None = None
    minutes: int = service.DEFAULT_DURATION


async def _current_flow(env: Env) -> _Flow | None:
    assert env.sender is not None
    data = await conversation_state.dialogue(env.session, env.chat_id, env.sender.user_id, FLOW, env.now)
    if data is None:
        return None
    starts_at = data.pop("starts_at", None)
    return _Flow(**data, starts_at=datetime.fromisoformat(starts_at) if starts_at else None)


async def _keep_flow(env: Env, flow: _Flow) -> None:
    """Save the step reached, in this update's transaction (a failed step is not saved)."""
    assert env.sender is not None
    data = {**asdict(flow), "starts_at": flow.starts_at.isoformat() if flow.starts_at else None}
    await conversation_state.keep_dialogue(env.session, env.chat_id, env.sender.user_id, FLOW, data,
                                           env.now, FLOW_LIFETIME)


async def _end_flow(env: Env) -> None:
    assert env.sender is not None
    await conversation_state.end_dialogue(env.session, env.chat_id, env.sender.user_id)


def _cancel_row(t: Translator) -> list[tuple[str, str]]:
    return [(t("Cancel"), "nm:cancel")]


async def _start_flow(env: Env) -> None:
    await _keep_flow(env, _Flow())
    env.reply(env.t("Let us plan a meeting. What is its title?"), [_cancel_row(env.t)])


def _ask_zone(env: Env) -> None:
    own, committee = env.zone_of(env.member), env.committee.timezone
    rows = [[(env.t("My zone: {zone}", zone=env.t.place(own)), "nm:zone:me")]]
    if committee != own:
        rows.append([(env.t("Committee: {zone}", zone=env.t.place(committee)), "nm:zone:committee")])
    env.reply(env.t("In which time zone will you give the date and time? Tap one, or type another zone "
                    "(e.g. Asia/Jakarta)."), [*rows, _cancel_row(env.t)])


def _ask_start(env: Env, flow: _Flow) -> Safe:
    return env.t("When does it start, in {zone}? Send the date and time as YYYY-MM-DD HH:MM, e.g. "
                 "2026-12-03 15:00.", zone=env.t.zone_setting(flow.zone))


def _ask_duration(env: Env) -> None:
    env.reply(env.t("How long will it last? Tap a duration or type the number of minutes."),
              [[(str(minutes_text(env.t, m)), f"nm:dur:{m}") for m in DURATION_CHOICES], _cancel_row(env.t)])


def _confirm(env: Env, flow: _Flow) -> None:
    assert flow.starts_at is not None
    flow.step = "confirm"
    lines = [env.t("<b>{title}</b>", title=flow.title),
             env.t("When: {when}", when=env.t.datetime(flow.starts_at, flow.zone)),
             env.t("Duration: {duration}", duration=minutes_text(env.t, flow.minutes)),
             env.t("Create this meeting and tell everyone?")]
    env.reply("\n".join(lines), [[(env.t("Create"), "nm:ok")], _cancel_row(env.t)])


@command(access="secretariat")
async def newmeeting_answer(env: Env) -> None:
    """A text reply during a guided /newmeeting."""
    flow = await _current_flow(env)
    if flow is None:
        return
    await _step(env, flow)
    await _keep_flow(env, flow)


async def _step(env: Env, flow: _Flow) -> None:
    text = env.text.strip()
    if flow.step == "title":
        title = title_or_reply(env, text)
        if title is not None:
            flow.title, flow.step = title, "zone"
            _ask_zone(env)
    elif flow.step == "zone":
        zone = zone_from_text(env, text[:100])
        if zone is not None:
            flow.zone, flow.step = zone, "start"
            env.reply(_ask_start(env, flow), [_cancel_row(env.t)])
    elif flow.step == "start":
        parts = text.split()
        starts_at = read_start(env, parts[0], parts[1], flow.zone) if len(parts) == 2 else None
        if len(parts) != 2:
            env.reply(time_error_text(env.t, MalformedDateTime(text), text, flow.zone))
        if starts_at is not None:
            flow.starts_at, flow.step = starts_at, "duration"
            _ask_duration(env)
    elif flow.step == "duration":
        try:
            flow.minutes = service.check_duration(int(parse_duration(text).total_seconds() // 60))
        except (MeetingTimeError, service.BadDuration):
            env.reply(env.t(DURATION_BOUNDS, low=service.MIN_DURATION, high=service.MAX_DURATION))
            return
        _confirm(env, flow)
    else:
        env.reply(env.t("Tap Create or Cancel above."))


@button(access="secretariat")
async def newmeeting_button(env: Env) -> None:
    flow = await _current_flow(env)
    parts = env.data.split(":")
    if flow is None or len(env.data) > 64 or parts[0] != "nm" or len(parts) < 2:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    action = parts[1:]
    if action == ["cancel"]:
        await _end_flow(env)
        env.edit(env.t("Planning cancelled: nothing was created."))
    elif flow.step == "zone" and action in (["zone", "me"], ["zone", "committee"]):
        flow.zone = env.zone_of(env.member) if action[1] == "me" else env.committee.timezone
        flow.step = "start"
        await _keep_flow(env, flow)
        env.edit(_ask_start(env, flow), [_cancel_row(env.t)])
    elif flow.step == "duration" and len(action) == 2 and action[0] == "dur" and action[1] in map(str, DURATION_CHOICES):
        flow.minutes = int(action[1])
        _confirm(env, flow)
        await _keep_flow(env, flow)
    elif flow.step == "confirm" and action == ["ok"]:
        await _end_flow(env)
        assert flow.starts_at is not None
        if flow.starts_at <= env.now:
            env.edit(time_error_text(env.t, PastDateTime(flow.starts_at, env.now), "", flow.zone))
            return
        meeting = await create_and_announce(env, title=flow.title, starts_at=flow.starts_at, zone=flow.zone,
                                            duration_minutes=flow.minutes)
        env.edit(await created_text(env, meeting))
    else:
        env.toast = env.t(BUTTON_EXPIRED)


# --- /meetings, /meeting ----------------------------------------------------------------------


def answers_text(t: Translator, counts) -> Safe:  # type: ignore[no-untyped-def]
    return t("✅ {yes} · ❔ {maybe} · ❌ {no}", yes=counts.get("yes", 0), maybe=counts.get("maybe", 0),
             no=counts.get("no", 0))


@command()
async def meetings_command(env: Env) -> None:
    await service.extend_all_series(env.session, now=env.now, offsets=env.settings.reminders.meeting_offsets)
    found = await service.upcoming(env.session, env.now, MEETINGS_SHOWN)
    t, zone = env.t, env.zone_of(env.member)
    if not found:
        env.reply(t("No meeting is planned. The chair or the secretariat can plan one with /newmeeting."))
        return
    counts = await service.rsvp_counts(env.session, [m.id for m in found])
    lines = [t("<b>Upcoming meetings</b> (times in {zone})", zone=t.place(zone))]
    for meeting in found:
        repeat = " 🔁" if meeting.series_id is not None else ""
        lines.append("")
        lines.append(t("<b>#{id} {title}</b>", id=meeting.id, title=meeting.title) + repeat)
        lines.append(t("{when} · {duration} · {answers}", when=t.datetime(meeting.starts_at, zone),
                       duration=minutes_text(t, meeting.duration_minutes), answers=answers_text(t, counts[meeting.id])))
    lines.append("")
    lines.append(t("Details and everyone's local time: /meeting &lt;number&gt;"))
    env.reply("\n".join(lines))


def working_hours_of(env: Env, member: Member):  # type: ignore[no-untyped-def]
    for text in (member.working_hours, env.settings.meetings.working_hours):
        if text:
            try:
                return parse_working_hours(text)
            except MalformedWorkingHours:
                continue
    return parse_working_hours("08:00-20:00")


async def world_table(env: Env, meeting: Meeting) -> list[str]:
    """Everyone's local time for the meeting, a warning mark outside their working hours."""
    from datetime import timedelta

    t = env.t
    answers = await service.rsvps(env.session, meeting)
    roster = await members.active_members(env.session)
    duration = timedelta(minutes=meeting.duration_minutes)

    def offset(member: Member) -> float:
        value = meeting.starts_at.astimezone(ZoneInfo(env.zone_of(member))).utcoffset()
        return value.total_seconds() if value else 0.0

    weekend = {person.id for person, _day in weekend_for(meeting.starts_at, meeting.duration_minutes,
                                                         [(m, env.zone_of(m)) for m in roster])}
    lines, outside = [], 0
    for person in sorted(roster, key=lambda m: (offset(m), m.name)):
        zone = env.zone_of(person)
        ok = within_working_hours(meeting.starts_at, duration, working_hours_of(env, person), ZoneInfo(zone))
        outside += not ok
        mark = ANSWER_MARKS.get(answers.get(person.id, ""), "·")
        late = " 🌙" if at_night(meeting.starts_at, meeting.duration_minutes, zone) else " ⚠️"
        lines.append(t("{mark} {name} ({zone}): {time}", mark=mark, name=person.name, zone=t.place(zone),
                       time=t.short_datetime(meeting.starts_at, zone)) + ("" if ok else late)
                     + (f" {WEEKEND_MARK}" if person.id in weekend else ""))
    if outside:
        lines.append(t.plural("⚠️ {n} member outside their working hours", "⚠️ {n} members outside their working hours",
                              outside))
    if weekend:
        lines.append(t.plural("📅 {n} member on their Saturday or Sunday", "📅 {n} members on their Saturday or Sunday",
                              len(weekend)))
    return lines


@command()
async def meeting_command(env: Env) -> None:
    meeting = await meeting_or_next(env)
    if meeting is None:
        return
    await service.extend_all_series(env.session, now=env.now, offsets=env.settings.reminders.meeting_offsets)
    await standing_items.ensure_standing_items(env.session, meeting, env.now)
    t, zone = env.t, env.zone_of(env.member)
    lines = [t("<b>#{id} {title}</b>", id=meeting.id, title=meeting.title)]
    if meeting.status == "cancelled":
        lines.append(t("❌ This meeting was cancelled."))
    lines += meeting_lines(t, meeting, zone, await series_text(env, t, meeting))
    if meeting.timezone != zone:
        lines.append(t("Planned in {zone}: {time}", zone=t.place(meeting.timezone), time=t.time(meeting.starts_at, meeting.timezone)))
    counts = (await service.rsvp_counts(env.session, [meeting.id]))[meeting.id]
    lines.append(t("Answers: {answers}", answers=answers_text(t, counts)))
    lines += ["", t("<b>Agenda</b>")]
    lines += await agenda_lines(env, meeting, zone)
    lines += ["", t("<b>Local time of every member</b>")]
    lines += await world_table(env, meeting)
    buttons = rsvp_buttons(t, meeting.id) if meeting.status == "scheduled" and service.ends_at(meeting) > env.now else None
    env.reply("\n".join(lines), buttons)


# --- changes --------------------------------------------------------------------------------


@command(access="secretariat")
async def reschedule(env: Env) -> None:
    if len(env.args) < 3 or len(env.args) > 4:
        env.reply(env.t("Usage: /reschedule &lt;meeting number&gt; YYYY-MM-DD HH:MM [Area/City]"))
        return
    meeting = await meeting_from_arg(env, env.args[0])
    if meeting is None:
        return
    zone = env.zone_of(env.member)
    if len(env.args) == 4:
        found = zone_from_text(env, env.args[3][:100])
        if found is None:
            return
        zone = found
    starts_at = read_start(env, env.args[1], env.args[2], zone)
    if starts_at is None:
        return
    night = await who_at_night(env, starts_at, meeting.duration_minutes)
    if night and meeting.status == "scheduled":
        ask_to_move(env, meeting, starts_at, night)
        return
    try:
        previous = await service.reschedule(env.session, meeting, starts_at, by=env.member, now=env.now,
                                            offsets=env.settings.reminders.meeting_offsets,
                                            zone=zone if len(env.args) == 4 else None)
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    await announce(env, meeting, MOVED, previous)
    weekend = await who_on_weekend(env, meeting.starts_at, meeting.duration_minutes)
    env.reply("\n".join([env.t("Meeting #{id} moved to {when}; its reminders follow.",
                               id=meeting.id, when=env.t.datetime(meeting.starts_at, env.zone_of(env.member))),
                         told_text(env, meeting), *weekend_lines(env.t, env, meeting, weekend)]))


@command(access="secretariat")
async def cancelmeeting(env: Env) -> None:
    if len(env.args) != 1:
        env.reply(env.t("Usage: /cancelmeeting &lt;meeting number&gt;"))
        return
    meeting = await meeting_from_arg(env, env.args[0])
    if meeting is None:
        return
    try:
        await service.cancel(env.session, meeting, by=env.member, now=env.now,
                             offsets=env.settings.reminders.meeting_offsets)
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    await announce(env, meeting, CANCELLED)
    env.reply(env.t("Meeting #{id} is cancelled; its reminders will not be sent.", id=meeting.id)
              + "\n" + told_text(env, meeting))


@command(access="secretariat")
async def meetinglink(env: Env) -> None:
    if len(env.args) != 2:
        env.reply(env.t("Usage: /meetinglink &lt;meeting number&gt; https://…"))
        return
    meeting = await meeting_from_arg(env, env.args[0])
    if meeting is None:
        return
    try:
        await service.set_link(env.session, meeting, env.args[1], by=env.member, now=env.now)
    except service.BadLink:
        env.reply(env.t("That is not a web link: give an address starting with https:// or http://. "
                        "Nothing was changed."))
        return
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    env.reply(env.t("The video link of meeting #{id} is now {link}", id=meeting.id, link=meeting.link))


@command(access="secretariat")
async def renamemeeting(env: Env) -> None:
    if len(env.args) < 2:
        env.reply(env.t("Usage: /renamemeeting &lt;meeting number&gt; &lt;new title&gt;"))
        return
    meeting = await meeting_from_arg(env, env.args[0])
    if meeting is None:
        return
    title = title_or_reply(env, env.text.split(maxsplit=2)[2])
    if title is None:
        return
    try:
        await service.rename(env.session, meeting, title, by=env.member, now=env.now)
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    env.reply(env.t("Meeting #{id} is now called “{title}”.", id=meeting.id, title=meeting.title))


# --- answers ----------------------------------------------------------------------------------


async def _record_answer(env: Env, meeting: Meeting, answer: str) -> None:
    """Record the sender's own answer (never anyone else's: the sender is the member)."""
    assert env.member is not None
    await service.set_rsvp(env.session, meeting, env.member, answer, now=env.now,
                           offsets=env.settings.reminders.meeting_offsets)


@command()
async def rsvp(env: Env) -> None:
    if len(env.args) < 2:
        env.reply(env.t("Usage: /rsvp &lt;meeting number&gt; yes, no or maybe"))
        return
    answer = answer_word(" ".join(env.args[1:])[:30])
    if answer is None:
        env.reply(env.t("Answer yes, no or maybe, e.g. /rsvp 12 yes."))
        return
    meeting = await meeting_from_arg(env, env.args[0])
    if meeting is None:
        return
    try:
        await _record_answer(env, meeting, answer)
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    env.reply(env.t("Your answer for meeting #{id} ({title}) is recorded: {answer}.", id=meeting.id,
                    title=meeting.title, answer=env.t(ANSWERS[answer])))


@button()
async def rsvp_button(env: Env) -> None:
    parts = callback_args(env.data, "rsvp", 2)
    meeting_id = parse_id(parts[0]) if parts else None
    if parts is None or meeting_id is None or parts[1] not in ANSWERS:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    meeting = await service.get_meeting(env.session, meeting_id)
    if meeting is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    try:
        await _record_answer(env, meeting, parts[1])
    except service.NotScheduled:
        env.toast = env.t("This meeting was cancelled.")
        return
    except service.MeetingOver:
        env.toast = env.t("This meeting is already over.")
        return
    t, zone = env.t, env.zone_of(env.member)
    env.toast = t("Your answer is recorded: {answer}.", answer=t(ANSWERS[parts[1]]))
    lines = [t("<b>#{id} {title}</b>", id=meeting.id, title=meeting.title),
             *meeting_lines(t, meeting, zone, await series_text(env, t, meeting)),
             t("Your answer: {mark} {answer}. You can change it below.", mark=ANSWER_MARKS[parts[1]],
               answer=t(ANSWERS[parts[1]]))]
    env.edit("\n".join(lines), rsvp_buttons(t, meeting.id))


# --- calendar file --------------------------------------------------------------------------


@command()
async def ics(env: Env) -> None:
    meeting = await meeting_or_next(env)
    if meeting is None:
        return
    content = await service.calendar_file(env.session, meeting, organizer=env.committee.name, stamp=env.now)
    head = await service.series_head(env.session, meeting)
    caption = (env.t("Calendar file for meeting #{id} and its whole series: open it to add it to your calendar.",
                     id=meeting.id) if head else
               env.t("Calendar file for meeting #{id}: open it to add it to your calendar.", id=meeting.id))
    env.reply_document(f"inspir-meeting-{(head or meeting).id}.ics", content, caption)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("newmeeting", newmeeting))
    application.add_handler(CommandHandler("meetings", meetings_command))
    application.add_handler(CommandHandler("meeting", meeting_command))
    application.add_handler(CommandHandler("reschedule", reschedule))
    application.add_handler(CommandHandler("cancelmeeting", cancelmeeting))
    application.add_handler(CommandHandler("meetinglink", meetinglink))
    application.add_handler(CommandHandler("renamemeeting", renamemeeting))
    application.add_handler(CommandHandler("rsvp", rsvp))
    application.add_handler(CommandHandler("ics", ics))
    application.add_handler(CallbackQueryHandler(rsvp_button, pattern=r"^rsvp:"))
    application.add_handler(CallbackQueryHandler(newmeeting_button, pattern=r"^nm:"))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND,
                                           dialogue_step(FLOW, newmeeting_answer)),
                            group=DIALOGUE_GROUP)


__all__ = ["COMMANDS", "announce", "create_and_announce", "meeting_from_arg", "register"]
