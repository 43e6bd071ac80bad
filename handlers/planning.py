"""Planning a meeting: /newmeeting typed on one line, or guided step by step (title, then the
start with an optional zone, then the duration, then a confirmation), the guided flow kept in
the database so any instance continues it. /findslot's "Schedule" joins the flow at the title."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from storage import conversation_state
from bot.services import meetings as service
from bot.i18n.translation import N_, Safe, Translator
from bot.domain.meeting_time import (
    MalformedDateTime,
    MeetingTimeError,
    PastDateTime,
    parse_duration,
)
from bot.input.callbacks import callback_args, read_quarter
from bot.input.numbers import parse_number
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command, register_dialogue
from handlers.shared.replies import title_or_reply
from handlers.shared.announcing import create_and_announce, created_text, start_taken
from handlers.shared.meeting_text import (
    DEFAULT_TITLE, DURATION_BOUNDS, looks_like_duration, looks_like_zone, minutes_text, read_start, time_error_text,
    zone_from_text,
)

COMMANDS = [
    CommandSpec("newmeeting", N_("Plan a meeting: /newmeeting 2026-12-03 15:00 [Area/City] [minutes] title, "
                                 "or just /newmeeting to be guided"), access="secretariat"),
]
FLOW = "newmeeting"  # the dialogue's kind in storage.conversation_state
FLOW_LIFETIME = timedelta(minutes=30)  # how long a guided /newmeeting waits for the next answer
DURATION_CHOICES = (60, 90, 120)


# --- /newmeeting ------------------------------------------------------------------------------


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
    if rest and looks_like_zone(rest[0]):
        found = zone_from_text(env, rest[0])
        if found is None:
            return
        zone, rest = found, rest[1:]
    minutes = service.DEFAULT_DURATION
    if rest and looks_like_duration(rest[0]):
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
    """A guided /newmeeting in progress, kept in the database (storage.conversation_state).
    From /findslot the start, zone and duration come with the tap: only the title is asked."""

    step: str = "title"
    title: str = ""
    zone: str = ""
    starts_at: datetime | None = None
    minutes: int = service.DEFAULT_DURATION
    from_slot: bool = False


async def _current_flow(env: Env) -> _Flow | None:
    assert env.sender is not None
    data = await conversation_state.dialogue(env.session, env.chat_id, env.sender.user_id, FLOW, env.now)
    if data is None:
        return None
    starts_at = data.pop("starts_at", None)
    fields = {key: value for key, value in data.items() if key in _Flow.__dataclass_fields__}
    return _Flow(**fields, starts_at=datetime.fromisoformat(starts_at) if starts_at else None)


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


def _ask_start(env: Env) -> Safe:
    return env.t("When does it start? Send the date and time, e.g. 2026-12-03 15:00. I read them in your "
                 "time ({zone}); for another zone add a city or zone after them, e.g. 2026-12-03 15:00 Lima.",
                 zone=env.t.place(env.zone_of(env.member)))


def _ask_duration(env: Env) -> None:
    env.reply(env.t("How long will it last? Tap a duration or type the number of minutes."),
              [[(str(minutes_text(env.t, m)), f"nm:dur:{m}") for m in DURATION_CHOICES], _cancel_row(env.t)])


def _confirm(env: Env, flow: _Flow, answer=None) -> None:  # type: ignore[no-untyped-def]
    """Everything gathered, said back once before anyone is told (``answer``: reply or edit)."""
    assert flow.starts_at is not None
    flow.step = "confirm"
    lines = [env.t("<b>{title}</b>", title=flow.title),
             env.t("When: {when}", when=env.t.datetime(flow.starts_at, flow.zone)),
             env.t("Duration: {duration}", duration=minutes_text(env.t, flow.minutes)),
             env.t("Create this meeting and tell everyone?")]
    (answer or env.reply)("\n".join(lines), [[(env.t("Create"), "nm:ok")], _cancel_row(env.t)])


async def newmeeting_answer(env: Env) -> None:
    """A text reply during a guided /newmeeting."""
    flow = await _current_flow(env)
    if flow is None:
        return
    await _step(env, flow)
    await _keep_flow(env, flow)


def _read_start(env: Env, text: str) -> tuple[datetime, str] | None:
    """``2026-12-03 15:00`` in the member's zone, or ``2026-12-03 15:00 Lima`` in another."""
    parts = text.split(maxsplit=2)
    zone = env.zone_of(env.member)
    if len(parts) < 2:
        env.reply(time_error_text(env.t, MalformedDateTime(text), text, zone))
        return None
    if len(parts) == 3:
        found = zone_from_text(env, parts[2][:100])
        if found is None:
            return None
        zone = found
    starts_at = read_start(env, parts[0], parts[1], zone)
    return (starts_at, zone) if starts_at is not None else None


