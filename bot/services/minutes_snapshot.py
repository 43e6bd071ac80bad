"""Minutes that stay true: frozen when the record closes, corrected only explicitly, adopted.

At /endmeeting the minutes as they stand are stored (:class:`storage.models.MinutesSnapshot`),
so a later /assign, /due, /done or roster change never rewrites what the minutes say; those
changes show beside them as follow-ups. Until adopted the chair may add corrections (who and
when are kept) or reopen the record; once adopted (typically at the next meeting) the minutes
are read-only. Members are stored by id and named when read, so a member who asked to be
forgotten is "former member" here too.
"""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.members import active_members, audit
from bot.services.minutes import (
    ActionRecord, Correction, DecisionRecord, FollowUp, ItemRecord, Minutes, NoteRecord, Person,
    VoteRecord, build, by_owner, person,
)
from bot.services.notifications import digest_time
from bot.services.reach import Reach
from bot.services.standing_items import ensure_standing_items
from bot.services.records import RecordError, end_record, open_record
from bot.domain.notify import files_on_request
from storage import outbox
from storage.models import ActionItem, Meeting, Member, MinutesSnapshot, Vote

MINUTES = "minutes"
PARTS = ("text", "md", "html")  # a message, a Markdown file, an HTML page
MAX_CORRECTION = 1000


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _vote(vote: VoteRecord | None) -> dict[str, Any] | None:
    if vote is None:
        return None
    return {"id": vote.id, "question": vote.question, "counts": vote.counts, "closed": vote.closed}


def _content(record: Minutes) -> dict[str, Any]:
    def ids(people: list[Person]) -> list[int | None]:
        return [p.id for p in people]

    return {
        "title": record.title, "starts_at": _iso(record.starts_at), "duration": record.duration_minutes,
        "opened_at": _iso(record.opened_at), "closed_at": _iso(record.closed_at),
        "present": ids(record.present), "apologies": ids(record.apologies), "absent": ids(record.absent),
        "items": [{
            "id": item.id, "position": item.position, "title": item.title, "kind": item.kind,
            "decisions": [{"id": d.id, "text": d.text, "vote": _vote(d.vote)} for d in item.decisions],
            "votes": [_vote(v) for v in item.votes],
            "notes": [{"id": n.id, "text": n.text, "author": n.author.id if n.author else None}
                      for n in item.notes],
            "actions": [{"id": a.id, "text": a.text, "owner": a.owner.id if a.owner else None,
                         "due": _iso(a.due), "status": a.status} for a in item.actions],
        } for item in record.items],
    }


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _from_content(meeting_id: int, content: dict[str, Any], who) -> Minutes:  # type: ignore[no-untyped-def]
    def vote(data: dict[str, Any] | None) -> VoteRecord | None:
        return None if data is None else VoteRecord(data["id"], data["question"], data["counts"], data["closed"])

    def people(ids: list[int]) -> list[Person]:
        return [p for p in (who(i) for i in ids) if p is not None]

    items, actions = [], []
    for data in content["items"]:
        item = ItemRecord(data["id"], data["position"], data["title"], data["kind"])
        item.decisions = [DecisionRecord(d["id"], d["text"], vote(d["vote"])) for d in data["decisions"]]
        item.votes = [v for v in (vote(v) for v in data["votes"]) if v is not None]
        item.notes = [NoteRecord(n["id"], n["text"], who(n["author"])) for n in data["notes"]]
        item.actions = [ActionRecord(a["id"], a["text"], who(a["owner"]),
                                     date.fromisoformat(a["due"]) if a["due"] else None, a["status"],
                                     item.title or None) for a in data["actions"]]
        items.append(item)
        actions += item.actions
    starts_at = _when(content["starts_at"])
    assert starts_at is not None
    return Minutes(meeting_id, content["title"], starts_at, content["duration"], _when(content["opened_at"]),
                   _when(content["closed_at"]), people(content["present"]), people(content["apologies"]),
                   items, by_owner(actions), people(content["absent"]))


async def get_snapshot(session: AsyncSession, meeting: Meeting) -> MinutesSnapshot | None:
    return await session.get(MinutesSnapshot, meeting.id)


async def freeze(session: AsyncSession, meeting: Meeting, now: datetime) -> MinutesSnapshot:
    """Store the minutes as the record stands now; corrections already made are kept."""
    content = _content(await build(session, meeting))
    snapshot = await get_snapshot(session, meeting)
    if snapshot is None:
        snapshot = MinutesSnapshot(meeting_id=meeting.id, content=content, frozen_at=now, corrections=[])
        session.add(snapshot)
    else:
        snapshot.content, snapshot.frozen_at = content, now
    await session.flush()
    return snapshot


async def close_record(session: AsyncSession, meeting: Meeting, actor: Member, now: datetime) -> list[Vote]:
    """/endmeeting: close the record (and its open votes), freeze its minutes, and give the
    following meeting its standing items now (the adoption of these minutes, the review of
    open actions), so its reminders and published agenda carry them."""
    closed = await end_record(session, meeting, actor, now)
    await session.flush()
    await freeze(session, meeting, now)
    following = await session.scalar(select(Meeting).where(
        Meeting.status == "scheduled", Meeting.starts_at > meeting.starts_at).order_by(Meeting.starts_at).limit(1))
    if following is not None:
        await ensure_standing_items(session, following, now)
    return closed


