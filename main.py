"""inspir-bot's front door in a checkout: ``python main.py [command]``. Installed, the same
program is the ``inspir-bot`` command (bot/entrypoints/program.py)."""

from bot.entrypoints.program import main

if __name__ == "__main__":
    raise SystemExit(main())
