"""A day as committee members write it in French, English and Spanish.

``read_day("vendredi prochain", today)``, ``read_day("20 de diciembre", today)``,
``read_day("end of the month", today)``, ``read_day("20/12", today)``: the date, or None when
the words are not one day ("la semaine prochaine", "en décembre", "31/02" name no single day
and are asked about, never guessed). Numbers are day first (20/12), as in the three languages'
usage outside the United States; the caller repeats the date it understood, so a misreading is
seen at once. Relative words count from ``today``, the writer's own local date.
"""

import calendar
import re
import unicodedata
from datetime import date, timedelta

MIN_YEAR, MAX_YEAR = 1900, 2100

_MONTHS = {
    name: number
    for number, names in enumerate((
        ("january", "jan", "janvier", "janv", "enero", "ene"),
        ("february", "feb", "fevrier", "fev", "fevr", "febrero"),
        ("march", "mar", "mars", "marzo"),
        ("april", "apr", "avril", "avr", "abril", "abr"),
        ("may", "mai", "mayo"),
        ("june", "jun", "juin", "junio"),
        ("july", "jul", "juillet", "juil", "julio"),
        ("august", "aug", "aout", "agosto", "ago"),
        ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "set"),
        ("october", "oct", "octobre", "octubre"),
        ("november", "nov", "novembre", "noviembre"),
        ("december", "dec", "decembre", "diciembre", "dic"),
    ), start=1)
    for name in names
}
WEEKDAYS = {  # folded names, 0 = Monday
    name: index
    for names in (
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"),
    )
    for index, name in enumerate(names)
}
_NUMBERS = {
    **dict.fromkeys(("a", "an", "one", "un", "une", "uno", "una"), 1),
    **dict.fromkeys(("two", "deux", "dos"), 2), **dict.fromkeys(("three", "trois", "tres"), 3),
    **dict.fromkeys(("four", "quatre", "cuatro"), 4), **dict.fromkeys(("five", "cinq", "cinco"), 5),
    **dict.fromkeys(("six", "seis"), 6), **dict.fromkeys(("seven", "sept", "siete"), 7),
    **dict.fromkeys(("eight", "huit", "ocho"), 8), **dict.fromkeys(("nine", "neuf", "nueve"), 9),
    **dict.fromkeys(("ten", "dix", "diez"), 10), **dict.fromkeys(("fifteen", "quinze", "quince"), 15),
}
_UNITS = {
    **dict.fromkeys(("day", "days", "jour", "jours", "dia", "dias"), "day"),
    **dict.fromkeys(("week", "weeks", "semaine", "semaines", "semana", "semanas"), "week"),
    **dict.fromkeys(("month", "months", "mois", "mes", "meses"), "month"),
}
_TODAY = {"today", "aujourd hui", "hoy", "ce jour"}
_TOMORROW = {"tomorrow", "demain", "manana"}
_AFTER_TOMORROW = {"day after tomorrow", "the day after tomorrow", "apres demain", "pasado manana"}
_NEXT = {"next", "coming", "prochain", "prochaine", "proximo", "proxima", "que viene", "siguiente"}
_THIS = {"this", "ce", "cette", "este", "esta"}
_IN = {"in", "within", "dans", "d ici", "en", "dentro de", "de aqui a"}
_END = {"end of", "the end of", "fin", "fin de", "fin du", "fin de la", "la fin de", "la fin du",
        "la fin de la", "a fin de", "a fines de", "a finales de", "finales de", "final de", "el final de",
        "fines de", "a final de"}
_FILLERS = {"the", "on", "of", "le", "la", "l", "d", "el", "de", "del", "du", "at", "au"}
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUMERIC_TIME = re.compile(r"\d{1,2}[.]\d{2}")  # 14.30 is a time of day, not 14 March... of year 30
_END_FIRST = {"end", "the", "fin", "la", "a", "finales", "fines", "final", "el"}
_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th|er|re|e|eme|o|a)?")

# Words only a day expression begins with: after them, words that are not a day are asked about.
DAY_WORDS = (frozenset(_MONTHS) | frozenset(WEEKDAYS) | _TOMORROW | {
    "today", "hoy", "aujourd", "apres", "pasado", "next", "prochain", "prochaine", "proximo", "proxima",
    "end", "fin", "finales", "fines", "final"}) - {"mar", "set", "may", "sept", "ago"}


