"""The migrations build exactly the schema the models describe, on both databases."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from storage.database import Database, alembic_config
from storage.models import Base
from tests.databases import PostgresScratch, require_postgres

ROOT = Path(__file__).resolve().parent.parent


async def test_migrated_schema_matches_models(db_url):
    database = Database(db_url)

    def differences(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with database.engine.connect() as connection:
        diff = await connection.run_sync(differences)
    await database.dispose()
    assert diff == []



async def _at_head(url: str) -> bool:
    database = Database(url)
    async with database.engine.connect() as connection:
        versions = list((await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars())
        tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await database.dispose()
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    return versions == [head] and set(Base.metadata.tables) <= tables


def _start_together(url: str, tmp_path: Path, instances: int = 3) -> list[subprocess.CompletedProcess]:
    """Instances as separate processes (as at a double start), imports done, then released at
    the same moment into ``main.py db upgrade``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INSPIR_")}
    ready = "import sys; sys.path.insert(0, sys.argv[1]); import main; sys.stdin.readline(); " \
            "sys.exit(main.main(['db', 'upgrade']))"
    processes = [subprocess.Popen([sys.executable, "-c", ready, str(ROOT)], cwd=tmp_path, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env={**clean, "INSPIR_DATABASE__URL": url})
               for _ in range(instances)]
    time.sleep(3)  # let every process finish importing
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


@pytest.mark.db
async def test_instances_starting_together_upgrade_once_on_postgresql(postgres_scratch, tmp_path):
    """Instances start at once on an empty PostgreSQL database: all come up and the schema is at
    head (the advisory lock makes the others wait, then find nothing left to do)."""
    if postgres_scratch[0] is None:
        require_postgres(postgres_scratch[1])
    empty = PostgresScratch(migrated=False)
    try:
        results = _start_together(empty.url, tmp_path)
        assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
        assert await _at_head(empty.url)
    finally:
        empty.drop()


@pytest.mark.db
async def test_instances_starting_together_upgrade_once_on_sqlite(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    results = _start_together(url, tmp_path)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert await _at_head(url)
