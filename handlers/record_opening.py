"""Opening and closing a meeting's record: /startmeeting (asking first when the meeting is not
planned for about now), attendance buttons while it is open, /endmeeting (freezes and sends the
minutes, which :mod:`handlers.minutes` phrases)."""

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.delivery.sending import Buttons
from bot.i18n.translation import N_, Translator
from bot.input.callbacks import callback_args
from bot.input.numbers import parse_id
from bot.services import minutes_snapshot, records
from storage.models import AgendaItem, Meeting
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command
from handlers.shared.agenda_text import item_title
from handlers.shared.reach_text import fanout_text
from handlers.shared.replies import in_group_languages, meeting_from_arg

COMMANDS = [
    CommandSpec("startmeeting", N_("Open the record of a meeting (the next one, or /startmeeting NUMBER)"),
                access="secretariat"),
    CommandSpec("endmeeting", N_("Close the meeting record and send the minutes"), access="secretariat"),
]

NO_RECORD = N_("No meeting record is open. The chair or the secretariat opens one with /startmeeting.")
ATTENDANCE_LABELS = {"present": N_("Present"), "apologies": N_("Apologies")}
OPENING_REFUSALS = {
    "other_open": N_("The record of meeting #{id} is still open: close it with /endmeeting first."),
    "already_open": N_("The record of meeting #{id} is already open."),
    "cancelled": N_("Meeting #{id} was cancelled."),
    "adopted": N_("The minutes of meeting #{id} are adopted: its record can no longer be reopened."),
}


def _attendance_buttons(t: Translator, meeting_id: int) -> Buttons:
    return [[(t(ATTENDANCE_LABELS["present"]), f"att:{meeting_id}:present"),
             (t(ATTENDANCE_LABELS["apologies"]), f"att:{meeting_id}:apologies")]]


def _opened_text(t: Translator, meeting: Meeting, item: AgendaItem | None) -> str:
    lines = [t("<b>The record of meeting #{id} “{title}” is open.</b>", id=meeting.id, title=meeting.title)]
    if item is not None:
        lines.append(t("Current item: {title}", title=item_title(t, item.kind, item.title)))
    lines.append(t("Record with /topic, /next, /decide, /vote, /action and /info; /undo removes your last "
                   "record; /endmeeting closes the record and sends the minutes. Please tell us whether "
                   "you are present:"))
    return "\n".join(lines)


@command(access="secretariat")
async def startmeeting(env: Env) -> None:
    if len(env.args) > 1:
        env.reply(env.t("Usage: /startmeeting, or /startmeeting NUMBER for another meeting than the next one."))
        return
    if env.args:
        meeting = await meeting_from_arg(env, env.args[0])
        if meeting is None:
            return
    else:
        meeting = await records.open_record(env.session) or await records.default_meeting(env.session, env.now)
        if meeting is None:
            env.reply(env.t("There is no scheduled meeting to open. Give its number: /startmeeting 12."))
            return
    if records.far_from_planned(meeting, env.now):
        t = env.t
        env.reply(t("<b>Meeting #{id} “{title}” is planned for {when}, not now.</b> Open its record now "
                    "anyway? The minutes will then give the day it is really held.", id=meeting.id,
                    title=meeting.title, when=t.datetime(meeting.starts_at, env.zone_of(env.member))),
                  [[(t("Open the record now"), f"open:ok:{meeting.id}"), (t("Not now"), f"open:no:{meeting.id}")]])
        return
    await _open(env, meeting, reply=env.reply)


async def _open(env: Env, meeting: Meeting, reply) -> None:  # type: ignore[no-untyped-def]
    """Open the record, answer with ``reply`` (a new message, or the tapped question edited) and
    tell the group in each of its languages."""
    assert env.member is not None
    try:
        await records.start_record(env.session, meeting, env.member, env.now)
    except records.RecordError as error:
        reply(env.t(OPENING_REFUSALS[error.code], id=error.details["meeting_id"]))
        return
    item = await records.current_item(env.session, meeting)
    group_post = in_group_languages([(_opened_text(g, meeting, item), _attendance_buttons(g, meeting.id))
                                     for g in env.group_translators()])
    if env.in_group:  # the group's message is for everyone
        reply(*group_post)
    else:
        reply(_opened_text(env.t, meeting, item), _attendance_buttons(env.t, meeting.id))
        await env.tell_group(*group_post, ref=("meeting", meeting.id))


@button(access="secretariat")
async def open_button(env: Env) -> None:
    """The answer to "open it anyway?": the rights and the meeting are checked again."""
    parts = callback_args(env.data, "open", 2)
    meeting = await records.get_meeting(env.session, parse_id(parts[1])) if parts else None
    if parts is None or meeting is None or parts[0] not in ("ok", "no"):
        env.toast = env.t(BUTTON_EXPIRED)
        return
    if parts[0] == "no":
        env.edit(env.t("The record of meeting #{id} stays closed; nothing was changed.", id=meeting.id))
        return
    await _open(env, meeting, reply=env.edit)


@command(access="secretariat")
async def endmeeting(env: Env) -> None:
    assert env.member is not None
    meeting = await records.open_record(env.session)
    if meeting is None:
        env.reply(env.t(NO_RECORD))
        return
    await minutes_snapshot.close_record(env.session, meeting, env.member, env.now)
    reach = await minutes_snapshot.queue_minutes(env.session, meeting, env.now, env.committee.group_chat_id,
                                                 [g.lang for g in env.group_translators()], env.committee.timezone)
    env.owes_messages = True
    env.reply(env.t("The record of meeting #{id} is closed; its minutes are queued.", id=meeting.id) + "\n"
              + fanout_text(env.t, reach, group=bool(env.committee.group_chat_id), meeting_id=meeting.id))


@button()
async def attendance_button(env: Env) -> None:
    assert env.member is not None
    parts = callback_args(env.data, "att", 2)
    meeting = await records.get_meeting(env.session, parse_id(parts[0]) if parts else None)
    if parts is None or meeting is None or parts[1] not in records.ATTENDANCE:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    if meeting.record_opened_at is None or meeting.record_closed_at is not None:
        env.toast = env.t("The record of this meeting is closed.")
        return
    await records.set_attendance(env.session, meeting, env.member, parts[1], env.member)
    env.toast = env.t("Noted: {status}.", status=env.t(ATTENDANCE_LABELS[parts[1]]))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("startmeeting", startmeeting))
    application.add_handler(CommandHandler("endmeeting", endmeeting))
    application.add_handler(CallbackQueryHandler(open_button, pattern=r"^open:"))
    application.add_handler(CallbackQueryHandler(attendance_button, pattern=r"^att:"))
