"""How the committee's own words are shown in each language: titles, networks, access,
countries."""

from functools import cache

from bot.i18n.translation import N_, Safe, Translator, escape
from bot.domain.lookup.countries import country_code
from bot.domain.names import fold

ROLE_TITLES = {
    "chair": N_("chair"),
    "representative": N_("representative"),
    "network coordinator": N_("network coordinator"),
    "continental coordinator": N_("continental coordinator"),
    "thematic coordinator": N_("thematic coordinator"),
    "coordinator": N_("coordinator"),
    "secretariat": N_("secretariat"),
}

NETWORKS = {
    "Central Africa": N_("Central Africa"),
    "West Africa": N_("West Africa"),
    "Latin America and the Caribbean": N_("Latin America and the Caribbean"),
    "Asia": N_("Asia"),
    "Europe": N_("Europe"),
}

ORGANISATION_KINDS = {  # the ``kind`` column of the organisations file
    "trade union": N_("trade union"),
    "mutual health organisation": N_("mutual health organisation"),
    "NGO": N_("NGO"),
    "youth organisation": N_("youth organisation"),
    "women's organisation": N_("women's organisation"),
    "cooperative/SSE": N_("cooperative / social and solidarity economy"),
    "network/platform": N_("network or platform"),
    "research/training": N_("research or training"),
    "strategic partner": N_("strategic partner"),
    "other": N_("other kind of organisation"),
}

ACCESS_LEVELS = {"chair": N_("chair"), "secretariat": N_("secretariat"), "member": N_("member")}

NO_NETWORK = N_("Coordination")


def role_label(t: Translator, role: str) -> Safe:
    """A known title in the reader's language; any other title as the roster writes it."""
    known = ROLE_TITLES.get(role.strip().lower())
    return t(known) if known else escape(role)


def roles_label(t: Translator, roles: list[str]) -> Safe:
    return Safe(", ".join(role_label(t, role) for role in roles))


def network_label(t: Translator, network: str | None) -> Safe:
    if not network:
        return t(NO_NETWORK)
    known = NETWORKS.get(network)
    return t(known) if known else escape(network)


def kind_label(t: Translator, kind: str | None) -> Safe:
    """An organisation kind of the data in the reader's language; any other kind as written."""
    known = ORGANISATION_KINDS.get((kind or "").strip())
    return t(known) if known else escape(kind or "")


def country_label(t: Translator, country: str | None, code: str | None = None) -> Safe:
    """The country's CLDR name in the reader's language (``DR Congo`` → ``Congo-Kinshasa`` in
    French), from its ISO code or its name in any working language; an unknown name as written."""
    code = code or country_code(country)
    name = t.locale.territories.get(code) if code else None
    return escape(name or country or "")


# --- reading the committee's words back from a file, in any of the three languages ----------

_SPOKEN = {  # titles people write that are not the catalogs' own wording
    "chair": ("chairperson", "chairman", "chairwoman", "président", "présidente", "presidente",
              "presidenta", "presidencia"),
    "secretariat": ("secrétariat", "secretaría", "secretaria"),
    "representative": ("représentant", "représentante", "representante"),
    "member": ("membre", "miembro", "miembra"),
}


def _readings(table: dict[str, str]) -> dict[str, str]:
    """Folded spelling → canonical key, from the key, its fr/en/es labels and common variants."""
    from bot.i18n.translation import SUPPORTED, I18n

    i18n = I18n()
    readings: dict[str, str] = {}
    for key, message in table.items():
        words = {key, *_SPOKEN.get(key, ())}
        words |= {str(i18n.translator(lang)(message)) for lang in SUPPORTED}
        for word in words:
            readings.setdefault(fold(word), key)
    return readings


@cache
def _role_readings() -> dict[str, str]:
    return _readings(ROLE_TITLES)


@cache
def _access_readings() -> dict[str, str]:
    return _readings(ACCESS_LEVELS)


@cache
def _kind_readings() -> dict[str, str]:
    return _readings(ORGANISATION_KINDS)


@cache
def _network_readings() -> dict[str, str]:
    return _readings(NETWORKS)


def read_role(text: str) -> str:
    """``Présidente`` → ``chair``; a title outside the vocabulary stays as written."""
    return _role_readings().get(fold(text), text.strip())


def read_access(text: str) -> str | None:
    """``secrétariat`` → ``secretariat``; None when the word is no access level."""
    return _access_readings().get(fold(text))


def read_kind(text: str) -> str | None:
    """``Syndicat`` → ``trade union``; None when the kind has no translation."""
    return _kind_readings().get(fold(text))


@cache
def _language_readings() -> dict[str, str]:
    """fr, français, french, francés, ... → fr: each language's code and its name in each."""
    from babel import Locale

    from bot.i18n.translation import SUPPORTED

    readings: dict[str, str] = {}
    for code in SUPPORTED:
        readings[code] = code
        for reader in SUPPORTED:
            readings[fold(Locale.parse(code).get_display_name(reader) or code)] = code
    readings.update({"francais": "fr", "espanol": "es", "castellano": "es", "anglais": "en"})
    return readings


def read_language(text: str) -> str | None:
    """``español`` or ``Spanish`` or ``es`` → ``es``; None for a language the bot does not speak."""
    return _language_readings().get(fold(text))


def language_choices() -> str:
    """``français, English, español``: each language in its own name, as a chooser shows them."""
    from babel import Locale

    from bot.i18n.translation import SUPPORTED

    return ", ".join(Locale.parse(code).get_display_name(code) for code in SUPPORTED)


def read_network(text: str) -> str | None:
    """``afrique de l'ouest`` → ``West Africa``; None when the network is unknown."""
    return _network_readings().get(fold(text))
