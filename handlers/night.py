"""The chair's answer to the night question: a meeting that puts a member between 23:00 and
06:00 in their own zone (the rule of /findslot) is created as a draft, or its move held back,
and the chair is asked (:mod:`handlers.shared.hours_text`); these buttons go ahead or not.
"""

from datetime import UTC, datetime

from telegram.ext import Application, CallbackQueryHandler

from bot.services import meetings as service
from bot.services import standing_items
from bot.i18n.translation import Safe
from bot.input.numbers import parse_id
from bot.input.callbacks import callback_args
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button
from handlers.shared.announcing import announce, created_text, told_text
from handlers.shared.meeting_text import CREATED, MOVED
from handlers.shared.replies import explain_refusal

COMMANDS: list[CommandSpec] = []


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
    await standing_items.ensure_standing_items(env.session, meeting, env.now)
    await announce(env, meeting, CREATED)
    env.edit(Safe(await created_text(env, meeting)))


def register(application: Application) -> None:
    application.add_handler(CallbackQueryHandler(night_button, pattern=r"^night:"))
