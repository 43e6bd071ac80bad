"""Converting a time between places and people, asked in plain words through the handlers,
on both databases: in the asker's language, cities by their names, the asker's own time."""

from __future__ import annotations

from bot.telegram.offline import GROUP_CHAT


async def test_a_french_member_converts_between_two_cities(bot):
    [reply] = await bot.send("Ingrid Mulamba", "14h à Lima, quelle heure à Jakarta ?")
    assert reply.text.splitlines() == [
        "14:00 à Lima (UTC-05:00), lundi 23 novembre 2026, c’est :",
        "• à Jakarta : <b>02:00, mardi 24 novembre 2026</b> (UTC+07:00)",
        "• pour vous à Kinshasa : <b>20:00</b> (UTC+01:00)",
    ]


async def test_a_spanish_member_converts_and_reads_city_names_in_spanish(bot):
    [reply] = await bot.send("Gabriela Prudencio", "¿Qué hora es en Yakarta cuando son las 14:00 en Lima?")
    assert reply.text.splitlines() == [
        "Las 14:00 en Lima (UTC-05:00), lunes, 23 de noviembre de 2026, son:",
        "• en Yakarta: <b>02:00, martes, 24 de noviembre de 2026</b> (UTC+07:00)",
        "• para usted en La Paz: <b>15:00</b> (UTC-04:00)",
    ]


async def test_members_are_places_too(bot):
    [reply] = await bot.send("Samy Arokiasamy", "what time is 3pm Lima for Elly and Santiago?")
    assert "15:00 in Lima" in reply.text
    assert "• for Elly Rosita Silaban in Jakarta: <b>03:00, Tuesday, November 24, 2026</b> (UTC+07:00)" in reply.text
    assert "• for Santiago Fischer in Brussels: <b>21:00</b> (UTC+01:00)" in reply.text
    assert "• for you in Kolkata: <b>01:30, Tuesday, November 24, 2026</b> (UTC+05:30)" in reply.text


async def test_what_cannot_be_converted_is_said_in_the_askers_language(bot):
    [reply] = await bot.send("Ingrid Mulamba", "25:00 à Lima, quelle heure à Jakarta ?")
    assert reply.text.startswith("Ce n’est pas une heure de la journée")
    [reply] = await bot.send("Gabriela Prudencio", "14:00 en Indonesia, ¿qué hora en Lima?")
    assert "varios husos horarios" in reply.text
    [reply] = await bot.send("Santiago Fischer", "14:00 in Brussels?")  # his own time
    assert "your own time" in reply.text


async def test_asked_in_the_group_the_answer_goes_privately(bot):
    """It says where the asker (and anyone named) lives: personal data, like /who's answers."""
    samy = bot.person("Samy").telegram_id
    replies = await bot.send("Samy Arokiasamy", "@inspir_bot 14:00 Brussels in Jakarta?", group=True)
    private = [m for m in replies if m.chat_id == samy]
    public = [m for m in replies if m.chat_id == GROUP_CHAT["id"]]
    assert private and "for you in Kolkata" in private[0].text
    assert all("Kolkata" not in m.text for m in public)


async def test_a_day_typed_with_the_time_is_the_day_converted(bot):
    """The harness's today is Monday 23 November: "demain", "el viernes", "on 29/03" name
    another day, counted where the time belongs, with that day's DST (Brussels in summer time)."""
    [reply] = await bot.send("Ingrid Mulamba", "demain à 14h à Bruxelles, quelle heure à Lima ?")
    assert reply.text.splitlines()[:2] == [
        "14:00 à Bruxelles (UTC+01:00), mardi 24 novembre 2026, c’est :", "• à Lima : <b>08:00</b> (UTC-05:00)"]
    [reply] = await bot.send("Gabriela Prudencio", "si son las 14:00 en Lima el viernes, ¿qué hora es en Yakarta?")
    assert reply.text.splitlines()[:2] == [
        "Las 14:00 en Lima (UTC-05:00), viernes, 27 de noviembre de 2026, son:",
        "• en Yakarta: <b>02:00, sábado, 28 de noviembre de 2026</b> (UTC+07:00)"]
    [reply] = await bot.send("Samy Arokiasamy", "what is 14:00 in Brussels on 29/03 in Jakarta?")
    assert reply.text.splitlines()[:2] == [
        "14:00 in Brussels (UTC+02:00), Monday, March 29, 2027, is:", "• in Jakarta: <b>19:00</b> (UTC+07:00)"]
