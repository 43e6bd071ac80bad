"""An agenda as members read it, with clock times in their zone: shown by /agenda, published
to the group and every member, and included in a meeting's details."""

from sqlalchemy import select

from bot.i18n.translation import N_, Translator
from bot.services import agenda as agenda_service
from bot.services import standing_items as standing
from handlers.common import Env
from storage.models import Meeting, Member

REVIEW_TITLE = N_("Review of action items")
ADOPTION_TITLE = N_("Adoption of the minutes of meeting #{id}")


def item_title(t: Translator, kind: str, title: str) -> str:
    """An agenda item's title for the reader: the bot's standing items translated, the others
    as their author wrote them (plain text: the caller escapes or passes it to ``t``)."""
    if kind == standing.REVIEW_KIND:
        return str(t(REVIEW_TITLE))
    if kind == standing.ADOPTION_KIND:
        return str(t(ADOPTION_TITLE, id=standing.adoption_meeting_id(title) or "?"))
    return title


async def _names(env: Env, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await env.session.execute(select(Member.id, Member.name).where(Member.id.in_(wanted)))
    return dict(rows.tuples().all())


async def agenda_lines(env: Env, meeting: Meeting, zone: str, t: Translator | None = None,
                       proposals: bool = True) -> list[str]:
    """The numbered agenda with clock times in ``zone``, durations, owners, the action review
    and an overrun warning; then (unless published) the proposals awaiting a decision."""
    t = t or env.t
    items = await agenda_service.agenda(env.session, meeting)
    proposed = await agenda_service.agenda(env.session, meeting, "proposed")
    if not items:
        lines = [t("No agenda item yet.")]
    else:
        timing = agenda_service.timing(meeting, items)
        actions = await agenda_service.open_actions_before(env.session, meeting)
        names = await _names(env, {i.owner_id for i in items} | {a.owner_id for a in actions})
        lines = []
        for number, (item, timed) in enumerate(zip(items, timing.items, strict=True), start=1):
            minutes = t.plural("{n} min", "{n} min", timed.minutes)
            line = t("{number}. {start}–{end} <b>{title}</b> ({minutes}) · #{id}", number=number,
                     start=t.time(timed.start, zone), end=t.time(timed.end, zone),
                     title=item_title(t, item.kind, item.title),
                     minutes=minutes if timed.estimated else t("about {minutes}", minutes=minutes), id=item.id)
            if item.owner_id in names:
                line += t(" — {owner}", owner=names[item.owner_id])
            lines.append(line)
            if item.kind == standing.REVIEW_KIND:
                lines += [_action_line(t, action, names) for action in actions] or [t("    ◦ no open action item")]
        if timing.overrun_minutes:
            lines.append(t.plural("⚠️ The agenda overruns the meeting by {n} minute.",
                                  "⚠️ The agenda overruns the meeting by {n} minutes.", timing.overrun_minutes))
    if proposed and proposals:
        lines.append(t("Proposed, awaiting the chair (/approve or /decline with the number): {items}",
                       items=", ".join(f"#{i.id} {i.title}" for i in proposed)))
    return lines


def _action_line(t: Translator, action, names: dict[int, str]) -> str:  # type: ignore[no-untyped-def]
    owner = names.get(action.owner_id) if action.owner_id else None
    due = t.date(action.due_date) if action.due_date else None
    if owner and due:
        return t("    ◦ #{id} {text} — {owner}, due {due}", id=action.id, text=action.text[:200], owner=owner, due=due)
    if owner:
        return t("    ◦ #{id} {text} — {owner}", id=action.id, text=action.text[:200], owner=owner)
    if due:
        return t("    ◦ #{id} {text}, due {due}", id=action.id, text=action.text[:200], due=due)
    return t("    ◦ #{id} {text}", id=action.id, text=action.text[:200])


async def agenda_text(env: Env, meeting: Meeting, t: Translator, zone: str, published: bool = False) -> str:
    """The agenda as /agenda shows it; ``published`` leaves out what still awaits the chair."""
    await standing.ensure_standing_items(env.session, meeting, env.now)
    lines = [t("<b>Agenda of meeting #{id}: {title}</b>", id=meeting.id, title=meeting.title),
             t("{when} · {minutes}", when=t.datetime(meeting.starts_at, zone),
               minutes=t.plural("{n} minute", "{n} minutes", meeting.duration_minutes))]
    if meeting.status == "cancelled":
        lines.append(t("❌ This meeting was cancelled."))
    return "\n".join(lines + await agenda_lines(env, meeting, zone, t, proposals=not published))
