"""Cities, in French, English and Spanish, mapped to their country and (when they are one) IANA
time zone, so "who is in Kinshasa?", "heure à Dakar ?" and "¿quién está en Yakarta?" find a place.

CLDR (through Babel) gives each zone's exemplar city in every working language ("Bruxelles",
"Brussels", "Bruselas"; "Katmandou", "Kathmandu", "Katmandú"), also under the zone's older
IANA names ("Asia/Calcutta" → "Calcutta"). CLDR has no capitals, so the few capitals and
usual spellings that are not a zone's city are listed by hand in `_EXTRA_CITIES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone, get_timezone_location

from bot.domain.lookup.countries import LANGUAGES
from bot.i18n.translation import zone_place
from bot.domain.names import fold

# Capitals, main cities and everyday spellings CLDR lacks, for the countries the network works
# in: each maps to its country code, or to its zone when the country has several. Capitals
# that are also a zone's city (Dakar, Lima, Kigali, Jakarta...) come from CLDR.
_EXTRA_CITIES: dict[str, str] = {
    "gitega": "BI",
    "cotonou|cotonu": "BJ",
    "new delhi|delhi|nueva delhi|nouvelle delhi|new dehli|mumbai|bombay|chennai|madras": "IN",
    "sucre|santa cruz|cochabamba": "BO",
    "guatemala city|ciudad de guatemala|ville de guatemala": "GT",
    "djakarta": "Asia/Jakarta",
    "kathmandou|katmandu": "NP",
    "dacca": "BD",
    "brussel|anvers|antwerp|amberes": "BE",
    "ouaga|bobo dioulasso": "BF",
    "arequipa|cusco|cuzco": "PE",
    "santiago de los caballeros": "DO",
    "phnompenh|pnom penh": "KH",
}


@dataclass(frozen=True, slots=True)
class City:
    """Where a city is: its country, and its IANA zone when the city names one."""

    country: str
    zone: str | None


@cache
def _zone_country() -> dict[str, str]:
    return {
        zone: territory
        for territory, zones in get_global("territory_zones").items()
        for zone in zones
    }


def zone_cities(zone: str) -> set[str]:
    """Every name CLDR gives the zone's city in the working languages."""
    names: set[str] = set()
    for language in LANGUAGES:
        locale = Locale.parse(language)
        names.add(get_timezone_location(get_timezone(zone), locale=locale, return_city=True))
        names.add(city_name(zone, locale))
    return names


def city_name(zone: str, locale: Locale) -> str:
    """The zone's city in the reader's language ("Yakarta" in Spanish, "Katmandou" in French,
    which CLDR keeps under the older name Asia/Katmandu): the one helper replies use."""
    return zone_place(zone, str(locale))


def country_zones(country: str) -> tuple[str, ...]:
    return tuple(get_global("territory_zones").get(country, ()))


def cities(countries: Iterable[str], zones: Iterable[str]) -> dict[str, City]:
    """Folded city names for the zones of the given countries, the given zones (members'
    own), and the hand-listed capitals of those countries. A zone's city wins over a
    hand-listed spelling of it."""
    wanted = set(countries)
    found: dict[str, City] = {}
    for zone in sorted({*zones, *(z for c in wanted for z in country_zones(c))}):
        country = _zone_country().get(zone)
        if country:
            for name in zone_cities(zone):
                found.setdefault(fold(name), City(country, zone))
    for forms, where in _EXTRA_CITIES.items():
        zone = where if "/" in where else None
        country = _zone_country()[zone] if zone else where
        if country in wanted:
            sole = country_zones(country)
            city = City(country, zone or (sole[0] if len(sole) == 1 else None))
            for form in forms.split("|"):
                found.setdefault(fold(form), city)
    return found
