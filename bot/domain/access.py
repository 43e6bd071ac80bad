"""Who may do what, and which language a reader gets: pure rules, no Telegram, no database."""

from bot.i18n.translation import SUPPORTED

LEVELS = {"member": 0, "secretariat": 1, "chair": 2}


def has_access(level: str | None, required: str) -> bool:
    """``chair`` ⊃ ``secretariat`` ⊃ ``member``; an unknown level grants nothing."""
    return level in LEVELS and LEVELS[level] >= LEVELS[required]


def default_access(roles: list[str]) -> str:
    """A member titled chair gets chair access; everyone else starts as a plain member."""
    return "chair" if any(role.strip().lower() == "chair" for role in roles) else "member"


def choose_language(chosen: str | None, roster: str | None, telegram: str | None, default: str) -> str:
    """Own choice (``/lang``), else the roster's, else Telegram's when supported, else default."""
    for candidate in (chosen, roster, (telegram or "")[:2].lower()):
        if candidate in SUPPORTED:
            return candidate
    return default
