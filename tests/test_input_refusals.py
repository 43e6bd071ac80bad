"""Input that used to be accepted by a loose match is refused with a clear answer in the
member's language, and changes nothing (both databases)."""

import pytest

from bot.domain.meeting_time import UnknownTimezone, resolve_timezone

SAMY = "Samy Arokiasamy"  # Asia/Kolkata, writes in English


@pytest.mark.parametrize("query", ["not Jakarta", "Asia/Jakarta'; DROP TABLE member;--", "Jakarta please",
                                   "Lima Peru", "Europe/Brussels x"])
def test_a_zone_is_named_by_the_whole_argument_never_by_a_part(query: str) -> None:
    with pytest.raises(UnknownTimezone):
        resolve_timezone(query)


@pytest.mark.parametrize("query,zone", [("Jakarta", "Asia/Jakarta"), ("jakarta", "Asia/Jakarta"),
                                        ("Guatemala City", "America/Guatemala"), ("ciudad de Lima", "America/Lima")])
def test_case_accents_and_the_word_city_are_forgiven(query: str, zone: str) -> None:
    assert resolve_timezone(query) == zone


async def test_tz_with_extra_words_is_refused_and_changes_nothing(bot):
    for text in ("/tz not Jakarta", "/tz Asia/Jakarta'; DROP TABLE member;--"):
        [reply] = await bot.send(SAMY, text)
        assert "I do not know the time zone" in reply.text, reply.text
        assert (await bot.member(SAMY)).timezone == "Asia/Kolkata"
    [reply] = await bot.send("Ingrid Mulamba", "/tz pas Jakarta")
    assert "fuseau" in reply.text
    [confirm] = await bot.send(SAMY, "/tz not Jakarta")  # the suggestion is confirmed by a tap
    await bot.press(SAMY, confirm, confirm.button_data("Asia/Jakarta"))
    assert (await bot.member(SAMY)).timezone == "Asia/Jakarta"


async def test_newmeeting_refuses_a_number_out_of_range_and_a_date_too_far_ahead(bot):
    from sqlalchemy import func, select

    from storage.models import Meeting

    for text, expected in (("/newmeeting 2026-12-04 10:00 Europe/Brussels 99999999999999999999 Endless",
                            "between 5 and 720 minutes"),
                           ("/newmeeting 2026-12-04 10:00 Europe/Brussels ² Endless", "between 5 and 720 minutes"),
                           ("/newmeeting 2126-12-04 10:00 Far", "too far ahead"),
                           ("/newmeeting 9999-12-31 23:59 America/Lima Farther", "too far ahead")):
        replies = await bot.send("Bart Verstraeten", text)
        assert [expected in m.text for m in replies] == [True], (text, [m.text for m in replies])
    [reply] = await bot.send("Gabriela Prudencio", "/newmeeting 2126-12-04 10:00 Lejos")
    assert "demasiado lejana" in reply.text
    async with bot.services.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Meeting)) == 0