async def _step(env: Env, flow: _Flow) -> None:
    text = env.text.strip()
    if flow.step == "title":
        title = title_or_reply(env, text)
        if title is None:
            return
        flow.title = title
        if flow.from_slot:
            _confirm(env, flow)
        else:
            flow.step = "start"
            env.reply(_ask_start(env), [_cancel_row(env.t)])
    elif flow.step == "start":
        read = _read_start(env, text)
        if read is not None:
            (flow.starts_at, flow.zone), flow.step = read, "duration"
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


async def _from_slot(env: Env, duration_text: str, quarter_text: str) -> None:
    """/findslot's "Schedule": the start and length are the slot's, the title is asked (with the
    usual one offered), then everything is confirmed before anyone is told."""
    start = read_quarter(quarter_text, env.now)
    minutes = parse_number(duration_text, service.MIN_DURATION, service.MAX_DURATION)
    if start is None or minutes is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    if await start_taken(env, start):
        return
    usual = env.group_translator()(DEFAULT_TITLE)
    await _keep_flow(env, _Flow(title=str(usual), zone=env.committee.timezone, starts_at=start, minutes=minutes,
                                from_slot=True))
    env.reply(env.t("Meeting on {when}. What is its title? Send it, or tap to keep “{title}”.",
                    when=env.t.datetime(start, env.zone_of(env.member)), title=usual),
              [[(env.t("Keep this title"), "nm:keep")], _cancel_row(env.t)])


@button(access="secretariat")
async def newmeeting_button(env: Env) -> None:
    slot = callback_args(env.data, "nm", 3)
    if slot is not None and slot[0] == "slot":
        await _from_slot(env, slot[1], slot[2])
        return
    flow = await _current_flow(env)
    action = callback_args(env.data, "nm", 2) or callback_args(env.data, "nm", 1)
    if flow is None or action is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    if action == ["cancel"]:
        await _end_flow(env)
        env.edit(env.t("Planning cancelled: nothing was created."))
    elif flow.step == "title" and flow.from_slot and action == ["keep"]:
        _confirm(env, flow, answer=env.edit)
        await _keep_flow(env, flow)
    elif flow.step == "duration" and len(action) == 2 and action[0] == "dur" and action[1] in map(str, DURATION_CHOICES):
        flow.minutes = int(action[1])
        _confirm(env, flow, answer=env.edit)
        await _keep_flow(env, flow)
    elif flow.step == "confirm" and action == ["ok"]:
        await _end_flow(env)
        assert flow.starts_at is not None
        if flow.starts_at <= env.now:
            env.edit(time_error_text(env.t, PastDateTime(flow.starts_at, env.now), "", flow.zone))
            return
        if await start_taken(env, flow.starts_at):
            return
        meeting = await create_and_announce(env, title=flow.title, starts_at=flow.starts_at, zone=flow.zone,
                                            duration_minutes=flow.minutes)
        env.edit(await created_text(env, meeting))
    else:
        env.toast = env.t(BUTTON_EXPIRED)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("newmeeting", newmeeting))
    application.add_handler(CallbackQueryHandler(newmeeting_button, pattern=r"^nm:"))
    register_dialogue(application, FLOW, newmeeting_answer, access="secretariat")
