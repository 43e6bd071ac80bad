"""Every word the bot says exists in French, English and Spanish, as valid Telegram HTML."""

import re
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from bot.i18n.catalogs import PLACEHOLDER, problems
from bot.i18n.translation import LOCALES_DIR, SUPPORTED, I18n

ALLOWED_TAGS = {"b", "i", "u", "s", "a", "code", "pre", "blockquote"}


def test_catalogs_complete_and_consistent():
    assert problems() == []


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"tag <{tag}> not allowed by Telegram")
        self.open.append(tag)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if not self.open or self.open.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")


def test_every_message_is_telegram_html():
    for lang in SUPPORTED:
        for path in (LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po"):
            with path.open("rb") as file:
                catalog = read_po(file, locale=lang)
            for message in catalog:
                if not message.id:
                    continue
                texts = [*(message.id if isinstance(message.id, tuple) else (message.id,)),
                         *(message.string if isinstance(message.string, tuple) else (message.string,))]
                for text in filter(None, texts):
                    filled = PLACEHOLDER.sub("x", text)
                    assert not re.search(r"<(?![/a-z])", filled), f"{path}: bare '<' in {text!r}"
                    checker = _TagChecker()
                    checker.feed(filled)
                    assert not checker.errors and not checker.open, f"{path}: {text!r}: {checker.errors}"


def test_translator_escapes_values_and_formats_dates():
    from datetime import datetime, timezone

    t = I18n().translator("es")
    text = t("Name: {name}", name="<script>&")
    assert text == "Nombre: &lt;script&gt;&amp;"
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)
    assert t.datetime(moment, "Europe/Brussels") == "domingo, 29 de marzo de 2026, 01:30 (Bruselas, UTC+01:00)"
    assert t.time(datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc), "Europe/Brussels") == "03:30"
    fr = I18n().translator("fr")
    assert fr.time(moment, "Asia/Kathmandu") == "06:15"
    assert "UTC+05:45" in fr.datetime(moment, "Asia/Kathmandu")


def test_a_message_has_one_translation_across_areas():
    """Catalogs are merged at load: one msgid translated two ways would make one area wrong."""
    for lang in SUPPORTED:
        seen: dict[str, tuple[str, object]] = {}
        for path in sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.po")):
            with path.open("rb") as file:
                catalog = read_po(file, locale=lang)
            for message in catalog:
                if not message.id:
                    continue
                key = message.id if isinstance(message.id, str) else message.id[0]
                if key in seen:
                    other, translation = seen[key]
                    assert translation == message.string, (
                        f"{lang}: {key!r} is {translation!r} in {other} but {message.string!r} in {path.name}")
                else:
                    seen[key] = (path.name, message.string)


def test_update_keeps_translations_of_messages_moved_between_areas(tmp_path, monkeypatch):
    from bot.i18n import catalogs

    (tmp_path / "handlers").mkdir()
    (tmp_path / "handlers" / "alpha.py").write_text('N_("Which meeting?")\n')
    locales = tmp_path / "locales"
    for lang in SUPPORTED:
        (locales / lang / "LC_MESSAGES").mkdir(parents=True)
    (locales / "fr" / "LC_MESSAGES" / "beta.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Which meeting?"\nmsgstr "Quelle réunion ?"\n', encoding="utf-8")
    monkeypatch.setattr(catalogs, "ROOT", tmp_path)
    monkeypatch.setattr(catalogs, "LOCALES_DIR", locales)

    catalogs.update("alpha")

    with (locales / "fr" / "LC_MESSAGES" / "alpha.po").open("rb") as file:
        moved = read_po(file, locale="fr").get("Which meeting?")
    assert moved is not None and moved.string == "Quelle réunion ?"
    with (locales / "es" / "LC_MESSAGES" / "alpha.po").open("rb") as file:
        assert read_po(file, locale="es").get("Which meeting?").string == ""


def test_every_sentence_given_to_a_translator_is_extracted():
    """Extraction knows ``t(...)``, ``N_(...)`` and ``plural``: a literal handed to a translator
    under another name (``ot("...")`` for the owner's language) would never be translated. Such
    sentences must be N_ constants."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    found = []
    for path in [*root.glob("handlers/**/*.py"), *root.glob("bot/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id != "t"
                    and len(node.func.id) <= 3 and node.func.id.endswith("t") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.append(f"{path.relative_to(root)}:{node.lineno} {node.func.id}({node.args[0].value[:40]!r}")
    assert not found, found


def test_french_sentences_keep_their_colon_on_the_line_values_stay_as_typed():
    """French typography once, in the French catalog: a no-break space before : ; ? ! and inside
    « », so a phone never starts a line with the colon; what a member typed is left as typed."""
    t = I18n().translator("fr")
    assert t("Current item: {title}", title="Budget : 2027 ?") == "Point en cours\u00a0: Budget : 2027 ?"
    assert "«\u00a0" in t("<b>The record of meeting #{id} “{title}” is open.</b>", id=1, title="x")
    every = [str(t(message)) for message in ("Which member? {names}", "Not now")]
    assert all(" ?" not in text and " :" not in text for text in every)
    assert I18n().translator("es")("Current item: {title}", title="x") == "Punto en curso: x"


def test_french_places_with_an_article_contract_with_a_and_de():
    t = I18n().translator("fr")
    line = "In {place} it is <b>{clock}</b> ({offset}), {day}."
    assert t(line, place="Le Caire", clock="14:00", offset="UTC+02:00", day="lundi").startswith("Au Caire, il est")
    assert t(line, place="La Paz", clock="14:00", offset="UTC-04:00", day="lundi").startswith("À La Paz, il est")
    assert t("Planned in {zone}: {time}", zone="Les Cayes", time="14:00") == "Heure prévue aux Cayes\u00a0: 14:00"


def test_french_writes_the_first_of_the_month_1er():
    from datetime import date, datetime, timezone

    fr = I18n().translator("fr")
    assert fr.date(date(2026, 12, 1)) == "mardi 1er décembre 2026"
    assert fr.date(date(2026, 12, 11)) == "vendredi 11 décembre 2026"
    assert fr.short_datetime(datetime(2026, 12, 1, 11, 30, tzinfo=timezone.utc), "Europe/Brussels").startswith("mar. 1er déc.")
    assert I18n().translator("es").date(date(2026, 12, 1)) == "martes, 1 de diciembre de 2026"
