"""Answers several areas give the same way: which member, which meeting, which due date, and
why a meeting refused a change. Each returns the value, or None after telling the user why not,
so an area never imports another area to phrase these."""

from datetime import date

from bot.delivery.sending import Buttons
from bot.i18n.translation import N_, Translator
from bot.input.numbers import parse_id
from bot.services.due_phrases import MalformedDue, read_due_date
from bot.services import meetings, members, records
from bot.services.minutes import Person
from handlers.common import Env
from storage.models import Meeting, Member

BAD_DATE = N_("“{text}” is not one day: write a date such as 2026-12-15 or 15/12, or a day such as "
              "next Friday or the end of the month.")
PAST_DATE = N_("The due date {date} has already passed.")
WHICH_MEMBER = N_("Which member? {names}")
NO_SUCH_MEMBER = N_("No member of the roster matches “{query}”.")
FORMER = N_("former member")
NO_SUCH_MEETING = N_("There is no meeting #{id}. /meetings lists the upcoming ones.")
NOT_AN_ID = N_("“{text}” is not a meeting number. Write it as 12 or #12.")
NOT_A_NUMBER = {
    "meeting": NOT_AN_ID,
    "action": N_("“{text}” is not an action number. Write it as 12 or #12; /mytasks and /actions list them."),
    "vote": N_("“{text}” is not a vote number. Write it as 3 or #3."),
    "item": N_("“{text}” is not an item number. Write it as 5 or #5."),
}


def typed_id(env: Env, text: str, kind: str) -> int | None:
    """The record number the user typed, or None after saying that it is not a number (rather
    than "there is no meeting #abc", which suggests such a record could exist)."""
    number = parse_id(text)
    if number is None:
        env.reply(env.t(NOT_A_NUMBER[kind], text=text[:20]))
    return number


def name_of(t: Translator, who: Person | Member | None) -> str:
    """A person as the record shows them: a former member's placeholder is translated."""
    if who is None:
        return t("unassigned")
    if isinstance(who, Member):
        return t(FORMER) if records.is_former(who) else who.name
    return t(FORMER) if who.former else who.name


async def resolve_member(env: Env, query: str) -> Member | None:
    """The roster member ``query`` names; otherwise tells the user (candidates) and None."""
    match = await members.find_member(env.session, query)
    if match.found is not None:
        return match.found
    names = ", ".join(m.name for m in (match.candidates or match.suggestions))
    env.reply(env.t(WHICH_MEMBER, names=names) if names else env.t(NO_SUCH_MEMBER, query=query[:100]))
    return None


def writer_today(env: Env) -> date:
    """The sender's own local date: what their "today", "demain" or "el viernes" count from."""
    return records.local_today(env.now, env.zone_of(env.member))


def parse_due(env: Env, text: str) -> tuple[bool, date | None]:
    """(ok, date) for a day alone or after a due phrase (``2026-12-15``, ``vendredi``,
    ``para el 20/12``); tells the user when malformed or already past."""
    try:
        day = read_due_date(text, writer_today(env))
    except MalformedDue:
        env.reply(env.t(BAD_DATE, text=text[:40]))
        return False, None
    return due_not_past(env, day), day


def due_not_past(env: Env, day: date) -> bool:
    """Whether ``day`` is the sender's today or later; tells the user if not."""
    if day < writer_today(env):
        env.reply(env.t(PAST_DATE, date=env.t.date(day)))
        return False
    return True


async def meeting_from_arg(env: Env, text: str | None) -> Meeting | None:
    """The meeting named by ``12`` or ``#12``, or None after telling the user why not."""
    if not text:
        env.reply(env.t("Which meeting? Give its number, e.g. 12 or #12. /meetings lists them."))
        return None
    meeting_id = typed_id(env, text, "meeting")
    if meeting_id is None:
        return None
    meeting = await meetings.get_meeting(env.session, meeting_id)
    if meeting is None:
        env.reply(env.t(NO_SUCH_MEETING, id=meeting_id))
    return meeting


async def meeting_or_next(env: Env) -> Meeting | None:
    """The meeting named by the first argument, or without one the next meeting (what a member
    typing a bare /meeting wants); None after telling the user why not."""
    if env.args:
        return await meeting_from_arg(env, env.args[0])
    meeting = await meetings.next_meeting(env.session, env.now)
    if meeting is None:
        env.reply(env.t("No meeting is planned. Give a number to see an earlier one, e.g. /meeting 12."))
    return meeting


def title_or_reply(env: Env, text: str) -> str | None:
    """A clean meeting title, or None after saying what is wrong with it."""
    try:
        return meetings.clean_title(text)
    except meetings.EmptyTitle:
        env.reply(env.t("The meeting needs a title."))
    except meetings.TitleTooLong as too_long:
        env.reply(env.t("That title is too long (at most {limit} characters). Nothing was changed.",
                        limit=too_long.limit))
    return None


def explain_refusal(env: Env, error: meetings.MeetingError, meeting_id: int) -> None:
    """Why a meeting refused a change; an unexpected refusal is raised, never hidden."""
    if isinstance(error, meetings.NotScheduled):
        env.reply(env.t("Meeting #{id} was cancelled: nothing was changed.", id=meeting_id))
    elif isinstance(error, meetings.MeetingOver):
        env.reply(env.t("Meeting #{id} is already over: nothing was changed.", id=meeting_id))
    elif isinstance(error, meetings.AlreadyRecurring):
        env.reply(env.t("Meeting #{id} already belongs to a repeating series.", id=meeting_id))
    else:
        raise error


def in_group_languages(posts: list[tuple[str, Buttons | None]]) -> tuple[str, Buttons | None]:
    """One post of the group in each of its languages: the texts one block each (a block the
    same in two languages once), the buttons once, each label in every language ("Oui · Yes ·
    Sí"), so every reader can answer."""
    texts = list(dict.fromkeys(text for text, _ in posts))
    layouts = [buttons for _, buttons in posts if buttons]
    if not layouts:
        return "\n\n".join(texts), None
    merged = [[(" · ".join(dict.fromkeys(layout[r][c][0] for layout in layouts)), data)
               for c, (_, data) in enumerate(row)] for r, row in enumerate(layouts[0])]
    return "\n\n".join(texts), merged
