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
        "latin american|latino américain|latino américaine|latinoamericano|latinoamericana",
        "caribe",
    ),
    ASIA: _forms("asia|asian|asia pacific|asie|asiatique|asia pacífico|asiático|asiática"),
    EUROPE: _forms("europe|european|europa|européen|européenne|europeo|europea"),
}

# Networks spanning several of ours: "Africa" names both African networks.
MULTI_NETWORK_SYNONYMS: dict[tuple[str, ...], tuple[str, ...]] = {
    (CENTRAL_AFRICA, WEST_AFRICA): _forms("africa|afrique|áfrica|african|africain|africano"),
}

KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "trade union": _forms(
        "trade union|union|labour union|labor union|syndicat|syndicats|syndicale|sindicato",
        "sindicatos|sindical|centrale syndicale|central sindical",
    ),
    "mutual health organisation": _forms(
        "mutual health organisation|mutual|mutuals|health mutual|mutuelle|mutuelle de santé",
        "mutualité|mutual de salud|mutualidad|mutualidades|mutuales",
    ),
    "NGO": _forms(
        "ngo|ngos|non governmental organisation|non-governmental organization|ong|ongs",
        "organisation non gouvernementale|organización no gubernamental",
    ),
    "youth organisation": _forms(
        "youth organisation|youth|youth group|organisation de jeunesse|jeunesse|jeunes",
        "organisation de jeunes|mouvement de jeunes|organización juvenil|juvenil|juventud",
        "jóvenes|organización de jóvenes|juveniles",
    ),
    "women's organisation": _forms(
        "women's organisation|women|women's|womens|organisation de femmes|femmes|féminine",
        "organización de mujeres|mujeres|femenina",
    ),
    "network/platform": _forms("platform|plateforme|plataforma"),
    "research/training": _forms(
        "research|training|recherche|formation|investigación|formación|capacitación"
    ),
    "cooperative/SSE": _forms(
        "cooperative|coop|coops|coopérative|cooperativa|social economy|économie sociale",
        "economía social|SSE|ESS"
    ),
    "strategic partner": _forms(
        "strategic partner|partner|partenaire|partenaire stratégique|socio|socio estratégico",
        "aliado",
    ),
}

CUE_SYNONYMS: dict[Cue, tuple[str, ...]] = {
    Cue.WHO: _forms("who|whom|whos|who's|qui|quién|quiénes"),
    Cue.WHAT: _forms(
        "what|what's|whats|which|tell me about|qu'est-ce que|qu'est-ce qu|c'est quoi|quoi",
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
        "hora|qué hora|zona horaria|local time|current time|heure locale|heure actuelle",
        "hora local|hora actual|hour|what hour|l'heure qu'il est|is it late|is it night",
        "is it early|is it too late|est-il tard|il est tard|fait-il nuit|fait-il jour",
        "es tarde|es de noche|es muy tarde|clock|o'clock|horloge|reloj",
    ),
    Cue.REPRESENTS: _forms(
        "represents|represent|representing|représente|représentent|representa|representan"
    ),
    Cue.ORGANISATIONS: _forms(
        "organisation|organization|org|orgs|orga|orgas|member organisation|organisme|structure",
        "association|asso|assos|organización|organizaciones|entidad|asociación|asociaciones",
    ),
    Cue.PEOPLE: _forms(
        "people|person|member|committee member|personne|membre|membre du comité",
        "persona|miembro|miembros|gente|someone|somebody|anyone|anybody|quelqu'un|quelqu un",
        "quelqu'une|alguien|alguno|alguna|committee|comité|on the committee|au comité",
        "du comité|dans le comité|en el comité|del comité|colleague|collègue|colega",
        "of us|among us|d'entre nous|parmi nous|de nosotros|entre nosotros",
    ),
}

# Words that carry no meaning for lookup; they are dropped before searching names.
STOPWORDS: frozenset[str] = frozenset(
    _forms(
        "a|an|as|the|is|are|was|be|of|in|on|at|for|from|to|by|with|and|or|does|do|it|its|there",
        "me|my|our|us|please|about|any|all|list|show|give|find|tell|steering|you|we|have",
        "exactly|again|hello|hi|thanks|called|named|someone called|someone named|do we have",
        "network|country|now|currently|right|here|know|this|that|these",
        "le|la|les|l|un|une|de|des|du|d|au|aux|en|est|sont|il|elle|y|a|ce|c|qu|se|et|ou|dans",
        "pour|par|sur|chez|avec|donne|moi|liste|montre|réseau|pays|actuellement",
        "maintenant|s'il|te|plaît|je|j|sais|veux|savoir|ya|t|il y a|est-ce",
        "vous|tu|connais|connaissez|connait|svp|stp|merci|bonjour|nous|avons|on|appelé|appelée",
        "nommé|nommée|qui s'appelle|déjà|exactement|ici|là",
        "el|los|las|una|unos|unas|del|al|es|son|hay|para|por|con|y|o|lo|mi|dime",
        "lista|muestra|red|país|ahora|actualmente|por favor|quiero|saber|están|está",
        "usted|conoces|conoce|conocen|gracias|hola|tenemos|llamado|llamada|que se llama",
        "exactamente|aquí|allí|ya",
    )
)

# Words of organisation names with their translations: "the garment federation" finds the
# "National Garment Workers' Federation", "la fédération du textile" too.
NAME_WORD_SYNONYMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(group.split("|"))
    for group in (
        "federation|fédération|federación|federacion",
        "confederation|confédération|confederación",
        "garment|garments|textile|textiles|textil|clothing|vêtement|confection|confección|ropa",
        "workers|worker|travailleurs|travailleur|travailleuses|trabajadores|trabajadoras|obrera|obrero",
        "union|syndicat|sindicato|sindical|syndicale",
        "health|santé|salud",
        "women|femmes|mujeres",
        "youth|jeunesse|jeunes|juventud|jóvenes|juvenil",
        "domestic|domestique|domestiques|doméstica|domésticas|doméstico|household",
        "national|nationale|nacional",
        "construction|building|bâtiment|construcción",
        "wood|bois|madera",
        "transport|transporte",
        "informal|informel|informelle|informales",
        "migrant|migrants|migrante|migrantes",
        "christian|chrétien|chrétiens|chrétienne|cristiana|cristiano|cristianos",
        "free|libres|libre",
        "rural|paysans|campesino|campesinos|farmers|agricoles|agricultural|producteurs",
        "platform|plateforme|plataforma|network|réseau|red",
        "movement|mouvement|movimiento",
        "development|développement|desarrollo",
        "training|formation|formación|capacitación",
        "retirees|retraités|jubilados|pensioners",
        "fishermen|fishers|pêcheurs|pescadores",
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
TITLES: frozenset[str] = frozenset(
    _forms(
        "dr|mr|mrs|ms|mme|mlle|m|sr|sra|srta|prof|don|dona|dra|mister|miss|sir|madam",
        "madame|monsieur|mademoiselle|senor|senora|senorita|comrade|camarade|companero|companera",
    )
)
