"""Who is who and which organisation is where: lookup over the committee roster and the
member organisations, in French, English and Spanish. Plain domain code: no Telegram, no
database; build a `Directory` from records and ask it questions."""

from bot.domain.lookup.directory import Directory
from bot.domain.lookup.intents import Scope
from bot.domain.lookup.entries import OrganisationRecord, PersonRecord
from bot.domain.lookup.results import Entities, Intent, LookupResult, Narrowing

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