def fold_words(text: str) -> str:
    """Lower case, no accents; letters, digits and the separators of a numeric date kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c if c.isalnum() or c in "/.-" else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.casefold().split()).strip(" .")


def looks_like_day(text: str) -> bool:
    """Whether ``text`` begins the way only a day does (a digit, a month or weekday name...)."""
    words = [w for w in fold_words(text).split() if w not in _FILLERS]
    next_unit = len(words) > 1 and words[0] in _UNITS and " ".join(words[1:3]) in _NEXT  # "semaine prochaine"
    return bool(words) and (words[0][0].isdigit() or words[0] in DAY_WORDS or next_unit)


def read_day(text: str, today: date) -> date | None:
    """The one day ``text`` names, counted from ``today``; None when it names no single day."""
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):  # zero-width, bidi overrides
        return None
    words = fold_words(text)
    for reader in (_numeric, _relative, _weekday, _in_some_time, _end_of, _day_and_month):
        day = reader(words, today)
        if day is not None:
            return day if MIN_YEAR <= day.year <= MAX_YEAR else None
    return None


def _made(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(typed: str | None, month: int, day: int, today: date) -> date | None:
    """The date with the year typed, or the next time that day comes (today included)."""
    if typed:
        return _made(int(typed) + (2000 if len(typed) == 2 else 0), month, day)
    found = _made(today.year, month, day)
    if found is not None and found < today:
        found = _made(today.year + 1, month, day)
    return found


def _numeric(words: str, today: date) -> date | None:
    if match := _ISO.fullmatch(words):
        return _made(*map(int, match.groups()))
    if match := _NUMERIC.fullmatch(words):
        day, month, year = match.groups()
        return _year(year, int(month), int(day), today)
    return None


def _relative(words: str, today: date) -> date | None:
    if words in _TODAY:
        return today
    if words in _TOMORROW:
        return today + timedelta(days=1)
    if words in _AFTER_TOMORROW:
        return today + timedelta(days=2)
    return None


def _strip(words: str, prefixes: set[str]) -> str | None:
    """``words`` without the longest of ``prefixes`` it begins with; None when none."""
    for prefix in sorted(prefixes, key=len, reverse=True):
        if words == prefix:
            return ""
        if words.startswith(prefix + " "):
            return words[len(prefix) + 1:]
    return None


def _weekday(words: str, today: date) -> date | None:
    """"friday", "next friday", "vendredi prochain", "el viernes que viene", "friday next week"."""
    rest = [w for w in words.split() if w not in _FILLERS]
    rest = rest[1:] if rest and rest[0] in _THIS | _NEXT else rest
    if not rest or rest[0] not in WEEKDAYS:
        return None
    index, tail = WEEKDAYS[rest[0]], " ".join(rest[1:])
    if tail in ("", *_NEXT):
        return today + timedelta(days=(index - today.weekday() - 1) % 7 + 1)
    if tail in ("next week", "semaine prochaine", "semana que viene", "proxima semana", "semana proxima"):
        return today + timedelta(days=7 - today.weekday() + index)
    return None


def _in_some_time(words: str, today: date) -> date | None:
    """"in 2 weeks", "dans trois jours", "en dos semanas", "dentro de un mes", "d'ici 15 jours"."""
    rest = _strip(words, _IN)
    parts = rest.split() if rest else []
    if len(parts) != 2 or parts[1] not in _UNITS:
        return None
    count = int(parts[0]) if parts[0].isdigit() else _NUMBERS.get(parts[0])
    if count is None or not 0 < count <= 366:
        return None
    unit = _UNITS[parts[1]]
    if unit == "day":
        return today + timedelta(days=count)
    if unit == "week":
        return today + timedelta(weeks=count)
    month = today.month - 1 + count
    year, month = today.year + month // 12, month % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _end_of(words: str, today: date) -> date | None:
    """"end of the month", "fin du mois (prochain)", "a finales de mes", "fin de semaine"."""
    rest = _strip(words, _END)
    if rest is None:
        return None
    parts = [w for w in rest.split() if w not in _FILLERS | _THIS]
    if len(parts) == 2 and parts[0] in _NEXT:  # "end of next month"
        parts.reverse()
    later = len(parts) == 2 and parts[1] in _NEXT
    if not parts or len(parts) > 2 or (len(parts) == 2 and not later):
        return None
    unit = _UNITS.get(parts[0]) or ("year" if parts[0] in ("year", "annee", "ano") else None)
    if unit == "week":  # the working week's last day
        friday = today + timedelta(days=(4 - today.weekday()) % 7)
        return friday + timedelta(weeks=1) if later else friday
    if unit == "month":
        year, month = (today.year + today.month // 12, today.month % 12 + 1) if later else (today.year, today.month)
        return date(year, month, calendar.monthrange(year, month)[1])
    if unit == "year":
        return date(today.year + (1 if later else 0), 12, 31)
    return None


def _day_and_month(words: str, today: date) -> date | None:
    """"20 décembre", "1er décembre 2026", "20 de diciembre de 2026", "december 20, 2026"."""
    parts = [w for w in words.replace(",", " ").split() if w not in _FILLERS]
    parts = parts[1:] if parts and parts[0] in WEEKDAYS else parts  # "vendredi 11 décembre"
    if len(parts) in (2, 3) and parts[0] in _MONTHS:
        parts[0], parts[1] = parts[1], parts[0]  # English order
    if len(parts) not in (2, 3) or parts[1] not in _MONTHS:
        return None
    first = parts[0] in ("premier", "primero")
    day = _ORDINAL.fullmatch(parts[0])
    if day is None and not first:
        return None
    year = parts[2] if len(parts) == 3 else None
    if year is not None and not re.fullmatch(r"\d{4}", year):
        return None
    return _year(year, _MONTHS[parts[1]], 1 if first else int(day.group(1)), today)


_ANY_DAY = date(2000, 1, 3)  # a Monday of a leap year: every day expression reads against it


def find_day_words(text: str, longest: int = 5) -> str | None:
    """The words of ``text`` that name a day ("demain", "el viernes", "le 20 décembre"), the
    first and longest such run; None when none. Read them with :func:`read_day` once the
    reference date is known (a question's day belongs to the place its time belongs to)."""
    words = text.replace("?", " ").replace(",", " ").split()
    for start in range(len(words)):
        if not looks_like_day(words[start]) and fold_words(words[start]) not in _IN | _END_FIRST:
            continue
        for size in range(min(longest, len(words) - start), 0, -1):
            run = " ".join(words[start:start + size])
            if read_day(run, _ANY_DAY) is not None and not _NUMERIC_TIME.fullmatch(run):
                return run
    return None
