"""The lookup question set, as data: shared by the domain tests and the Telegram handler tests.

Each entry:
- question, lang (fr/en/es: the language of the question), via ("ask" = free text,
  "who" = /who, "org" = /org), intent (bot.domain.lookup.Intent value);
- expect_people: names, and expect_orgs: (acronym or name, country as in data/ or None).
  They are the exact set of matches, unless expect_total is given: then they must be among
  the matches and expect_total is their number (for lists too long to spell out);
- ambiguous: whether several candidates answer a question about one thing (default False);
- expect_suggestions: names that must be suggested when nothing matches.
Answers are those of the shipped data (2023 committee, data/organisations.csv).
"""

from __future__ import annotations

from typing import Any

GABRIELA = "Gabriela Prudencio"
ANGELES = "Ángeles Carrión"
ASIA_MEMBERS = ["Elly Rosita Silaban", "Samy Arokiasamy", "Bismo Sanyoto"]
WEST_AFRICA_MEMBERS = ["Sabine Jenifère Medetadji Degue", "Niwa Soulima", "Drissa Soaré"]
LATIN_AMERICA_MEMBERS = [ANGELES, "Mary Karol Luna", GABRIELA]
NEPAL_ORGS = [("NTUC", "Nepal"), ("GEFONT", "Nepal"), ("ITUC-NAC", "Nepal"), ("SPCSN", "Nepal")]
DR_CONGO_ORGS = [
    ("AAAB", "DR Congo"), ("ADP", "DR Congo"), ("CDS", "DR Congo"), ("CDT", "DR Congo"),
    ("CEPROSEM", "DR Congo"), ("CONAPAC", "DR Congo"), ("CSC", "DR Congo"), ("ESL", "DR Congo"),
    ("Fondation NDOMBA", "DR Congo"), ("FUTURA Envir 4Ward", "DR Congo"),
    ("POMUCO", "DR Congo"), ("RCCAR-GAR", "DR Congo"), ("SYNAMED", "DR Congo"),
]  # fmt: skip
GUATEMALA_ORGS = [
    ("MTC", "Guatemala"), ("CGTG", "Guatemala"), ("MOJOCA", "Guatemala"), ("JOC", "Guatemala"),
    ("UNSITRAGUA", "Guatemala"), ("CUSG", "Guatemala"),
]  # fmt: skip
PERU_ORGS = [
    ("ANP", "Peru"), ("CSP", "Peru"), ("JOC Perù", "Peru"), ("IPROFOTH", "Peru"),
    ("GRESP", "Peru"), ("ASHANTI", "Peru"), ("CATP", "Peru"),
]  # fmt: skip
SENEGAL_ORGS = [
    ("AJE", "Senegal"), ("CNTS (dont SUTIDS)", "Senegal"), ("Enda Graf Sahel", "Senegal"),
    ("GRAIM", "Senegal"), ("ROP", "Senegal"), ("UNAMUSC", "Senegal"),
]  # fmt: skip
BOTH_CSB = [("CSB", "Burundi"), ("CSB", "Burkina Faso")]
ALL_MTC = [("MTC", "Mali"), ("MTC", "Guatemala"), ("MTC Bénin", "Benin")]
BOTH_JOC = [("JOC", "Guatemala"), ("JOC Perù", "Peru")]


def q(question: str, lang: str, intent: str, via: str = "ask", **expected: Any) -> dict[str, Any]:
    return {
        "question": question,
        "lang": lang,
        "via": via,
        "intent": intent,
        "expect_people": expected.pop("people", []),
        "expect_orgs": expected.pop("orgs", []),
        "expect_total": expected.pop("total", None),
        "ambiguous": expected.pop("ambiguous", False),
        "expect_suggestions": expected.pop("suggestions", []),
        **expected,
    }


