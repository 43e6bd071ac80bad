"""Meetings across time zones once planned (:mod:`handlers.planning` plans them): /meetings,
/meeting, /reschedule, /cancelmeeting, /meetinglink, /renamemeeting, /rsvp (and its buttons), /ics.

Every change is made by :mod:`bot.services.meetings` (which audits it and re-plans reminders); this
module reads what users type and tells everyone, each in their language and time zone.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import meetings as service
from bot.services import members, standing_items
from bot.i18n.translation import N_, Safe, Translator
from bot.input.numbers import parse_id
from bot.domain.meeting_time import (
    MalformedWorkingHours,
    parse_working_hours,
    within_working_hours,
)
from bot.domain.night import at_night, weekend_for
from bot.input.callbacks import callback_args
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command
from handlers.shared.agenda_text import agenda_lines
from handlers.shared.hours_text import (
    WEEKEND_MARK, ask_to_move, weekend_lines, who_at_night, who_on_weekend,
)
from handlers.shared.replies import (
    explain_refusal, meeting_from_arg, meeting_or_next, title_or_reply,
)
from handlers.shared.announcing import announce, told_text
from handlers.shared.meeting_text import (
    ANSWER_MARKS, ANSWERS, CANCELLED, MOVED, answer_word, meeting_lines, minutes_text, read_start, rsvp_buttons,
    series_text, zone_from_text,
)
from storage.models import Meeting, Member

COMMANDS = [
    CommandSpec("meetings", N_("Upcoming meetings in your local time, with answers so far")),
    CommandSpec("meeting", N_("One meeting (the next one, or /meeting 12): details, agenda and everyone's local time")),
    CommandSpec("rsvp", N_("Say whether you will attend: /rsvp 12 yes|no|maybe")),
    CommandSpec("ics", N_("A calendar file (.ics) for the next meeting, or /ics 12 for another")),
    CommandSpec("reschedule", N_("Move a meeting: /reschedule 12 2026-12-04 15:00 [Area/City]"),
                access="secretariat"),
    CommandSpec("cancelmeeting", N_("Cancel a meeting: /cancelmeeting 12"), access="secretariat"),
    CommandSpec("meetinglink", N_("Set a meeting's video link: /meetinglink 12 https://…"), access="secretariat"),
    CommandSpec("renamemeeting", N_("Rename a meeting: /renamemeeting 12 new title"), access="secretariat"),
]

MEETINGS_SHOWN = 15



# --- /meetings, /meeting ----------------------------------------------------------------------


def answers_text(t: Translator, counts) -> Safe:  # type: ignore[no-untyped-def]
    return t("✅ {yes} · ❔ {maybe} · ❌ {no}", yes=counts.get("yes", 0), maybe=counts.get("maybe", 0),
             no=counts.get("no", 0))


@command()
async def meetings_command(env: Env) -> None:
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
    application.add_handler(CommandHandler("meetings", meetings_command))
    application.add_handler(CommandHandler("meeting", meeting_command))
    application.add_handler(CommandHandler("reschedule", reschedule))
    application.add_handler(CommandHandler("cancelmeeting", cancelmeeting))
    application.add_handler(CommandHandler("meetinglink", meetinglink))
    application.add_handler(CommandHandler("renamemeeting", renamemeeting))
    application.add_handler(CommandHandler("rsvp", rsvp))
    application.add_handler(CommandHandler("ics", ics))
    application.add_handler(CallbackQueryHandler(rsvp_button, pattern=r"^rsvp:"))
