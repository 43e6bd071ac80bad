"""Reminders as members read them, and the commands that steer them.

The outbox rows planned by :mod:`bot.services.reminders` (meetings, action items, the chair's weekly
digest) and :mod:`bot.services.polls` (``poll_reminder``) are rendered here at send time, from the
current records and in the reader's current language and zone: a renamed meeting, a moved
agenda or a new ``/lang`` shows as it is when the message leaves. A renderer raises
``Skip("missed")`` when what it reminds of is already past (the bot was down) and
``Skip("cancelled")`` when the reminder no longer applies (declined, answered, done).

Commands: ``/reminders off|on`` (a member), ``/reminders status`` (chair and secretariat),
``/meetingreminders <id> 2d 3h|default`` (chair). Any update from a member clears their
"unreachable" mark (set by the dispatcher when Telegram answered 403).
"""

import logging
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import Application, CommandHandler

from bot.services import members, notifications
from bot.domain.notify import NOT_SENT, NUDGE
from bot.domain.access import has_access
from bot.delivery.dispatcher import BLOCKED, DELIVERY_REPORT, UNREACHABLE, Rendered, Skip
from bot.domain.durations import DurationError, format_duration, parse_duration
from bot.i18n.translation import N_, Safe, Translator, escape
from bot.input.numbers import parse_id
from storage.outbox import MESSAGE
from bot.services.reach import NOT_LINKED, UNLINKED, roster_reach
from bot.services.reminders import (
    ACTION_MORNING, ACTION_OVERDUE, ACTION_REMINDER, MEETING_REMINDER, OVERDUE_DIGEST, POLL_REMINDER,
    cancel_member_reminders, meeting_offsets, plan_digests, replan_meeting, replan_member,
)
from bot.services import Services
from handlers.common import NOT_ALLOWED, CommandSpec, Env, command
from handlers.shared.agenda_text import item_title
from handlers.shared.meeting_text import rsvp_buttons
from handlers.shared.outbox_reader import recipient
from handlers.shared.reminder_text import late_lines, until_text
from handlers.shared.reach_text import roster_text
from storage.models import (
    ActionItem, AgendaItem, AvailabilityPoll, Meeting, Member, OutboxMessage, PollAnswer, PollSlot, Rsvp,
)

log = logging.getLogger("inspir.reminders")

COMMANDS = [
    CommandSpec("reminders", N_("Your reminders: /reminders off or /reminders on (chair: /reminders status)"),
                chats="private"),
    CommandSpec("meetingreminders", N_("When members are reminded of a meeting: /meetingreminders 12 2d 3h, "
                                       "or default"), access="chair"),
]

MAX_AGENDA_LINES = 15
MAX_DIGEST_LINES = 40
MAX_REPORT_LINES = 20
MAX_OFFSETS = 5
MAX_OFFSET = timedelta(days=30)
TEXT_PREVIEW = 200

KIND_LABELS = {
    MEETING_REMINDER: N_("meeting reminder"),
    ACTION_REMINDER: N_("action item reminder"),
    ACTION_OVERDUE: N_("overdue action item nudge"),
    POLL_REMINDER: N_("availability poll reminder"),
    OVERDUE_DIGEST: N_("weekly overdue digest"),
    DELIVERY_REPORT: N_("delivery report"),
    MESSAGE: N_("other message"),
}
STATE_LABELS = {
    "pending": N_("pending: {n}"), "claimed": N_("being sent: {n}"), "sent": N_("sent: {n}"),
    "failed": N_("failed: {n}"), UNLINKED: N_("not linked to Telegram: {n}"), "missed": N_("missed: {n}"),
    "cancelled": N_("cancelled: {n}"),
}


# --- what every reminder says -----------------------------------------------------------

# --- renderers ---------------------------------------------------------------------------

