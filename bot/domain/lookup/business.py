"""The committee's own business asked in plain words, in French, English and Spanish: the next
meeting, its link, its agenda, who is coming (on a day), my tasks, the open actions, the
decisions on a topic. Reading only: the caller routes each topic to the service its command
uses, so a question and its command give the same facts.

Phrases are matched as whole folded words (`bot.domain.names.fold`: accents, case and punctuation
ignored), so "¿Qué hay en el orden del día?" and "que hay en el orden del dia" read alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from babel import Locale

from bot.domain.lookup.countries import LANGUAGES
from bot.domain.names import fold


class Topic(StrEnum):
    MY_TASKS = "my_tasks"
    OPEN_ACTIONS = "open_actions"
    OVERDUE_ACTIONS = "overdue_actions"
    DECISIONS = "decisions"
    ATTENDANCE = "attendance"
    LINK = "link"
    AGENDA = "agenda"
    NEXT_MEETING = "next_meeting"


# Most specific first: "what do I have to do before the meeting?" is about my tasks.
_PHRASES: dict[Topic, str] = {
    Topic.MY_TASKS: (
        "my tasks|my task|my actions|my action items|my action points|my to do|my todo"
        "|my assignments|assigned to me|tasks for me|what do i have to do|do i have to do"
        "|what must i do|what should i do|what do i need to do|i have to do|i need to do"
        "|what is left for me|what am i supposed to do|on my plate|my homework"
        "|anything to do|something to do|quelque chose a faire|algo que hacer|hay que hacer"
        "|mes taches|mes tache|mes actions|mes missions|que dois je faire|qu est ce que je dois faire"
        "|je dois faire|dois je faire|ai je a faire|j ai a faire|j ai quoi a faire"
        "|il me reste a faire|me reste t il|me reste quoi|reste a faire|ce que je dois faire"
        "|qui me sont assignees|qui me sont confiees|on m a confie|m a confie|m a ete confie"
        "|me han encargado|me encargaron|me han asignado|me asignaron"
        "|taches pour moi|mes devoirs|mis tareas|mi tarea|mis acciones|mis pendientes"
        "|que tengo que hacer|tengo que hacer|que debo hacer|debo hacer|que me toca hacer"
        "|me toca hacer|que me toca|tareas para mi|asignadas a mi|que tengo pendiente"
    ),
    Topic.OPEN_ACTIONS: (
        "open actions|open action items|action items|action points|pending actions"
        "|outstanding actions|open tasks|actions en cours|actions ouvertes|taches en cours"
        "|actions a faire|points d action|acciones abiertas|acciones pendientes"
        "|tareas pendientes|tareas abiertas"
    ),
    Topic.OVERDUE_ACTIONS: (
        "overdue|overdue actions|overdue tasks|what is overdue|late actions|late tasks"
        "|en retard|actions en retard|taches en retard|actions sont en retard"
        "|atrasadas|atrasados|vencidas|acciones atrasadas|tareas atrasadas|acciones vencidas"
    ),
    Topic.DECISIONS: (
        "decide|decided|decision|decisions|agreed|agree on|resolved|resolution"
        "|decider|decide t on|decidee|decidees|decides|avons nous decide|a t on decide"
        "|on a decide|decisions prises|decision prise|convenu|tranche"
        "|decidimos|decidio|decidieron|decidido|decisiones|acordamos|acordado|acuerdo|acuerdos"
    ),
    Topic.ATTENDANCE: (
        "who is coming|who s coming|who comes|who will come|who will attend|who attends"
        "|who is attending|who is joining|who will be there|who can come|who said yes"
        "|who will be at the meeting|who ll be at the meeting|qui sera a la reunion"
        "|qui seront a la reunion|quien estara en la reunion|quienes estaran en la reunion"
        "|qui vient|qui viendra|qui viennent|qui sera la|qui seront la|qui participe"
        "|qui participera|qui sera present|qui seront presents|qui a dit oui|qui assiste"
        "|quien viene|quienes vienen|quien vendra|quienes vendran|quien asiste|quienes asisten"
        "|quien va a venir|quienes van a venir|quien estara|quien participa|quien dijo que si"
    ),
    Topic.LINK: (
        "link|links|url|zoom|jitsi|teams link|video link|meeting link|join link|how do i join"
        "|how to join|lien|le lien|lien de la reunion|lien zoom|comment rejoindre|comment se connecter"
        "|enlace|el enlace|liga|como me uno|como unirme|como conectarme"
    ),
    Topic.AGENDA: (
        "agenda|agendas|order of business|on the agenda|ordre du jour|odj|au programme"
        "|points a l ordre du jour|orden del dia|en el programa|puntos del orden del dia"
    ),
    Topic.NEXT_MEETING: (
        "meeting|meetings|next meeting|next call|the call|when do we meet|when are we meeting"
        "|reunion|reunions|prochaine reunion|prochain appel|la visio|quand se reunit on"
        "|quand nous reunissons nous|quand on se reunit|on se reunit|se reunir|nous reunir"
        "|on se voit|rencontre|reunion del comite|nos vemos|nos reunimos|are we meeting"
        "|do we meet|we meet"
        "|proxima reunion|cuando nos reunimos|cuando es la reunion|sesion|proxima sesion"
    ),
}

# A task word said in the first person is about my tasks: "do I have any tasks?", "j'ai des
# tâches ?", "¿tengo tareas pendientes?" (even with a word of the open actions).
_TASK_WORDS = frozenset(
    "task tasks todo assignment assignments taches tache missions tarea tareas encargos"
    " pendientes pendiente".split()
)
_FIRST_PERSON = frozenset("i me my mine je j moi mes mon ma ai yo mi mis tengo debo".split())

# An "attendance" phrase followed by these asks where someone is from ("qui vient du Népal ?").
_ORIGIN = frozenset({"from", "de", "du", "d", "des", "del"})

# "Who" shortly followed by a verb of attending: "who's joining on Thursday?", "qui sera
# présent ?", "¿quiénes asisten?".
_WHO = frozenset("who qui quien quienes".split())
_ATTENDING = frozenset(
    "coming come comes joining join joins attending attend attends participating participate"
    " vient viennent viendra viendront participe participent participera"
    " viene vienen vendra vendran asiste asisten asistira participa"
    " participan participara".split()
)

# Words that carry no topic in "did we decide anything on the budget?".
_FILLER = frozenset(
    "did do does we us our the a an any anything something on about regarding concerning for"
    " of in to was were is are has have been what which there yet so far last please"
    " est ce que qu a t on nous avons vous quoi quelque chose sur au aux le la les l du de des"
    " un une il y en concernant propos pour deja jusqu ici prise prises pris"
    " se hemos han hay algo alguna algun sobre el los las del al respecto que en ya"
    " con por para es fue ha what which quel quelle quels quelles qué cual cuales who qui"
    " quien quienes committee comite new recent latest nouvelle nouvelles recentes dernieres"
    " nueva nuevas reciente recientes ultima ultimas".split()
)

# Longest first: "pasado mañana" is not "mañana".
_RELATIVE_DAYS: dict[str, int] = {
    "day after tomorrow": 2, "apres demain": 2, "pasado manana": 2,
    "today": 0, "tonight": 0, "aujourd hui": 0, "ce soir": 0, "hoy": 0, "esta noche": 0,
    "tomorrow": 1, "demain": 1, "manana": 1,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class BusinessQuestion:
    topic: Topic
    words: tuple[str, ...] = ()  # what decisions are searched for ("budget")
    weekday: int | None = None  # 0 = Monday: "who is coming on Thursday?"
    days_ahead: int | None = None  # "tomorrow" = 1


@cache
def _phrase_table() -> tuple[tuple[tuple[str, ...], Topic], ...]:
    """Every phrase as folded words, longest first so "ordre du jour" beats "jour"."""
    phrases = {
        tuple(fold(form).split()): topic
        for topic, forms in _PHRASES.items()
        for form in forms.split("|")
    }
    return tuple(sorted(phrases.items(), key=lambda pair: -len(pair[0])))


@cache
def _weekdays() -> dict[str, int]:
    """Day names in the working languages ("jeudi", "thursday", "jueves") → 0..6."""
    names: dict[str, int] = {}
    for language in LANGUAGES:
        for number, name in Locale.parse(language).days["format"]["wide"].items():
            names[fold(name)] = number
    return names


def _find(words: list[str], phrase: tuple[str, ...]) -> int | None:
    size = len(phrase)
    for start in range(len(words) - size + 1):
        if tuple(words[start : start + size]) == phrase:
            return start
    return None


def read_business(text: str) -> BusinessQuestion | None:
    """The committee topic a question asks about, or None when it asks about something else."""
    words = fold(text).split()
    if _TASK_WORDS.intersection(words) and _FIRST_PERSON.intersection(words):
        return BusinessQuestion(Topic.MY_TASKS)
    for start in (i for i, word in enumerate(words) if word in _WHO):
        for verb in range(start + 1, min(start + 5, len(words))):
            following = words[verb + 1] if verb + 1 < len(words) else ""
            if words[verb] in _ATTENDING and following not in _ORIGIN:
                return _with_details(Topic.ATTENDANCE, words, start, verb + 1)
    for phrase, topic in _phrase_table():
        start = _find(words, phrase)
        if start is None:
            continue
        end = start + len(phrase)
        if topic is Topic.ATTENDANCE and end < len(words) and words[end] in _ORIGIN:
            continue
        return _with_details(topic, words, start, end)
    return None


def _with_details(topic: Topic, words: list[str], start: int, end: int) -> BusinessQuestion:
    if topic is Topic.DECISIONS:
        rest = [w for w in words[:start] + words[end:] if w not in _FILLER and len(w) > 1]
        return BusinessQuestion(topic, words=tuple(rest))
    if topic in (Topic.MY_TASKS, Topic.OPEN_ACTIONS, Topic.OVERDUE_ACTIONS):
        return BusinessQuestion(topic)
    days_ahead = next(
        (days for phrase, days in _RELATIVE_DAYS.items() if _find(words, tuple(phrase.split())) is not None),
        None,
    )
    weekday = next((_weekdays()[word] for word in words if word in _weekdays()), None)
    return BusinessQuestion(topic, weekday=weekday, days_ahead=days_ahead)
