"""Country names in French, English and Spanish, mapped to ISO 3166 codes.

CLDR (through Babel) gives every territory's official short name in each working language;
people also type everyday forms CLDR lacks ("RDC", "USA", "Burkina") and adjectives
("népalaises", "peruanas"), so those are added by hand. Returning a code, never a name, lets
the caller show the country in the reader's language.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from babel import Locale

from bot.domain.lookup.normalize import words

LANGUAGES = ("fr", "en", "es")

# CLDR codes that are not countries (unknown region, EU, eurozone, UN, pseudo-locales).
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})

# CLDR names that are everyday words in a working language: "la réunion" is "the meeting".
_TOO_COMMON = frozenset({("reunion",), ("la", "reunion")})

_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "rdc|drc|rd congo|dr congo|d r congo|rep dem congo|congo rd|congo kinshasa"
    "|democratic republic of the congo|democratic republic of congo"
    "|republique democratique du congo|rd del congo": ("CD",),
    # Plain "Congo" is ambiguous; the directory keeps whichever its data contains.
    "congo": ("CD", "CG"),
    "congo brazzaville|republic of the congo|republique du congo|republica del congo": ("CG",),
    "usa|united states of america|etats unis d amerique|eeuu|ee uu"
    "|estados unidos de america": ("US",),
    "uk|great britain|britain|england|angleterre|grande bretagne|inglaterra"
    "|gran bretana": ("GB",),
    "ivory coast|costa de marfil": ("CI",),
    "holland|holanda": ("NL",),
    "turkey": ("TR",),
    "czech republic|republique tcheque|republica checa": ("CZ",),
    "swaziland": ("SZ",),
    "burma": ("MM",),
    "burkina": ("BF",),
    "rep dominicaine|dominican rep|rep dominicana": ("DO",),
    "guinee conakry|guinea conakry": ("GN",),
    "palestine|palestina": ("PS",),
    "hong kong": ("HK",),
    "macao|macau": ("MO",),
    "vietnam": ("VN",),
    "east timor|timor oriental": ("TL",),
    "vatican": ("VA",),
    "ile de la reunion|reunion island|isla de la reunion": ("RE",),
}

# Adjectives for the countries where the network has members, in fr, en and es forms.
_DEMONYMS: dict[str, tuple[str, ...]] = {
    "burundais burundaise burundaises burundian burundians burundes burundesa burundesas": ("BI",),
    "rwandais rwandaise rwandaises rwandan rwandans ruandes ruandesa ruandesas": ("RW",),
    "congolais congolaise congolaises congolese congoleno congolena congolenos congolenas": (
        "CD",
        "CG",
    ),
    "beninois beninoise beninoises beninese benines beninesa beninesas": ("BJ",),
    "togolais togolaise togolaises togolese togoles togolesa togolesas": ("TG",),
    "guineen guineenne guineens guineennes guinean guineans guineano guineana guineanos"
    " guineanas": ("GN",),
    "malien malienne maliens maliennes malian malians maliense malienses": ("ML",),
    "senegalais senegalaise senegalaises senegalese senegales senegalesa senegalesas": ("SN",),
    "burkinabe burkinabes": ("BF",),
    "guatemalteque guatemalteques guatemalan guatemalans guatemalteco guatemalteca"
    " guatemaltecos guatemaltecas": ("GT",),
    "peruvien peruvienne peruviens peruviennes peruvian peruvians peruano peruana peruanos"
    " peruanas": ("PE",),
    "dominicain dominicaine dominicains dominicaines dominican dominicans dominicano dominicana"
    " dominicanos dominicanas": ("DO",),
    "bolivien bolivienne boliviens boliviennes bolivian bolivians boliviano boliviana"
    " bolivianos bolivianas": ("BO",),
    "indonesien indonesienne indonesiens indonesiennes indonesian indonesians indonesio"
    " indonesia indonesios indonesias": ("ID",),
    "cambodgien cambodgienne cambodgiens cambodgiennes cambodian cambodians camboyano"
    " camboyana camboyanos camboyanas": ("KH",),
    "indien indienne indiens indiennes indian indians": ("IN",),
    "nepalais nepalaise nepalaises nepalese nepali nepales nepalesa nepalesas": ("NP",),
    "bangladais bangladaise bangladaises bangladeshi bangladeshis bangladesi": ("BD",),
    "belge belges belgian belgians belga belgas": ("BE",),
}


def _name_variants(name: str) -> set[tuple[str, ...]]:
    """A CLDR name, plus its parts around brackets: "Myanmar (Birmanie)" → 3 keys."""
    variants = {words(name)}
    if "(" in name:
        outside, _, inside = name.partition("(")
        variants |= {words(outside), words(inside.rstrip(")"))}
    return {key for key in variants if key and key not in _TOO_COMMON}


@cache
def country_aliases() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Every known way to write a country (as normalised words) → candidate ISO codes."""
    aliases: dict[tuple[str, ...], tuple[str, ...]] = {}
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                for key in _name_variants(name):
                    aliases.setdefault(key, (code,))
    for table, split in ((_SHORT_FORMS, "|"), (_DEMONYMS, " ")):
        for forms, codes in table.items():
            for form in re.split(rf"\s*{re.escape(split)}\s*", forms):
                aliases[words(form)] = codes
    return aliases


@lru_cache(maxsize=1024)
def country_code(name: str | None) -> str | None:
    """ISO code of a country written in full in any working language (e.g. a data field)."""
    codes = country_aliases().get(words(name or ""), ())
    return codes[0] if codes else None
