"""What the chair is told about hours hard for members: a meeting at night for someone (🌙,
23:00-06:00 in their own zone: asked before anyone is told) or on their Saturday or Sunday
(📅: said at creation, on /recur for each occurrence, and in /meeting). The rules themselves
are in :mod:`bot.domain.night`."""

from datetime import date, datetime

from bot.domain.night import night_for, weekend_for
from bot.i18n.translation import N_, Safe, Translator
from bot.services import members
from handlers.common import Env
from storage.models import Meeting, Member

MARK = "🌙"
WEEKEND_MARK = "📅"
NIGHT_LINE = N_("{mark} {name}: {time} ({zone})")
WEEKEND_LINE = N_("{mark} {name}: {day} ({zone})")
WHOSE_DAY = N_("{names} ({day})")


async def who_at_night(env: Env, starts_at: datetime, minutes: int) -> list[tuple[Member, datetime]]:
    roster = await members.active_members(env.session)
    return night_for(starts_at, minutes, [(person, env.zone_of(person)) for person in roster])


async def who_on_weekend(env: Env, starts_at: datetime, minutes: int) -> list[tuple[Member, date]]:
    roster = await members.active_members(env.session)
    return weekend_for(starts_at, minutes, [(person, env.zone_of(person)) for person in roster])


def _lines(t: Translator, night: list[tuple[Member, datetime]]) -> list[str]:
    return [t(NIGHT_LINE, mark=MARK, name=person.name, time=f"{local:%H:%M}", zone=t.zone(local, str(local.tzinfo)))
            for person, local in night]


def weekend_lines(t: Translator, env: Env, meeting: Meeting, weekend: list[tuple[Member, date]]) -> list[str]:
    """The members for whom ``meeting`` falls on a Saturday or Sunday, each with their local day."""
    if not weekend:
        return []
    return [t.plural("📅 Meeting #{id} falls on a weekend day for {n} member:",
                     "📅 Meeting #{id} falls on a weekend day for {n} members:", len(weekend), id=meeting.id),
            *[t(WEEKEND_LINE, mark=WEEKEND_MARK, name=person.name, day=t.date(day),
                zone=t.place(env.zone_of(person))) for person, day in weekend]]


def weekend_summary(t: Translator, weekend: list[tuple[Member, date]]) -> str:
    """One line for an occurrence in a list: whose Saturday or Sunday it is."""
    days: dict[date, list[str]] = {}
    for person, day in weekend:
        days.setdefault(day, []).append(person.name)
    parts = [t(WHOSE_DAY, names=", ".join(names), day=t.date(day)) for day, names in days.items()]
    return t("{mark} weekend for {names}", mark=WEEKEND_MARK, names=Safe("; ".join(parts)))


def ask_to_create(env: Env, meeting: Meeting, night: list[tuple[Member, datetime]]) -> None:
    t = env.t
    lines = [t.plural("🌙 <b>Meeting #{id} “{title}” would be at night for {n} member:</b>",
                      "🌙 <b>Meeting #{id} “{title}” would be at night for {n} members:</b>", len(night),
                      id=meeting.id, title=meeting.title), *_lines(t, night),
             t("It is kept as a draft: nobody has been told. Create it anyway, or drop it and plan another time.")]
    env.reply("\n".join(lines), [[(t("🌙 Create anyway"), f"night:ok:{meeting.id}"),
                                  (t("Drop it"), f"night:drop:{meeting.id}")]])


def ask_to_move(env: Env, meeting: Meeting, new_start: datetime, night: list[tuple[Member, datetime]]) -> None:
    t = env.t
    lines = [t.plural("🌙 <b>Moving meeting #{id} to {when} would put {n} member at night:</b>",
                      "🌙 <b>Moving meeting #{id} to {when} would put {n} members at night:</b>", len(night),
                      id=meeting.id, when=t.datetime(new_start, env.zone_of(env.member))), *_lines(t, night),
             t("Nothing was changed yet.")]
    stamp = int(new_start.timestamp() // 60)
    env.reply("\n".join(lines), [[(t("🌙 Move anyway"), f"night:mv:{meeting.id}:{stamp}"),
                                  (t("Keep the current time"), "night:keep")]])
