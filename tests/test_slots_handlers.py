"""/findslot, creating a meeting from a slot, and bad input, through the real handlers on both
databases with the demo committee (13 members, Guatemala to Jakarta). The harness clock starts on
Monday 2026-11-23 09:00 UTC."""

import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image
from sqlalchemy import func, select

from storage.models import AvailabilityPoll, Meeting, OutboxMessage

ROSTER = Path(__file__).resolve().parent.parent / "data" / "demo_roster.csv"
DEMO = {row["name"]: row for row in csv.DictReader(ROSTER.open(encoding="utf-8"))}


def start_of(data: str) -> datetime:
    return datetime.fromtimestamp(int(data.rsplit(":", 1)[1]) * 900, UTC)


def schedule_buttons(message) -> list[str]:
    return [button["callback_data"] for row in message.buttons for button in row
            if button["callback_data"].startswith("nm:slot:")]


def blocks(text: str) -> dict[int, str]:
    """Each ranked candidate's part of the answer."""
    parts = re.split(r"\n<b>(\d)\. ", text)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts), 2)}


async def counts(bot) -> tuple[int, int]:
    async with bot.services.db.transaction() as session:
        meetings = await session.scalar(select(func.count()).select_from(Meeting))
        polls = await session.scalar(select(func.count()).select_from(AvailabilityPoll))
    return meetings, polls


async def findslot(bot, who: str, text: str):
    replies = await bot.send(who, text)
    texts = [m for m in replies if m.document is None]
    charts = [m for m in replies if m.document is not None]
    assert len(texts) == 1 and len(charts) == 1, [m.text for m in replies]
    return texts[0], charts[0]


async def test_findslot_shows_every_networks_local_times_reasons_and_a_chart(bot):
    answer, chart = await findslot(bot, "Bart Verstraeten", "/findslot 90")
    text = answer.text
    assert "Times for a 90-minute meeting" in text and "in your time zone (Brussels)" in text
    for network in ("Asia", "Central Africa", "West Africa", "Latin America and the Caribbean", "Europe",
                    "Coordination"):
        assert f"<b>{network}</b>:" in text
    starts = [start_of(data) for data in schedule_buttons(answer)]
    assert len(starts) == 5
    first_day = datetime(2026, 11, 24, tzinfo=ZoneInfo("Europe/Brussels"))
    for rank, start in enumerate(starts, start=1):
        end = start + timedelta(minutes=90)
        assert start >= first_day  # from tomorrow in the committee's zone
        block = blocks(text)[rank]
        brussels = start.astimezone(ZoneInfo("Europe/Brussels"))
        assert f"{brussels:%H:%M} (Brussels, UTC+01:00)" in block.splitlines()[0]
        assert any(phrase in block for phrase in ("working hours", "At night"))
        for name, row in DEMO.items():
            local, local_end = start.astimezone(ZoneInfo(row["timezone"])), end.astimezone(ZoneInfo(row["timezone"]))
            assert re.search(re.escape(f"{html.escape(name)} {local:%H:%M}") + r"[ (·\n]|$", block), (name, block)
            assert local.weekday() < 5 and (local_end - timedelta(minutes=1)).weekday() < 5
            assert not any(1 <= (start + timedelta(minutes=k)).astimezone(ZoneInfo(row["timezone"])).hour < 5
                           for k in range(0, 90, 15)), name
    for earlier, later in zip(sorted(starts), sorted(starts)[1:]):
        assert later >= earlier + timedelta(minutes=90)  # no two proposals overlap
    assert answer.button_data("poll").startswith("slot:choose:90:31:")
    filename, content = chart.document
    assert filename == "slots.png"
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG" and image.width >= 24 * 40 and image.height >= 13 * 30
    assert "local hours" in chart.text


