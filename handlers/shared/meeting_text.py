"""How meetings read, the same for every area that shows or changes one: what members type for a
start, a zone or a duration (read once, with a translated answer when it is wrong), and a meeting's
lines, notices and RSVP buttons in the reader's language and zone."""

from datetime import datetime
from zoneinfo import ZoneInfo


from bot.services import meetings as service
from bot.i18n.translation import N_, Safe, Translator, utc_offset
from bot.domain.meeting_time import (
    AmbiguousLocalTime,
    DurationOutOfRange,
    MalformedDuration,
    MeetingTimeError,
    NonexistentDate,
    PastDateTime,
    SkippedLocalTime,
    TooFarAhead,
    UnknownTimezone,
    parse_meeting_start,
    resolve_timezone,
)
from bot.domain.names import fold
from bot.domain.recurrence import Frequency, Recurrence, from_rrule
from handlers.common import Env
from storage.models import Meeting

DEFAULT_TITLE = N_("Steering committee meeting")  # a meeting planned from a slot or a poll, until renamed
DURATION_BOUNDS = N_("A meeting lasts between {low} and {high} minutes.")
ANSWERS = {"yes": N_("yes"), "no": N_("no"), "maybe": N_("maybe")}
ANSWER_MARKS = {"yes": "✅", "no": "❌", "maybe": "❔"}
_ANSWER_WORDS = {
    **dict.fromkeys(("yes", "y", "oui", "o", "si", "s"), "yes"),
    **dict.fromkeys(("no", "n", "non"), "no"),
    **dict.fromkeys(("maybe", "m", "peut etre", "peutetre", "pe", "quizas", "quiza", "tal vez", "talvez"), "maybe"),
}
ORDINALS = {1: N_("first"), 2: N_("second"), 3: N_("third"), 4: N_("fourth"), -1: N_("last")}
CREATED, MOVED, CANCELLED = "created", "moved", "cancelled"


# --- reading what users type ------------------------------------------------------------------


def minutes_text(t: Translator, minutes: int) -> Safe:
    return t.plural("{n} minute", "{n} minutes", minutes)


def answer_word(text: str) -> str | None:
    return _ANSWER_WORDS.get(fold(text))


def looks_like_zone(token: str) -> bool:
    import re

    return re.fullmatch(r"[A-Za-z][A-Za-z_]*(?:/[A-Za-z0-9_+\-]+)+", token) is not None or token.upper() in ("UTC", "GMT")


def looks_like_duration(token: str) -> bool:
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


