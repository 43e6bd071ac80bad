"""Translations and locale-aware formatting for French, English and Spanish.

Catalogs live in ``locales/<lang>/LC_MESSAGES/<area>.po``, one per area of the bot, and
are compiled in memory at start (no build step to forget). Every value interpolated
into a message is HTML-escaped unless it is already :class:`Safe`, so a member named
``<b>`` can never change how a reply is rendered.
"""

import gettext
import html
import io
import re
from functools import lru_cache
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_datetime, get_timezone_location
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

_INSTALLED_LOCALES = Path(__file__).resolve().parents[1] / "locales"  # bot/locales in the wheel
LOCALES_DIR = _INSTALLED_LOCALES if _INSTALLED_LOCALES.is_dir() else Path(__file__).resolve().parents[2] / "locales"
SUPPORTED = ("fr", "en", "es")


class Safe(str):
    """Text that is already valid Telegram HTML (a rendered message, an escaped value)."""


def escape(value: object) -> Safe:
    if isinstance(value, Safe):
        return value
    return Safe(html.escape(str(value), quote=False))


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (translated when shown)."""
    return message


def load_catalogs(directory: Path = LOCALES_DIR) -> dict[str, gettext.GNUTranslations]:
    """Compile every ``.po`` file of each language into one merged translation table."""
    catalogs: dict[str, gettext.GNUTranslations] = {}
    for lang in SUPPORTED:
        merged: gettext.GNUTranslations | None = None
        for po_path in sorted((directory / lang / "LC_MESSAGES").glob("*.po")):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=lang)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            translations = gettext.GNUTranslations(buffer)
            if merged is None:
                merged = translations
            else:
                merged._catalog.update(translations._catalog)  # type: ignore[attr-defined]
        if merged is not None and lang in TYPOGRAPHY:
            table = merged._catalog  # type: ignore[attr-defined]
            for key, text in table.items():
                if key and isinstance(text, str):
                    table[key] = TYPOGRAPHY[lang](text)
        catalogs[lang] = merged or gettext.NullTranslations()  # type: ignore[assignment]
    return catalogs


def french_spacing(text: str) -> str:
    """French typography, applied once to every French sentence: the space before ``: ; ? !``
    and inside « » is a no-break space, so a phone never wraps a line before the colon. The
    translators keep typing an ordinary space; values filled in later are left as typed."""
    text = _FRENCH_SPACE_BEFORE.sub("\u00a0\\1", text)
    return text.replace("« ", "«\u00a0")


_FRENCH_FIRST = re.compile(r"(?<!\d)1 (?=\D)")
_FRENCH_SPACE_BEFORE = re.compile(r"(?<=\S) ([:;?!»])")
_PLACE_KEYS = ("place", "zone", "city")
_ARTICLES = {"Le ": ("au", "du"), "Les ": ("aux", "des")}


def french_contractions(template: str, values: dict[str, object]) -> tuple[str, dict[str, object]]:
    """« à Le Caire » is « au Caire », « de Les Cayes » is « des Cayes »: a place whose French
    name opens with the article Le or Les contracts with the à or de before it in the sentence.
    Only place values are touched (a person called Le Minh stays « à Le Minh »)."""
    values = dict(values)
    for key in _PLACE_KEYS:
        value = values.get(key)
        article = next((a for a in _ARTICLES if isinstance(value, str) and value.startswith(a)), None)
        if article is None:
            continue
        at, of = _ARTICLES[article]
        slot = "{" + key + "}"
        rest = value[len(article):]  # type: ignore[index]
        for word, contracted in (("à", at), ("À", at.capitalize()), ("de", of), ("De", of.capitalize())):
            template = template.replace(f"{word} {slot}", f"{contracted} {{{key}_}}")
        values[f"{key}_"] = rest
    return template, values
TYPOGRAPHY = {"fr": french_spacing}


class Translator:
    """Everything a reply needs in one reader's language: messages, dates, numbers."""

    def __init__(self, lang: str, catalog: gettext.NullTranslations):
        self.lang = lang
        self.locale = Locale.parse(lang)
        self._catalog = catalog

    def __call__(self, message: str, /, **values: object) -> Safe:
        return self._format(self._catalog.gettext(message), values)

    def plural(self, singular: str, plural: str, count: int, /, **values: object) -> Safe:
        return self._format(self._catalog.ngettext(singular, plural, count), {"n": count, **values})

    def _format(self, template: str, values: dict[str, object]) -> Safe:
        if not values:
            return Safe(template)
        if self.lang == "fr":
            template, values = french_contractions(template, values)
        return Safe(template.format(**{key: _escaped(value) for key, value in values.items()}))

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, value: date) -> str:
        return self._day(value, "full")

    def _day(self, value: date, pattern: str) -> str:
        """A CLDR date; French writes the first of the month « 1er » (« mardi 1er décembre »)."""
        text = format_date(value, pattern, locale=self.locale)
        return _FRENCH_FIRST.sub("1er ", text, count=1) if self.lang == "fr" and value.day == 1 else text

    def time(self, moment: datetime, zone: str) -> str:
        """Local clock time, 24-hour in every language: 14:00 reads safely across cultures."""
        return format_datetime(moment, "HH:mm", tzinfo=ZoneInfo(zone), locale=self.locale)

    def datetime(self, moment: datetime, zone: str) -> str:
        """``mardi 3 mars 2026, 14:00 (Jakarta, UTC+07:00)``: always naming the zone."""
        local = moment.astimezone(ZoneInfo(zone))
        day = self._day(local.date(), "full")
        return f"{day}, {local:%H:%M} ({self.zone(moment, zone)})"

    def place(self, zone: str) -> str:
        """The zone as its city reads in this language: ``Bruxelles``, ``Yakarta``, ``UTC``."""
        return zone_place(zone, self.lang)

    def zone(self, moment: datetime, zone: str) -> str:
        """``Bruselas, UTC+01:00``: the place and the offset in force at that moment."""
        return zone_label(moment, zone, self.lang)

    def zone_setting(self, zone: str) -> str:
        """``Bruxelles (Europe/Brussels)``: where a member sees the setting they typed."""
        place = self.place(zone)
        return zone if place == zone else f"{place} ({zone})"

    def short_datetime(self, moment: datetime, zone: str) -> str:
        """``mar. 3 mars, 14:00 (UTC+07:00)``: for tables where the zone is shown once."""
        local = moment.astimezone(ZoneInfo(zone))
        day = self._day(local.date(), "EEE d MMM")
        return f"{day}, {local:%H:%M} ({utc_offset(moment, zone)})"

    def language_name(self, code: str) -> str:
        return Locale.parse(code).get_display_name(self.locale) or code


