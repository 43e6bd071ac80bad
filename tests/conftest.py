"""Shared fixtures for every level: both databases, a bot driven through its real handlers,
the Bot API emulator (one Node process per test session, that is per xdist worker) and bot
processes run against it.

Each test is marked by its level (see tests/CONVENTIONS.md): ``e2e``, ``faults`` and
``hostile`` by folder; elsewhere ``handlers`` (drives the bot), ``db`` (a database, no bot) or
``unit``. ``make test-quick`` runs ``unit``, ``db`` and ``handlers``; ``make test`` runs all,
both on several workers (tests/CONVENTIONS.md, "Parallel execution").
"""

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.databases import PostgresScratch, SqliteTemplate, postgres_or_reason, require_postgres, scratch_directory

if TYPE_CHECKING:
    from tests.e2e.emulator import Emulator, EmulatorClient
    from tests.harness import BotHarness

FOLDER_LEVELS = ("e2e", "faults", "hostile")
PROCESS_FIXTURES = {"emulator_server", "start_bot"}


def _level(item: pytest.Item) -> str:
    folder = Path(str(item.fspath)).parent.name
    if folder in FOLDER_LEVELS:
        return folder
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & PROCESS_FIXTURES:
        return "e2e"
    if "bot" in fixtures:
        return "handlers"
    if "db_url" in fixtures:
        return "db"
    return "unit"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(getattr(pytest.mark, _level(item)))


def pytest_report_header(config: pytest.Config) -> str:
    return "databases: SQLite and PostgreSQL (INSPIR_TEST_POSTGRES_URL)"


def pytest_configure(config: pytest.Config) -> None:
    """Compiled bytecode kept outside the checkout, for this process, the xdist workers and every
    ``main.py`` the tests start: even where PYTHONDONTWRITEBYTECODE is set, no process compiles
    the bot's sources again (0.8 s of CPU saved at each of the suite's hundreds of starts)."""
    prefix = os.environ.setdefault("PYTHONPYCACHEPREFIX",
                                   str(Path(tempfile.gettempdir()) / f"inspir-bot-pycache-{os.getuid()}"))
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.pycache_prefix, sys.dont_write_bytecode = prefix, False


# ---- the fault and hostile suites' counts: each xdist worker keeps its own, hands them over
# when it ends (workeroutput), and the controller sums them before printing the summary ----

TALLIES = {"faults": ("tests.faults.conftest", "TALLY"), "hostile": ("tests.hostile.lab", "STATS")}


def _tally(name: str, imported_only: bool = False) -> Any:
    module, attribute = TALLIES[name]
    if imported_only and module not in sys.modules:
        return None
    return getattr(importlib.import_module(module), attribute)


def pytest_sessionfinish(session: pytest.Session) -> None:
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["tallies"] = {name: tally.counts() for name in TALLIES
                             if (tally := _tally(name, imported_only=True)) is not None}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    for name, counts in getattr(node, "workeroutput", {}).get("tallies", {}).items():
        _tally(name).add(counts)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for name in TALLIES:
        tally = _tally(name, imported_only=True)
        if tally is not None and (summary := tally.summary()) is not None:
            terminalreporter.write_sep("-", summary[0])
            terminalreporter.write_line(summary[1])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteTemplate]:
    """The migrated template and each test's copy, in memory where the machine has it."""
    fallback = tmp_path_factory.mktemp("sqlite")
    directory = scratch_directory(fallback)
    yield SqliteTemplate(directory)
    if directory != fallback:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_scratch() -> Iterator[tuple[PostgresScratch | None, str]]:
    scratch, reason = postgres_or_reason()
    if scratch is None:
        warnings.warn(reason, stacklevel=1)
    yield scratch, reason
    if scratch is not None:
        scratch.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, sqlite_template: SqliteTemplate) -> AsyncIterator[str]:
    """A migrated, empty database URL: the test runs once on each database."""
    if request.param == "sqlite":
        url = sqlite_template.fresh(sqlite_template.directory)
        yield url
        for path in sqlite_template.directory.glob(url.rpartition("/")[2] + "*"):
            path.unlink()
        return
    scratch, reason = request.getfixturevalue("postgres_scratch")
    if scratch is None:
        require_postgres(reason)
    yield await scratch.fresh()


@pytest.fixture
async def bot(db_url: str) -> AsyncIterator["BotHarness"]:
    """The demo committee, linked and in its group, behind the real handlers."""
    from tests.harness import start_harness

    harness, application = await start_harness(db_url)
    yield harness
    await application.shutdown()
    await harness.services.db.dispose()


@pytest.fixture(scope="session")
def emulator_server() -> Iterator["Emulator"]:
    """One emulator process for the whole session (Node's start-up is the slow part)."""
    from tests.e2e.emulator import Emulator

    server = Emulator.start()
    yield server
    server.stop()


@pytest.fixture
def tg(request: pytest.FixtureRequest, emulator_server: "Emulator") -> Iterator["EmulatorClient"]:
    """A freshly reset emulator client for the bot token of the test's module (``TOKEN``)."""
    from tests.e2e.emulator import DEFAULT_TOKEN

    client = emulator_server.client(getattr(request.module, "TOKEN", DEFAULT_TOKEN))
    client.reset()
    yield client
    client.close()


@pytest.fixture
def emulator(emulator_server: "Emulator") -> Iterator["EmulatorClient"]:
    """A client on a freshly reset emulator with its default token."""
    client = emulator_server.client()
    client.reset()
    yield client
    client.close()


@pytest.fixture
def start_bot() -> Iterator[Callable[..., subprocess.Popen]]:
    """Starts bot processes (``start_bot(argv, env=None, **popen)``, ``popen`` as for
    ``subprocess.Popen``: ``cwd``, ``stderr``...); stops whatever is still running at teardown."""
    from tests.e2e.emulator import spawn, stop

    processes: list[subprocess.Popen] = []

    def start(argv: Sequence[str], env: Mapping[str, str] | None = None, **popen: Any) -> subprocess.Popen:
        process = spawn(argv, env=dict(env) if env is not None else None, **popen)
        processes.append(process)
        return process

    yield start
    for process in processes:
        stop(process)
