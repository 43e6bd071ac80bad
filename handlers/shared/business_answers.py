"""Questions in plain words about the committee's own business ("when is the next meeting?",
"qu'y a-t-il à l'ordre du jour ?", "¿qué tengo que hacer?"), answered by the very commands
that answer them when typed (/meeting, /agenda, /mytasks, /actions, /decisions): one rule
each, so a question and its command give the same facts, in the asker's language.

`bot.domain.lookup.business` reads the question; `ROUTES` is the one registry from topic to command.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services import meetings as service
from bot.services.directory_cache import cache_for
from bot.domain.lookup.business import BusinessQuestion, Topic, read_business
from bot.domain.lookup.conversion import (
    INVALID_TIME, PLACE_WITHOUT_ZONE, Conversion, ConversionProblem, Mention, find_clock,
)
from bot.domain.lookup.entries import PersonRecord
from bot.i18n.translation import N_, escape, utc_offset
from handlers.common import Env
from handlers.shared.meeting_text import meeting_lines
from storage.models import Meeting

UPCOMING_SEARCHED = 20  # meetings looked through for the one on the day asked


def _day_asked(env: Env, question: BusinessQuestion) -> date | None:
    """The day named ("tomorrow", "jeudi"), in the asker's zone; None when no day was named."""
    today = env.now.astimezone(ZoneInfo(env.zone_of(env.member))).date()
    if question.days_ahead is not None:
        return today + timedelta(days=question.days_ahead)
    if question.weekday is not None:
        return today + timedelta(days=(question.weekday - today.weekday()) % 7)
    return None


async def _meeting_asked(env: Env, question: BusinessQuestion) -> Meeting | None:
    """The meeting on the day asked, else the next one; None after telling the asker."""
    day = _day_asked(env, question)
    zone = ZoneInfo(env.zone_of(env.member))
    found = await service.upcoming(env.session, env.now, UPCOMING_SEARCHED)
    if day is not None:
        found = [m for m in found if m.starts_at.astimezone(zone).date() == day]
        if not found:
            env.reply(env.t("No meeting is planned on {day}. /meetings lists the planned ones.",
                            day=env.t.date(day)))
            return None
    if not found:
        await env.run_command("/meetings")  # says none is planned
        return None
    return found[0]


async def _meeting(env: Env, question: BusinessQuestion) -> None:
    meeting = await _meeting_asked(env, question)
    if meeting is not None:
        await env.run_command(f"/meeting {meeting.id}")


async def _agenda(env: Env, question: BusinessQuestion) -> None:
    meeting = await _meeting_asked(env, question)
    if meeting is not None:
        await env.run_command(f"/agenda {meeting.id}")


async def _link(env: Env, question: BusinessQuestion) -> None:
    """The meeting's headline and times with its link, as /meeting shows them, without the
    agenda and the table of everyone's time: the link is what was asked."""
    meeting = await _meeting_asked(env, question)
    if meeting is None:
        return
    t = env.t
    lines = [t("<b>#{id} {title}</b>", id=meeting.id, title=meeting.title)]
    lines += meeting_lines(t, meeting, env.zone_of(env.member))
    if not meeting.link:
        lines.append(t("No video link has been set for this meeting yet."))
    lines.append(t("Details and everyone's local time: /meeting {id}", id=meeting.id))
    env.reply("\n".join(lines))


async def _my_tasks(env: Env, question: BusinessQuestion) -> None:
    await env.run_command("/mytasks")


async def _open_actions(env: Env, question: BusinessQuestion) -> None:
    await env.run_command("/actions open")


async def _overdue_actions(env: Env, question: BusinessQuestion) -> None:
    await env.run_command("/actions overdue")


async def _decisions(env: Env, question: BusinessQuestion) -> None:
    await env.run_command(" ".join(("/decisions", *question.words)))


ROUTES: dict[Topic, Callable[[Env, BusinessQuestion], Awaitable[None]]] = {
    Topic.NEXT_MEETING: _meeting,
    Topic.ATTENDANCE: _meeting,  # /meeting shows each member's answer and local time
    Topic.AGENDA: _agenda,
    Topic.LINK: _link,
    Topic.MY_TASKS: _my_tasks,
    Topic.OPEN_ACTIONS: _open_actions,
    Topic.OVERDUE_ACTIONS: _overdue_actions,
    Topic.DECISIONS: _decisions,
}


