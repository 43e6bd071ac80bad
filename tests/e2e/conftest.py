"""Fixtures for end-to-end tests: the Bot API emulator and bot processes run against it."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pytest

from tests.e2e.emulator import Emulator, EmulatorClient, spawn, stop


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[Emulator]:
    """One emulator process for the whole session (node startup is the slow part)."""
    server = Emulator.start()
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server: Emulator) -> Iterator[EmulatorClient]:
    """A client on a freshly reset emulator; give the bot ``emulator.base_url``."""
    client = emulator_server.client()
    client.reset()
    yield client
    client.close()


@pytest.fixture
def start_bot() -> Iterator[Callable[..., subprocess.Popen]]:
    """Starts bot processes (``start_bot(argv, env=None, **popen)``, ``popen`` as for
    ``subprocess.Popen``: ``cwd``, ``stderr``...); stops whatever is still running at teardown."""
    processes: list[subprocess.Popen] = []

    def start(argv: Sequence[str], env: Mapping[str, str] | None = None, **popen: Any) -> subprocess.Popen:
        process = spawn(argv, env=dict(env) if env is not None else None, **popen)
        processes.append(process)
        return process

    yield start
    for process in processes:
        stop(process)
