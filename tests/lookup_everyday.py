"""Everyday questions of committee members, by class of problem (issue 15), as data shared by
the domain tests and the handler tests. Written from the shipped data (data/demo_roster.csv,
data/organisations.csv) and from what members type, in fr, en and es, typos and all.

Directory cases (`d`): the answer's facts.
- people: exactly who is listed; orgs: exactly which organisations (acronym, or name);
- total: the number stated (counts), when orgs is not spelt out;
- zone: a time question about a place is answered with that IANA zone's time;
- suggest: nothing is found, and these names are offered as suggestions only.
Business cases (`b`): the topic read, and its details (words searched, day).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"

INGRID, DENIS, SABINE = "Ingrid Mulamba", "Denis Mushiya", "Sabine Jenifère Medetadji Degue"
NIWA, DRISSA, ANGELES = "Niwa Soulima", "Drissa Soaré", "Ángeles Carrión"
MARY, GABRIELA, ELLY = "Mary Karol Luna", "Gabriela Prudencio", "Elly Rosita Silaban"
SAMY, BISMO, SANTIAGO, BART = "Samy Arokiasamy", "Bismo Sanyoto", "Santiago Fischer", "Bart Verstraeten"
ASIA = [ELLY, SAMY, BISMO]
CENTRAL_AFRICA = [INGRID, DENIS]
BELGIUM = [SANTIAGO, BART]
INDONESIA = [ELLY, BISMO]

PLACES, ROLE_TIMES, COUNTRY_PEOPLE, KINDS, UNKNOWN, BUSINESS = (
    "places by city", "roles and times", "people by country", "kinds and name words",
    "unknown people", "committee business",
)  # fmt: skip
CLASSES = (PLACES, ROLE_TIMES, COUNTRY_PEOPLE, KINDS, UNKNOWN, BUSINESS)


def _organisations(country: str, kind: str | None = None) -> list[str]:
    """Labels of the data's organisations in a country (of a kind): the expected facts."""
    with (DATA / "organisations.csv").open(encoding="utf-8") as file:
        return [
            row["acronym"] or row["name"]
            for row in csv.DictReader(file)
            if row["country"] == country and (kind is None or row["kind"] == kind)
        ]


def d(cls: str, question: str, lang: str, **expected: Any) -> dict[str, Any]:
    return {"cls": cls, "question": question, "lang": lang, "people": None, "orgs": None,
            "total": None, "zone": None, "suggest": None, **expected}  # fmt: skip


def b(question: str, lang: str, topic: str, **expected: Any) -> dict[str, Any]:
    return {"cls": BUSINESS, "question": question, "lang": lang, "topic": topic,
            "words": (), "weekday": None, "days_ahead": None, **expected}  # fmt: skip


