"""The package as an operator installs it (issue 18): the wheel carries everything the bot
reads at run time (catalogs, migrations and their template, the demo data) and an
``inspir-bot`` command; run from the wheel alone, away from the checkout, the console starts
on a fresh database, migrates it and answers in French."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """\
import sys
sys.path.insert(0, sys.argv[1])
import bot, handlers, storage
assert all(module.__file__.startswith(sys.argv[1]) for module in (bot, handlers, storage)), "the checkout was used"
from bot.entrypoints.program import main
sys.exit(main(["console", "--database", "sqlite+aiosqlite:///" + sys.argv[2]]))
"""


def test_the_wheel_runs_alone(tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = tmp_path.glob("inspir_bot-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
        archive.extractall(tmp_path / "site")
    for needed in ("bot/locales/fr/LC_MESSAGES/core.po", "bot/locales/es/LC_MESSAGES/meetings.po",
                   "bot/demo_data/demo_roster.csv", "bot/demo_data/organisations.csv",
                   "storage/migrations/env.py", "storage/migrations/script.py.mako",
                   "storage/migrations/versions/0001_initial_schema.py", "handlers/shared/meeting_text.py"):
        assert needed in names, needed
    assert "inspir-bot = bot.entrypoints.program:main" in entry_points
    away = tmp_path / "elsewhere"
    away.mkdir()
    ran = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "site"), str(away / "console.db")], cwd=away,
                         input="/as Ingrid\n/members\n/quit\n", capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert "You are now Ingrid Mulamba." in ran.stdout and "13 membres du comité" in ran.stdout, ran.stdout[-2000:]
