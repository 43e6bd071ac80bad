"""Finding a fair meeting time: /findslot.

``/findslot <minutes> [from YYYY-MM-DD] [days]`` ranks starts with :func:`bot.domain.fair_slots.find_slots`
(rotation from the meetings already held) and shows the best non-overlapping ones, each with
every continental network's local times and the reason of its rank, plus a PNG chart (on request, a button, for
members who chose to receive less: /notify).

Under the answer, a slot's "Schedule" button opens the guided /newmeeting (:mod:`handlers.planning`)
at its title, then confirms before anyone is told; "Availability poll" lets the chair offer some
of the times to the members (:mod:`handlers.polls`). Both are button data only (starts as
quarter-hours, bot.input.callbacks): no area imports another.
"""

from collections import defaultdict
from datetime import date, timedelta
from math import ceil
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import polls
from bot.domain import fair_slots as slots
from bot.i18n.translation import N_, Safe, Translator, escape
from bot.input.numbers import parse_number
from bot.domain.names import fold
from bot.domain.slot_chart import render_slot_chart
from bot.domain.labels import network_label
from bot.domain.notify import files_on_request
from bot.input.callbacks import SLOT_CHOICES, quarter_of, read_quarter, slot_selection
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command

COMMANDS = [
    CommandSpec("findslot", N_("Fair meeting times for everyone: /findslot 90 [2026-12-01] [7]"),
                access="secretariat"),
]

CHART = "chart"  # chart:MINUTES:Q1.Q2...: the picture of the times listed, on request
SHOWN = SLOT_CHOICES  # candidates listed, offered as buttons and outlined in the chart
STEP_MINUTES = 30
DEFAULT_DAYS = 7
MAX_DAYS_AHEAD = 366
FROM_WORDS = {"from", "du", "dès", "des", "desde", "de", "del"}  # /findslot 90 du 2026-12-01
USAGE = N_("Usage: /findslot &lt;minutes&gt; [from YYYY-MM-DD] [days], for example /findslot 90 or "
           "/findslot 90 from 2026-12-01 5. Times are searched on weekdays, from tomorrow for "
           "{days} days unless you say otherwise.")


# --- /findslot ---------------------------------------------------------------------------

def _parse_findslot(env: Env, today: date) -> tuple[int, date, int] | None:
    """(duration, first day, days), or None after telling the user what is wrong."""
    t = env.t
    words = [word for word in env.args if word.lower() not in FROM_WORDS]
    if not words or len(words) > 3:
        env.reply(t(USAGE, days=DEFAULT_DAYS))
        return None
    duration = parse_number(words[0], polls.MIN_DURATION, polls.MAX_DURATION)
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


async def _search(env: Env, duration: int, first: date, days: int) -> tuple[slots.SlotSearch, dict[str, str | None]]:
    """Rank the window's starts for the whole roster; and each member's network."""
    committee_zone = env.committee.timezone
    default_hours = slots.WorkingHours.parse(env.settings.meetings.working_hours)
    roster = await polls.slot_roster(env.session, committee_zone, default_hours)
    roster.sort(key=lambda pair: (network_label(env.t, pair[0].network), fold(pair[0].name)))
    networks = {member.name: member.network for member, _ in roster}
    history = await polls.meeting_history(env.session, env.now)
    query = slots.SlotQuery(first, days, duration, committee_zone=committee_zone, step_minutes=STEP_MINUTES,
                            default_hours=default_hours, limit=300)
    return slots.find_slots([view for _, view in roster], query, history), networks


@command(access="secretariat")
async def findslot(env: Env) -> None:
    t = env.t
    today = env.now.astimezone(ZoneInfo(env.committee.timezone)).date()
    parsed = _parse_findslot(env, today)
    if parsed is None:
        return
    duration, first, days = parsed
    search, networks = await _search(env, duration, first, days)
    if not networks:
        env.reply(t("The roster is empty: import it first."))
        return
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
    buttons.append([(t("🗳 Availability poll…"), slot_selection("choose", duration, (1 << len(shown)) - 1,
                                                                 quarters))])
    assert env.member is not None
    if files_on_request(env.member.notify):  # the picture only when asked for (/notify)
        buttons.append([(t("🖼 Chart (a picture)"), f"{CHART}:{duration}:{'.'.join(map(str, quarters))}")])
    env.reply("\n".join(lines), buttons, personal=True)
    if not files_on_request(env.member.notify):
        _reply_chart(env, shown)


def _reply_chart(env: Env, shown: list[slots.SlotCandidate]) -> None:
    env.reply_document("slots.png", _chart(shown),
                       caption=env.t("Each member's local hours: green within working hours, yellow outside "
                                     "them, dark at night; the numbered frames are the times above."),
                       personal=True)


@button(access="secretariat")
async def chart_button(env: Env) -> None:
    """The chart of the times a /findslot answer listed, for who asked for text first."""
    fields = (env.data or "").split(":")
    duration = parse_number(fields[1], polls.MIN_DURATION, polls.MAX_DURATION) if len(fields) == 3 else None
    starts = [read_quarter(text, env.now) for text in fields[2].split(".")[:SHOWN]] if duration else []
    if not starts or None in starts:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    zone = ZoneInfo(env.committee.timezone)
    first, last = (min(starts).astimezone(zone).date(), max(starts).astimezone(zone).date())  # type: ignore[type-var]
    search, _ = await _search(env, duration, first, (last - first).days + 1)  # type: ignore[arg-type]
    by_start = {candidate.start_utc: candidate for candidate in (*search.candidates, *search.best)}
    shown = [by_start[start] for start in starts if start in by_start]
    if len(shown) != len(starts):
        env.toast = env.t("These times have changed since: ask /findslot again.")
        return
    _reply_chart(env, shown)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("findslot", findslot))
    application.add_handler(CallbackQueryHandler(chart_button, pattern=rf"^{CHART}:"))
