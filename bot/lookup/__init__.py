"""Who is who and which organisation is where: lookup over the committee roster and the
member organisations, in French, English and Spanish. Plain domain code: no Telegram, no
database; build a `Directory` from records and ask it questions."""

from bot.lookup.directory import Directory
from bot.lookup.intents import Scope
from bot.lookup.records import OrganisationRecord, PersonRecord
from bot.lookup.results import Entities, Intent, LookupResult, Narrowing

__all__ = [
    "Directory",
    "Entities",
    "Intent",
    "LookupResult",
    "Narrowing",
    "OrganisationRecord",
    "PersonRecord",
    "Scope",
]