async def test_findslot_speaks_the_askers_language(bot):
    answer, chart = await findslot(bot, "Denis Mushiya", "/findslot 60 du 2026-12-01 3")
    assert "Horaires pour une réunion de 60 minutes" in answer.text
    assert "mardi 1er décembre 2026" in answer.text and "(Lubumbashi)" in answer.text  # French: « 1er »
    assert "<b>Afrique centrale</b>" in answer.text
    assert "heures de travail" in answer.text or "De nuit" in answer.text
    assert "Heures locales" in chart.text
    assert answer.button_data("Programmer 1")
    answer, _ = await findslot(bot, "Gabriela Prudencio", "/findslot 60 desde 2026-12-01 3")
    assert "Horarios para una reunión de 60 minutos" in answer.text and "(La Paz)" in answer.text
    assert "horario laboral" in answer.text or "De noche" in answer.text


async def test_findslot_names_who_would_miss_when_nothing_fits_everyone(bot):
    # Eight hours cannot avoid everyone's 01:00-05:00 between Guatemala, Jakarta and Kolkata.
    answer, chart = await findslot(bot, "Bart Verstraeten", "/findslot 480 2026-12-01 2")
    assert "No time suits everyone" in answer.text
    assert re.search(r"Without [^.]+, who cannot attend at that time\.", answer.text)
    assert "✖" in answer.text
    assert chart.document[0] == "slots.png"


async def test_findslot_says_who_cannot_attend_at_all(bot):
    # Saturday 5 December in Brussels is still Friday evening only in Latin America.
    [answer] = await bot.send("Bart Verstraeten", "/findslot 60 2026-12-05 1")
    assert "No time in this window lets enough members attend" in answer.text
    missing = answer.text.split("Cannot attend at any time in this window: ")[1]
    assert "Samy Arokiasamy" in missing and "Bart Verstraeten" in missing
    assert "Mary Karol Luna" not in missing
    assert not answer.buttons and await counts(bot) == (0, 0)


async def test_findslot_refuses_plain_members_and_bad_input(bot):
    [refused] = await bot.send("Samy Arokiasamy", "/findslot 90")
    assert "Only the chair or the secretariat" in refused.text
    cases = {
        "/findslot": "Usage: /findslot",
        "/findslot ninety": "number of minutes between 15 and 480",
        "/findslot 5": "number of minutes between 15 and 480",
        "/findslot 1000": "number of minutes between 15 and 480",
        "/findslot 99999999999999": "number of minutes between 15 and 480",
        "/findslot 90 2026-02-30": "is not a date",
        "/findslot 90 1/12/2026": "is not a date",
        "/findslot 90 2026-11-01": "That day has passed",
        "/findslot 90 2031-01-01": "within the next year",
        "/findslot 90 2026-12-01 0": "number of days must be between 1 and 31",
        "/findslot 90 2026-12-01 40": "number of days must be between 1 and 31",
        "/findslot 90 2026-12-01 5 more": "Usage: /findslot",
    }
    for command, expected in cases.items():
        replies = await bot.send("Bart Verstraeten", command)
        assert len(replies) == 1 and replies[0].document is None, command
        assert expected in replies[0].text, (command, replies[0].text)
    [french] = await bot.send("Drissa Soaré", "/findslot 90 2026-13-01")
    assert "n’est pas une date" in french.text
    assert await counts(bot) == (0, 0)


