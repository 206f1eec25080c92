"""The error a user can fix, raised anywhere (registry, options, distributed night) and reported by the CLI."""

from __future__ import annotations


class UserError(Exception):
    """An error the user can fix; its message is Spanish and names the file, field or URL."""
