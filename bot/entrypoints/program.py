"""inspir-bot command line (``inspir-bot`` installed, ``python main.py`` in a checkout): run the
bot, try it in a console, manage the database and roster."""

import argparse
import asyncio
import logging
import re
import signal
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bot.entrypoints import cli
from bot.config import ConfigError, Settings, config_path, load_settings
from bot.logsafe import RedactTokens, configure_logging

log = logging.getLogger("inspir")
CONSOLE_DATABASE = "sqlite+aiosqlite:///console.db"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="configuration file (default: config.toml or $INSPIR_CONFIG)")
    parser = argparse.ArgumentParser(parents=[common], description=__doc__)
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", parents=[common], help="run the bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true",
                     help="receive updates on telegram.webhook_url (setWebhook at start) instead of polling")
    console = commands.add_parser("console", parents=[common], help="the bot in this terminal, offline")
    console.add_argument("--as", dest="as_name", help="roster member to act as")
    console.add_argument("--database", default=CONSOLE_DATABASE,
                         help=f"SQLite database of the console (default {CONSOLE_DATABASE})")
    db = commands.add_parser("db", parents=[common], help="database schema")
    db.add_argument("action", choices=["upgrade"])
    roster = commands.add_parser("roster", parents=[common], help="import or export the roster")
    roster_actions = roster.add_subparsers(dest="action", required=True)
    roster_import = roster_actions.add_parser("import", parents=[common], help="CSV or TOML file")
    roster_import.add_argument("file", type=Path)
    roster_import.add_argument("--dry-run", action="store_true", help="show the changes, apply nothing")
    roster_import.add_argument("--rename", action="store_true",
                               help="a matched member's name may change (a correction, not a new person)")
    roster_import.add_argument("--accept-similar", action="store_true",
                               help="a name like an existing member's is a new person")
    roster_import.add_argument("--recreate-forgotten", action="store_true",
                               help="add again a person who asked to be forgotten")
    roster_import.add_argument("--override-own", action="store_true",
                               help="the file's time zone replaces the one a member set")
    roster_import.add_argument("--lang", choices=["fr", "en", "es"],
                               help="language of the report (default: the committee's)")
    roster_export = roster_actions.add_parser("export", parents=[common])
    roster_export.add_argument("--format", choices=["csv", "json"], default="csv")
    roster_export.add_argument("--output", type=Path, help="file to write (default: standard output)")
    orgs = commands.add_parser("orgs", parents=[common], help="import the organisation directory")
    orgs_actions = orgs.add_subparsers(dest="action", required=True)
    orgs_import = orgs_actions.add_parser("import", parents=[common], help="CSV or TOML file")
    orgs_import.add_argument("file", type=Path)
    for module in cli.COMMANDS:
        module.add_arguments(commands.add_parser(module.NAME, parents=[common], help=module.HELP))
    return parser


async def _with_database(settings: Settings, work) -> None:  # type: ignore[no-untyped-def]
    from bot.bootstrap import open_services

    async with open_services(settings) as services:
        if work is not None:
            async with services.db.transaction() as session:
                await work(session)


def _roster_import(args: argparse.Namespace, settings: Settings, outcome: list[int]):  # type: ignore[no-untyped-def]
    """Print the change set in the operator's language; apply it unless dry run or in conflict."""
    from html import unescape

    from bot.services.departures import Planning
    from bot.i18n.translation import I18n, now_utc
    from bot.services.roster_changes import Options
    from handlers.roster_admin import describe_changes
    from bot.services.importers import import_roster

    async def work(session) -> None:  # type: ignore[no-untyped-def]
        options = Options(rename=args.rename, accept_similar=args.accept_similar,
                          recreate_forgotten=args.recreate_forgotten, override_own=args.override_own)
        reminders = settings.reminders
        planning = Planning(now_utc(), settings.committee.timezone, list(reminders.meeting_offsets),
                            list(reminders.action_offsets))
        changes = await import_roster(session, args.file, options, planning=planning, dry_run=args.dry_run)
        t = I18n().translator(args.lang or settings.committee.default_language)
        text = unescape(describe_changes(t, changes, applied=not args.dry_run))
        print(text, file=sys.stderr if changes.conflicts else sys.stdout)
        outcome.append(1 if changes.conflicts else 0)
    return work


def _orgs_import(path: Path):  # type: ignore[no-untyped-def]
    from bot.services.importers import import_organisations

    async def work(session) -> None:  # type: ignore[no-untyped-def]
        summary = await import_organisations(session, path)
        print(f"organisations imported: {summary.created} created, {summary.updated} updated")
    return work


def _roster_export(fmt: str, output: Path | None):  # type: ignore[no-untyped-def]
    from bot.services.importers import export_roster

    async def work(session) -> None:  # type: ignore[no-untyped-def]
        text = await export_roster(session, fmt)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    return work


