"""A member's ``/notify`` choice in words: for /notify, /me and the chair's /reach."""

from bot.domain.notify import DEFAULT_DIGEST_HOUR, DIGEST, EVERYTHING, IMPORTANT
from bot.i18n.translation import N_, Safe, Translator
from storage.models import Member

MODE_NAMES = {
    EVERYTHING: N_("everything"),
    IMPORTANT: N_("important messages only"),
    DIGEST: N_("a daily digest"),
}


def digest_hour(member: Member) -> int:
    return DEFAULT_DIGEST_HOUR if member.digest_hour is None else member.digest_hour


def choice_text(t: Translator, member: Member, zone: str) -> Safe:
    """The member's choice in one phrase: "a daily digest at 18:00 (Kinshasa)"."""
    if member.notify == DIGEST:
        return t("a daily digest at {hour}:00 ({place})", hour=f"{digest_hour(member):02d}", place=t.place(zone))
    return t(MODE_NAMES.get(member.notify, MODE_NAMES[EVERYTHING]))


def choices_text(t: Translator, people: list[Member], default_zone: str) -> list[Safe]:
    """For the chair: who receives less than everything, and when their digest leaves."""
    important = [p.name for p in people if p.notify == IMPORTANT]
    digests = [t("{name} at {hour}:00 ({place})", name=p.name, hour=f"{digest_hour(p):02d}",
                 place=t.place(p.timezone or default_zone)) for p in people if p.notify == DIGEST]
    lines = []
    if important:
        lines.append(t("Important messages only ({n}): {names}", n=len(important), names=", ".join(important)))
    if digests:
        lines.append(t("A daily digest ({n}): {names}", n=len(digests), names=Safe(", ".join(digests))))
    if not lines:
        lines.append(t("Every member receives everything (/notify lets each one choose less)."))
    return lines
