"""The outbox dispatcher and the Bot API sends it makes."""
