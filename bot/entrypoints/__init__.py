"""What an operator runs: the offline console and the command-line tools."""
