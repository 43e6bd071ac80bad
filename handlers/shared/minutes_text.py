"""The minutes of a meeting in the reader's language, three ways: a Telegram message, a
Markdown file and a standalone HTML page, all from the same styled lines (read at send time by
:mod:`bot.services.minutes_snapshot`: live while the record is open, then as frozen)."""

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n.translation import N_, Safe, Translator
from bot.services import minutes as minutes_domain
from bot.services.minutes import ActionRecord, FollowUp, Minutes
from handlers.shared.agenda_text import item_title
from handlers.shared.replies import name_of

VOTE_COUNTS = N_("yes {yes} · no {no} · abstain {abstain}")


def counts_text(t: Translator, counts: dict[str, int]) -> Safe:
    return t(VOTE_COUNTS, yes=counts["yes"], no=counts["no"], abstain=counts["abstain"])


Block = tuple[str, Safe]  # (style, Telegram-HTML-safe text): h1, h2, h3, p, li


def _local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def minutes_blocks(t: Translator, record: Minutes, zone: str) -> list[Block]:
    """The minutes in the reader's language as styled lines, rendered three ways below."""
    blocks: list[Block] = [("h1", t("Minutes of meeting #{id}: {title}", id=record.meeting_id, title=record.title))]
    held = record.opened_at or record.starts_at
    if _local_day(held, zone) != _local_day(record.starts_at, zone):  # opened on another day than planned
        blocks.append(("p", t("Held on {held}; it was planned for {planned}.", held=t.datetime(held, zone),
                              planned=t.datetime(record.starts_at, zone))))
    else:
        held = record.starts_at
        blocks.append(("p", t("Date and time: {local}", local=t.datetime(held, zone))))
    blocks.append(("p", t("In UTC: {utc}", utc=t.datetime(held, "UTC"))))
    if record.opened_at:
        blocks.append(("p", t("Record opened at {opened}, closed at {closed} ({zone}).",
                              opened=t.time(record.opened_at, zone),
                              closed=t.time(record.closed_at, zone) if record.closed_at else "—",
                              zone=t.zone(record.opened_at, zone))))
    if record.state == "open":
        blocks.append(("p", t("Draft: the record of this meeting is still open.")))
    elif record.state == "draft":
        blocks.append(("p", t("Draft minutes, to be adopted by the committee.")))
    elif record.adopted_at is not None:
        adopted = t.date(record.adopted_at.astimezone(ZoneInfo(zone)).date())
        blocks.append(("p", t("Adopted on {date} at meeting #{id}.", date=adopted, id=record.adopted_in)
                       if record.adopted_in else t("Adopted on {date}.", date=adopted)))
    blocks.append(("h2", t("Attendance")))
    blocks.append(("p", t("Present ({n}): {names}", n=len(record.present),
                          names=", ".join(name_of(t, p) for p in record.present) or "—")))
    blocks.append(("p", t("Apologies ({n}): {names}", n=len(record.apologies),
                          names=", ".join(name_of(t, p) for p in record.apologies) or "—")))
    blocks.append(("p", t("Absent ({n}): {names}", n=len(record.absent),
                          names=", ".join(name_of(t, p) for p in record.absent) or "—")))
    blocks.append(("h2", t("Agenda and record")))
    number = 0
    for item in record.items:
        if item.id is None:
            blocks.append(("h3", t("Before the first item")))
        else:
            number += 1
            title = item_title(t, item.kind, item.title)
            blocks.append(("h3", t("{number}. {title}", number=number, title=title)))
        for decision in item.decisions:
            blocks.append(("li", t("Decision #{id}: {text}", id=decision.id, text=decision.text)))
            if decision.vote:
                blocks.append(("li", _vote_line(t, decision.vote)))
        for loose_vote in item.votes:
            blocks.append(("li", _vote_line(t, loose_vote)))
        for note in item.notes:
            blocks.append(("li", t("Note: {text} ({author})", text=note.text, author=name_of(t, note.author))))
        for act in item.actions:
            blocks.append(("li", _action_line(t, act, with_owner=True)))
        if item.empty:
            blocks.append(("p", t("Nothing recorded.")))
    blocks.append(("h2", t("Actions by owner")))
    if not record.actions_by_owner:
        blocks.append(("p", t("No action items.")))
    for owner, acts in record.actions_by_owner:
        blocks.append(("h3", name_of(t, owner)))
        for act in acts:
            blocks.append(("li", _action_line(t, act, with_owner=False)))
    if record.corrections:
        blocks.append(("h2", t("Corrections")))
        for fix in record.corrections:
            blocks.append(("li", t("{text} ({name}, {when})", text=fix.text, name=name_of(t, fix.author),
                                   when=t.short_datetime(fix.at, zone))))
    if record.follow_ups:
        blocks.append(("h2", t("Since the meeting (not part of the minutes)")))
        for change in record.follow_ups:
            blocks.append(("li", _follow_up_line(t, change)))
    return blocks


