"""Telegram command areas, one module each; the order of registration is the order of matching."""

from telegram.ext import Application

from handlers import group, profile, roster, start
from handlers.common import CommandSpec

AREAS = [start, profile, roster, group]


def all_commands() -> list[CommandSpec]:
    return [spec for area in AREAS for spec in area.COMMANDS]


def register_all(application: Application) -> None:
    for area in AREAS:
        area.register(application)
    group.register_fallback(application)
    start.register_fallback(application)
