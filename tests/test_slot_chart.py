import io
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image, ImageDraw

from bot.domain.slot_chart import (
    CELL_WIDTH,
    HEADER_HEIGHT,
    HIGHLIGHT,
    MARGIN,
    NAME_FONT,
    NIGHT,
    OFF_HOURS,
    ROW_HEIGHT,
    TITLE_HEIGHT,
    WORKING,
    _font,
    default_chart_start,
    render_slot_chart,
)
from bot.domain.fair_slots import Member, SlotCandidate, SlotQuery, find_slots

COMMITTEE = [
    Member("Mary Karol Luna", "America/Guatemala"),
    Member("Elly Rosita Silaban", "Asia/Jakarta"),
    Member("Samy Arokiasamy", "Asia/Kolkata"),
    Member("Kathmandu Guest", "Asia/Kathmandu"),
    Member("Bart Verstraeten", "Europe/Brussels"),
]
MONDAY = datetime(2026, 3, 23, tzinfo=UTC)


@pytest.fixture(scope="module")
def candidates() -> tuple[SlotCandidate, ...]:
    query = SlotQuery(date(2026, 3, 23), 1, 60, committee_zone="UTC", limit=3)
    return find_slots(COMMITTEE, query).candidates


@pytest.fixture(scope="module")
def picture(candidates: tuple[SlotCandidate, ...]) -> Image.Image:
    image = Image.open(io.BytesIO(render_slot_chart(candidates, start=MONDAY)))
    assert image.format == "PNG"
    return image.convert("RGB")


def grid_origin(image: Image.Image, hours: int = 24) -> tuple[int, int]:
    return image.width - MARGIN - hours * CELL_WIDTH, HEADER_HEIGHT


def slice_pixel(image: Image.Image, row: int, utc_hour: int, quarter: int) -> tuple[int, int, int]:
    """A pixel low in the cell, below the clock digits."""
    left, top = grid_origin(image)
    x = left + utc_hour * CELL_WIDTH + quarter * CELL_WIDTH // 4 + CELL_WIDTH // 8
    return image.getpixel((x, top + row * ROW_HEIGHT + ROW_HEIGHT - 5))


def test_size_has_one_row_per_member_and_one_column_per_hour(picture: Image.Image) -> None:
    assert picture.height == HEADER_HEIGHT + len(COMMITTEE) * ROW_HEIGHT + MARGIN
    assert picture.width > 24 * CELL_WIDTH + 2 * MARGIN


def test_night_is_dark_and_working_hours_light(picture: Image.Image) -> None:
    assert slice_pixel(picture, 1, 19, 2) == NIGHT  # 02:30 in Jakarta
    assert sum(NIGHT) < 200
    assert slice_pixel(picture, 4, 10, 2) == WORKING  # 11:30 in Brussels
    assert slice_pixel(picture, 0, 3, 2) == OFF_HOURS  # 21:30 in Guatemala: late, not yet night


def test_fractional_zones_change_colour_mid_column(picture: Image.Image) -> None:
    # 17:00 UTC is 22:30 in Kolkata and 22:45 in Kathmandu; night starts at 23:00.
    assert [slice_pixel(picture, 2, 17, q) for q in range(4)] == [OFF_HOURS, OFF_HOURS, NIGHT, NIGHT]
    assert [slice_pixel(picture, 3, 17, q) for q in range(4)] == [OFF_HOURS, NIGHT, NIGHT, NIGHT]


def test_candidates_are_outlined(picture: Image.Image, candidates: tuple[SlotCandidate, ...]) -> None:
    left, top = grid_origin(picture)
    for candidate in candidates:
        minutes = int((candidate.start_utc - MONDAY).total_seconds()) // 60
        x = left + minutes * CELL_WIDTH // 60
        assert picture.getpixel((x + 1, top + 2 * ROW_HEIGHT + ROW_HEIGHT // 2)) == HIGHLIGHT


def test_default_span_centres_the_best_candidate(candidates: tuple[SlotCandidate, ...]) -> None:
    start = default_chart_start(candidates, 24)
    assert start.minute == 0 and start <= candidates[0].start_utc
    assert candidates[0].end_utc <= start + timedelta(hours=24)
    image = Image.open(io.BytesIO(render_slot_chart(candidates, title="Réunion")))
    assert image.height == TITLE_HEIGHT + HEADER_HEIGHT + len(COMMITTEE) * ROW_HEIGHT + MARGIN


def test_nothing_to_draw_is_refused() -> None:
    with pytest.raises(ValueError):
        render_slot_chart(())


@pytest.mark.skipif(not NAME_FONT.exists(), reason="DejaVu Sans (Debian fonts-dejavu-core) not installed")
def test_accented_names_are_drawn_not_boxed():
    font = _font(12)

    def ink(text: str) -> bytes:
        image = Image.new("L", (60, 24))
        ImageDraw.Draw(image).text((2, 2), text, font=font, fill=255)
        return image.tobytes()

    missing = ink("\uffff")
    for letter in "éÁèñ":
        assert ink(letter) != missing
    assert ink("é") != ink("e")