DIRECTORY_CASES = [
    # 1. Places by city: the people living there, or the time there -------------------------
    d(PLACES, "who is in Kinshasa?", "en", people=[INGRID]),
    d(PLACES, "who lives in Lubumbashi?", "en", people=[DENIS]),
    d(PLACES, "anyone based in Jakarta?", "en", people=INDONESIA),
    d(PLACES, "what time is it in Lima?", "en", people=[ANGELES], zone="America/Lima"),
    d(PLACES, "time in Dakar", "en", people=[], zone="Africa/Dakar"),
    d(PLACES, "current time in Kathmandu?", "en", people=[], zone="Asia/Kathmandu"),
    d(PLACES, "what's the time in Brussels right now", "en", people=BELGIUM, zone="Europe/Brussels"),
    d(PLACES, "who is in Brussels", "en", people=BELGIUM),
    d(PLACES, "members in La Paz", "en", people=[GABRIELA]),
    d(PLACES, "who is in ouagadougou", "en", people=[DRISSA]),
    d(PLACES, "is anyone in Lome?", "en", people=[NIWA]),
    d(PLACES, "who's in New Delhi?", "en", people=[SAMY]),
    d(PLACES, "time in Phnom Penh", "en", people=[], zone="Asia/Phnom_Penh"),
    d(PLACES, "what time is it in Dhaka", "en", people=[], zone="Asia/Dhaka"),
    d(PLACES, "who is in Gitega?", "en", suggest=CENTRAL_AFRICA),
    d(PLACES, "who is in Jakrta?", "en", people=INDONESIA),
    d(PLACES, "qui est à Kinshasa ?", "fr", people=[INGRID]),
    d(PLACES, "heure à Dakar ?", "fr", people=[], zone="Africa/Dakar"),
    d(PLACES, "quelle heure est-il à Katmandou ?", "fr", people=[], zone="Asia/Kathmandu"),
    d(PLACES, "qui habite à Bruxelles ?", "fr", people=BELGIUM),
    d(PLACES, "il est quelle heure à Lima ?", "fr", people=[ANGELES], zone="America/Lima"),
    d(PLACES, "qui se trouve à Djakarta ?", "fr", people=INDONESIA),
    d(PLACES, "quelqu'un à Ouagadougou ?", "fr", people=[DRISSA]),
    d(PLACES, "l'heure à Calcutta", "fr", people=[SAMY], zone="Asia/Kolkata"),
    d(PLACES, "qui est basé à Lubumbashi ?", "fr", people=[DENIS]),
    d(PLACES, "heure de Saint-Domingue ?", "fr", people=[], zone="America/Santo_Domingo"),
    d(PLACES, "qui est a porto novo", "fr", people=[SABINE]),
    d(PLACES, "quelle heure à Phnom Penh", "fr", people=[], zone="Asia/Phnom_Penh"),
    d(PLACES, "qui vit à Lomé ?", "fr", people=[NIWA]),
    d(PLACES, "membres à La Paz", "fr", people=[GABRIELA]),
    d(PLACES, "qui est à Cotonou ?", "fr", people=[SABINE]),
    d(PLACES, "¿quién está en Yakarta?", "es", people=INDONESIA),
    d(PLACES, "¿qué hora es en Katmandú?", "es", people=[], zone="Asia/Kathmandu"),
    d(PLACES, "¿quién vive en Bruselas?", "es", people=BELGIUM),
    d(PLACES, "hora en Dakar", "es", people=[], zone="Africa/Dakar"),
    d(PLACES, "¿alguien en Kinshasa?", "es", people=[INGRID]),
    d(PLACES, "¿qué hora es en Lima?", "es", people=[ANGELES], zone="America/Lima"),
    d(PLACES, "¿quién está en Uagadugú?", "es", people=[DRISSA]),
    d(PLACES, "¿qué hora es en Daca?", "es", people=[], zone="Asia/Dhaka"),
    d(PLACES, "¿quién está en Nueva Delhi?", "es", people=[SAMY]),
    d(PLACES, "¿quién vive en La Paz?", "es", people=[GABRIELA]),
    d(PLACES, "¿hay alguien en Lomé?", "es", people=[NIWA]),
    d(PLACES, "¿qué hora es en Santo Domingo?", "es", people=[], zone="America/Santo_Domingo"),
    d(PLACES, "hora en Calcuta", "es", people=[SAMY], zone="Asia/Kolkata"),
    d(PLACES, "¿quién está en Ciudad de Guatemala?", "es", people=[MARY]),
    d(PLACES, "que hora es en katmandu", "es", people=[], zone="Asia/Kathmandu"),
    # 2. Roles and times together --------------------------------------------------------
    d(ROLE_TIMES, "what time is it for the Asia coordinator?", "en", people=[BISMO]),
    d(ROLE_TIMES, "time for the chair?", "en", people=[BART]),
    d(ROLE_TIMES, "what time is it for the president", "en", people=[BART]),
    d(ROLE_TIMES, "local time of the West Africa coordinator", "en", people=[DRISSA]),
    d(ROLE_TIMES, "what time is it for the Latin America coordinator?", "en", people=[GABRIELA]),
    d(ROLE_TIMES, "what's the time for the Central Africa continental coordinator", "en",
      people=[DENIS]),
    d(ROLE_TIMES, "time zone of the chair", "en", people=[BART]),
    d(ROLE_TIMES, "what time is it for the representative of Europe", "en", people=[SANTIAGO]),
    d(ROLE_TIMES, "what time is it for the Asian representatives?", "en", people=[ELLY, SAMY]),
    d(ROLE_TIMES, "what time is it for the chiar", "en", people=[BART]),
    d(ROLE_TIMES, "l'heure du président ?", "fr", people=[BART]),
    d(ROLE_TIMES, "quelle heure est-il pour la coordinatrice d'Amérique latine ?", "fr",
      people=[GABRIELA]),
    d(ROLE_TIMES, "il est quelle heure chez le coordinateur de l'Asie ?", "fr", people=[BISMO]),
    d(ROLE_TIMES, "fuseau horaire du président", "fr", people=[BART]),
    d(ROLE_TIMES, "quelle heure pour le coordinateur de l'Afrique de l'Ouest ?", "fr",
      people=[DRISSA]),
    d(ROLE_TIMES, "heure du représentant de l'Europe", "fr", people=[SANTIAGO]),
    d(ROLE_TIMES, "quelle heure est-il pour le coordonnateur continental d'Afrique centrale ?",
      "fr", people=[DENIS]),
    d(ROLE_TIMES, "quelle heure chez la presidente", "fr", people=[BART]),
    d(ROLE_TIMES, "¿qué hora es para el presidente?", "es", people=[BART]),
    d(ROLE_TIMES, "¿qué hora es para el coordinador de Asia?", "es", people=[BISMO]),
    d(ROLE_TIMES, "hora de la coordinadora de América Latina", "es", people=[GABRIELA]),
    d(ROLE_TIMES, "¿qué hora tiene el coordinador de África occidental?", "es", people=[DRISSA]),
    d(ROLE_TIMES, "zona horaria del presidente", "es", people=[BART]),
    d(ROLE_TIMES, "¿qué hora es para el representante de Europa?", "es", people=[SANTIAGO]),
    d(ROLE_TIMES, "¿qué hora es para la presidencia?", "es", people=[BART]),
    d(ROLE_TIMES, "que hora es para el coordinador de africa central", "es", people=[DENIS]),
    # 3. People by country: the committee members, not the country's organisations ------
    d(COUNTRY_PEOPLE, "is someone from Nepal on the committee?", "en", suggest=ASIA),
    d(COUNTRY_PEOPLE, "anyone from Benin on the committee?", "en", people=[SABINE]),
    d(COUNTRY_PEOPLE, "do we have somebody from Togo?", "en", people=[NIWA]),
    d(COUNTRY_PEOPLE, "is there a committee member from Peru?", "en", people=[ANGELES]),
    d(COUNTRY_PEOPLE, "who on the committee is from Belgium?", "en", people=BELGIUM),
    d(COUNTRY_PEOPLE, "any committee member from Bolivia?", "en", people=[GABRIELA]),
    d(COUNTRY_PEOPLE, "is anybody from Burundi in the committee?", "en", suggest=CENTRAL_AFRICA),
    d(COUNTRY_PEOPLE, "someone from India?", "en", people=[SAMY]),
    d(COUNTRY_PEOPLE, "committee members from Indonesia", "en", people=INDONESIA),
    d(COUNTRY_PEOPLE, "anyone from Guatemala on the committee", "en", people=[MARY]),
    d(COUNTRY_PEOPLE, "quelqu'un du Bénin au comité ?", "fr", people=[SABINE]),
    d(COUNTRY_PEOPLE, "y a-t-il quelqu'un du Népal au comité ?", "fr", suggest=ASIA),
    d(COUNTRY_PEOPLE, "un membre du comité vient-il du Togo ?", "fr", people=[NIWA]),
    d(COUNTRY_PEOPLE, "qui au comité est du Pérou ?", "fr", people=[ANGELES]),
    d(COUNTRY_PEOPLE, "quelqu'un de Belgique dans le comité ?", "fr", people=BELGIUM),
    d(COUNTRY_PEOPLE, "est-ce qu'il y a quelqu'un du Burkina au comité ?", "fr", people=[DRISSA]),
    d(COUNTRY_PEOPLE, "des membres du comité en Indonésie ?", "fr", people=INDONESIA),
    d(COUNTRY_PEOPLE, "quelqu'un de Bolivie ?", "fr", people=[GABRIELA]),
    d(COUNTRY_PEOPLE, "quelqu'un du Rwanda au comité ?", "fr", suggest=CENTRAL_AFRICA),
    d(COUNTRY_PEOPLE, "quelqu un du benin au comite", "fr", people=[SABINE]),
    d(COUNTRY_PEOPLE, "¿hay alguien de Nepal en el comité?", "es", suggest=ASIA),
    d(COUNTRY_PEOPLE, "¿alguien de Benín en el comité?", "es", people=[SABINE]),
    d(COUNTRY_PEOPLE, "¿hay alguien del Perú en el comité?", "es", people=[ANGELES]),
    d(COUNTRY_PEOPLE, "¿alguien de Bélgica?", "es", people=BELGIUM),
    d(COUNTRY_PEOPLE, "¿quién del comité es de Bolivia?", "es", people=[GABRIELA]),
    d(COUNTRY_PEOPLE, "¿hay algún miembro de Guatemala?", "es", people=[MARY]),
    d(COUNTRY_PEOPLE, "¿alguien de la India en el comité?", "es", people=[SAMY]),
    d(COUNTRY_PEOPLE, "¿hay alguien de Togo en el comité?", "es", people=[NIWA]),
    d(COUNTRY_PEOPLE, "¿alguien de Ruanda en el comité?", "es", suggest=CENTRAL_AFRICA),
    d(COUNTRY_PEOPLE, "alguien de benin en el comite", "es", people=[SABINE]),
    # 4. Kinds, abbreviations and name words filter a place's organisations ---------------
    d(KINDS, "how many orgs in Togo", "en", total=14),
    d(KINDS, "how many NGOs in Benin?", "en", orgs=_organisations("Benin", "NGO")),
    d(KINDS, "youth organisations in Burundi", "en", orgs=["AGAKURA"]),
    d(KINDS, "the garment federation in Bangladesh", "en", orgs=["NGWF", "FGW", "TGWF"]),
    d(KINDS, "which NGOs are in Indonesia?", "en", orgs=_organisations("Indonesia", "NGO")),
    d(KINDS, "women's organisations in Indonesia", "en",
      orgs=_organisations("Indonesia", "women's organisation")),
    d(KINDS, "the domestic workers federation in India", "en", orgs=["NDWF"]),
    d(KINDS, "health mutuals in Guinea", "en",
      orgs=_organisations("Guinea", "mutual health organisation")),
    d(KINDS, "trade unions in Peru", "en", orgs=_organisations("Peru", "trade union")),
    d(KINDS, "the construction federation in Togo", "en", orgs=["FTBC"]),
    d(KINDS, "how many unions in Bangladesh?", "en",
      total=len(_organisations("Bangladesh", "trade union"))),
    d(KINDS, "youth groups in Guatemala", "en", orgs=["MOJOCA", "JOC"]),
    d(KINDS, "ONGs du Bénin", "fr", orgs=_organisations("Benin", "NGO")),
    d(KINDS, "combien d'orgs au Togo ?", "fr", total=14),
    d(KINDS, "les ONG en RDC", "fr", orgs=_organisations("DR Congo", "NGO")),
    d(KINDS, "organisations de jeunesse au Sénégal", "fr", orgs=["AJE"]),
    d(KINDS, "la fédération du textile au Bangladesh", "fr", orgs=["NGWF", "FGW", "TGWF"]),
    d(KINDS, "la fédération du bois au Togo", "fr", orgs=["FTBC"]),
    d(KINDS, "combien de syndicats au Bangladesh ?", "fr",
      total=len(_organisations("Bangladesh", "trade union"))),
    d(KINDS, "les mutuelles de santé en Guinée", "fr",
      orgs=_organisations("Guinea", "mutual health organisation")),
    d(KINDS, "organisations de femmes au Burkina", "fr", orgs=["GAFREH"]),
    d(KINDS, "quelles ONGs au Togo ?", "fr", orgs=_organisations("Togo", "NGO")),
    d(KINDS, "les travailleurs domestiques en Inde", "fr", orgs=["NDWM", "NDWF"]),
    d(KINDS, "syndicats du Rwanda", "fr", orgs=_organisations("Rwanda", "trade union")),
    d(KINDS, "¿cuántas ONG hay en Indonesia?", "es",
      total=len(_organisations("Indonesia", "NGO"))),
    d(KINDS, "ONGs de Guinea", "es", orgs=_organisations("Guinea", "NGO")),
    d(KINDS, "organizaciones juveniles en Perú", "es", orgs=["JOC Perù", "ASHANTI"]),
    d(KINDS, "la federación textil de Bangladés", "es", orgs=["NGWF", "FGW", "TGWF"]),
    d(KINDS, "organizaciones de mujeres en Bolivia", "es", orgs=["CPMGA"]),
    d(KINDS, "¿cuántos sindicatos hay en Togo?", "es",
      total=len(_organisations("Togo", "trade union"))),
    d(KINDS, "mutuales de salud en Senegal", "es", orgs=["UNAMUSC"]),
    d(KINDS, "¿qué ONG hay en Ruanda?", "es", orgs=_organisations("Rwanda", "NGO")),
    d(KINDS, "la federación de trabajadoras domésticas de India", "es", orgs=["NDWF"]),
    d(KINDS, "sindicatos de la República Dominicana", "es",
      orgs=_organisations("Dominican Republic", "trade union")),
    d(KINDS, "¿cuántas orgs en Perú?", "es", total=len(_organisations("Peru"))),
    # 5. Unknown people: a suggestion, never someone else's entry ------------------------
    d(UNKNOWN, "do you know Pedro Fischer?", "en", suggest=[SANTIAGO]),
    d(UNKNOWN, "who is Maria Luna?", "en", suggest=[MARY]),
    d(UNKNOWN, "who is John Verstraeten?", "en", suggest=[BART]),
    d(UNKNOWN, "what time is it for Pedro Fischer?", "en", suggest=[SANTIAGO]),
    d(UNKNOWN, "is Carlos Prudencio on the committee?", "en", suggest=[GABRIELA]),
    d(UNKNOWN, "who is Anna Silaban?", "en", suggest=[ELLY]),
    d(UNKNOWN, "tell me about Marc Mushiya", "en", suggest=[DENIS]),
    d(UNKNOWN, "who is Santiago Gomez?", "en", suggest=[SANTIAGO]),
    d(UNKNOWN, "who is Peter Sanyoto", "en", suggest=[BISMO]),
    d(UNKNOWN, "connais-tu Pedro Fischer ?", "fr", suggest=[SANTIAGO]),
    d(UNKNOWN, "qui est Jean Mulamba ?", "fr", suggest=[INGRID]),
    d(UNKNOWN, "qui est Marie Degue ?", "fr", suggest=[SABINE]),
    d(UNKNOWN, "quelle heure est-il pour Paul Soaré ?", "fr", suggest=[DRISSA]),
    d(UNKNOWN, "c'est qui Luc Verstraeten ?", "fr", suggest=[BART]),
    d(UNKNOWN, "qui est Sophie Carrión ?", "fr", suggest=[ANGELES]),
    d(UNKNOWN, "vous connaissez Pierre Soulima ?", "fr", suggest=[NIWA]),
    d(UNKNOWN, "¿conoces a Pedro Fischer?", "es", suggest=[SANTIAGO]),
    d(UNKNOWN, "¿quién es Juan Prudencio?", "es", suggest=[GABRIELA]),
    d(UNKNOWN, "¿quién es Carmen Luna?", "es", suggest=[MARY]),
    d(UNKNOWN, "¿qué hora es para José Sanyoto?", "es", suggest=[BISMO]),
    d(UNKNOWN, "¿quién es Rosa Carrión?", "es", suggest=[ANGELES]),
    d(UNKNOWN, "¿quién es Pablo Arokiasamy?", "es", suggest=[SAMY]),
    d(UNKNOWN, "¿conoce a Lucía Mulamba?", "es", suggest=[INGRID]),
]

