"""Night slots are asked about before anyone is told: a meeting that puts a member between
23:00 and 06:00 in their own zone (the rule of /findslot) is created as a draft, or its move
held back, and the chair is named who and at what local time, with buttons to go ahead or not.
"""

from datetime import UTC, datetime

from telegram.ext import Application, CallbackQueryHandler

from bot.services import meetings as service
from bot.services import members
from bot.i18n.translation import N_, Safe, Translator
from bot.input.numbers import parse_id
from bot.domain.night import night_for
from bot.input.callbacks import callback_args
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button
from handlers.meetings import CREATED, MOVED, announce, created_text, explain_refusal, told_text
from storage.models import Meeting, Member

COMMANDS: list[CommandSpec] = []
MARK = "🌙"
NIGHT_LINE = N_("{mark} {name}: {time} ({zone})")


async def who_at_night(env: Env, starts_at: datetime, minutes: int) -> list[tuple[Member, datetime]]:
    roster = await members.active_members(env.session)
    return night_for(starts_at, minutes, [(person, env.zone_of(person)) for person in roster])


def _lines(t: Translator, night: list[tuple[Member, datetime]]) -> list[str]:
    return [t(NIGHT_LINE, mark=MARK, name=person.name, time=f"{local:%H:%M}", zone=t.zone(local, str(local.tzinfo)))
            for person, local in night]


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


@button(access="secretariat")
async def night_button(env: Env) -> None:
    if env.data == "night:keep":
        env.edit(env.t("Nothing was changed."))
        return
    moved = callback_args(env.data, "night", 3)
    decision = callback_args(env.data, "night", 2)
    move = None
    if moved and moved[0] == "mv" and all(p.isascii() and p.isdecimal() and len(p) < 12 for p in moved[1:]):
        move = [int(p) for p in moved[1:]]
    meeting_id = move[0] if move else parse_id(decision[1]) if decision else None
    meeting = await service.get_meeting(env.session, meeting_id)
    if meeting is None or (move is None and (decision is None or decision[0] not in ("ok", "drop"))):
        env.toast = env.t(BUTTON_EXPIRED)
        return
    offsets = env.settings.reminders.meeting_offsets
    try:
        if move:
            new_start = datetime.fromtimestamp(move[1] * 60, UTC)
            if new_start <= env.now:
                env.edit(env.t("That time is already past. Nothing was changed."))
                return
            previous = await service.reschedule(env.session, meeting, new_start, by=env.member, now=env.now,
                                                offsets=offsets)
            await announce(env, meeting, MOVED, previous)
            env.edit(env.t("Meeting #{id} moved to {when}; its reminders follow.", id=meeting.id,
                           when=env.t.datetime(meeting.starts_at, env.zone_of(env.member)))
                     + "\n" + told_text(env, meeting))
            return
        keep = decision is not None and decision[0] == "ok"
        await service.confirm_draft(env.session, meeting, by=env.member, now=env.now, offsets=offsets, keep=keep)
    except service.NotScheduled:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    except service.MeetingError as error:
        explain_refusal(env, error, meeting.id)
        return
    if not keep:
        env.edit(env.t("Draft meeting #{id} dropped: nobody was told.", id=meeting.id))
        return
    await service.ensure_action_review(env.session, meeting, env.now)
    await announce(env, meeting, CREATED)
    env.edit(Safe(created_text(env, meeting)))


def register(application: Application) -> None:
    application.add_handler(CallbackQueryHandler(night_button, pattern=r"^night:"))
