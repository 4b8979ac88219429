"""Exit codes and the usage error shared by every command module."""

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called; the message says how to call it correctly."""
