"""What the words of a question mean, in French, English and Spanish.

Every table maps surface forms (written naturally, accents and all: they are normalised and
de-pluralised when the lexicon is built) to one canonical key. Keys are the English terms the
data uses, so a record's own role or network text resolves through the same tables.
"""

from __future__ import annotations

from enum import StrEnum

CENTRAL_AFRICA = "Central Africa"
WEST_AFRICA = "West Africa"
LATIN_AMERICA = "Latin America and the Caribbean"
ASIA = "Asia"
EUROPE = "Europe"
NETWORKS = (CENTRAL_AFRICA, WEST_AFRICA, LATIN_AMERICA, ASIA, EUROPE)

CHAIR = "chair"
REPRESENTATIVE = "representative"
COORDINATOR = "coordinator"  # any kind: matches the three below
NETWORK_COORDINATOR = "network coordinator"
CONTINENTAL_COORDINATOR = "continental coordinator"
THEMATIC_COORDINATOR = "thematic coordinator"


class Cue(StrEnum):
    """Words that tell what is asked, as opposed to what it is asked about."""

    WHO = "who"
    WHAT = "what"
    WHERE = "where"
    HOW_MANY = "how_many"
    TIME = "time"
    REPRESENTS = "represents"
    ORGANISATIONS = "organisations"
    PEOPLE = "people"


def _forms(*groups: str) -> tuple[str, ...]:
    """Synonyms are written as "a|b|c" strings to keep the tables readable."""
    return tuple(form for group in groups for form in group.split("|"))


ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    CHAIR: _forms(
        "chair|chairs|chairman|chairwoman|chairperson|president|chair of the committee",
        "président|présidente|présidence|préside|président du comité|présidente du comité",
        "presidente|presidenta|presidencia|preside|presidente del comité",
    ),
    REPRESENTATIVE: _forms(
        "representative|rep|delegate|member representative",
        "représentant|représentante|délégué|déléguée",
        "representante|delegado|delegada",
    ),
    COORDINATOR: _forms(
        "coordinator|co-ordinator|coordination|coordinates|coordinate|coordonne|coordina",
        "coordinateur|coordinatrice|coordonnateur|coordonnatrice|coordinateurs|coordinatrices",
        "coordinador|coordinadora|coordinadores|coordinadoras",
    ),
    NETWORK_COORDINATOR: _forms(
        "network coordinator|regional coordinator",
        "coordinateur du réseau|coordinatrice du réseau|coordinateur de réseau",
        "coordinatrice de réseau|coordonnateur du réseau|coordonnatrice du réseau",
        "coordinador de red|coordinadora de red|coordinador de la red|coordinadora de la red",
    ),
    CONTINENTAL_COORDINATOR: _forms(
        "continental coordinator",
        "coordinateur continental|coordinatrice continentale|coordonnateur continental",
        "coordonnatrice continentale",
        "coordinador continental|coordinadora continental",
    ),
    THEMATIC_COORDINATOR: _forms(
        "thematic coordinator",
        "coordinateur thématique|coordinatrice thématique|coordonnateur thématique",
        "coordinador temático|coordinadora temática",
    ),
}

NETWORK_SYNONYMS: dict[str, tuple[str, ...]] = {
    CENTRAL_AFRICA: _forms(
        "central africa|central african network|middle africa",
        "afrique centrale|afrique central|réseau d'afrique centrale",
        "áfrica central|africa centro",
    ),
    WEST_AFRICA: _forms(
        "west africa|western africa|west african network",
        "afrique de l'ouest|afrique occidentale|afrique ouest|ouest africain",
        "áfrica occidental|áfrica del oeste|áfrica oeste",
    ),
    LATIN_AMERICA: _forms(
        "latin america and the caribbean|latin america|caribbean|latam|LAC",
        "amérique latine|amérique latine et caraïbes|amérique latine et les caraïbes|caraïbes",
        "américa latina|américa latina y el caribe|latinoamérica|latinoamérica y el caribe",
        "caribe",
    ),
    ASIA: _forms("asia|asian|asia pacific|asie|asiatique|asia pacífico"),
    EUROPE: _forms("europe|european|europa|européen|européenne|europeo|europea"),
}

# Networks spanning several of ours: "Africa" names both African networks.
MULTI_NETWORK_SYNONYMS: dict[tuple[str, ...], tuple[str, ...]] = {
    (CENTRAL_AFRICA, WEST_AFRICA): _forms("africa|afrique|áfrica|african|africain|africano"),
}

KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "trade union": _forms("trade union|union|labour union|syndicat|sindicato"),
    "mutual health organisation": _forms(
        "mutual health organisation|mutual|mutuelle|mutuelle de santé|mutual de salud",
        "mutualidad",
    ),
    "NGO": _forms("ngo|non governmental organisation|ong"),
    "youth organisation": _forms(
        "youth organisation|youth|organisation de jeunesse|jeunesse|organización juvenil",
        "juventud",
    ),
    "women's organisation": _forms(
        "women's organisation|women|organisation de femmes|femmes|organización de mujeres",
        "mujeres",
    ),
    "network/platform": _forms("platform|plateforme|plataforma"),
    "research/training": _forms(
        "research|training|recherche|formation|investigación|formación|capacitación"
    ),
    "cooperative/SSE": _forms(
        "cooperative|coopérative|cooperativa|social economy|économie sociale|economía social"
    ),
    "strategic partner": _forms(
        "strategic partner|partner|partenaire|partenaire stratégique|socio|socio estratégico",
        "aliado",
    ),
}

CUE_SYNONYMS: dict[Cue, tuple[str, ...]] = {
    Cue.WHO: _forms("who|whom|qui|quién|quiénes"),
    Cue.WHAT: _forms(
        "what|what's|which|tell me about|qu'est-ce que|qu'est-ce qu|c'est quoi|quoi",
        "que|qué|quel|quelle|quels|quelles|cuál|cuáles|háblame de|parle-moi de",
    ),
    Cue.WHERE: _forms(
        "where|based|located|location|headquarters|head office",
        "où est|où se trouve|où sont|d'où|c'est où|est où|basé|basée|situé|située|siège",
        "dónde|ubicado|ubicada|sede|queda",
    ),
    Cue.HOW_MANY: _forms(
        "how many|number of|count|combien|nombre de|cuántos|cuántas|número de|cantidad de"
    ),
    Cue.TIME: _forms(
        "time|what time|timezone|time zone|heure|quelle heure|fuseau|fuseau horaire",
        "hora|qué hora|zona horaria",
    ),
    Cue.REPRESENTS: _forms(
        "represents|represent|representing|représente|représentent|representa|representan"
    ),
    Cue.ORGANISATIONS: _forms(
        "organisation|organization|org|member organisation|organisme|structure",
        "organización|organizaciones|entidad",
    ),
    Cue.PEOPLE: _forms(
        "people|person|member|committee member|personne|membre|membre du comité",
        "persona|miembro|miembros|gente",
    ),
}

# Words that carry no meaning for lookup; they are dropped before searching names.
STOPWORDS: frozenset[str] = frozenset(
    _forms(
        "a|an|as|the|is|are|was|be|of|in|on|at|for|from|to|by|with|and|or|does|do|it|its|there",
        "me|my|our|us|please|about|any|all|list|show|give|find|tell|committee|steering",
        "network|country|now|currently|right|here|know|this|that|these",
        "le|la|les|l|un|une|de|des|du|d|au|aux|en|est|sont|il|elle|y|a|ce|c|qu|se|et|ou|dans",
        "pour|par|sur|chez|avec|donne|moi|liste|montre|comité|réseau|pays|actuellement",
        "maintenant|s'il|te|plaît|je|j|sais|veux|savoir|ya|t|il y a|est-ce",
        "el|los|las|una|unos|unas|del|al|es|son|hay|para|por|con|y|o|lo|mi|dime",
        "lista|muestra|comité|red|país|ahora|actualmente|por favor|quiero|saber|están|está",
    )
)

# CLDR macro-regions whose localised names ("Afrique occidentale", "Latinoamérica") also
# name one of our networks.
CLDR_REGION_NETWORKS: dict[str, str] = {
    "011": WEST_AFRICA,
    "017": CENTRAL_AFRICA,
    "419": LATIN_AMERICA,
    "029": LATIN_AMERICA,
    "142": ASIA,
    "150": EUROPE,
}

# Courtesy titles that are not part of anyone's name for lookup ("Dr Ingrid Mulamba").
TITLES: frozenset[str] = frozenset(_forms("dr|mr|mrs|ms|mme|mlle|m|sr|sra|srta|prof|don|dona"))
