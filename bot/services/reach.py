"""Who a message can actually reach, so no sentence claims more than the outbox knows.

A member is reachable when a Telegram account is linked and Telegram has not refused a
message to them (403, ``Member.unreachable_since``). What was owed about one thing (a
meeting, its minutes) is read back from the outbox rows: queued, sent (Telegram confirmed),
not linked, failed.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.names import fold
from storage.models import Member, OutboxMessage

UNLINKED = "unlinked"  # the outbox state of a row whose recipient has no Telegram account
NOT_LINKED = "recipient has no Telegram account"


@dataclass(frozen=True)
class Reach:
    """A set of members split by whether the bot can write to them."""

    reachable: list[Member] = field(default_factory=list)
    unlinked: list[Member] = field(default_factory=list)
    blocked: list[Member] = field(default_factory=list)
    in_digest: list[Member] = field(default_factory=list)  # reachable, told at their digest's hour

    @classmethod
    def of(cls, people: Iterable[Member], later: Collection[int] = ()) -> "Reach":
        """``later``: the ids of members whose message waits for their daily digest."""
        reach = cls()
        for person in sorted({p.id: p for p in people}.values(), key=lambda p: fold(p.name)):
            if person.telegram_id is None:
                reach.unlinked.append(person)
            elif person.unreachable_since is not None:
                reach.blocked.append(person)
            elif person.id in later:
                reach.in_digest.append(person)
            else:
                reach.reachable.append(person)
        return reach

    @property
    def complete(self) -> bool:
        return not self.unlinked and not self.blocked


async def roster_reach(session: AsyncSession) -> Reach:
    return Reach.of(await session.scalars(select(Member).where(Member.active.is_(True))))


@dataclass(frozen=True)
class Delivery:
    """What became of the private messages owed about one thing, by member."""

    sent: list[Member] = field(default_factory=list)
    queued: list[Member] = field(default_factory=list)
    unlinked: list[Member] = field(default_factory=list)
    failed: list[Member] = field(default_factory=list)


_BUCKETS = {"sent": "sent", "pending": "queued", "claimed": "queued", "held": "queued", UNLINKED: "unlinked",
            "failed": "failed"}  # held: waiting for the member's daily digest


async def delivery(session: AsyncSession, ref_type: str, ref_id: int, kinds: tuple[str, ...]) -> Delivery:
    """For each member, what became of the latest row of ``kinds`` about ``ref_type`` #``ref_id``
    (cancelled and missed rows were never meant to leave, so they do not count)."""
    rows = (await session.execute(select(OutboxMessage.state, Member).join(
        Member, Member.id == OutboxMessage.recipient_id).where(
        OutboxMessage.ref_type == ref_type, OutboxMessage.ref_id == ref_id,
        OutboxMessage.kind.in_(kinds), OutboxMessage.state.in_(tuple(_BUCKETS)))
        .order_by(OutboxMessage.id))).tuples().all()
    latest = {member.id: (_BUCKETS[state], member) for state, member in rows}
    result = Delivery()
    for bucket, member in sorted(latest.values(), key=lambda pair: fold(pair[1].name)):
        getattr(result, bucket).append(member)
    return result
