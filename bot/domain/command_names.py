"""What a mistyped or translated command most likely meant: ``/mytask`` → ``/mytasks``,
``/aide`` → ``/help``, ``/reuniones`` → ``/meetings``. Only suggested, never run: the member
sees the suggestions and taps or types the right one."""

import difflib

from bot.domain.names import fold

# Words members type in French and Spanish for a command whose name is English (folded).
TRANSLATED = {
    "aide": "help", "ayuda": "help",
    "reunion": "meeting", "reunions": "meetings", "reuniones": "meetings",
    "prochainereunion": "meeting", "proximareunion": "meeting",
    "taches": "mytasks", "mestaches": "mytasks", "tareas": "mytasks", "mistareas": "mytasks",
    "acciones": "actions",
    "membres": "members", "miembros": "members", "annuaire": "members", "directorio": "members",
    "langue": "lang", "idioma": "lang", "lengua": "lang",
    "fuseau": "tz", "zona": "tz", "zonahoraria": "tz", "fuseauhoraire": "tz",
    "ordredujour": "agenda", "odj": "agenda", "ordendeldia": "agenda",
    "decisiones": "decisions",
    "proposer": "propose", "proponer": "propose",
    "compterendu": "minutes", "pv": "minutes", "acta": "minutes", "actas": "minutes",
    "rappels": "reminders", "recordatorios": "reminders",
    "mesdonnees": "mydata", "misdatos": "mydata",
    "creneau": "findslot", "horario": "findslot",
    "quiest": "who", "quien": "who",
}
MAX_SUGGESTIONS = 3


def suggest_commands(typed: str, known: list[str]) -> list[str]:
    """Up to three of ``known`` (command names the reader may use) that ``typed`` (without the
    slash and any ``@bot``) most likely meant, best first; none when nothing is close."""
    word = fold(typed).replace(" ", "")
    if not word or len(word) > 40:
        return []
    translated = TRANSLATED.get(word)
    first = [translated] if translated in known else []
    near = [name for name in known if len(word) >= 3 and (name.startswith(word) or word.startswith(name))
            and abs(len(name) - len(word)) <= 3]
    near += difflib.get_close_matches(word, known, n=MAX_SUGGESTIONS, cutoff=0.75)
    near = sorted(dict.fromkeys(name for name in near if name != word and name not in first),
                  key=lambda name: -difflib.SequenceMatcher(None, word, name).ratio())
    return (first + near)[:MAX_SUGGESTIONS]
