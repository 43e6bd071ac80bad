"""Imports point down the layers only, and handler areas do not import each other.

The layers, from the bottom: ``storage``, ``bot.i18n`` and ``bot.domain`` know nothing above
them, ``bot.input`` reads what members type; ``bot.services`` (use cases) build on those; ``bot.delivery`` and ``bot.telegram`` talk to
the Bot API; ``handlers.common`` (the per-update frame) and ``handlers.shared`` (what several
areas say the same way) sit under the handler areas, which phrase and route and never import
each other; ``bot.bootstrap`` wires; ``bot.entrypoints`` and ``main`` run. See ARCHITECTURE.md.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage")
OURS = (*PACKAGES, "main")
# For each layer, the layers (prefixes of module names) it may import; a module is in the
# layer of the longest prefix that names it.
BASE = {"bot.logsafe", "bot.i18n", "bot.domain", "bot.input", "bot.config", "storage"}
SERVICES = BASE | {"bot.services"}
TELEGRAM = SERVICES | {"bot.delivery", "bot.telegram"}
FRAME = TELEGRAM | {"handlers.common"}
MAY_IMPORT = {
    "bot.logsafe": set(),
    "bot.i18n": {"bot.i18n"},
    "bot.domain": {"bot.domain", "bot.i18n"},
    "bot.input": {"bot.input", "bot.domain", "bot.i18n"},
    "bot.config": {"bot.config", "bot.domain"},
    "storage": {"storage"},
    "bot.services": SERVICES,
    "bot.delivery": SERVICES | {"bot.delivery"},
    "bot.telegram": TELEGRAM,
    "handlers.common": FRAME,
    "handlers.shared": FRAME | {"handlers.shared"},
    "handlers": FRAME | {"handlers.shared"},
    "bot.bootstrap": FRAME | {"handlers"},
    "bot.entrypoints": {"bot", "handlers", "storage"},
    "main": {"bot", "handlers", "storage"},
}
# Third-party packages a layer must not touch: the domain is plain Python, the use cases
# know nothing of Telegram.
FORBIDDEN = {
    "bot.domain": ("telegram", "sqlalchemy"),
    "bot.input": ("telegram", "sqlalchemy"),
    "bot.i18n": ("telegram", "sqlalchemy"),
    "storage": ("telegram",),
    "bot.services": ("telegram",),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Package initialisers that are not a layer's code: ``bot`` is empty, ``handlers`` is the
# ordered list of areas the bootstrap registers.
PACKAGE_INITS = {"bot": set(), "handlers": MAY_IMPORT["handlers"] | {"handlers"}}


def layer_of(module: str, layers) -> str | None:
    candidates = [layer for layer in layers if module == layer or module.startswith(layer + ".")]
    return max(candidates, key=len) if candidates else None


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, lazily or not, with relative imports resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            if module in PACKAGES:  # ``from bot import members``: the submodules are what is used
                names.update(f"{module}.{alias.name}" for alias in node.names)
            else:
                names.add(module)
    return names


def sources() -> list[Path]:
    files = [ROOT / "main.py"]
    for package in ("bot", "handlers", "storage"):
        files += sorted((ROOT / package).rglob("*.py"))
    return [path for path in files if "migrations" not in path.parts]


def violations() -> list[str]:
    found = []
    for path in sources():
        module = module_name(path)
        if module in PACKAGE_INITS:
            layer, allowed = module, PACKAGE_INITS[module]
        else:
            layer = layer_of(module, MAY_IMPORT)
            assert layer is not None, f"{module} is in no layer: add it to MAY_IMPORT"
            allowed = MAY_IMPORT[layer]
        for name in sorted(imported(path)):
            top = name.split(".")[0]
            for forbidden_layer, packages in FORBIDDEN.items():
                if layer == forbidden_layer and top in packages:
                    found.append(f"{module} imports {name}: {layer} must not use {top}")
            if top not in OURS:
                continue
            target = layer_of(name, MAY_IMPORT) or name
            if layer == "handlers" and target == "handlers" and not _same_area(module, name):
                found.append(f"{module} imports {name}: handler areas do not import each other")
            elif target not in allowed and not any(target.startswith(a + ".") for a in allowed):
                found.append(f"{module} imports {name}: {layer} may not import {target}")
    return found


def _same_area(module: str, name: str) -> bool:
    return name == module or name.startswith(module + ".") or module.startswith(name + ".")


def test_imports_point_down_the_layers():
    assert violations() == []


def test_every_module_is_in_a_layer():
    assert all(module_name(path) in PACKAGE_INITS or layer_of(module_name(path), MAY_IMPORT)
               for path in sources())


def test_starting_the_bot_does_not_load_what_it_may_never_use(tmp_path):
    """numpy and Pillow serve the slot search and the chart, icalendar the .ics files, Alembic
    only a schema behind the code, PostgreSQL's dialect only a PostgreSQL bot: loaded at start,
    they cost every bot process ~30 MiB of idle memory. The bot is prepared on a SQLite database
    already at head, as at every restart."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    migrate = f"import asyncio, storage.database as d; asyncio.run(d.Database({url!r}).upgrade())"
    subprocess.run([sys.executable, "-c", migrate], cwd=ROOT, check=True)
    probe = ("import asyncio, sys, main, bot.bootstrap, handlers\n"
             "from bot.config import load_settings\n"
             "async def start():\n"
             f"    services = await bot.bootstrap.prepared_services(load_settings(None, database={{'url': {url!r}}}))\n"
             "    bot.bootstrap.build_bot(services)\n"
             "    await services.db.dispose()\n"
             "asyncio.run(start())\n"
             "print(sorted({'numpy', 'PIL', 'icalendar', 'alembic', 'sqlalchemy.dialects.postgresql'}"
             " & set(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]", loaded.stdout + loaded.stderr
