"""Keep the gettext catalogs in step with the code: ``python -m bot.i18n.catalogs update|check``
(``update --domain AREA`` touches only that area's catalogs).

Each ``handlers/<area>.py`` has its own catalog ``<area>.po`` so that work on different
areas never edits the same file; everything else (``bot/``, ``storage/``, ``main.py`` and
``handlers/common.py``) shares ``core.po``.
"""

import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from bot.i18n.translation import LOCALES_DIR, SUPPORTED

ROOT = LOCALES_DIR.parent
KEYWORDS = {"_": None, "N_": None, "t": None, "plural": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _domain_of(path: Path) -> str:
    relative = path.relative_to(ROOT)
    if relative.parts[0] == "handlers" and relative.stem not in ("__init__", "common"):
        return relative.stem
    return "core"


def _sources() -> Iterator[Path]:
    yield ROOT / "main.py"
    for package in ("bot", "handlers", "storage"):
        yield from sorted((ROOT / package).rglob("*.py"))


def extract() -> dict[str, Catalog]:
    """Every translatable message in the code, grouped by catalog."""
    templates: dict[str, Catalog] = {}
    for path in _sources():
        if not path.exists():
            continue
        domain = _domain_of(path)
        template = templates.setdefault(domain, Catalog(domain=domain))
        for line, message, comments, _context in extract_from_file(
            "python", path, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            template.add(message, locations=[(str(path.relative_to(ROOT)), line)],
                         auto_comments=comments)
    return templates


def _po_path(lang: str, domain: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def update(only: str | None = None) -> None:
    """Add new messages to the catalogs (of one area, or all), keep translations, drop removed ones."""
    for domain, template in extract().items():
        if only is not None and domain != only:
            continue
        for lang in SUPPORTED:
            path = _po_path(lang, domain)
            if path.exists():
                with path.open("rb") as file:
                    catalog = read_po(file, locale=lang, domain=domain)
            else:
                catalog = Catalog(locale=lang, domain=domain)
            created = catalog.creation_date
            catalog.update(template, no_fuzzy_matching=True)
            catalog.creation_date = created  # a stable header: diffs show only real changes
            catalog.obsolete.clear()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as file:
                write_po(file, catalog, width=100, omit_header=False, sort_output=False,
                         ignore_obsolete=True, include_lineno=False)


def problems() -> list[str]:
    """Missing, fuzzy or placeholder-mismatched translations, and messages not in catalogs."""
    found: list[str] = []
    for domain, template in extract().items():
        for lang in SUPPORTED:
            path = _po_path(lang, domain)
            if not path.exists():
                found.append(f"{path}: missing catalog (run python -m bot.i18n.catalogs update)")
                continue
            with path.open("rb") as file:
                catalog = read_po(file, locale=lang, domain=domain)
            for message in template:
                if not message.id:
                    continue
                entry = catalog.get(message.id)
                label = f"{path.relative_to(ROOT)}: {message.id!r}"
                if entry is None:
                    found.append(f"{label} is not in the catalog")
                elif lang != "en":
                    found.extend(f"{label} {issue}" for issue in _entry_issues(entry))
    return found


def _entry_issues(entry) -> list[str]:  # type: ignore[no-untyped-def]
    ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    if entry.fuzzy:
        return ["is fuzzy"]
    if not all(strings):
        return ["is not translated"]
    expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
    issues = []
    for text in strings:
        if set(PLACEHOLDER.findall(text)) - expected or (
            len(ids) == 1 and set(PLACEHOLDER.findall(text)) != expected
        ):
            issues.append(f"has placeholders {sorted(PLACEHOLDER.findall(text))}, expected {sorted(expected)}")
    return issues


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update(argv[2] if argv[1:2] == ["--domain"] and len(argv) > 2 else None)
        return 0
    if argv[:1] == ["check"]:
        issues = problems()
        print("\n".join(issues) or "catalogs complete")
        return 1 if issues else 0
    print("usage: python -m bot.i18n.catalogs update [--domain AREA] | check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
