"""What members type, read into values: each reader returns the value or None, and the handler
says why in the reader's language, quoting the bounds defined here."""
