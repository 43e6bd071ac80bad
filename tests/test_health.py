"""``main.py health`` as monitoring runs it: a separate process, both databases, the Bot API
emulator, and one clear line per failure (never the token, never a password)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from storage.database import alembic_config
from tests.e2e.emulator import EmulatorClient
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


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]



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
    url = f"postgresql+asyncpg://inspir:hunter2pw@127.0.0.1:{closed_port()}/inspir"
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
    base_url = f"http://127.0.0.1:{closed_port()}/bot"
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
