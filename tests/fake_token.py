"""Bot tokens for the tests: shaped like Telegram's, so that redaction is really exercised.

They are built at run time so that no token-shaped literal sits in the repository, where a
secret scanner would (rightly) flag it.
"""

BOT_ID = 7_012_345_678


def fake_bot_token(tag: str) -> str:
    """``<bot id>:<35 characters>``, unique per ``tag``."""
    secret = f"AAFakeTokenNeverInLogs_{tag}".ljust(35, "x")[:35]
    return f"{BOT_ID}:{secret}"
