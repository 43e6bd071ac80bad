"""Repeating meetings as a committee uses them: /recur to start, change or stop a series.

``/recur 12 monthly`` on a Thursday meeting repeats on the same weekday position (the first
Thursday), never "day 3"; ``/recur 12 monthly on the first Thursday`` (or ``/recur 12 change
...``) on a meeting already in a series changes the rule from that meeting on; ``/recur 12
stop`` makes it the last. Each change is announced once, saying exactly what changed.
"""

from telegram.ext import Application, CommandHandler

from bot.domain.notify import MEETINGS
from bot.services import meetings as service
from bot.services import members
from bot.services import series
from bot.i18n.translation import N_, SUPPORTED, Safe, Translator
from bot.domain.names import fold
from bot.domain.recurrence import StartNotOnRule, UnknownRecurrence, parse_recurrence
from handlers.shared.hours_text import weekend_summary, who_on_weekend
from handlers.shared.replies import in_group_languages
from handlers.common import CommandSpec, Env, command
from handlers.shared.announcing import told_text
from handlers.shared.meeting_text import describe_rule, series_text
from handlers.shared.replies import explain_refusal, meeting_from_arg
from storage.models import Meeting

COMMANDS = [
    CommandSpec("recur", N_("Repeat a meeting: /recur 12 weekly | every 2 weeks | monthly on the first Tuesday; "
                            "/recur 12 change monthly on the last Friday; /recur 12 stop"),
                access="secretariat"),
]

STOP_WORDS = {"stop", "end", "arreter", "arret", "fin", "terminer", "parar", "detener", "terminar"}
CHANGE_WORDS = {"change", "changer", "modifier", "cambiar", "modificar"}
USAGE = N_("Usage: /recur &lt;meeting number&gt; weekly | every 2 weeks | monthly on the first Tuesday "
           "(also in French or Spanish); /recur &lt;meeting number&gt; stop")


def _dates(t: Translator, rows: list[Meeting], zone: str) -> list[str]:
    return [t("#{id}: {when}", id=row.id, when=t.datetime(row.starts_at, zone)) for row in rows]


@command(access="secretariat")
async def recur(env: Env) -> None:
    body = env.rest(200)
    if body is None:
        return
    parts = body.split(maxsplit=1)
    if len(parts) < 2:
        env.reply(env.t(USAGE))
        return
    meeting = await meeting_from_arg(env, parts[0])
    if meeting is None:
        return
    words = parts[1].split(maxsplit=1)
    in_series = await service.series_head(env.session, meeting) is not None
    if fold(parts[1]) in STOP_WORDS:
        await _stop(env, meeting)
    elif fold(words[0]) in CHANGE_WORDS or in_series:
        rule_text = words[1] if fold(words[0]) in CHANGE_WORDS and len(words) > 1 else parts[1]
        await _start_or_change(env, meeting, rule_text, change=True)
    else:
        await _start_or_change(env, meeting, parts[1], change=False)


