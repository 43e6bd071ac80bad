"""The bot is assembled from the areas' declarations: a kind of outbox row without a renderer
stops the start, never a row failed for good weeks later; /help lists what the areas declare."""

import ast
from pathlib import Path

import pytest

import handlers
from bot.bootstrap import OUTBOX_KINDS, build_bot
from handlers import reminders

ROOT = Path(__file__).resolve().parent.parent


def test_every_outbox_kind_has_exactly_one_renderer():
    assert OUTBOX_KINDS <= handlers.all_renderers().keys()


async def test_the_bot_refuses_to_start_when_a_kind_has_no_renderer(bot, monkeypatch):
    without_minutes_reminders = {kind: function for kind, function in reminders.RENDERERS.items()
                                 if kind != "meeting_reminder"}
    monkeypatch.setattr(reminders, "RENDERERS", without_minutes_reminders)
    with pytest.raises(handlers.WiringError, match="meeting_reminder"):
        build_bot(bot.services)


def test_two_areas_rendering_one_kind_is_a_wiring_error(monkeypatch):
    monkeypatch.setattr(reminders, "RENDERERS", {**reminders.RENDERERS, "message": object()})
    with pytest.raises(handlers.WiringError, match="message"):
        handlers.all_renderers()


def _kinds_enqueued() -> set[str]:
    """The constant behind every ``enqueue(..., kind=NAME)`` in the code, by its name."""
    names: set[str] = set()
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/*.py"), *ROOT.glob("storage/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "enqueue":
                for keyword in node.keywords:
                    if keyword.arg == "kind" and isinstance(keyword.value, ast.Name | ast.Attribute):
                        value = keyword.value
                        names.add(value.id if isinstance(value, ast.Name) else value.attr)
    return names - {"kind"}  # a parameter passing one of the constants through


def test_every_kind_the_code_enqueues_is_known_to_the_start_check():
    import bot.bootstrap as bootstrap

    declared = {name for name, value in vars(bootstrap).items() if isinstance(value, str) and value in OUTBOX_KINDS}
    assert _kinds_enqueued() <= declared


async def test_help_lists_the_commands_the_areas_declare_for_that_reader(bot):
    [member_help] = await bot.send("Samy Arokiasamy", "/help")
    assert "/me" in member_help.text and "/lang" in member_help.text
    declared = {spec.name for spec in handlers.all_commands() if spec.access in ("anyone", "member")}
    assert all(f"/{name}:" in member_help.text for name in declared)