async def test_a_slot_asks_the_title_then_confirms_then_creates_once(bot):
    answer, _ = await findslot(bot, "Bart Verstraeten", "/findslot 90 2026-12-01 5")
    data = schedule_buttons(answer)[1]
    [asked] = await bot.press("Bart Verstraeten", answer, data)
    assert "What is its title?" in asked.text and "“Steering committee meeting”" in asked.text
    assert await counts(bot) == (0, 0)  # nothing is created, nobody is told, before the chair confirms
    [confirm] = await bot.send("Bart Verstraeten", "Budget <review> 2027")
    assert "<b>Budget &lt;review&gt; 2027</b>" in confirm.text and "90 minutes" in confirm.text
    assert "Create this meeting and tell everyone?" in confirm.text and await counts(bot) == (0, 0)
    replies = await bot.press("Bart Verstraeten", confirm, "nm:ok")
    bart = bot.person("Bart").telegram_id
    assert [m for m in replies if m.chat_id == bart and "Queued for 13 members" in m.text]
    async with bot.services.db.transaction() as session:
        [meeting] = list(await session.scalars(select(Meeting)))
    assert meeting.starts_at == start_of(data) and meeting.duration_minutes == 90
    assert meeting.timezone == "Europe/Brussels" and meeting.title == "Budget <review> 2027"
    told = {m.chat_id for m in replies}
    assert bot.person("Samy").telegram_id in told and bot.person("Mary Karol").telegram_id in told
    again = await bot.press("Bart Verstraeten", answer, data)
    assert any(f"Meeting #{meeting.id} already starts at that time" in m.text for m in again)
    assert await counts(bot) == (1, 0)


async def test_a_slot_in_french_offers_the_groups_usual_title_and_can_be_cancelled(bot):
    answer, _ = await findslot(bot, "Denis Mushiya", "/findslot 60 2026-12-01 2")
    [asked] = await bot.press("Denis Mushiya", answer, schedule_buttons(answer)[0])
    assert "Quel est son titre ?" in asked.text and "« Steering committee meeting »" in asked.text
    [cancelled] = await bot.press("Denis Mushiya", asked, "nm:cancel")
    assert "rien n’a été créé" in cancelled.text and await counts(bot) == (0, 0)
    [asked] = await bot.press("Denis Mushiya", answer, schedule_buttons(answer)[0])
    [confirm] = await bot.press("Denis Mushiya", asked, asked.button_data("Garder ce titre"))
    assert "<b>Steering committee meeting</b>" in confirm.text and "Créer" in str(confirm.buttons)
    replies = await bot.press("Denis Mushiya", confirm, "nm:ok")
    assert any("En file d’attente pour 13 membres" in m.text for m in replies)
    async with bot.services.db.transaction() as session:
        meeting = await session.scalar(select(Meeting))
    assert meeting.title == "Steering committee meeting"  # the group's language (en) for everyone


async def test_forged_slot_buttons_change_nothing(bot):
    answer, _ = await findslot(bot, "Bart Verstraeten", "/findslot 90 2026-12-01 5")
    good = schedule_buttons(answer)[0]
    quarter = good.rsplit(":", 1)[1]
    past = str(int(bot.clock.now.timestamp()) // 900 - 10)
    forged = [
        "nm:slot:90:" + past, "nm:slot:4:" + quarter, "nm:slot:900:" + quarter, "nm:slot:90:abc",
        "nm:slot:90:" + quarter + ":1", "nm:slot:90:99999999999", "nm:slot:-90:" + quarter,
        f"slot:choose:90:64:{quarter}", f"slot:pick:90:1:{quarter}.{quarter}", f"slot:open:90:1:{past}",
        f"slot:open:90:0:{quarter}", "slot:open:90:1:", f"slot:open:9000:1:{quarter}",
    ]
    for data in forged:
        before = len(bot.api.callback_answers)
        replies = await bot.press("Bart Verstraeten", answer, data)
        assert not replies, (data, [m.text for m in replies])
        assert bot.api.callback_answers[before].get("text"), data
    [refused] = await bot.press("Samy Arokiasamy", answer, good)
    assert "Only the chair or the secretariat" in refused.text
    [refused] = await bot.press("Samy Arokiasamy", answer, answer.button_data("poll"))
    assert "Only the chair or the secretariat" in refused.text
    assert await counts(bot) == (0, 0)
    async with bot.services.db.transaction() as session:
        assert not await session.scalar(select(func.count()).select_from(OutboxMessage))
