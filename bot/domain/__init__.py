"""Pure values and rules (slots, times, recurrence, names, lookup): no Telegram, no database."""
