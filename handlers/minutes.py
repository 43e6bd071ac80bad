"""The minutes of a held meeting: sent at /endmeeting (rendered for each reader when sent),
shown again with /minutes, corrected by the chair with /amend while they are a draft, and
adopted with /adopt (typically at the next meeting), after which they are read-only."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.delivery.dispatcher import Rendered, Skip
from bot.domain.access import choose_language
from bot.domain.labels import language_choices, read_language
from bot.i18n.translation import N_, SUPPORTED, Translator
from bot.services import Services, members, minutes_snapshot, records
from bot.services.minutes_snapshot import MINUTES, PARTS
from bot.services.reach import NOT_LINKED, UNLINKED
from storage.models import Meeting, Member, OutboxMessage
from bot.input.callbacks import callback_args
from bot.input.numbers import parse_id
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command
from handlers.shared.minutes_text import document_caption, minutes_filename, render_parts
from handlers.shared.replies import in_group_languages, meeting_from_arg

COMMANDS = [
    CommandSpec("minutes", N_("Send the minutes of a meeting again: /minutes NUMBER [fr|en|es]")),
    CommandSpec("amend", N_("Correct draft minutes: /amend NUMBER TEXT"), access="chair"),
    CommandSpec("adopt", N_("Adopt the minutes of a meeting: /adopt NUMBER"), access="chair"),
]

NO_RECORD_YET = N_("Meeting #{id} has no record yet.")
REFUSALS = {
    "no_record": NO_RECORD_YET,
    "still_open": N_("The record of meeting #{id} is still open: close it with /endmeeting first."),
    "adopted": N_("The minutes of meeting #{id} were adopted on {date}: they can no longer be changed."),
}


async def render_minutes(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    """The minutes as they stand when sent (frozen once the record closed), in the reader's
    language now; a group row carries its language."""
    committee = await members.committee(session)
    meeting = await session.get(Meeting, int(row.payload.get("meeting_id", 0)))
    part = row.payload.get("part", "text")
    if meeting is None or meeting.record_opened_at is None or part not in PARTS:
        raise Skip("cancelled", "no such meeting record")
    if row.recipient_id is not None:
        member = await session.get(Member, row.recipient_id)
        if member is None or not member.active or not member.telegram_id:
            raise Skip(UNLINKED, NOT_LINKED)
        chat_id = member.telegram_id
        lang = choose_language(member.chosen_language, member.language, None, committee.default_language)
    elif row.chat_id is not None:
        chat_id = row.chat_id
        lang = row.payload.get("lang") or committee.default_language
    else:
        raise Skip("failed", "no recipient")
    t = services.i18n.translator(lang)
    rendered = render_parts(t, await minutes_snapshot.load(session, meeting), committee.timezone)
    if part == "text":
        return Rendered(chat_id, rendered["text"], _files_button(t, meeting.id) if row.payload.get("files_button")
                        else None)
    return Rendered(chat_id, document_caption(t, meeting.id, part),
                    document=(minutes_filename(meeting.id, lang, part), rendered[part].encode("utf-8")))


def _files_button(t: Translator, meeting_id: int) -> list[list[tuple[str, str]]]:
    """For members who chose less (/notify): the files only when they ask."""
    return [[(t("📎 The minutes as files (Markdown, HTML)"), f"minutes:files:{meeting_id}")]]


def _send_files(env: Env, meeting: Meeting, t: Translator, rendered: dict[str, str]) -> None:
    for part in PARTS[1:]:
        env.reply_document(minutes_filename(meeting.id, t.lang, part), rendered[part].encode("utf-8"),
                           document_caption(t, meeting.id, part), personal=True)


@command()
async def minutes(env: Env) -> None:
    if not env.args or len(env.args) > 2:
        env.reply(env.t("Usage: /minutes NUMBER [fr|en|es], for example /minutes 12 fr."))
        return
    meeting = await meeting_from_arg(env, env.args[0])
    if meeting is None:
        return
    lang = env.t.lang
    if len(env.args) == 2:
        lang = read_language(env.args[1][:40]) or ""
        if lang not in SUPPORTED:
            env.reply(env.t("Unknown language. Choose one of {languages}.", languages=language_choices()))
            return
    if meeting.record_opened_at is None:
        env.reply(env.t(NO_RECORD_YET, id=meeting.id))
        return
    t = env.services.i18n.translator(lang)
    rendered = render_parts(t, await minutes_snapshot.load(env.session, meeting), env.committee.timezone)
    env.reply(rendered["text"], personal=True)
    _send_files(env, meeting, t, rendered)


@button()
async def files_button(env: Env) -> None:
    """The files of minutes sent as text only, in the reader's language now."""
    parts = callback_args(env.data, "minutes", 2)
    meeting = await records.get_meeting(env.session, parse_id(parts[1]) if parts and parts[0] == "files" else None)
    if meeting is None or meeting.record_opened_at is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    rendered = render_parts(env.t, await minutes_snapshot.load(env.session, meeting), env.committee.timezone)
    _send_files(env, meeting, env.t, rendered)
    env.toast = env.t("The files of the minutes of meeting #{id} are on their way.", id=meeting.id)