async def answer_business(env: Env, text: str) -> bool:
    """Answer ``text`` if it asks about the committee's business; False if it does not.
    Asked in the group, the answer goes to the asker privately: it names members (tasks,
    answers, everyone's local time), like the answers about people."""
    question = read_business(text)
    if question is None:
        return False
    before = len(env.outgoing)
    await ROUTES[question.topic](env, question)
    if env.in_group:
        env.outgoing[before:] = [replace(message, private_for=env.member)
                                 for message in env.outgoing[before:]]
    return True


# Converting a time between places and people -------------------------------------------------

CONVERTED_FROM = {
    "place": N_("{time} in {place} ({offset}), {day}, is:"),
    "person": N_("{time} for {name} in {place} ({offset}), {day}, is:"),
    "asker": N_("{time} for you in {place} ({offset}), {day}, is:"),
}
CONVERTED_TO = {
    "place": N_("• in {place}: <b>{time}</b> ({offset})"),
    "person": N_("• for {name} in {place}: <b>{time}</b> ({offset})"),
    "asker": N_("• for you in {place}: <b>{time}</b> ({offset})"),
}
OTHER_DAY = N_("{time}, {day}")
CONVERSION_PROBLEMS = {
    INVALID_TIME: N_("That is not a time of day: write it as 14:00, 14h30 or 2 pm."),
    PLACE_WITHOUT_ZONE: N_("A place you named has several time zones, or none I know: name its city, "
                           "for example “14:00 in Jakarta”."),
}
OWN_TIME = N_("That is your own time. Name another place or a member, for example "
              "“14:00 in Lima for Samy”.")


def _where(env: Env, people: Mapping[int, PersonRecord], moment: datetime,
           mention: Mention) -> tuple[str, dict[str, object]]:
    """How a sentence names a mention: its kind (place, person, the asker) and the values."""
    assert mention.zone is not None
    values: dict[str, object] = {"place": env.t.place(mention.zone), "offset": utc_offset(moment, mention.zone)}
    if mention.asker:
        return "asker", values
    if mention.person_id is not None:
        person = people.get(mention.person_id)
        return "person", {"name": escape(person.name if person else ""), **values}
    return "place", values


def _conversion_text(env: Env, people: Mapping[int, PersonRecord], conversion: Conversion) -> str:
    t, moment = env.t, conversion.moment
    kind, values = _where(env, people, moment, conversion.source)
    start = moment.astimezone(ZoneInfo(conversion.source.zone or "UTC"))
    lines = [t(CONVERTED_FROM[kind], time=f"{start:%H:%M}", day=t.date(start.date()), **values)]
    for mention in conversion.targets:
        kind, values = _where(env, people, moment, mention)
        local = moment.astimezone(ZoneInfo(mention.zone or "UTC"))
        clock: object = f"{local:%H:%M}"
        if local.date() != start.date():
            clock = t(OTHER_DAY, time=clock, day=t.date(local.date()))
        lines.append(t(CONVERTED_TO[kind], time=clock, **values))
    return "\n".join(lines)


async def answer_conversion(env: Env, text: str) -> bool:
    """Answer ``text`` if it converts a time of day between places or people; False if not
    (most questions name no time of day: they cost no directory look-up here)."""
    clock = find_clock(text)
    if clock is None:
        return False
    directory = await cache_for(env.services.db).directory(env.session)
    try:
        conversion = directory.conversion(text, env.zone_of(env.member), env.committee.timezone, env.now,
                                          clock=clock)
    except ConversionProblem as problem:
        env.reply(env.t(CONVERSION_PROBLEMS.get(problem.reason, OWN_TIME)))
        return True
    if conversion is None:
        return False
    mentioned = (conversion.source, *conversion.targets)
    names_someone = any(m.person_id is not None or m.asker for m in mentioned)  # where they live
    env.reply(_conversion_text(env, directory.people, conversion), personal=names_someone)
    return True