BUSINESS_CASES = [
    b("when is the next meeting?", "en", "next_meeting"),
    b("when do we meet?", "en", "next_meeting"),
    b("next call?", "en", "next_meeting"),
    b("what's the link?", "en", "link"),
    b("how do I join the meeting?", "en", "link"),
    b("send me the zoom link please", "en", "link"),
    b("what is on the agenda?", "en", "agenda"),
    b("what's on the agenda for Thursday?", "en", "agenda", weekday=3),
    b("what do I have to do?", "en", "my_tasks"),
    b("what are my tasks?", "en", "my_tasks"),
    b("anything assigned to me?", "en", "my_tasks"),
    b("which action items are still open?", "en", "open_actions"),
    b("did we decide anything on the budget?", "en", "decisions", words=("budget",)),
    b("what was decided about the solidarity fund?", "en", "decisions",
      words=("solidarity", "fund")),
    b("who is coming on Thursday?", "en", "attendance", weekday=3),
    b("who will attend tomorrow?", "en", "attendance", days_ahead=1),
    b("who's coming?", "en", "attendance"),
    b("quand est la prochaine réunion ?", "fr", "next_meeting"),
    b("on se réunit quand ?", "fr", "next_meeting"),
    b("c'est quoi le lien ?", "fr", "link"),
    b("comment rejoindre la visio ?", "fr", "link"),
    b("qu'y a-t-il à l'ordre du jour ?", "fr", "agenda"),
    b("l'ordre du jour de jeudi", "fr", "agenda", weekday=3),
    b("qu'est-ce que je dois faire ?", "fr", "my_tasks"),
    b("mes tâches ?", "fr", "my_tasks"),
    b("il me reste quoi à faire ?", "fr", "my_tasks"),
    b("quelles actions sont en retard ?", "fr", "open_actions"),
    b("a-t-on décidé quelque chose sur le budget ?", "fr", "decisions", words=("budget",)),
    b("qu'avons-nous décidé pour les élections ?", "fr", "decisions", words=("elections",)),
    b("qui vient jeudi ?", "fr", "attendance", weekday=3),
    b("qui participe demain ?", "fr", "attendance", days_ahead=1),
    b("qui sera là ?", "fr", "attendance"),
    b("¿cuándo es la próxima reunión?", "es", "next_meeting"),
    b("¿cuándo nos reunimos?", "es", "next_meeting"),
    b("¿cuál es el enlace?", "es", "link"),
    b("¿cómo me uno a la reunión?", "es", "link"),
    b("¿qué hay en el orden del día?", "es", "agenda"),
    b("el orden del día del jueves", "es", "agenda", weekday=3),
    b("¿qué tengo que hacer?", "es", "my_tasks"),
    b("mis tareas", "es", "my_tasks"),
    b("¿qué me toca hacer?", "es", "my_tasks"),
    b("¿qué tareas pendientes hay?", "es", "open_actions"),
    b("¿decidimos algo sobre el presupuesto?", "es", "decisions", words=("presupuesto",)),
    b("¿qué se decidió sobre las elecciones?", "es", "decisions", words=("elecciones",)),
    b("¿quién viene el jueves?", "es", "attendance", weekday=3),
    b("¿quiénes vienen mañana?", "es", "attendance", days_ahead=1),
    b("¿quién va a venir?", "es", "attendance"),
]

# Questions that are not about the committee's business, whatever words they share with it.
NOT_BUSINESS = [
    "qui vient du Népal ?", "who is coming from Togo?", "¿quién viene de Perú?",
    "what is CRISOL?", "qui est le président du comité ?", "where is GEFONT based?",
]