def _follow_up_line(t: Translator, change: FollowUp) -> Safe:
    if change.withdrawn:
        return t("Action #{id}: withdrawn", id=change.id)
    parts = [t("Action #{id}", id=change.id)]
    if change.owner_changed:
        parts.append(t("now with {name}", name=name_of(t, change.owner)))
    if change.due_changed:
        parts.append(t("now due {date}", date=t.date(change.due)) if change.due else t("no due date now"))
    if change.status == "done":
        parts.append(t("done"))
    elif not (change.owner_changed or change.due_changed):
        parts.append(t("reopened"))
    return Safe(" · ".join(parts))


def _vote_line(t: Translator, record: minutes_domain.VoteRecord) -> Safe:
    status = t("closed") if record.closed else t("still open")
    return t("Vote #{id}: {question}: {counts} ({status})", id=record.id, question=record.question,
             counts=counts_text(t, record.counts), status=status)


def _action_line(t: Translator, act: ActionRecord, with_owner: bool) -> Safe:
    parts = [t("Action #{id}: {text}", id=act.id, text=act.text)]
    if with_owner:
        parts.append(t("owner: {name}", name=name_of(t, act.owner)))
    parts.append(t("due {date}", date=t.date(act.due)) if act.due else t("no due date"))
    if act.status == "done":
        parts.append(t("done"))
    return Safe(" · ".join(parts))


def as_telegram(blocks: list[Block]) -> str:
    lines = []
    for style, text in blocks:
        if style == "h1":
            lines.append(f"<b>{text}</b>")
        elif style == "h2":
            lines.append(f"\n<b>{text}</b>")
        elif style == "h3":
            lines.append(f"<u>{text}</u>")
        elif style == "li":
            lines.append(f"• {text}")
        else:
            lines.append(text)
    return "\n".join(lines)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _markdown_text(text: Safe) -> str:
    plain = _MD_SPECIAL.sub(r"\\\1", html.unescape(text))
    return "\\" + plain if plain[:1] in ("#", "-", "+") else plain


def as_markdown(blocks: list[Block]) -> str:
    lines: list[str] = []
    for style, text in blocks:
        body = _markdown_text(text)
        if style == "h1":
            lines += [f"# {body}", ""]
        elif style == "h2":
            lines += ["", f"## {body}", ""]
        elif style == "h3":
            lines += ["", f"### {body}", ""]
        elif style == "li":
            lines.append(f"- {body}")
        else:
            lines += [body, ""]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def as_html_page(blocks: list[Block], lang: str) -> str:
    """A standalone page; the texts are already escaped (Telegram HTML without tags)."""
    title = blocks[0][1] if blocks else ""
    body: list[str] = []
    in_list = False
    for style, text in blocks:
        if style == "li" and not in_list:
            body.append("<ul>")
            in_list = True
        elif style != "li" and in_list:
            body.append("</ul>")
            in_list = False
        tag = {"h1": "h1", "h2": "h2", "h3": "h3", "li": "li"}.get(style, "p")
        body.append(f"<{tag}>{text}</{tag}>")
    if in_list:
        body.append("</ul>")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n"
            "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}"
            "h3{margin-bottom:.2em}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def render_parts(t: Translator, record: Minutes, zone: str) -> dict[str, str]:
    blocks = minutes_blocks(t, record, zone)
    return {"text": as_telegram(blocks), "md": as_markdown(blocks), "html": as_html_page(blocks, t.lang)}


def minutes_filename(meeting_id: int, lang: str, part: str) -> str:
    return f"minutes-{meeting_id}-{lang}.{part}"


def document_caption(t: Translator, meeting_id: int, part: str) -> str:
    return t("Minutes of meeting #{id} ({format})", id=meeting_id, format="Markdown" if part == "md" else "HTML")