QUESTIONS: list[dict[str, Any]] = [
    # English -----------------------------------------------------------------------------
    q("who represents Asia?", "en", "person_by_network", people=ASIA_MEMBERS),
    q("who is the chair?", "en", "person_by_role", people=["Bart Verstraeten"]),
    q("Who chairs the steering committee?", "en", "person_by_role", people=["Bart Verstraeten"]),
    q("where is GEFONT based?", "en", "org_location", orgs=[("GEFONT", "Nepal")]),
    q("where is GEFNOT based?", "en", "org_location", orgs=[("GEFONT", "Nepal")]),
    q(
        "how many member organisations are there in Bangladesh?", "en", "org_count",
        orgs=[("NGWF", "Bangladesh")], total=16,
    ),
    q("what is CSB?", "en", "org_info", orgs=BOTH_CSB, ambiguous=True),
    q("what is MTC?", "en", "org_info", orgs=ALL_MTC, ambiguous=True),
    q("who is the network coordinator for Latin America?", "en", "person_by_role", people=[GABRIELA]),
    q("who coordinates West Africa?", "en", "person_by_role", people=["Drissa Soaré"]),
    q("who is Samy Arokiasami?", "en", "person_by_name", people=["Samy Arokiasamy"]),
    q("what time is it for Bismo?", "en", "local_time", people=["Bismo Sanyoto"]),
    q("which organisations are in the DRC?", "en", "orgs_in_place", orgs=DR_CONGO_ORGS),
    q("which organisations are in Guatamala?", "en", "orgs_in_place", orgs=GUATEMALA_ORGS),
    q("who is from Peru?", "en", "person_by_country", people=[ANGELES]),
    q("who is John Smith?", "en", "person_by_name"),
    q("how many trade unions in Nepal?", "en", "org_count",
      orgs=[("NTUC", "Nepal"), ("GEFONT", "Nepal"), ("ITUC-NAC", "Nepal")]),
    q("what is Gajimu?", "en", "org_info", orgs=[("Gajimu.com", "Indonesia")]),
    q("where is Mary Karol Luna based?", "en", "person_by_name", people=["Mary Karol Luna"]),
    q("how many representatives are there?", "en", "person_count", total=8,
      people=["Ingrid Mulamba", "Santiago Fischer"]),
    q("tell me about the Nepalese organisations", "en", "orgs_in_place", orgs=NEPAL_ORGS),
    q("what is the Mutuelle de Santé des Travailleurs?", "en", "org_info",
      orgs=[("MUSATRAV", "Togo")]),
    q("where is WSM?", "en", "org_location", orgs=[("WSM", "Belgium")]),
    q("who represents Europe?", "en", "person_by_network", people=["Santiago Fischer"]),
    q("who is the coordinator for Europe?", "en", "person_by_role",
      suggestions=["Santiago Fischer"]),
    q("who is the chiar?", "en", "person_by_role", people=["Bart Verstraeten"]),
    q("chair", "en", "person_by_role", via="who", people=["Bart Verstraeten"]),
    q("Asia", "en", "person_by_network", via="who", people=ASIA_MEMBERS),
    q("DR Congo", "en", "person_by_country", via="who", people=["Ingrid Mulamba", "Denis Mushiya"]),
    q("GEFONT", "en", "org_info", via="org", orgs=[("GEFONT", "Nepal")]),
    # French ------------------------------------------------------------------------------
    q("qui est le président du comité ?", "fr", "person_by_role", people=["Bart Verstraeten"]),
    q("qui représente l'Asie ?", "fr", "person_by_network", people=ASIA_MEMBERS),
    q("quelles organisations au Togo ?", "fr", "orgs_in_place", total=14,
      orgs=[("CSTT", "Togo"), ("WAGES", "Togo"), ("MUPROSI/FTBC", "Togo")]),
    q("quelle heure est-il chez Gabriela ?", "fr", "local_time", people=[GABRIELA]),
    q("quelle heure est-il pour Angeles Carrion ?", "fr", "local_time", people=[ANGELES]),
    q("qu'est-ce que la CSB au Burkina ?", "fr", "org_info", orgs=[("CSB", "Burkina Faso")]),
    q("où est basée la CSB ?", "fr", "org_location", orgs=BOTH_CSB, ambiguous=True),
    q("qui est la coordinatrice de l'Amérique latine ?", "fr", "person_by_role", people=[GABRIELA]),
    q("combien d'organisations en RDC ?", "fr", "org_count", orgs=DR_CONGO_ORGS),
    q("où se trouve le siège de GEFONT ?", "fr", "org_location", orgs=[("GEFONT", "Nepal")]),
    q("qui est Sabine ?", "fr", "person_by_name", people=["Sabine Jenifère Medetadji Degue"]),
    q("qui représente l'Afrique de l'Ouest ?", "fr", "person_by_network", people=WEST_AFRICA_MEMBERS),
    q("quelles mutuelles au Togo ?", "fr", "orgs_in_place",
      orgs=[("MUPROSI/FTBC", "Togo"), ("MUSATRAV", "Togo")]),
    q("c'est quoi la Mutuelle nationale de santé ?", "fr", "org_info", orgs=[("MUNASA", "Burundi")]),
    q("qui vient du Népal ?", "fr", "person_by_country", suggestions=ASIA_MEMBERS),
    q("qui est le coordinateur continental de l'Afrique centrale ?", "fr", "person_by_role",
      people=["Denis Mushiya"]),
    q("combien de membres du comité en Indonésie ?", "fr", "person_count",
      people=["Elly Rosita Silaban", "Bismo Sanyoto"]),
    q("les organisations sénégalaises", "fr", "orgs_in_place", orgs=SENEGAL_ORGS),
    q("qu'est-ce que le MTC au Guatemala ?", "fr", "org_info", orgs=[("MTC", "Guatemala")]),
    q("qui est Jean Dupont ?", "fr", "person_by_name"),
    q("quels syndicats au Bénin ?", "fr", "orgs_in_place", orgs=[("CGTB", "Benin"), ("COSI", "Benin")]),
    q("qui est le représentant de l'Europe ?", "fr", "person_by_role", people=["Santiago Fischer"]),
    q("organisations en Amérique latine", "fr", "orgs_in_place", total=29,
      orgs=[("CRISOL", "Bolivia"), ("CSA", None)]),
    q("Degue", "fr", "person_by_name", via="who", people=["Sabine Jenifère Medetadji Degue"]),
    q("président", "fr", "person_by_role", via="who", people=["Bart Verstraeten"]),
    q("Amérique latine", "fr", "person_by_network", via="who", people=LATIN_AMERICA_MEMBERS),
    q("Népal", "fr", "person_by_country", via="who", suggestions=ASIA_MEMBERS),
    q("RDC", "fr", "person_by_country", via="who", people=["Ingrid Mulamba", "Denis Mushiya"]),
    q("mutuelle", "fr", "org_info", via="org", ambiguous=True, total=18,
      orgs=[("MUNASA", "Burundi"), ("Mutuelles des Douanes de Guinée", "Guinea")]),
    # Spanish -----------------------------------------------------------------------------
    q("¿qué es CRISOL?", "es", "org_info", orgs=[("CRISOL", "Bolivia")]),
    q("¿qué es MUNASA?", "es", "org_info", orgs=[("MUNASA", "Burundi")]),
    q("¿quién representa a Asia?", "es", "person_by_network", people=ASIA_MEMBERS),
    q("¿quién es el presidente del comité?", "es", "person_by_role", people=["Bart Verstraeten"]),
    q("¿quién es la coordinadora de América Latina?", "es", "person_by_role", people=[GABRIELA]),
    q("¿qué organizaciones hay en Perú?", "es", "orgs_in_place", orgs=PERU_ORGS),
    q("¿cuántas organizaciones hay en Bangladés?", "es", "org_count", total=16,
      orgs=[("BSSF", "Bangladesh")]),
    q("¿qué hora es para Samy?", "es", "local_time", people=["Samy Arokiasamy"]),
    q("¿dónde está GEFONT?", "es", "org_location", orgs=[("GEFONT", "Nepal")]),
    q("¿quién representa a África occidental?", "es", "person_by_network", people=WEST_AFRICA_MEMBERS),
    q("¿qué es la JOC?", "es", "org_info", orgs=BOTH_JOC, ambiguous=True),
    q("¿quiénes son de la República Democrática del Congo?", "es", "person_by_country",
      people=["Ingrid Mulamba", "Denis Mushiya"]),
    q("¿qué organizaciones hay en Nepal?", "es", "orgs_in_place", orgs=NEPAL_ORGS),
    q("¿quién es Mary Luna?", "es", "person_by_name", people=["Mary Karol Luna"]),
    q("¿quién es el representante de Europa?", "es", "person_by_role", people=["Santiago Fischer"]),
    q("¿cuántos representantes hay en África?", "es", "person_count",
      people=["Ingrid Mulamba", "Sabine Jenifère Medetadji Degue", "Niwa Soulima"]),
    q("¿qué sindicatos hay en Guatemala?", "es", "orgs_in_place",
      orgs=[("CGTG", "Guatemala"), ("UNSITRAGUA", "Guatemala"), ("CUSG", "Guatemala")]),
    q("¿dónde está la Juventud Obrera Cristiana?", "es", "org_location", orgs=BOTH_JOC,
      ambiguous=True),
    q("¿quién es Pedro Gómez?", "es", "person_by_name"),
    q("¿qué es XYZW?", "es", "org_info"),
    q("¿qué hora es en Bolivia?", "es", "local_time", people=[GABRIELA]),
    q("organizaciones de mujeres en República Dominicana", "es", "orgs_in_place",
      orgs=[("CONAMUCA", "Dominican Republic")]),
    q("¿quién es de Bélgica?", "es", "person_by_country",
      people=["Santiago Fischer", "Bart Verstraeten"]),
    q("¿qué es el CSB de Burundi?", "es", "org_info", orgs=[("CSB", "Burundi")]),
    q("coordinadora", "es", "person_by_role", via="who",
      people=["Denis Mushiya", "Drissa Soaré", GABRIELA, "Bismo Sanyoto"]),
    q("África occidental", "es", "person_by_network", via="who", people=WEST_AFRICA_MEMBERS),
    q("Perú", "es", "person_by_country", via="who", people=[ANGELES]),
    q("MTC", "es", "org_info", via="org", orgs=ALL_MTC, ambiguous=True),
]
