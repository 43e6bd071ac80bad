"""The locks say what pyproject.toml says: each pinned dependency at the same version, with
hashes (a dependency bumped in one place and not the other would install something else in CI
and in the container than what was tested)."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _locked(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text(encoding="utf-8")
    assert "--hash=sha256:" in text and "file://" not in text and "--find-links" not in text
    return {m.group(1).lower().replace("_", "-"): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+) \\", text, re.M)}


def test_locks_pin_what_pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = _locked("requirements.lock")
    test = _locked("requirements-test.lock")
    for spec, locks in [(d, (base, test)) for d in project["dependencies"]] + \
                       [(d, (test,)) for d in project["optional-dependencies"]["test"]]:
        name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==(\S+)", spec).groups()
        for lock in locks:
            assert lock.get(name.lower().replace("_", "-")) == version, (spec, lock.get(name.lower()))
