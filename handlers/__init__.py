"""The handler areas, one module each, in the order their handlers match (lookup last: it takes
private free text). Each area declares ``COMMANDS`` (for /help and the command menus),
``register`` (its PTB handlers) and, when it phrases outbox rows, ``RENDERERS``; the bootstrap
assembles the application from this list and nothing registers itself on import."""

from telegram.ext import Application, CommandHandler

from bot.delivery.dispatcher import CORE_RENDERERS, Renderer
from handlers import (
    actions, agenda, group, lookup, meetings, minutes, night, notify, personal, planning, polls, profile, reach,
    record_opening, records, reminders, roster, roster_admin, series, slots, start,
)
from handlers.common import CommandSpec, Handler

AREAS = [start, profile, notify, roster, roster_admin, group, slots, polls, planning, meetings, series, night, agenda,
         reminders, reach, record_opening, records, minutes, actions, personal, lookup]


class WiringError(RuntimeError):
    """The areas do not fit together (two renderers for one kind, a kind with none): the bot
    must not start, rather than fail rows of that kind for good."""


def all_commands() -> list[CommandSpec]:
    return [spec for area in AREAS for spec in area.COMMANDS]


def all_renderers() -> dict[str, Renderer]:
    renderers = dict(CORE_RENDERERS)
    for area in AREAS:
        for kind, function in getattr(area, "RENDERERS", {}).items():
            if kind in renderers:
                raise WiringError(f"two renderers for outbox kind {kind!r}")
            renderers[kind] = function
    return renderers


def register_all(application: Application) -> None:
    for area in AREAS:
        area.register(application)
    group.register_fallback(application)
    start.register_fallback(application)
    application.bot_data["runnable"] = runnable_commands(application)


def runnable_commands(application: Application) -> dict[str, Handler]:
    """Each registered command's handler by name, read from the registrations themselves (so
    never a second list): a free-text question runs the command that answers it by name
    (:meth:`handlers.common.Env.run_command`) without one area importing another."""
    found: dict[str, Handler] = {}
    for registered in application.handlers.values():
        for handler in registered:
            if isinstance(handler, CommandHandler) and hasattr(handler.callback, "__wrapped__"):
                found.update(dict.fromkeys(handler.commands, handler.callback.__wrapped__))
    return found
