"""``main.py health`` as monitoring runs it: a separate process, both databases, the Bot API
emulator, and one clear line per failure (never the token, never a password)."""

import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from storage.database import alembic_config
from tests.e2e.emulator import EmulatorClient, unused_port
from tests.fake_token import fake_bot_token

ROOT = Path(__file__).resolve().parent.parent
TOKEN = fake_bot_token("health")
HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()  # the newest migration


def health(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INSPIR_")}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "health", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env={**clean, **env})


def failures(result: subprocess.CompletedProcess) -> list[str]:
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("inspir-bot: health: ") for line in lines), result.stderr
    assert TOKEN not in result.stdout + result.stderr and TOKEN.split(":")[1] not in result.stderr
    return [line.removeprefix("inspir-bot: health: ") for line in lines]


def test_healthy_database_and_bot_api(tmp_path: Path, db_url: str, tg: EmulatorClient) -> None:
    result = health(tmp_path, INSPIR_DATABASE__URL=db_url, INSPIR_TELEGRAM__TOKEN=TOKEN,
                    INSPIR_TELEGRAM__BASE_URL=tg.base_url)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    backend = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    assert lines == [f"database: ok ({backend}, schema at {HEAD})",
                     f"bot api: ok ({tg.base_url}, bot @inspir_test_bot)"]
    assert [call["method"] for call in tg.calls()] == ["getMe"]
    assert failures(result) == []


def test_database_only_needs_no_token_and_calls_nothing(tmp_path: Path, db_url: str,
                                                        tg: EmulatorClient) -> None:
    result = health(tmp_path, "--database-only", INSPIR_DATABASE__URL=db_url,
                    INSPIR_TELEGRAM__BASE_URL=tg.base_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("database: ok") and "bot api" not in result.stdout + result.stderr
    assert tg.calls() == []


def test_unreachable_database(tmp_path: Path, tg: EmulatorClient) -> None:
    url = f"postgresql+asyncpg://inspir:hunter2pw@127.0.0.1:{unused_port()}/inspir"
    result = health(tmp_path, INSPIR_DATABASE__URL=url, INSPIR_TELEGRAM__TOKEN=TOKEN,
                    INSPIR_TELEGRAM__BASE_URL=tg.base_url)
    assert result.returncode == 1
    [problem] = failures(result)
    assert problem.startswith("database: cannot use postgresql+asyncpg://inspir:***@127.0.0.1:")
    assert "hunter2pw" not in result.stderr
    assert result.stdout.startswith("bot api: ok")  # the other check still ran


def test_missing_or_unmigrated_sqlite_is_not_created(tmp_path: Path) -> None:
    database = tmp_path / "inspir.db"
    result = health(tmp_path, "--database-only", INSPIR_DATABASE__URL=f"sqlite+aiosqlite:///{database}")
    assert result.returncode == 1
    assert failures(result) == [f"database: SQLite file not found: {database} "
                                "(run main.py db upgrade to create it)"]
    assert not database.exists()
    database.touch()
    result = health(tmp_path, "--database-only", INSPIR_DATABASE__URL=f"sqlite+aiosqlite:///{database}")
    assert failures(result) == [f"database: no schema (empty database), the code expects {HEAD}: run main.py db upgrade"]


def test_unreachable_bot_api_and_refused_token(tmp_path: Path, db_url: str, tg: EmulatorClient) -> None:
    base_url = f"http://127.0.0.1:{unused_port()}/bot"
    result = health(tmp_path, INSPIR_DATABASE__URL=db_url, INSPIR_TELEGRAM__TOKEN=TOKEN,
                    INSPIR_TELEGRAM__BASE_URL=base_url)
    assert result.returncode == 1
    assert result.stdout.startswith("database: ok")
    [problem] = failures(result)
    assert problem.startswith(f"bot api: getMe failed at {base_url}: NetworkError")

    tg.inject_fault("getMe", 401, "Unauthorized")
    result = health(tmp_path, INSPIR_DATABASE__URL=db_url, INSPIR_TELEGRAM__TOKEN=TOKEN,
                    INSPIR_TELEGRAM__BASE_URL=tg.base_url)
    assert result.returncode == 1
    assert failures(result) == [f"bot api: {tg.base_url} refused the token (revoked or mistyped?)"]

    result = health(tmp_path, INSPIR_DATABASE__URL=db_url, INSPIR_TELEGRAM__BASE_URL=tg.base_url)
    assert result.returncode == 1
    assert failures(result) == ["bot api: no token configured (telegram.token or INSPIR_TELEGRAM__TOKEN)"]


def _beat(db_url: str, **rows) -> None:  # type: ignore[no-untyped-def]
    """Heartbeat and outbox rows as a running bot would have left them."""
    from storage.database import Database
    from storage.models import Heartbeat
    from storage.outbox import enqueue_text
    from tests.databases import run_sync

    async def write() -> None:
        database = Database(db_url)
        try:
            async with database.transaction() as session:
                for row in rows.get("beats", []):
                    session.add(Heartbeat(**row))
                for due in rows.get("overdue", []):
                    await enqueue_text(session, due, "owed", chat_id=1)
        finally:
            await database.dispose()
    run_sync(write())


def test_running_bot_judged_by_its_heartbeat(tmp_path: Path, db_url: str) -> None:
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc)
    env = {"INSPIR_DATABASE__URL": db_url}
    result = health(tmp_path, "--running", **env)  # no token: the Bot API check fails too, on its own line
    assert result.returncode == 1
    assert "running bot: no running bot has recorded a heartbeat (is it started?)" in failures(result)
    _beat(db_url, beats=[dict(instance="old", started_at=now - timedelta(hours=2), beat_at=now - timedelta(minutes=10),
                              dispatched_at=now - timedelta(minutes=10), receiving=True)])
    result = health(tmp_path, "--running", **env)
    assert "running bot: no heartbeat for 10 min: the bot is stopped or hung" in failures(result)
    _beat(db_url, beats=[dict(instance="hung", started_at=now - timedelta(hours=1), beat_at=now,
                              dispatched_at=now - timedelta(minutes=30), receiving=False)],
          overdue=[now - timedelta(minutes=45), now - timedelta(minutes=20)])
    result = health(tmp_path, "--running", **env)
    [problem] = [line for line in failures(result) if line.startswith("running bot:")]
    assert problem == ("running bot: the outbox dispatcher has not finished a run for 30 min; the bot is not "
                       "receiving updates from Telegram (its updater stopped); outbox: 2 message(s) overdue, "
                       "the oldest by 45 min")
