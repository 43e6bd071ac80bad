"""Attendance in the minutes, through the real handlers on SQLite and PostgreSQL: an RSVP "no"
is an apology, whoever neither came nor apologised is absent, in all three languages."""

from tests.test_records_handlers import CHAIR, MEMBER, make_meeting


async def test_rsvp_no_is_an_apology_and_the_rest_are_absent(bot):
    meeting_id = await make_meeting(bot)
    await bot.send("Elly Rosita Silaban", f"/rsvp {meeting_id} no")
    [opened] = await bot.start_meeting(CHAIR, "/startmeeting", group=True)
    await bot.press(MEMBER, opened, opened.button_data("Present"))
    await bot.press("Ingrid Mulamba", opened, opened.button_data("Apologies"))
    await bot.send("Elly Rosita Silaban", f"/rsvp {meeting_id} no")  # said no, still not present
    await bot.send(CHAIR, "/endmeeting", group=True)
    expected = {"en": ("Present (1): Samy Arokiasamy", "Apologies (2): Elly Rosita Silaban, Ingrid Mulamba",
                       "Absent (10): Ángeles Carrión, Bart Verstraeten"),
                "fr": ("Présents (1) : Samy Arokiasamy", "Excusés (2) : Elly Rosita Silaban, Ingrid Mulamba",
                       "Absents (10) : Ángeles Carrión, Bart Verstraeten"),
                "es": ("Ausencias justificadas (2): Elly Rosita Silaban, Ingrid Mulamba", "Ausentes (10): Ángeles Carrión")}
    for lang, parts in expected.items():
        [minutes, *_] = await bot.send(CHAIR, f"/minutes {meeting_id} {lang}")
        for part in parts:
            assert part in minutes.text, (lang, part, minutes.text)
