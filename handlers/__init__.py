"""Telegram command areas, one module each; the order of registration is the order of matching."""

from telegram.ext import Application

from handlers import agenda, group, lookup, meetings, profile, roster, slots, start
from handlers import actions, records
from handlers import night, reach, reminders, series
from handlers.common import CommandSpec

AREAS = [start, profile, roster, group, slots, meetings, series, night, agenda, lookup]  # lookup last: it takes private free text
AREAS.insert(AREAS.index(lookup), reminders)  # reminders: commands and renderers
AREAS.insert(AREAS.index(lookup), reach)  # reach: who the bot can write to, and what it delivered
AREAS.insert(AREAS.index(lookup), records)  # records: the meeting record and its minutes
AREAS.insert(AREAS.index(lookup), actions)  # actions: decisions and actions between meetings, personal data


def all_commands() -> list[CommandSpec]:
    return [spec for area in AREAS for spec in area.COMMANDS]


def register_all(application: Application) -> None:
    for area in AREAS:
        area.register(application)
    group.register_fallback(application)
    start.register_fallback(application)
