"""The sentence every fan-out ends with: what was queued, and who was not told and why. A reply
is written before anything leaves (messages go through the outbox after commit), so it says
what was *queued*; only /reach, reading the outbox back, says what Telegram confirmed."""

from bot.i18n.translation import Safe, Translator
from bot.services.reach import Reach


def names_of(people) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(person.name for person in people)


def fanout_text(t: Translator, reach: Reach, *, group: bool, meeting_id: int | None = None) -> Safe:
    """What a private fan-out really did, for the person who caused it."""
    lines = []
    if reach.reachable:
        lines.append(t.plural("Queued for {n} member, in their own language and time zone.",
                              "Queued for {n} members, each in their own language and time zone.",
                              len(reach.reachable)))
    elif not reach.in_digest:
        lines.append(t("No member can be told privately."))
    if reach.in_digest:
        lines.append(t("In their daily digest, as they chose (/notify): {names}.", names=names_of(reach.in_digest)))
    if group:
        lines.append(t("Queued for the committee group too."))
    if reach.unlinked:
        lines.append(t("Not told, not linked to Telegram yet: {names}. /reach lists them and creates their "
                       "invitations.", names=names_of(reach.unlinked)))
    if reach.blocked:
        lines.append(t("Not told, they blocked the bot or never opened a chat with it: {names}.",
                       names=names_of(reach.blocked)))
    if meeting_id is not None and (reach.reachable or reach.in_digest):
        lines.append(t("/reach {id} shows who has received it.", id=meeting_id))
    return Safe("\n".join(lines))


def roster_text(t: Translator, reach: Reach) -> Safe:
    total = len(reach.reachable) + len(reach.unlinked) + len(reach.blocked) + len(reach.in_digest)
    lines = [t("<b>Who the bot can reach</b>"),
             t("Linked to Telegram and reachable: {n} of {total}.", n=len(reach.reachable), total=total)]
    if reach.unlinked:
        lines.append(t("Not linked to Telegram yet ({n}): {names}", n=len(reach.unlinked),
                       names=names_of(reach.unlinked)))
    if reach.blocked:
        lines.append(t("Blocked the bot or never opened a chat with it ({n}): {names}", n=len(reach.blocked),
                       names=names_of(reach.blocked)))
    if reach.complete:
        lines.append(t("Every member is linked to Telegram and no message to them was refused."))
    return Safe("\n".join(lines))
