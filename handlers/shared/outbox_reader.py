"""Who an outbox row is for, read when it is sent: a renderer phrases the row in its reader's
language and zone as they are then (a new ``/lang`` or ``/tz`` shows at once)."""

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery.dispatcher import Skip
from bot.domain.access import choose_language
from bot.i18n.translation import Translator
from bot.services import Services, members
from bot.services.reach import NOT_LINKED, UNLINKED
from storage.models import Member, OutboxMessage


async def recipient(session: AsyncSession, row: OutboxMessage, services: Services) -> tuple[Member, Translator, str]:
    """The row's recipient, their translator and zone; Skip when they cannot get it (left the
    roster: cancelled; no Telegram account: not linked)."""
    member = await session.get(Member, row.recipient_id) if row.recipient_id else None
    if member is None or not member.active:
        raise Skip("cancelled", "recipient no longer on the roster")
    if member.telegram_id is None:
        raise Skip(UNLINKED, NOT_LINKED)
    committee = await members.committee(session)
    lang = choose_language(member.chosen_language, member.language, None, committee.default_language)
    return member, services.i18n.translator(lang), member.timezone or committee.timezone