async def _start_or_change(env: Env, meeting: Meeting, typed: str, *, change: bool) -> None:
    t, offsets = env.t, env.settings.reminders.meeting_offsets
    before = ({lang: await series_text(env, env.services.i18n.translator(lang), meeting) for lang in SUPPORTED}
              if change else None)
    try:
        rule = parse_recurrence(typed)
        if change:
            outcome = await series.change_series(env.session, meeting, rule, by=env.member, now=env.now,
                                                 offsets=offsets)
            created = outcome.created
        else:
            created = await service.make_recurring(env.session, meeting, rule, by=env.member, now=env.now,
                                                   offsets=offsets)
    except UnknownRecurrence:
        env.reply(t("I did not understand “{text}”. Try weekly, every 2 weeks, monthly, or monthly on the "
                    "first Tuesday (also in French or Spanish). Nothing was changed.", text=typed[:80]))
        return
    except StartNotOnRule as off:
        env.reply(t("Meeting #{id} is on {date}, which does not fit “{rule}”. The next date that fits is "
                    "{suggestion}: move the meeting there first with /reschedule. Nothing was changed.",
                    id=meeting.id, date=t.date(off.start), rule=describe_rule(t, off.rule, off.start.day),
                    suggestion=t.date(off.suggestion)))
        return
    except series.NotInSeries:
        env.reply(t("Meeting #{id} does not repeat: start a series with /recur {id} monthly.", id=meeting.id))
        return
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    called_off = outcome.called_off if change else []
    await _announce(env, meeting, before, called_off, created)
    zone = env.zone_of(env.member)
    lines = [t("Meeting #{id} now repeats {rule}.", id=meeting.id, rule=await series_text(env, t, meeting))]
    if called_off:
        lines.append(t("Called off: {dates}", dates=Safe("; ".join(_dates(t, called_off, zone)))))
    for row in created:
        weekend = await who_on_weekend(env, row.starts_at, row.duration_minutes)
        lines.append(_dates(t, [row], zone)[0] + (" · " + weekend_summary(t, weekend) if weekend else ""))
    lines.append(t("Each occurrence can be moved or cancelled on its own with its number."))
    lines.append(told_text(env, meeting))
    env.reply("\n".join(lines))


async def _stop(env: Env, meeting: Meeting) -> None:
    try:
        outcome = await series.stop_series(env.session, meeting, by=env.member, now=env.now,
                                           offsets=env.settings.reminders.meeting_offsets)
    except series.NotInSeries:
        env.reply(env.t("Meeting #{id} does not repeat: there is no series to stop.", id=meeting.id))
        return
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    if outcome.unchanged:
        env.reply(env.t("The series already ends with #{id}: nothing was changed.", id=meeting.id))
        return

    def text(t: Translator, zone: str) -> str:
        lines = [t("⏹ <b>The series “{title}” stops: #{id} on {when} is its last meeting.</b>",
                   title=outcome.head.title, id=meeting.id, when=t.datetime(meeting.starts_at, zone))]
        if outcome.called_off:
            lines.append(t("Called off: {dates}", dates=Safe("; ".join(_dates(t, outcome.called_off, zone)))))
        return "\n".join(lines)

    posts = [(text(g, meeting.timezone), None) for g in env.group_translators()]
    await env.tell_group(*in_group_languages(posts), ref=("meeting", meeting.id))
    for member in await members.active_members(env.session):
        await env.tell(member, text(env.translator_for(member), env.zone_of(member)), ref=("meeting", meeting.id),
                       topic=MEETINGS, about_start=min(m.starts_at for m in [meeting, *outcome.called_off]))
    env.reply(text(env.t, env.zone_of(env.member)) + "\n" + told_text(env, meeting))


async def _announce(env: Env, meeting: Meeting, before: dict[str, Safe | None] | None, called_off: list[Meeting],
                    created: list[Meeting]) -> None:
    """One message per reader: the new rule, what it replaces, the dates called off and the next ones."""
    shown = created[:service.SERIES_MIN_AHEAD]

    async def text(t: Translator, zone: str) -> str:
        lines = [t("🔁 <b>Meeting #{id} now repeats: {title}</b>", id=meeting.id, title=meeting.title),
                 t("Repeats: {rule}", rule=await series_text(env, t, meeting))]
        if before is not None and before.get(t.lang):
            lines.append(t("Until now: {rule}", rule=before[t.lang]))
        if called_off:
            lines.append(t("Called off: {dates}", dates=Safe("; ".join(_dates(t, called_off, zone)))))
        lines.append(t("Next dates, in {zone}:", zone=t.place(zone)))
        lines += _dates(t, shown, zone)
        return "\n".join(lines)

    posts = [(await text(g, meeting.timezone), None) for g in env.group_translators()]
    await env.tell_group(*in_group_languages(posts), ref=("meeting", meeting.id))
    for member in await members.active_members(env.session):
        await env.tell(member, await text(env.translator_for(member), env.zone_of(member)), ref=("meeting", meeting.id),
                       topic=MEETINGS, about_start=min(m.starts_at for m in [meeting, *called_off, *shown]))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("recur", recur))
