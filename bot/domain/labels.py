"""How the committee's own words are shown in each language: titles, networks, access."""

from bot.i18n.translation import N_, Safe, Translator, escape

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
