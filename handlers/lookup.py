"""Who is who and which organisation is where: /who, /org, and questions in plain words
(in a private chat, or in the group when the bot is mentioned or replied to).

The answers come from `bot.domain.lookup.Directory`, kept by `bot.services.directory_cache` and rebuilt only
when the roster or the directory changed. Long answers have page buttons that only the
asker can use; answers about people asked in the group go to the asker privately.
"""

import re
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.lists import format_list
from telegram import Message
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from storage import conversation_state
from bot.services.directory_cache import cache_for
from bot.i18n.translation import N_, Safe, Translator, escape, utc_offset
from bot.domain.lookup import Directory, Intent, LookupResult, Narrowing, OrganisationRecord, PersonRecord
from bot.domain.lookup.places import city_name
from bot.delivery.sending import MAX_MESSAGE, Buttons
from bot.domain.labels import country_label, kind_label, network_label, roles_label
from bot.input.callbacks import callback_args
from handlers.common import BUTTON_EXPIRED, CommandSpec, Env, button, command
from handlers.shared.business_answers import answer_business, answer_conversion

COMMANDS = [
    CommandSpec("who", N_("Find committee members by name, role, network or country")),
    CommandSpec("org", N_("Find member organisations by acronym, name, country or network")),
]

MAX_QUERY = 300  # characters of a question; longer ones get a clear refusal
MAX_LISTED = 200  # results one answer can page through (the total is still told)
PEOPLE_PER_PAGE = 8
ORGANISATIONS_PER_PAGE = 10
FIELD = 100  # characters of one data field shown (names, organisations); longer ones are cut
MAX_SUGGESTED = 10  # closest names offered when nothing matches
QUOTED = 80  # characters of the asker's own words quoted back
PAGE_PREFIX = "lk"

PERSON_INTENTS = frozenset({
    Intent.PERSON_BY_NAME, Intent.PERSON_BY_ROLE, Intent.PERSON_BY_NETWORK,
    Intent.PERSON_BY_COUNTRY, Intent.PERSON_COUNT, Intent.LOCAL_TIME,
})
PLACE_INTENTS = frozenset({Intent.ORGS_IN_PLACE, Intent.ORG_COUNT})
ORG_INTENTS = frozenset({Intent.ORG_INFO, Intent.ORG_LOCATION, *PLACE_INTENTS})

NARROWING = {
    Narrowing.COUNTRY: N_("a country"),
    Narrowing.NETWORK: N_("a continental network"),
    Narrowing.ROLE: N_("a role"),
    Narrowing.KIND: N_("a kind of organisation"),
    Narrowing.NAME: N_("more of the name"),
}
EXAMPLES = N_("You can ask, for example: “who represents Asia?”, “what is CRISOL?”, "
              "“which organisations are in Togo?” or “what time is it for Gabriela?”. "
              "Send /help for the commands.")


# Rendering ----------------------------------------------------------------------------------


