"""Configuration: ``config.toml`` overridden by ``INSPIR_<SECTION>__<KEY>`` variables.

The key names are an interface operators rely on; keep them stable. Everything is
validated at start so that a typo stops the program with one line naming the key.
"""

import os
import re
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings import TomlConfigSettingsSource
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.domain.durations import parse_duration

Language = Literal["fr", "en", "es"]
LANGUAGES: tuple[str, ...] = ("fr", "en", "es")
DEFAULT_CONFIG = Path("config.toml")


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown IANA time zone {name!r}") from error
    return name


def parse_hours(text: str) -> tuple[time, time]:
    """Parse working hours such as ``08:00-18:00`` (the end may be before the start: night shifts)."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", str(text))
    if not match:
        raise ValueError(f"working hours must look like 08:00-18:00, not {text!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError as error:
        raise ValueError(f"working hours must look like 08:00-18:00, not {text!r}") from error
    if start == end:
        raise ValueError(f"working hours must not be empty: {text!r}")
    return start, end


def _hours(text: str) -> str:
    parse_hours(text)
    return text.strip()


def _duration(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    return parse_duration(str(value))


def _http_url(url: str) -> str:
    if url and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", url):
        raise ValueError(f"not an http(s) URL: {url!r}")
    return url


def _database_url(url: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ValueError(f"not a database URL: {error}") from None
    if parsed.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise ValueError("use sqlite+aiosqlite:///file.db or postgresql+asyncpg://user@host/db")
    return url


Zone = Annotated[str, AfterValidator(_zone)]
Hours = Annotated[str, AfterValidator(_hours)]
Duration = Annotated[timedelta, BeforeValidator(_duration)]


def _webhook_url(url: str) -> str:
    """https, except plain http to this machine (tests, or a proxy on the same host)."""
    if not url:
        return url
    match = re.fullmatch(r"(https?)://(\[[^\]\s/]+\]|[^\s/:@]+)(:\d{1,5})?(/\S*)?", url)
    if not match:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if match.group(1) == "http" and match.group(2).lower() not in ("127.0.0.1", "localhost", "[::1]"):
        raise ValueError("Telegram delivers webhooks over https only: use https://... "
                         "(plain http is accepted for 127.0.0.1 and localhost only)")
    return url


def _webhook_secret(secret: SecretStr) -> SecretStr:
    value = secret.get_secret_value()
    if value and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
        # The value itself is never repeated: it is a secret.
        raise ValueError("1 to 256 characters among A-Z, a-z, 0-9, _ and - (as Telegram requires)")
    return secret


def _listen_address(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9.:_-]{1,253}", text):
        raise ValueError(f"an IP address or host name to listen on, e.g. 127.0.0.1, not {text!r}")
    return text


class TelegramSettings(BaseModel):
    token: SecretStr = SecretStr("")
    base_url: Annotated[str, AfterValidator(_http_url)] = ""
    # Webhook mode (``main.py run --webhook``): the public URL Telegram posts to, the local
    # address and port the bot's own HTTP server listens on behind the TLS proxy, and the
    # secret Telegram sends back in X-Telegram-Bot-Api-Secret-Token.
    webhook_url: Annotated[str, AfterValidator(_webhook_url)] = ""
    webhook_listen: Annotated[str, AfterValidator(_listen_address)] = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: Annotated[SecretStr, AfterValidator(_webhook_secret)] = SecretStr("")


class DatabaseSettings(BaseModel):
    url: Annotated[str, AfterValidator(_database_url)] = "sqlite+aiosqlite:///inspir.db"


class CommitteeSettings(BaseModel):
    name: str = "INSP!R intercontinental steering committee"
    timezone: Zone = "Europe/Brussels"
    default_language: Language = "en"
    languages: list[Language] = Field(default_factory=lambda: list(LANGUAGES), min_length=1)
    # The committee group reads the posts meant for everyone (announcements, agendas, the record's
    # attendance and votes) in these languages, one block each, the default language first.
    group_languages: list[Language] = Field(default_factory=lambda: list(LANGUAGES), min_length=1)
    # A member's first message links their Telegram account by the roster's telegram_username;
    # usernames can change hands, so the chair is told each time. False: invitations only.
    link_by_username: bool = True


class MeetingsSettings(BaseModel):
    working_hours: Hours = "08:00-20:00"


WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(text: str) -> str:
    day = str(text).strip().lower()
    if day not in WEEKDAYS:
        raise ValueError(f"a day of the week in English (monday ... sunday), not {text!r}")
    return day


def _clock_time(text: str) -> str:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(text))
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f"a time of day such as 09:00, not {text!r}")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


class RemindersSettings(BaseModel):
    meeting_offsets: list[Duration] = Field(default_factory=lambda: [timedelta(hours=24), timedelta(hours=1)])
    action_offsets: list[Duration] = Field(default_factory=lambda: [timedelta(hours=48)])
    digest_day: Annotated[str, AfterValidator(_weekday)] = "monday"
    digest_time: Annotated[str, AfterValidator(_clock_time)] = "09:00"


class OperatorSettings(BaseModel):
    """Whoever runs the bot: a Telegram chat (their own, or an operators' group; the bot must be
    able to write there) that gets one message per kind of failure per hour. None: the log only."""

    chat_id: int | None = None
    language: Language = "en"
    sentry_dsn: SecretStr = SecretStr("")  # errors to Sentry too, without personal data (optional)


class HealthSettings(BaseModel):
    """What ``main.py health --running`` tolerates: the bot beats every 30 s."""

    heartbeat_stale: Duration = timedelta(minutes=2)
    outbox_lag: Duration = timedelta(minutes=10)


def _at_least(minimum: timedelta):  # type: ignore[no-untyped-def]
    def check(value: timedelta) -> timedelta:
        if value < minimum:
            raise ValueError(f"must be at least {minimum.days} days")
        return value
    return AfterValidator(check)


class RetentionSettings(BaseModel):
    """How long the bot keeps what it needs only for a while (the committee's record, the roster
    and its audit trail are kept until the committee deletes them). The floors keep what the
    bot's guarantees need: Telegram redelivers an update for about a day; a delivered message's
    row stops it being planned again while its meeting or action is still ahead."""

    processed_updates: Annotated[Duration, _at_least(timedelta(days=2))] = timedelta(days=30)
    delivered_messages: Annotated[Duration, _at_least(timedelta(days=30))] = timedelta(days=90)
    invitations: Annotated[Duration, _at_least(timedelta(days=1))] = timedelta(days=30)


class LoggingSettings(BaseModel):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="INSPIR_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    committee: CommitteeSettings = Field(default_factory=CommitteeSettings)
    meetings: MeetingsSettings = Field(default_factory=MeetingsSettings)
    reminders: RemindersSettings = Field(default_factory=RemindersSettings)
    health: HealthSettings = Field(default_factory=HealthSettings)
    operator: OperatorSettings = Field(default_factory=OperatorSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _CONFIG_FILE.get("path")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


_CONFIG_FILE: dict[str, Path | None] = {}


class ConfigError(Exception):
    """A configuration problem, phrased as one line that names the key."""


def config_path(explicit: str | None) -> Path | None:
    """``--config`` wins, then ``INSPIR_CONFIG``, then ``config.toml`` if present."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get("INSPIR_CONFIG"):
        path = Path(os.environ["INSPIR_CONFIG"])
    elif DEFAULT_CONFIG.exists():
        return DEFAULT_CONFIG
    else:
        return None
    if not path.is_file():
        raise ConfigError(f"configuration file not found: {path}")
    return path


def load_settings(path: Path | None = None, **overrides: object) -> Settings:
    """Read and validate the configuration; raise :class:`ConfigError` with one clear line."""
    _CONFIG_FILE["path"] = path
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"] if not isinstance(part, int))
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"configuration key {key}: {message}") from None
    except ValueError as error:  # malformed TOML
        raise ConfigError(f"configuration file {path}: {error}") from None
    finally:
        _CONFIG_FILE.pop("path", None)