async def render_meeting_reminder(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    now = services.clock()
    meeting = await session.get(Meeting, row.ref_id) if row.ref_id else None
    if meeting is None or meeting.status != "scheduled":
        raise Skip("cancelled", "meeting cancelled")
    if meeting.starts_at <= now:
        raise Skip("missed", "meeting already started")
    if meeting.record_closed_at is not None:  # held early: "starts in 30 minutes" would be false
        raise Skip("cancelled", "meeting already held")
    # The key names the start it was planned for (due_at may have moved: retries, 429).
    if f":{meeting.starts_at:%Y%m%dT%H%MZ}:" not in row.dedupe_key:
        raise Skip("cancelled", "meeting moved since this reminder was planned")
    planned = meeting.starts_at - timedelta(minutes=int(row.payload.get("offset_minutes", 0)))
    member, t, zone = await recipient(session, row, services)
    if not member.reminders_enabled:
        raise Skip("cancelled", "reminders switched off")
    answer = await session.scalar(select(Rsvp.answer).where(Rsvp.meeting_id == meeting.id,
                                                            Rsvp.member_id == member.id))
    if answer == "no":
        raise Skip("cancelled", "declined")
    lines = [t("⏰ <b>Reminder: {title}</b> (#{id}) starts in {until}.", title=meeting.title, id=meeting.id,
               until=until_text(t, meeting.starts_at - now)),
             t("When: {when}", when=t.datetime(meeting.starts_at, zone))]
    lines.append(t("Video link: {link}", link=meeting.link) if meeting.link else t("No video link yet."))
    items = list(await session.scalars(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id, AgendaItem.status == "approved").order_by(AgendaItem.position)))
    if items:
        lines.append(t("<b>Agenda</b>"))
        for number, item in enumerate(items[:MAX_AGENDA_LINES], start=1):
            title = escape(item_title(t, item.kind, item.title))
            lines.append(f"{number}. {title}")
        if len(items) > MAX_AGENDA_LINES:
            lines.append(t.plural("… and {n} more item", "… and {n} more items", len(items) - MAX_AGENDA_LINES))
    else:
        lines.append(t("No agenda yet."))
    if answer == "yes":
        lines.append(t("You said you will attend."))
    elif answer == "maybe":
        lines.append(t("You said you might attend. Will you?"))
    else:
        lines.append(t("Will you attend?"))
    lines += late_lines(t, planned, now)
    return Rendered(member.telegram_id or 0, "\n".join(lines), rsvp_buttons(t, meeting.id))


async def _open_action(session: AsyncSession, row: OutboxMessage) -> ActionItem:
    action = await session.get(ActionItem, row.ref_id) if row.ref_id else None
    if action is None or action.deleted_at is not None or action.status != "open" or action.due_date is None:
        raise Skip("cancelled", "action item closed")
    if action.owner_id != row.recipient_id:
        raise Skip("cancelled", "action item has another owner")
    if f":{action.due_date:%Y%m%d}:" not in row.dedupe_key:
        raise Skip("cancelled", "due date changed since this reminder was planned")
    return action


async def _action_lines(session: AsyncSession, t: Translator, action: ActionItem) -> list[str]:
    text = action.text if len(action.text) <= TEXT_PREVIEW else action.text[:TEXT_PREVIEW] + "…"
    lines = [f"<i>{escape(text)}</i>"]
    if action.meeting_id:
        meeting = await session.get(Meeting, action.meeting_id)
        if meeting is not None:
            lines.append(t("Decided at meeting #{id}: {title}", id=meeting.id, title=meeting.title))
    lines.append(t("When it is done: /done {id}", id=action.id))
    return lines


