"""bot.services.meetings without Telegram: parsers, and series, moves and calendars on both databases."""

from datetime import datetime, timedelta, timezone

import icalendar
import pytest
from sqlalchemy import select

from bot.services import meetings
from bot.domain.recurrence import StartNotOnRule, parse_recurrence
from storage.database import Database
from storage.models import AuditEntry, Meeting, Member, OutboxMessage

UTC = timezone.utc
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
OFFSETS = [timedelta(hours=24), timedelta(hours=1)]


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), ("#12", 12), (" #7 ", 7), ("0", None), ("-1", None), ("1e3", None), ("١٢", None),
    ("1234567890", None), ("", None), (None, None), ("#", None), ("12a", None)])
def test_parse_id(text, expected):
    assert meetings.parse_id(text) == expected


def test_titles_links_durations():
    assert meetings.clean_title("  Budget \n review ") == "Budget review"
    with pytest.raises(meetings.EmptyTitle):
        meetings.clean_title("   ")
    with pytest.raises(meetings.TitleTooLong):
        meetings.clean_title("x" * 201)
    assert meetings.clean_link("https://meet.jit.si/inspir?x=1") == "https://meet.jit.si/inspir?x=1"
    for bad in ("javascript:alert(1)", "https://", "mailto:a@b.c", "http://a b", "https://x/<b>", "h" * 600):
        with pytest.raises(meetings.BadLink):
            meetings.clean_link(bad)
    with pytest.raises(meetings.BadDuration):
        meetings.check_duration(721)


async def test_series_horizon_moves_cancellations_and_calendar(db_url):
    db = Database(db_url)
    async with db.transaction() as session:
        chair = Member(name="Chair", access="chair", timezone="Europe/Brussels")
        session.add(chair)
        head = await meetings.create_meeting(session, title="Weekly", starts_at=datetime(2026, 3, 19, 14, 0, tzinfo=UTC),
                                             zone="Europe/Brussels", duration_minutes=60, by=chair, now=NOW,
                                             offsets=OFFSETS)
        with pytest.raises(StartNotOnRule):
            await meetings.make_recurring(session, head, parse_recurrence("monthly on the first Tuesday"), by=chair,
                                          now=NOW, offsets=OFFSETS)
        created = await meetings.make_recurring(session, head, parse_recurrence("weekly"), by=chair, now=NOW,
                                                offsets=OFFSETS)
        assert len(created) == 10 and created[-1].starts_at == datetime(2026, 5, 28, 13, 0, tzinfo=UTC)
        assert await meetings.extend_series(session, head, now=NOW, offsets=OFFSETS) == []  # idempotent
        # the head itself moves: the series keeps its anchor (read from the audit trail)
        await meetings.reschedule(session, head, datetime(2026, 3, 20, 8, 0, tzinfo=UTC), by=chair, now=NOW,
                                  offsets=OFFSETS)
        await meetings.cancel(session, created[0], by=chair, now=NOW, offsets=OFFSETS)
        anchor, changes, sequence = await meetings.series_changes(session, head)
        assert anchor == datetime(2026, 3, 19, 14, 0, tzinfo=UTC)
        assert set(changes) == {datetime(2026, 3, 19, 14, 0, tzinfo=UTC), datetime(2026, 3, 26, 14, 0, tzinfo=UTC)}
        assert sequence == 3  # recurrence set, head moved, one occurrence cancelled
        with pytest.raises(meetings.NotScheduled):
            await meetings.reschedule(session, created[0], datetime(2026, 4, 1, 8, 0, tzinfo=UTC), by=chair,
                                      now=NOW, offsets=OFFSETS)
        with pytest.raises(meetings.AlreadyRecurring):
            await meetings.make_recurring(session, created[1], parse_recurrence("weekly"), by=chair, now=NOW,
                                          offsets=OFFSETS)
        later = NOW + timedelta(days=30)
        more = await meetings.extend_series(session, head, now=later, offsets=OFFSETS)
        assert [m.starts_at for m in more] == [datetime(2026, 6, 4, 13, 0, tzinfo=UTC) + timedelta(weeks=k)
                                               for k in range(len(more))]
        assert more[-1].starts_at <= later + meetings.SERIES_HORIZON
        ics = await meetings.calendar_file(session, created[3], organizer="INSP!R", stamp=NOW)
        head_id = head.id
        reminders = list(await session.scalars(select(OutboxMessage.due_at).where(
            OutboxMessage.ref_id == created[0].id, OutboxMessage.state == "pending")))
        assert reminders == []
        assert await session.scalar(select(AuditEntry.details).where(AuditEntry.action == "meeting.rescheduled"))
    calendar = icalendar.Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {f"meeting-{head_id}@inspir-bot"}
    [master] = [e for e in events if "RRULE" in e]
    [moved] = [e for e in events if "RECURRENCE-ID" in e]
    assert moved.decoded("DTSTART") == datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
    assert [d.dt.replace(tzinfo=None) for d in master["EXDATE"].dts] == [datetime(2026, 3, 26, 15, 0)]
    await db.dispose()


async def test_upcoming_includes_a_meeting_in_progress_and_skips_cancelled(db_url):
    db = Database(db_url)
    async with db.transaction() as session:
        a = Meeting(title="Now", starts_at=NOW - timedelta(minutes=30), duration_minutes=90, timezone="UTC")
        b = Meeting(title="Over", starts_at=NOW - timedelta(hours=3), duration_minutes=90, timezone="UTC")
        c = Meeting(title="Off", starts_at=NOW + timedelta(hours=3), timezone="UTC", status="cancelled")
        d = Meeting(title="Soon", starts_at=NOW + timedelta(hours=5), timezone="UTC")
        session.add_all([a, b, c, d])
        await session.flush()
        assert [m.title for m in await meetings.upcoming(session, NOW)] == ["Now", "Soon"]
        assert (await meetings.next_meeting(session, NOW)).title == "Now"
    await db.dispose()
