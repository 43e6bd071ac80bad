"""What every handler may use, built once at start and kept in ``bot_data["services"]``."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.config import Settings
from bot.i18n.translation import I18n, now_utc
from storage.database import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    i18n: I18n
    clock: Callable[[], datetime] = field(default=now_utc)