def _clip(value: str | None, limit: int = FIELD) -> str:
    text = " ".join((value or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _country(t: Translator, code: str | None, written: str | None) -> Safe:
    """The country's CLDR name in the reader's language when its code is known."""
    return country_label(t, _clip(written) if written else None, code)


def _local_time(env: Env, zone: str) -> str:
    """``14:30``, or ``mar. 03:00`` when it is another day there than for the reader."""
    local = env.now.astimezone(ZoneInfo(zone))
    mine = env.now.astimezone(ZoneInfo(env.zone_of(env.member)))
    clock = f"{local:%H:%M}"
    if local.date() != mine.date():
        return f"{format_date(local.date(), 'EEE', locale=env.t.locale)} {clock}"
    return clock


def _said_above(result: LookupResult, entries: list) -> set[str]:  # type: ignore[type-arg]
    """What the heading already names and every listed entry shares ("16 organisations in
    Benin:" names the country): each line of the list then leaves it out."""
    named = {"country": bool(result.entities.countries), "network": bool(result.entities.networks)}
    values = {"country": lambda e: (e.country_code, e.country), "network": lambda e: e.network}
    return {field for field, read in values.items()
            if named[field] and len(entries) > 1 and len({read(entry) for entry in entries}) == 1}


def _person_entry(env: Env, person: PersonRecord, said: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    t = env.t
    zone = person.timezone or env.committee.timezone
    about = [roles_label(t, [_clip(role) for role in person.roles])] if person.roles else []
    if "network" not in said:
        about.append(network_label(t, person.network))
    where = [escape(_clip(person.organisation))] if person.organisation else []
    if (person.country or person.country_code) and "country" not in said:
        where.append(_country(t, person.country_code, person.country))
    where.append(t("local time {time} ({zone})", time=_local_time(env, zone),
                   zone=t.zone(env.now, zone)))
    return "\n".join([t("• <b>{name}</b>: {details}", name=_clip(person.name),
                        details=Safe(" · ".join(about))),
                      "   " + " · ".join(where)])


def _organisation_entry(env: Env, org: OrganisationRecord, said: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    t = env.t
    details = []
    if (org.country or org.country_code) and "country" not in said:
        details.append(_country(t, org.country_code, org.country))
    if org.network and "network" not in said:
        details.append(network_label(t, org.network))
    if org.kind:
        details.append(kind_label(t, _clip(org.kind)))
    if org.acronym and org.acronym != org.name:
        line = t("• <b>{acronym}</b> ({name})", acronym=_clip(org.acronym), name=_clip(org.name))
    else:
        line = f"• <b>{escape(_clip(org.name))}</b>"
    return t("{organisation}: {details}", organisation=Safe(line), details=Safe(" · ".join(details))) if details else line


def _place(env: Env, result: LookupResult) -> str:
    t = env.t
    zones = result.entities.zones
    if zones and all(person.timezone in zones for person in result.people) and not result.organisations:
        return format_list([escape(city_name(zone, t.locale)) for zone in zones], locale=t.locale)  # "in Kinshasa"
    places = [_country(t, code, code) for code in result.entities.countries]
    if not places:
        places = [network_label(t, network) for network in result.entities.networks]
    return format_list([str(place) for place in places], locale=t.locale)  # "Central and West Africa"


def _names(t: Translator, values: tuple[str, ...]) -> Safe:
    """Suggested names, at most MAX_SUGGESTED of them (a network can have hundreds)."""
    shown = ", ".join(_clip(value) for value in values[:MAX_SUGGESTED])
    if len(values) <= MAX_SUGGESTED:
        return escape(shown)
    return t.plural("{names} and {n} other", "{names} and {n} others", len(values) - MAX_SUGGESTED,
                    names=shown)


def _not_found(env: Env, result: LookupResult, query: str) -> list[str]:
    """Nothing matched: say so, offer the closest names, never a guess as an answer."""
    t, intent, quoted = env.t, result.intent, _clip(query, QUOTED)
    names = _names(t, result.suggestions)
    if intent in PLACE_INTENTS:
        lines = [t("No member organisation matches “{query}”.", query=quoted)]
    elif intent in ORG_INTENTS:
        lines = [t("I know no organisation called “{query}”.", query=quoted)]
    elif intent is Intent.UNKNOWN:
        lines = [t("I found no one and nothing matching “{query}”.", query=quoted)]
    elif result.entities.names or intent is Intent.PERSON_BY_NAME:
        lines = [t("I found nobody on the committee matching “{query}”.", query=quoted)]
    else:
        lines = [t("No committee member matches “{query}”.", query=quoted)]
        if names:
            return [*lines, t("Members of the continental network concerned: {names}.", names=names)]
        return [*lines, t("Send /members for the whole committee.")]
    if names:
        lines.append(t("Closest names: {names}.", names=names))
    if intent is Intent.UNKNOWN:
        lines.append(t(EXAMPLES))
    return lines


def _clock_at(env: Env, zone: str) -> dict[str, str]:
    """The time there now in parts, so each language orders clock, offset and day its own way
    (Spanish cannot say "son las" before a weekday)."""
    return {"clock": env.t.time(env.now, zone), "offset": utc_offset(env.now, zone),
            "day": env.t.date(env.now.astimezone(ZoneInfo(zone)).date())}


def _header(env: Env, result: LookupResult, query: str) -> list[str]:
    t, intent, n, quoted = env.t, result.intent, result.total, _clip(query, QUOTED)
    if result.place_zone:
        return [t("In {place} it is <b>{clock}</b> ({offset}), {day}.", place=Safe(_place(env, result)),
                  **_clock_at(env, result.place_zone))]
    if intent in PERSON_INTENTS:
        if n == 1 and intent is Intent.LOCAL_TIME:
            person = result.people[0]
            zone = person.timezone or env.committee.timezone
            return [t("For {name} in {place} it is <b>{clock}</b> ({offset}), {day}.", name=_clip(person.name),
                      place=t.place(zone), **_clock_at(env, zone))]
        if n == 1:
            return []
        if result.ambiguous:
            return [t.plural("<b>{n} person</b> matches “{query}”:", "<b>{n} people</b> match “{query}”:",
                             n, query=quoted)]
        place = _place(env, result)
        if place:
            return [t.plural("<b>{n} committee member</b> in {place}:",
                             "<b>{n} committee members</b> in {place}:", n, place=Safe(place))]
        return [t.plural("<b>{n} committee member</b> matches “{query}”:",
                         "<b>{n} committee members</b> match “{query}”:", n, query=quoted)]
    if intent in PLACE_INTENTS:
        place, kind = _place(env, result), result.entities.kind
        kind = kind_label(t, kind) if kind else None
        if place and kind:
            return [t.plural("<b>{n} member organisation</b> of the kind “{kind}” in {place}:",
                             "<b>{n} member organisations</b> of the kind “{kind}” in {place}:",
                             n, kind=kind, place=Safe(place))]
        if place:
            return [t.plural("<b>{n} member organisation</b> in {place}:",
                             "<b>{n} member organisations</b> in {place}:", n, place=Safe(place))]
        return [t.plural("<b>{n} member organisation</b> matches “{query}”:",
                         "<b>{n} member organisations</b> match “{query}”:", n, query=quoted)]
    if n == 1 and intent is Intent.ORG_LOCATION:
        org = result.organisations[0]
        if org.country or org.country_code:
            return [t("{organisation} is based in {country}.", organisation=_clip(org.label),
                      country=_country(t, org.country_code, org.country))]
        return [t("The directory does not say in which country {organisation} is based.",
                  organisation=_clip(org.label))]
    if n == 1:
        return []
    return [t.plural("<b>{n} organisation</b> matches “{query}”:", "<b>{n} organisations</b> match “{query}”:",
                     n, query=quoted)]


def render(env: Env, result: LookupResult, query: str, page: int = 0) -> tuple[str, int]:
    """One page of the answer as Telegram HTML, and the number of pages."""
    t = env.t
    if not result.found and result.place_zone:
        return "\n".join(_header(env, result, query)), 1
    if not result.found:
        return "\n".join(_not_found(env, result, query)), 1
    if result.people:
        said = _said_above(result, list(result.people))
        entries = [_person_entry(env, person, said) for person in _page_of(result.people, page, PEOPLE_PER_PAGE)]
        size, count = PEOPLE_PER_PAGE, len(result.people)
    else:
        said = _said_above(result, list(result.organisations))
        entries = [_organisation_entry(env, org, said)
                   for org in _page_of(result.organisations, page, ORGANISATIONS_PER_PAGE)]
        size, count = ORGANISATIONS_PER_PAGE, len(result.organisations)
    pages = max(1, -(-count // size))
    footer = []
    if result.total > count:
        footer.append(t("Only the first {shown} of {total} are listed.", shown=count, total=result.total))
    if result.narrow_by and (result.ambiguous or pages > 1 or result.total > count):
        footer.append(t("To narrow it down, add {facets}.", facets=_either(t, result.narrow_by)))
    if pages > 1:
        footer.append(t("Page {page} of {pages}", page=page + 1, pages=pages))
    header = _header(env, result, query)
    text = "\n".join([*header, *entries, *([""] if footer else []), *footer])
    while len(text) > MAX_MESSAGE and len(entries) > 1:  # only with absurdly long data
        entries.pop()
        text = "\n".join([*header, *entries, "…", "", *footer])
    return text[:MAX_MESSAGE], pages


def _either(t: Translator, facets: tuple[Narrowing, ...]) -> Safe:
    labels = [t(NARROWING[facet]) for facet in facets]
    if len(labels) == 1:
        return labels[0]
    return t("{first} or {last}", first=Safe(", ".join(labels[:-1])), last=labels[-1])


def _page_of(records: tuple, page: int, size: int) -> tuple:  # type: ignore[type-arg]
    return records[page * size:(page + 1) * size]


def _page_buttons(env: Env, token: str, page: int, pages: int) -> Buttons | None:
    row = []
    if page > 0:
        row.append(("‹ " + env.t("Previous"), f"{PAGE_PREFIX}:{token}:{page - 1}"))
    if page < pages - 1:
        row.append((env.t("Next") + " ›", f"{PAGE_PREFIX}:{token}:{page + 1}"))
    return [row] if row else None


def _is_personal(result: LookupResult) -> bool:
    """Anything naming people is personal data; organisation facts may stay in the group."""
    return bool(result.people) or (result.intent not in ORG_INTENTS and bool(result.suggestions))


# Answering ----------------------------------------------------------------------------------


def lookup(directory: Directory, scope: str, query: str) -> LookupResult:
    ask = {"who": directory.who, "org": directory.org}.get(scope, directory.ask)
    return ask(query, limit=MAX_LISTED)


async def answer(env: Env, scope: str, query: str) -> None:
    """Look ``query`` up (``scope`` who, org or ask) and reply with its first page."""
    assert env.member is not None
    cache = cache_for(env.services.db)
    result = lookup(await cache.directory(env.session), scope, query)
    text, pages = render(env, result, query)
    buttons = None
    if pages > 1:
        token = await conversation_state.save_question(env.session, env.member.id, scope, query, env.now)
        buttons = _page_buttons(env, token, 0, pages)
    env.reply(text, buttons, personal=_is_personal(result))


@command()
async def who_command(env: Env) -> None:
    query = env.rest(MAX_QUERY)
    if query is None:
        return
    if not query:
        env.reply(env.t("Usage: /who &lt;name, role, network or country&gt;, for example "
                        "/who Asia, /who chair or /who Peru."))
        return
    await answer(env, "who", query)


@command()
async def org_command(env: Env) -> None:
    query = env.rest(MAX_QUERY)
    if query is None:
        return
    if not query:
        env.reply(env.t("Usage: /org &lt;acronym, name, country or network&gt;, for example "
                        "/org CSB, /org Togo or /org Asia."))
        return
    await answer(env, "org", query)


def _mention_pattern(username: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@])@{re.escape(username)}(?!\w)", re.IGNORECASE)


@command()
async def question(env: Env) -> None:
    """A question in plain words: in a private chat, or addressed to the bot in the group."""
    text = env.text
    if env.bot_username:
        text = _mention_pattern(env.bot_username).sub(" ", text)
    text = text.strip(" \t\n,:;")
    if not text:
        env.reply(env.t(EXAMPLES))
        return
    if len(text) > MAX_QUERY:
        env.reply(env.t("Your question is too long: please ask it in at most {limit} characters.",
                        limit=MAX_QUERY))
        return
    if await answer_business(env, text) or await answer_conversion(env, text):
        return
    await answer(env, "ask", text)


@button()
async def page_button(env: Env) -> None:
    """Previous/next under a long answer: only for the asker, re-run on today's directory."""
    parts = callback_args(env.data, PAGE_PREFIX, 2)
    if parts is None or not (parts[1].isascii() and parts[1].isdecimal()) or len(parts[1]) > 4:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    assert env.member is not None
    cache = cache_for(env.services.db)
    saved = await conversation_state.saved_question(env.session, parts[0], env.now)
    if saved is None:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    if saved.asker_id != env.member.id:
        env.toast = env.t("Only the member who asked can turn these pages.")
        return
    result = lookup(await cache.directory(env.session), saved.scope, saved.text)
    page = int(parts[1])
    text, pages = render(env, result, saved.text, page)
    if page >= pages:
        env.toast = env.t(BUTTON_EXPIRED)
        return
    env.edit(text, _page_buttons(env, parts[0], page, pages))


class _AddressedToBot(filters.MessageFilter):
    """A group message that mentions the bot by @username or replies to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return True
        try:
            username = bot.username
        except RuntimeError:  # not initialised: no getMe yet
            return False
        return bool(username and message.text and _mention_pattern(username).search(message.text))


ADDRESSED_TO_BOT = _AddressedToBot(name="AddressedToBot")


def register(application: Application) -> None:
    application.add_handler(CommandHandler("who", who_command))
    application.add_handler(CommandHandler("org", org_command))
    application.add_handler(CallbackQueryHandler(page_button, pattern=rf"^{PAGE_PREFIX}:"))
    application.add_handler(MessageHandler(
        filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL, question))
    application.add_handler(MessageHandler(
        filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND & ADDRESSED_TO_BOT, question))
