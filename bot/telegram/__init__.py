"""The python-telegram-bot application, its update processor and the offline Bot API."""
