"""Subcommands of ``main.py`` beyond run/console/db/roster/orgs, one module each.

A module has ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``async run(args, settings) -> int``
(the exit status). Logs go to standard error; standard output carries only the result.
"""

from bot.entrypoints.cli import slots

COMMANDS: list = [slots]

from bot.entrypoints.cli import outbox  # noqa: E402
COMMANDS.append(outbox)

from bot.entrypoints.cli import export  # noqa: E402
COMMANDS.extend(export.COMMANDS)

from bot.entrypoints.cli import health  # noqa: E402
COMMANDS.append(health)
