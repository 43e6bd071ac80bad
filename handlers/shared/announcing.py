"""Creating a meeting and telling everyone, for every area that plans or changes one (/newmeeting,
/findslot's slots, a poll's winner, a night draft confirmed, a series changed): one use of the
service, then a notice per member in their language and zone, and what the outbox can reach."""

from datetime import datetime

from sqlalchemy import select


from bot.domain.notify import MEETINGS
from bot.services import meetings as service
from bot.services import members, standing_items
from bot.i18n.translation import Safe
from bot.domain.recurrence import Recurrence, parse_recurrence
from handlers.common import Env
from handlers.shared.hours_text import (
    ask_to_create, weekend_lines, who_at_night, who_on_weekend,
)
from handlers.shared.replies import (
    in_group_languages,
)
from handlers.shared.reach_text import fanout_text
from handlers.shared.meeting_text import CANCELLED, CREATED, notice_text, rsvp_buttons, series_text
from storage.models import Meeting

async def announce(env: Env, meeting: Meeting, kind: str, previous: datetime | None = None) -> None:
    """Tell the group (its language, the meeting's zone) and every active member privately
    (their language and zone), with RSVP buttons unless the meeting is cancelled."""
    posts = [(notice_text(g, meeting, kind, meeting.timezone, previous, await series_text(env, g, meeting),
                          group=True), None) for g in env.group_translators()]
    await env.tell_group(*in_group_languages(posts), ref=("meeting", meeting.id))
    soonest = min(meeting.starts_at, previous) if previous else meeting.starts_at  # a move tells both times
    for member in await members.active_members(env.session):
        t = env.translator_for(member)
        text = notice_text(t, meeting, kind, env.zone_of(member), previous, await series_text(env, t, meeting))
        await env.tell(member, text, rsvp_buttons(t, meeting.id) if kind != CANCELLED else None,
                       ref=("meeting", meeting.id), topic=MEETINGS, about_start=soonest)


async def create_and_announce(env: Env, *, title: str, starts_at: datetime, zone: str, duration_minutes: int,
                              recurrence: Recurrence | str | None = None) -> Meeting:
    """Create a meeting (a series when ``recurrence`` is given, a Recurrence or a rule typed in
    en/fr/es), plan its reminders, add the action-item review, and tell everyone.

    ``starts_at`` must be aware and in the future. Raises :class:`bot.services.meetings.MeetingError`
    (title, duration), :class:`bot.domain.recurrence.UnknownRecurrence` or ``StartNotOnRule``;
    nothing is kept then, as the handler frame rolls back."""
    offsets = env.settings.reminders.meeting_offsets
    rule = parse_recurrence(recurrence) if isinstance(recurrence, str) else recurrence
    night = await who_at_night(env, starts_at, duration_minutes) if rule is None else []
    meeting = await service.create_meeting(env.session, title=title, starts_at=starts_at, zone=zone,
                                           duration_minutes=duration_minutes, by=env.member, now=env.now,
                                           offsets=offsets, draft=bool(night))
    if night:
        ask_to_create(env, meeting, night)
        return meeting
    if rule is not None:
        await service.make_recurring(env.session, meeting, rule, by=env.member, now=env.now, offsets=offsets)
    await standing_items.ensure_standing_items(env.session, meeting, env.now)
    await announce(env, meeting, CREATED)
    return meeting


def told_text(env: Env, meeting: Meeting) -> Safe:
    """Who this update's notices about ``meeting`` can reach (never more than the outbox knows)."""
    return fanout_text(env.t, env.reach(), group=bool(env.committee.group_chat_id), meeting_id=meeting.id)


async def created_text(env: Env, meeting: Meeting) -> Safe:
    """The chair's answer once a meeting is created: when, who was told, and whose weekend it is."""
    if meeting.status == service.DRAFT:
        return env.t("Meeting #{id} is a draft until you answer the question about night hours.", id=meeting.id)
    weekend = await who_on_weekend(env, meeting.starts_at, meeting.duration_minutes)
    return Safe("\n".join([env.t("Meeting #{id} created: <b>{title}</b>, {when}.", id=meeting.id, title=meeting.title,
                                  when=env.t.datetime(meeting.starts_at, env.zone_of(env.member))),
                            told_text(env, meeting), *weekend_lines(env.t, env, meeting, weekend)]))




async def start_taken(env: Env, start: datetime) -> bool:
    """Whether a meeting already starts at ``start`` (a second tap, or two chairs at once); says so."""
    existing = await env.session.scalar(select(Meeting).where(Meeting.starts_at == start,
                                                              Meeting.status != "cancelled"))
    if existing is not None:
        env.reply(env.t("Meeting #{id} already starts at that time ({when}).", id=existing.id,
                        when=env.t.datetime(existing.starts_at, env.zone_of(env.member))))
    return existing is not None
