"""Configuration: file, environment overrides, and one clear line per mistake."""

from datetime import timedelta

import pytest

from bot.config import ConfigError, load_settings
from bot.domain.durations import DurationError, format_duration, parse_duration


def test_defaults_without_file(monkeypatch):
    monkeypatch.delenv("INSPIR_TELEGRAM__TOKEN", raising=False)
    settings = load_settings(None)
    assert settings.database.url == "sqlite+aiosqlite:///inspir.db"
    assert settings.reminders.meeting_offsets == [timedelta(hours=24), timedelta(hours=1)]
    assert settings.committee.languages == ["fr", "en", "es"]


def test_file_then_environment(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text('[committee]\ntimezone = "Asia/Kathmandu"\n[reminders]\naction_offsets = ["2d", "90m"]\n')
    monkeypatch.setenv("INSPIR_DATABASE__URL", "postgresql+asyncpg://u@db/inspir")
    monkeypatch.setenv("INSPIR_TELEGRAM__BASE_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings(path)
    assert settings.committee.timezone == "Asia/Kathmandu"
    assert settings.reminders.action_offsets == [timedelta(days=2), timedelta(minutes=90)]
    assert settings.database.url.startswith("postgresql+asyncpg://")
    assert settings.telegram.base_url == "http://127.0.0.1:8081/bot"


def test_example_configuration_is_valid():
    settings = load_settings(__import__("pathlib").Path("config.example.toml"))
    assert settings.meetings.working_hours == "08:00-20:00"


@pytest.mark.parametrize(("content", "key"), [
    ('[committee]\ntimezone = "Mars/Olympus"', "committee.timezone"),
    ('[reminders]\nmeeting_offsets = ["1x"]', "reminders.meeting_offsets"),
    ('[telegram]\nbase_url = "ftp://example"', "telegram.base_url"),
    ('[database]\nurl = "mysql://x"', "database.url"),
    ('[meetings]\nworking_hours = "25:00-18:00"', "meetings.working_hours"),
    ('[committee]\ndefault_language = "de"', "committee.default_language"),
    ('[committe]\nname = "typo"', "committe"),
])
def test_mistakes_name_the_key(tmp_path, content, key):
    path = tmp_path / "config.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert f"configuration key {key}" in str(error.value)
    assert "\n" not in str(error.value)


def test_environment_mistake_names_the_key(monkeypatch):
    monkeypatch.setenv("INSPIR_COMMITTEE__TIMEZONE", "Nowhere/City")
    with pytest.raises(ConfigError, match="committee.timezone"):
        load_settings(None)


@pytest.mark.parametrize(("text", "expected"), [
    ("2d", timedelta(days=2)), ("24h", timedelta(hours=24)), ("90m", timedelta(minutes=90)),
    ("1h30m", timedelta(minutes=90)), (" 15 m ", timedelta(minutes=15)),
])
def test_durations(text, expected):
    assert parse_duration(text) == expected
    assert parse_duration(format_duration(expected)) == expected


@pytest.mark.parametrize("text", ["1x", "", "0m", "h", "-1h", "1.5h", "24"])
def test_bad_durations(text):
    with pytest.raises(DurationError):
        parse_duration(text)