async def render_action_reminder(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    now = services.clock()
    action = await _open_action(session, row)
    member, t, zone = await recipient(session, row, services)
    if not member.reminders_enabled:
        raise Skip("cancelled", "reminders switched off")
    assert action.due_date is not None
    if now >= datetime.combine(action.due_date, ACTION_MORNING, ZoneInfo(zone)):
        raise Skip("missed", "due date reached")
    lines = [t("📌 <b>Action item #{id} is due on {date}</b>", id=action.id, date=t.date(action.due_date)),
             *await _action_lines(session, t, action), *late_lines(t, row, now)]
    return Rendered(member.telegram_id or 0, "\n".join(lines))


async def render_action_overdue(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    action = await _open_action(session, row)
    member, t, _zone = await recipient(session, row, services)
    if not member.reminders_enabled:
        raise Skip("cancelled", "reminders switched off")
    assert action.due_date is not None
    lines = [t("⚠️ <b>Action item #{id} is overdue</b>: it was due on {date}.", id=action.id,
               date=t.date(action.due_date)),
             *await _action_lines(session, t, action),
             t("If the date no longer holds, the chair or the secretariat can change it.")]
    return Rendered(member.telegram_id or 0, "\n".join(lines))


async def render_poll_reminder(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    """Payload contract with the polls area: ``{"poll_id": int}``, ref_type ``poll``."""
    now = services.clock()
    poll_id = row.payload.get("poll_id") or row.ref_id
    poll = await session.get(AvailabilityPoll, int(poll_id)) if poll_id else None
    if poll is None:
        raise Skip("cancelled", "poll deleted")
    if poll.closed_at is not None or (poll.closes_at is not None and poll.closes_at <= now):
        raise Skip("missed", "poll closed")
    member, t, zone = await recipient(session, row, services)
    if not member.reminders_enabled:
        raise Skip("cancelled", "reminders switched off")
    if notifications.where_to(member, NUDGE, now, zone) == NOT_SENT:
        raise Skip("cancelled", "the member chose fewer messages (/notify)")
    slots = list(await session.scalars(select(PollSlot).where(PollSlot.poll_id == poll.id)
                                       .order_by(PollSlot.starts_at, PollSlot.id)))
    answered = await session.scalar(select(func.count()).select_from(PollAnswer).where(
        PollAnswer.member_id == member.id, PollAnswer.slot_id.in_([s.id for s in slots] or [-1])))
    if answered:
        raise Skip("cancelled", "already answered")
    lines = [t("🗳 <b>Availability poll #{id}: {title}</b>", id=poll.id, title=poll.title),
             t("You have not answered yet. When could you attend? The times are in your time zone ({zone}).",
               zone=t.place(zone))]
    for number, slot in enumerate(slots, start=1):
        lines.append(f"{number}. {escape(t.short_datetime(slot.starts_at, zone))}")
    if poll.closes_at is not None:
        lines.append(t("The poll closes {when}.", when=t.datetime(poll.closes_at, zone)))
    lines += late_lines(t, row, now)
    buttons = [[(t("{n}: I can", n=number), f"poll:a:{poll.id}:{slot.id}:y:{member.id}"),
                (t("{n}: if need be", n=number), f"poll:a:{poll.id}:{slot.id}:m:{member.id}"),
                (t("{n}: I cannot", n=number), f"poll:a:{poll.id}:{slot.id}:n:{member.id}")]
               for number, slot in enumerate(slots, start=1)]
    return Rendered(member.telegram_id or 0, "\n".join(lines), buttons or None)


async def render_overdue_digest(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    """The chair's weekly list of overdue action items; the next week's digest is planned
    in the same transaction, so the series goes on whether this one is sent or skipped."""
    now = services.clock()
    settings = services.settings.reminders
    committee = await members.committee(session)
    await plan_digests(session, settings.digest_day, settings.digest_time, committee.timezone, now)
    member, t, zone = await recipient(session, row, services)
    if member.access != "chair":
        raise Skip("cancelled", "no longer chair")
    today = now.astimezone(ZoneInfo(zone)).date()
    rows = list((await session.execute(
        select(ActionItem, Member.name).outerjoin(Member, Member.id == ActionItem.owner_id).where(
            ActionItem.status == "open", ActionItem.deleted_at.is_(None), ActionItem.due_date < today)
        .order_by(ActionItem.due_date, ActionItem.id))).tuples())
    if not rows:
        raise Skip("cancelled", "nothing overdue")
    lines = [t.plural("📋 <b>Weekly digest: {n} overdue action item</b>",
                      "📋 <b>Weekly digest: {n} overdue action items</b>", len(rows))]
    for action, owner in rows[:MAX_DIGEST_LINES]:
        assert action.due_date is not None
        text = action.text if len(action.text) <= 80 else action.text[:80] + "…"
        late = (today - action.due_date).days
        lines.append(t("• #{id} {text} ({owner}, due {date}, {late})", id=action.id, text=text,
                       owner=owner or t("no owner"), date=t.date(action.due_date),
                       late=t.plural("{n} day late", "{n} days late", late)))
    if len(rows) > MAX_DIGEST_LINES:
        lines.append(t.plural("… and {n} more", "… and {n} more", len(rows) - MAX_DIGEST_LINES))
    lines += late_lines(t, row, now)
    return Rendered(member.telegram_id or 0, "\n".join(lines))


def _reason(t: Translator, error: str | None) -> Safe:
    if error == NOT_LINKED:  # rows failed before the state ``unlinked`` existed
        return t("the member is not linked to Telegram")
    if error in (BLOCKED, UNREACHABLE):
        return t("the member blocked the bot or never opened a chat with it")
    if error and error.startswith("refused"):
        return t("Telegram refused the message")
    if error == "rate limited":
        return t("Telegram kept asking the bot to slow down")
    return t("Telegram could not be reached after several attempts")


async def render_delivery_report(session: AsyncSession, row: OutboxMessage, services: Services) -> Rendered:
    member, t, zone = await recipient(session, row, services)
    since = datetime.fromisoformat(row.payload["since"])
    failed = list((await session.execute(
        select(OutboxMessage, Member.name).outerjoin(Member, Member.id == OutboxMessage.recipient_id).where(
            OutboxMessage.state == "failed", OutboxMessage.kind != DELIVERY_REPORT,
            OutboxMessage.claimed_at >= since).order_by(OutboxMessage.id))).tuples())
    unreachable = list(await session.scalars(select(Member).where(
        Member.active.is_(True), Member.unreachable_since.is_not(None)).order_by(Member.name)))
    if not failed and not unreachable:
        raise Skip("cancelled", "nothing to report")
    lines = [t("🚨 <b>Delivery problems</b> since {when}", when=t.datetime(since, zone))]
    if failed:
        lines.append(t.plural("{n} message could not be delivered:", "{n} messages could not be delivered:",
                              len(failed)))
        for failure, name in failed[:MAX_REPORT_LINES]:
            lines.append(t("• {kind} for {name}: {reason}", kind=t(KIND_LABELS.get(failure.kind, KIND_LABELS[MESSAGE])),
                           name=name or t("the group"), reason=_reason(t, failure.last_error)))
        if len(failed) > MAX_REPORT_LINES:
            lines.append(t.plural("… and {n} more", "… and {n} more", len(failed) - MAX_REPORT_LINES))
    if unreachable:
        lines.append(t("<b>Members the bot cannot reach</b> (they blocked it or never opened a chat with it; "
                       "reminders to them are not sent until they write to the bot):"))
        for person in unreachable:
            assert person.unreachable_since is not None
            lines.append(t("• {name}, since {when}", name=person.name,
                           when=t.short_datetime(person.unreachable_since, zone)))
    return Rendered(member.telegram_id or 0, "\n".join(lines))


# --- commands ----------------------------------------------------------------------------

@command()
async def reminders_command(env: Env) -> None:
    t = env.t
    assert env.member is not None
    word = env.args[0].lower() if len(env.args) == 1 else ""
    reminders = env.settings.reminders
    if word == "off":
        env.member.reminders_enabled = False
        cancelled = await cancel_member_reminders(env.session, env.member.id)
        await members.audit(env.session, env.member, "member.reminders", "member", env.member.id, enabled=False)
        env.reply(t.plural("Reminders are off: {n} pending reminder was cancelled. /reminders on switches "
                           "them back on.",
                           "Reminders are off: {n} pending reminders were cancelled. /reminders on switches "
                           "them back on.", cancelled), personal=True)
    elif word == "on":
        env.member.reminders_enabled = True
        pending = await replan_member(env.session, env.member, list(reminders.meeting_offsets),
                                      list(reminders.action_offsets), env.committee.timezone, env.now)
        await members.audit(env.session, env.member, "member.reminders", "member", env.member.id, enabled=True)
        env.reply(t.plural("Reminders are on: {n} reminder is planned for you.",
                           "Reminders are on: {n} reminders are planned for you.", pending), personal=True)
    elif word == "status":
        if not has_access(env.member.access, "secretariat"):
            env.reply(t(NOT_ALLOWED))
            return
        env.reply(await _status(env), personal=True)
    else:
        env.reply(t("Your reminders are on. /reminders off stops them.") if env.member.reminders_enabled
                  else t("Your reminders are off. /reminders on starts them again."), personal=True)


async def _status(env: Env) -> str:
    t = env.t
    zone = env.zone_of(env.member)
    counts = Counter(dict((await env.session.execute(select(OutboxMessage.state, func.count()).group_by(
        OutboxMessage.state))).tuples().all()))
    lines = [t("<b>Reminders and messages owed</b>")]
    lines.append(" · ".join(t(label, n=counts.get(state, 0)) for state, label in STATE_LABELS.items()))
    nxt = await env.session.scalar(select(OutboxMessage).where(OutboxMessage.state == "pending")
                                   .order_by(OutboxMessage.due_at, OutboxMessage.id).limit(1))
    if nxt is not None:
        lines.append(t("Next: {kind}, {when}", kind=t(KIND_LABELS.get(nxt.kind, KIND_LABELS[MESSAGE])),
                       when=t.datetime(nxt.due_at, zone)))
    else:
        lines.append(t("Nothing is waiting to be sent."))
    failures = list((await env.session.execute(
        select(OutboxMessage, Member.name).outerjoin(Member, Member.id == OutboxMessage.recipient_id).where(
            OutboxMessage.state == "failed").order_by(OutboxMessage.id.desc()).limit(5))).tuples())
    if failures:
        lines.append(t("<b>Latest failures</b>"))
        for failure, name in failures:
            lines.append(t("• {kind} for {name}, due {when}: {reason}", kind=t(KIND_LABELS.get(failure.kind, KIND_LABELS[MESSAGE])),
                           name=name or t("the group"), when=t.short_datetime(failure.due_at, zone),
                           reason=_reason(t, failure.last_error)))
    lines.append(roster_text(t, await roster_reach(env.session)))
    return "\n".join(lines)


@command(access="chair")
async def meetingreminders(env: Env) -> None:
    t = env.t
    usage = t("Usage: /meetingreminders &lt;meeting number&gt; 2d 3h (up to {n} durations), "
              "or /meetingreminders &lt;meeting number&gt; default", n=MAX_OFFSETS)
    number = parse_id(env.args[0]) if env.args else None
    if number is None:
        env.reply(usage)
        return
    meeting = await env.session.get(Meeting, number)
    if meeting is None:
        env.reply(t("There is no meeting #{id}.", id=number))
        return
    if meeting.status != "scheduled" or meeting.starts_at <= env.now:
        env.reply(t("Meeting #{id} is cancelled or already started: its reminders cannot change.", id=meeting.id))
        return
    defaults = list(env.settings.reminders.meeting_offsets)
    words = env.args[1:]
    if words:
        if len(words) == 1 and words[0].lower() == "default":
            meeting.reminder_offsets = None
        else:
            try:
                offsets = sorted({parse_duration(word) for word in words}, reverse=True)
            except DurationError:
                env.reply(usage)
                return
            if len(offsets) > MAX_OFFSETS or offsets[0] > MAX_OFFSET:
                env.reply(t("At most {n} reminders, each at most 30 days before the meeting.", n=MAX_OFFSETS))
                return
            meeting.reminder_offsets = [format_duration(offset) for offset in offsets]
        await replan_meeting(env.session, meeting, defaults, env.now)
        await members.audit(env.session, env.member, "meeting.reminders", "meeting", meeting.id,
                            offsets=meeting.reminder_offsets)
    offsets_text = ", ".join(format_duration(o) for o in meeting_offsets(meeting, defaults))
    pending = await env.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.ref_type == "meeting", OutboxMessage.ref_id == meeting.id,
        OutboxMessage.kind == MEETING_REMINDER, OutboxMessage.state == "pending")) or 0
    source = t("the committee's default") if meeting.reminder_offsets is None else t("set for this meeting")
    env.reply(t("Meeting #{id} “{title}”: members are reminded {offsets} before it starts ({source}).",
                id=meeting.id, title=meeting.title, offsets=offsets_text, source=source) + "\n"
              + t.plural("{n} reminder is planned.", "{n} reminders are planned.", pending))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("reminders", reminders_command))
    application.add_handler(CommandHandler("meetingreminders", meetingreminders))


RENDERERS = {
    MEETING_REMINDER: render_meeting_reminder,
    ACTION_REMINDER: render_action_reminder,
    ACTION_OVERDUE: render_action_overdue,
    POLL_REMINDER: render_poll_reminder,
    OVERDUE_DIGEST: render_overdue_digest,
    DELIVERY_REPORT: render_delivery_report,
}