def _escaped(value: object) -> object:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else escape(value)


def utc_offset(moment: datetime, zone: str) -> str:
    """``UTC+05:45``: the offset in force at that moment, DST included."""
    offset = moment.astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu",
                        "GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT0", "Etc/Greenwich"})


@lru_cache(maxsize=4096)
def zone_place(zone: str, lang: str) -> str:
    """CLDR's exemplar city of an IANA zone in ``lang`` (``Asia/Jakarta`` → ``Yakarta`` in es),
    never an ``Area/City`` identifier: a zone CLDR has no city for reads as its last part."""
    if zone in _UTC_NAMES:
        return "UTC"
    if zone.startswith("Etc/"):  # Etc/GMT+5 is a bare offset, shown as one
        return utc_offset(datetime.now(timezone.utc), zone)
    locale = Locale.parse(lang)
    for name in (zone, *_older_zone_names().get(zone, ())):  # CLDR keeps Calcutta under Asia/Calcutta
        city = locale.time_zones.get(name, {}).get("city")
        if city:
            return city
    try:
        city = get_timezone_location(zone, locale=locale, return_city=True)
    except (LookupError, ValueError):
        city = zone
    return city.rsplit("/", 1)[-1].replace("_", " ") if "/" in city else city


@lru_cache(maxsize=1)
def _older_zone_names() -> dict[str, list[str]]:
    """Canonical zone → its former IANA names (Asia/Kolkata → Asia/Calcutta)."""
    older: dict[str, list[str]] = {}
    for alias, canonical in get_global("zone_aliases").items():
        older.setdefault(canonical, []).append(alias)
    return older


def zone_label(moment: datetime, zone: str, lang: str = "en") -> str:
    """``Kolkata, UTC+05:30``; plain ``UTC`` for UTC itself."""
    place, offset = zone_place(zone, lang), utc_offset(moment, zone)
    return place if place in ("UTC", offset) else f"{place}, {offset}"


class I18n:
    """The compiled catalogs of all languages; hands out one :class:`Translator` per reader."""

    def __init__(self, directory: Path = LOCALES_DIR):
        self._catalogs = load_catalogs(directory)
        self._translators = {lang: Translator(lang, cat) for lang, cat in self._catalogs.items()}

    def translator(self, lang: str) -> Translator:
        return self._translators.get(lang, self._translators["en"])


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