async def _run_bot(settings: Settings, webhook: bool = False) -> None:
    from telegram import Update

    from bot.bootstrap import build_bot, prepared_services
    from bot.telegram.application import schedule_alerts, schedule_dispatcher, schedule_heartbeat, schedule_upkeep
    from bot.telegram.healthz import PATH as HEALTH_PATH
    from bot.telegram.healthz import serve_health
    from bot.telegram.menus import announce_commands

    dsn = settings.operator.sentry_dsn.get_secret_value()
    if dsn:
        from bot.delivery.error_reports import start_error_reports

        start_error_reports(dsn, settings.telegram.token.get_secret_value(),
                            [settings.telegram.webhook_secret.get_secret_value()])
    services = await prepared_services(settings)
    application = build_bot(services)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with application:
        await announce_commands(application)
        schedule_dispatcher(application)
        schedule_upkeep(application)
        schedule_heartbeat(application)
        schedule_alerts(application)
        await application.start()
        if webhook:
            telegram = settings.telegram
            await application.updater.start_webhook(
                listen=telegram.webhook_listen, port=telegram.webhook_port,
                url_path=re.escape(urlsplit(telegram.webhook_url).path), webhook_url=telegram.webhook_url,
                secret_token=telegram.webhook_secret.get_secret_value(), allowed_updates=Update.ALL_TYPES)
            serve_health(application)
            log.info("bot started (webhook, listening on %s port %s; %s for health probes)", telegram.webhook_listen,
                     telegram.webhook_port, HEALTH_PATH)
        else:
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            log.info("bot started (long polling)")
        await stop.wait()
        log.info("stopping")
        await application.updater.stop()
        await application.stop()
        await application.bot_data["dispatcher"].idle()
    await services.db.dispose()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(config_path(args.config))
    except ConfigError as error:
        print(f"inspir-bot: {error}", file=sys.stderr)
        return 2
    token = settings.telegram.token.get_secret_value()
    # PTB logs setWebhook's parameters (the webhook secret among them) at DEBUG.
    secret = settings.telegram.webhook_secret.get_secret_value()
    dsn = settings.operator.sentry_dsn.get_secret_value()
    configure_logging(settings.logging.level, token, [secret, dsn])
    command = args.command
    if command is None:
        if token:
            command = "run"
        else:
            print("No Telegram token is configured (telegram.token or INSPIR_TELEGRAM__TOKEN): "
                  "starting the offline console with the demo roster.", file=sys.stderr)
            args = _parser().parse_args(["console", *(argv or sys.argv[1:])])
            command = "console"
    from bot.services.importers import ImportProblems

    try:
        if command == "run":
            if not token:
                print("inspir-bot: configuration key telegram.token: required to run the bot "
                      "(set it in config.toml or INSPIR_TELEGRAM__TOKEN)", file=sys.stderr)
                return 2
            webhook = getattr(args, "webhook", False)
            for key in ("webhook_url", "webhook_secret") if webhook else ():
                if not str(getattr(settings.telegram, key)):
                    print(f"inspir-bot: configuration key telegram.{key}: required to run with --webhook "
                          f"(set it in config.toml or INSPIR_TELEGRAM__{key.upper()})", file=sys.stderr)
                    return 2
            asyncio.run(_run_bot(settings, webhook))
        elif command == "console":
            from bot.entrypoints.console import run_console

            if settings.logging.level == "INFO":  # one line per update would interleave the conversation
                configure_logging("WARNING", token, [secret, dsn])

            if not args.database.startswith("sqlite+aiosqlite:"):
                print("inspir-bot: the console runs on SQLite only", file=sys.stderr)
                return 2
            console_settings = settings.model_copy(update={"database": settings.database.model_copy(
                update={"url": args.database})})
            asyncio.run(run_console(console_settings, args.as_name))
        elif command == "db":
            asyncio.run(_with_database(settings, None))
            print("database schema is up to date")
        elif command == "roster" and args.action == "import":
            outcome: list[int] = []
            asyncio.run(_with_database(settings, _roster_import(args, settings, outcome)))
            return outcome[0]
        elif command == "roster":
            asyncio.run(_with_database(settings, _roster_export(args.format, args.output)))
        elif command == "orgs":
            asyncio.run(_with_database(settings, _orgs_import(args.file)))
        else:
            module = next(m for m in cli.COMMANDS if m.NAME == command)
            return asyncio.run(module.run(args, settings))
    except ImportProblems as problems:
        print("inspir-bot: nothing was imported:", file=sys.stderr)
        print("\n".join(f"  {p}" for p in problems.problems), file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - one redacted line instead of a traceback
        message = RedactTokens(token, [secret]).filter_text(f"{type(error).__name__}: {error}")
        print(f"inspir-bot: {message}", file=sys.stderr)
        return 1
    return 0