async def _meeting_argument(env: Env, usage: str) -> Meeting | None:
    """The meeting named by the first argument, or None after telling the user why not."""
    if not env.args:
        env.reply(env.t(usage))
        return None
    return await meeting_from_arg(env, env.args[0])


def _day(t: Translator, moment: datetime, zone: str) -> str:
    return t.date(moment.astimezone(ZoneInfo(zone)).date())


def _refusal(env: Env, error: records.RecordError) -> None:
    adopted = error.details.get("adopted_at")
    env.reply(env.t(REFUSALS[error.code], id=error.details["meeting_id"],
                    date=_day(env.t, adopted, env.committee.timezone) if adopted else ""))


AMEND_USAGE = N_("Usage: /amend NUMBER TEXT, for example /amend 12 Decision #3 reads “budget 2027”, "
                 "not “budget 2026”.")


@command(access="chair")
async def amend(env: Env) -> None:
    assert env.member is not None
    meeting = await _meeting_argument(env, AMEND_USAGE)
    if meeting is None:
        return
    body = env.rest()
    if body is None:
        return
    text = body.split(maxsplit=1)[1].strip() if len(body.split(maxsplit=1)) > 1 else ""
    if not text:
        env.reply(env.t(AMEND_USAGE))
        return
    try:
        number = await minutes_snapshot.amend(env.session, meeting, env.member, text, env.now)
    except records.RecordError as error:
        _refusal(env, error)
        return
    env.reply(env.t("Correction {n} added to the draft minutes of meeting #{id}; /minutes {id} shows them.",
                    n=number, id=meeting.id))


def _adopted_text(t: Translator, meeting: Meeting, adopted_in: int | None, day: str) -> str:
    if adopted_in:
        return t("The minutes of meeting #{id} “{title}” were adopted at meeting #{at} on {date}.",
                 id=meeting.id, title=meeting.title, at=adopted_in, date=day)
    return t("The minutes of meeting #{id} “{title}” were adopted on {date}.", id=meeting.id,
             title=meeting.title, date=day)


ADOPT_USAGE = N_("Usage: /adopt NUMBER, for example /adopt 12.")


@command(access="chair")
async def adopt(env: Env) -> None:
    assert env.member is not None
    if len(env.args) > 1:
        env.reply(env.t(ADOPT_USAGE))
        return
    meeting = await _meeting_argument(env, ADOPT_USAGE)
    if meeting is None:
        return
    try:
        snapshot = await minutes_snapshot.adopt(env.session, meeting, env.member, env.now)
    except records.RecordError as error:
        _refusal(env, error)
        return
    zone, at = env.committee.timezone, snapshot.adopted_in_meeting_id
    text, _ = in_group_languages([(_adopted_text(g, meeting, at, _day(g, env.now, zone)), None)
                                  for g in env.group_translators()])
    if env.in_group:  # the group's message is for everyone
        env.reply(text)
    else:
        env.reply(_adopted_text(env.t, meeting, at, _day(env.t, env.now, zone)))
        await env.tell_group(text, ref=("meeting", meeting.id))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("minutes", minutes))
    application.add_handler(CommandHandler("amend", amend))
    application.add_handler(CommandHandler("adopt", adopt))
    application.add_handler(CallbackQueryHandler(files_button, pattern=r"^minutes:"))


RENDERERS = {MINUTES: render_minutes}
