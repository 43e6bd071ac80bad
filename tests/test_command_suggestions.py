"""A mistyped or translated command is answered with the commands it most likely meant, among
those the sender may use, in their language; nothing is run. Through the handlers, both databases."""

from storage.models import AuditEntry
from tests.test_records_handlers import count

MEMBER, FRENCH, SPANISH, CHAIR = "Samy Arokiasamy", "Ingrid Mulamba", "Gabriela Prudencio", "Bart Verstraeten"


async def test_typos_and_translated_names_get_suggestions_in_the_readers_language(bot):
    await bot.send(CHAIR, "/lang en")
    before = await count(bot, AuditEntry)
    cases = [
        (MEMBER, "/mytask", "I do not know the command /mytask. Did you mean /mytasks? Send /help for the list."),
        (MEMBER, "/metings@inspir_bot next week", "I do not know the command /metings. Did you mean /meetings "
                                                  "/meeting? Send /help for the list."),
        (FRENCH, "/aide", "Je ne connais pas la commande /aide. Vouliez-vous dire /help ? Envoyez /help pour la liste."),
        (FRENCH, "/tâches", "Je ne connais pas la commande /tâches. Vouliez-vous dire /mytasks ? Envoyez /help pour "
                            "la liste."),
        (SPANISH, "/reuniones", "No conozco el comando /reuniones. ¿Quiso decir /meetings? Envíe /help para ver la "
                                "lista."),
        (CHAIR, "/newmeting 2026-12-10 15:00 Budget", "I do not know the command /newmeting. Did you mean /newmeeting "
                                                      "/meeting? Send /help for the list."),
        (MEMBER, "/xyzzy", "I do not know that command. Send /help for the list."),
    ]
    for who, typed, expected in cases:
        [reply] = await bot.send(who, typed)
        assert reply.text == expected, typed
    [reply] = await bot.send(MEMBER, "/newmeting 2026-12-10 15:00 Budget")  # not the chair's commands
    assert "/newmeeting" not in reply.text and "/meeting" in reply.text
    [reply] = await bot.send(MEMBER, "/invitee")
    assert "/invite" not in reply.text
    assert await count(bot, AuditEntry) == before


async def test_strangers_get_the_refusal_and_no_command_names(bot):
    [reply] = await bot.send(bot.stranger("fr"), "/mytask")
    assert "/mytasks" not in reply.text and "membres" in reply.text
