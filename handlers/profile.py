"""A member's own settings and profile: /lang, /tz, /me."""

from zoneinfo import available_timezones

from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import members, notifications
from bot.i18n.translation import N_, SUPPORTED, Translator
from bot.domain.meeting_time import UnknownTimezone, resolve_timezone
from bot.services.reminders import replan_member
from bot.domain.labels import (ACCESS_LEVELS, country_label, language_choices, network_label, read_language,
                               roles_label)
from bot.input.callbacks import callback_args
from handlers.common import CommandSpec, Env, button, command
from handlers.shared.notify_text import choice_text

COMMANDS = [
    CommandSpec("lang", N_("Choose your language: /lang français, English or español"), chats="private"),
    CommandSpec("tz", N_("Set your time zone, e.g. /tz Asia/Kathmandu or /tz Lima"), chats="private"),
    CommandSpec("me", N_("Your profile and your current local time"), chats="private"),
]

UNKNOWN_LANGUAGE = N_("Unknown language. Choose one of {languages}.")


def _language_buttons(t: Translator) -> list[list[tuple[str, str]]]:
    return [[(t.language_name(code).capitalize(), f"lang:{code}") for code in SUPPORTED]]


async def _set_language(env: Env, code: str) -> None:
    assert env.member is not None
    env.member.chosen_language = code
    await members.audit(env.session, env.member, "member.language", "member", env.member.id, language=code)
    env.t = env.services.i18n.translator(code)
    env.menus_changed.add(env.member.id)  # a chair's or secretary's own menus follow their language


@command()
async def lang(env: Env) -> None:
    if not env.args:
        env.reply(env.t("Your language is {language}. Choose another one:",
                        language=env.t.language_name(env.t.lang)), _language_buttons(env.t))
        return
    code = read_language(" ".join(env.args)[:40])
    if code is None:
        env.reply(env.t(UNKNOWN_LANGUAGE, languages=language_choices()), _language_buttons(env.t))
        return
    await _set_language(env, code)
    env.reply(env.t("From now on I will write to you in {language}.",
                    language=env.t.language_name(code)))


@button()
async def lang_button(env: Env) -> None:
    parts = callback_args(env.data, "lang", 1)
    if parts is None or parts[0] not in SUPPORTED:
        env.toast = env.t("This button is no longer valid.")
        return
    await _set_language(env, parts[0])
    env.edit(env.t("From now on I will write to you in {language}.",
                   language=env.t.language_name(parts[0])))


async def _set_zone(env: Env, zone: str) -> None:
    assert env.member is not None
    env.member.timezone, env.member.own_timezone = zone, True  # theirs: an import leaves it alone
    await members.audit(env.session, env.member, "member.timezone", "member", env.member.id)
    # "09:00 your time" and "your digest at 18:00" follow the member to the new zone
    await notifications.reschedule(env.session, env.member, env.now, env.committee.timezone)
    if env.member.reminders_enabled:
        reminders = env.settings.reminders
        await replan_member(env.session, env.member, list(reminders.meeting_offsets),
                            list(reminders.action_offsets), env.committee.timezone, env.now)


def _zone_set_text(env: Env, zone: str) -> str:
    return env.t("Your time zone is now {zone}. Your local time: {time}.",
                 zone=env.t.zone_setting(zone), time=env.t.datetime(env.now, zone))


@command()
async def tz(env: Env) -> None:
    query = env.rest(100)
    if query is None:
        return
    if not query:
        zone = env.zone_of(env.member)
        env.reply(env.t("Your time zone is {zone} (local time {time}). To change it, send for "
                        "example /tz Asia/Kathmandu or /tz Lima.", zone=env.t.zone_setting(zone),
                        time=env.t.time(env.now, zone)))
        return
    try:
        zone = resolve_timezone(query)
    except UnknownTimezone as unknown:
        if unknown.suggestions:
            env.reply(env.t("I do not know the time zone “{query}”. Did you mean one of these?", query=query),
                      [[(suggestion, f"tz:{suggestion}")] for suggestion in unknown.suggestions])
        else:
            env.reply(env.t("I do not know the time zone “{query}”. Send an IANA name such as "
                            "Asia/Kathmandu, or a city such as Lima.", query=query))
        return
    await _set_zone(env, zone)
    env.reply(_zone_set_text(env, zone))


@button()
async def tz_button(env: Env) -> None:
    parts = callback_args(env.data, "tz", 1)
    if parts is None or parts[0] not in available_timezones():
        env.toast = env.t("This button is no longer valid.")
        return
    await _set_zone(env, parts[0])
    env.edit(_zone_set_text(env, parts[0]))


@command()
async def me(env: Env) -> None:
    member = env.member
    assert member is not None
    t = env.t
    zone = env.zone_of(member)
    lines = [
        t("<b>Your profile</b>"),
        t("Name: {name}", name=member.name),
        t("Titles: {roles}", roles=roles_label(t, member.roles) if member.roles else "—"),
        t("Access: {level}", level=t(ACCESS_LEVELS.get(member.access, member.access))),
        t("Network: {network}", network=network_label(t, member.network)),
        t("Organisation: {organisation}", organisation=member.organisation or "—"),
        t("Country: {country}", country=country_label(t, member.country) if member.country else "—"),
        t("Time zone: {zone}", zone=t.zone_setting(zone)),
        t("Your local time now: {time}", time=t.datetime(env.now, zone)),
        t("Working hours: {hours}", hours=member.working_hours or env.settings.meetings.working_hours),
        t("Language: {language}", language=t.language_name(t.lang)),
        t("Reminders: {state}", state=t("on") if member.reminders_enabled else t("off")),
        t("The bot sends you: {choice} (/notify)", choice=choice_text(t, member, zone)),
    ]
    env.reply("\n".join(lines), personal=True)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("lang", lang))
    application.add_handler(CommandHandler("me", me))
    application.add_handler(CommandHandler("tz", tz))
    application.add_handler(CallbackQueryHandler(tz_button, pattern=r"^tz:"))
    application.add_handler(CallbackQueryHandler(lang_button, pattern=r"^lang:"))
