"""A World-Time-Buddy-like picture of candidate slots, as PNG bytes.

One row per member, one column per UTC hour; each cell shows the member's
local clock (digits only) and is shaded by what that hour is for them, in
15-minute slices so India's :30 and Nepal's :45 fall where they really are.
Candidate meetings are outlined across all rows and numbered by rank. The only
words are names and zone identifiers; the caller passes any other label already
translated.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from zoneinfo import ZoneInfo

from bot.domain.fair_slots import MemberSlot, SlotCandidate, is_night

if TYPE_CHECKING:
    from PIL import ImageFont

MARGIN = 8
CELL_WIDTH = 40  # one UTC hour
ROW_HEIGHT = 30
HEADER_HEIGHT = 40  # rank digits, then UTC hours
TITLE_HEIGHT = 22
SLICE_MINUTES = 15

BACKGROUND = (255, 255, 255)
WORKING = (214, 236, 214)
OFF_HOURS = (250, 226, 170)
NIGHT = (40, 48, 68)
HIGHLIGHT = (214, 39, 40)
INK = (33, 33, 33)
NIGHT_INK = (235, 235, 245)


# Pillow's built-in font has no accented letters ("Soaré", "Ángeles" would be boxes): use
# DejaVu Sans where the system has it (Debian's fonts-dejavu-core), else the built-in one.
NAME_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont  # Pillow loads with the first chart, not with every bot process
    if NAME_FONT.exists():
        return ImageFont.truetype(str(NAME_FONT), size)
    return ImageFont.load_default(size=size)


def _shade(slot: MemberSlot, local: datetime) -> tuple[int, int, int]:
    if is_night(local.time()):
        return NIGHT
    return WORKING if slot.working_hours.covers(local.time()) else OFF_HOURS


def _clock(local: datetime) -> str:
    return f"{local:%H}" if local.minute == 0 else f"{local:%H:%M}"


def default_chart_start(candidates: Sequence[SlotCandidate], hours: int) -> datetime:
    """The whole UTC hour that centres the best candidate in the picture."""
    best = candidates[0]
    middle = best.start_utc + (best.end_utc - best.start_utc) / 2 - timedelta(hours=hours / 2)
    return middle.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def render_slot_chart(candidates: Sequence[SlotCandidate], *, hours: int = 24, start: datetime | None = None,
                      title: str | None = None, utc_label: str = "UTC") -> bytes:
    """PNG of `hours` UTC hours from `start` (default: centred on the best candidate).

    Rows are the members of the best candidate; every candidate overlapping
    the span is outlined and numbered by its position in `candidates`.
    """
    if not candidates:
        raise ValueError("nothing to draw")
    start = (start or default_chart_start(candidates, hours)).astimezone(UTC)
    rows = candidates[0].members
    from PIL import Image, ImageDraw
    name_font, zone_font, clock_font = _font(12), _font(10), _font(11)
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    label_width = max(max(measure.textlength(slot.name, font=name_font),
                          measure.textlength(slot.timezone, font=zone_font)) for slot in rows)
    grid_left = MARGIN + int(label_width) + MARGIN
    grid_top = (TITLE_HEIGHT if title else 0) + HEADER_HEIGHT
    width = grid_left + hours * CELL_WIDTH + MARGIN
    height = grid_top + len(rows) * ROW_HEIGHT + MARGIN
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)

    if title:
        draw.text((MARGIN, 4), title, fill=INK, font=name_font)
    draw.text((MARGIN, grid_top - 16), utc_label, fill=INK, font=clock_font)
    for column in range(hours):
        draw.text((grid_left + column * CELL_WIDTH + 3, grid_top - 16),
                  f"{start + timedelta(hours=column):%H}", fill=INK, font=clock_font)

    for row, slot in enumerate(rows):
        zone, top = ZoneInfo(slot.timezone), grid_top + row * ROW_HEIGHT
        draw.text((MARGIN, top + 2), slot.name, fill=INK, font=name_font)
        draw.text((MARGIN, top + 16), slot.timezone, fill=INK, font=zone_font)
        for column in range(hours):
            left = grid_left + column * CELL_WIDTH
            for part in range(60 // SLICE_MINUTES):
                moment = start + timedelta(hours=column, minutes=part * SLICE_MINUTES)
                x = left + part * CELL_WIDTH * SLICE_MINUTES // 60
                draw.rectangle((x, top + 1, x + CELL_WIDTH * SLICE_MINUTES // 60 - 1, top + ROW_HEIGHT - 2),
                               fill=_shade(slot, moment.astimezone(zone)))
            local = (start + timedelta(hours=column)).astimezone(zone)
            ink = NIGHT_INK if _shade(slot, local) == NIGHT else INK
            draw.text((left + 3, top + 3), _clock(local), fill=ink, font=clock_font)

    span_end = start + timedelta(hours=hours)
    for rank, candidate in enumerate(candidates, start=1):
        if candidate.end_utc <= start or candidate.start_utc >= span_end:
            continue
        left = grid_left + _minutes_between(start, max(candidate.start_utc, start)) * CELL_WIDTH // 60
        right = grid_left + _minutes_between(start, min(candidate.end_utc, span_end)) * CELL_WIDTH // 60 - 1
        draw.rectangle((left, grid_top - 18, right, grid_top + len(rows) * ROW_HEIGHT - 1),
                       outline=HIGHLIGHT, width=3)
        draw.text((left + 4, grid_top - 34), str(rank), fill=HIGHLIGHT, font=name_font)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _minutes_between(earlier: datetime, later: datetime) -> int:
    return int((later - earlier).total_seconds()) // 60