async def queue_minutes(session: AsyncSession, meeting: Meeting, now: datetime, group_chat_id: int | None,
                        group_languages: list[str], committee_zone: str) -> Reach:
    """Owe every reachable member (in their language) and the group (once in each of its
    languages) the minutes, rendered when sent: a message and two files each, except for members
    who chose less (``/notify``): the message only, with a button for the files, at their
    digest's hour for a digest. Returns who could and could not be reached, and when."""
    batch = uuid.uuid4().hex[:12]
    people = await active_members(session)
    later = {person_.id for person_ in people if digest_time(person_, now, committee_zone) is not None}
    reach = Reach.of(people, later)
    for person_ in [*reach.reachable, *reach.in_digest]:
        on_request = files_on_request(person_.notify)
        for part in PARTS[:1] if on_request else PARTS:
            await outbox.enqueue(session, kind=MINUTES, due_at=digest_time(person_, now, committee_zone) or now,
                                 recipient=person_, dedupe_key=f"minutes:{meeting.id}:{batch}:{person_.id}:{part}",
                                 ref_type="meeting", ref_id=meeting.id,
                                 payload={"meeting_id": meeting.id, "part": part, "files_button": on_request})
    if group_chat_id:
        for lang in dict.fromkeys(group_languages):
            for part in PARTS:
                await outbox.enqueue(session, kind=MINUTES, due_at=now, chat_id=group_chat_id,
                                     dedupe_key=f"minutes:{meeting.id}:{batch}:group:{lang}:{part}",
                                     ref_type="meeting", ref_id=meeting.id,
                                     payload={"meeting_id": meeting.id, "part": part, "lang": lang})
    return reach


def _closed_draft(meeting: Meeting, snapshot: MinutesSnapshot | None) -> None:
    """Refuse a change to minutes that are not a closed, unadopted draft."""
    if meeting.record_opened_at is None:
        raise RecordError("no_record", meeting_id=meeting.id)
    if meeting.record_closed_at is None:
        raise RecordError("still_open", meeting_id=meeting.id)
    if snapshot is not None and snapshot.adopted_at is not None:
        raise RecordError("adopted", meeting_id=meeting.id, adopted_at=snapshot.adopted_at)


async def amend(session: AsyncSession, meeting: Meeting, actor: Member, text: str, now: datetime) -> int:
    """Add a correction to draft minutes; returns how many corrections they now carry."""
    snapshot = await get_snapshot(session, meeting)
    _closed_draft(meeting, snapshot)
    if snapshot is None:  # closed before snapshots existed: freeze what is there now
        snapshot = await freeze(session, meeting, now)
    entry = {"text": text[:MAX_CORRECTION], "by": actor.id, "at": now.isoformat()}
    snapshot.corrections = [*snapshot.corrections, entry]  # a new list: JSON changes are seen on assignment
    await audit(session, actor, "minutes.corrected", "meeting", meeting.id, number=len(snapshot.corrections))
    return len(snapshot.corrections)


async def adopt(session: AsyncSession, meeting: Meeting, actor: Member, now: datetime) -> MinutesSnapshot:
    """Mark the minutes adopted (at the meeting whose record is open, if any): read-only from now."""
    snapshot = await get_snapshot(session, meeting)
    _closed_draft(meeting, snapshot)
    if snapshot is None:
        snapshot = await freeze(session, meeting, now)
    current = await open_record(session)
    snapshot.adopted_at, snapshot.adopted_by_id = now, actor.id
    snapshot.adopted_in_meeting_id = current.id if current is not None and current.id != meeting.id else None
    await audit(session, actor, "minutes.adopted", "meeting", meeting.id,
                at_meeting=snapshot.adopted_in_meeting_id)
    return snapshot


async def load(session: AsyncSession, meeting: Meeting) -> Minutes:
    """The minutes to show: live while the record is open, else as frozen, with their corrections,
    adoption and what became of their actions since."""
    snapshot = await get_snapshot(session, meeting)
    if meeting.record_closed_at is None or snapshot is None:
        record = await build(session, meeting)
        record.state = "open" if meeting.record_closed_at is None else "draft"
        return record
    members = {m.id: m for m in await session.scalars(select(Member))}

    def who(member_id: int | None) -> Person | None:
        if member_id is None:
            return None
        return person(members.get(member_id)) or Person(member_id, "", former=True)

    record = _from_content(meeting.id, snapshot.content, who)
    record.state = "adopted" if snapshot.adopted_at else "draft"
    record.adopted_at, record.adopted_in = snapshot.adopted_at, snapshot.adopted_in_meeting_id
    record.corrections = [Correction(c["text"], who(c["by"]), datetime.fromisoformat(c["at"]))
                          for c in snapshot.corrections]
    record.follow_ups = await _follow_ups(session, record, who)
    return record


async def _follow_ups(session: AsyncSession, record: Minutes, who) -> list[FollowUp]:  # type: ignore[no-untyped-def]
    frozen = {a.id: a for _owner, acts in record.actions_by_owner for a in acts}
    if not frozen:
        return []
    changes = []
    for row in await session.scalars(select(ActionItem).where(ActionItem.id.in_(list(frozen)))
                                     .order_by(ActionItem.id)):
        was = frozen[row.id]
        owner_changed = row.owner_id != (was.owner.id if was.owner else None)
        due_changed = row.due_date != was.due
        withdrawn = row.deleted_at is not None
        if withdrawn or owner_changed or due_changed or row.status != was.status:
            changes.append(FollowUp(row.id, row.text, who(row.owner_id), row.due_date, row.status, withdrawn,
                                    owner_changed, due_changed))
    return changes
