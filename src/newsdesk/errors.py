"""Every error newsdesk raises on purpose descends from :class:`NewsdeskError`.

Each stage has its own subclass so a caller (the CLI, the web app, a batch
run) can tell *where* something went wrong, and every message names the stage
and says what the user can do about it, in the style
``extract: page has no article text (only 12 words after removing navigation)``.
Anything that is not a ``NewsdeskError`` is a bug and is re-raised.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Root of all newsdesk errors; ``str(err)`` is one line a user can act on."""

    stage = "newsdesk"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        text = f"{self.stage}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        # One line, whatever a driver's message holds (psycopg's span two).
        return " ".join(text.split())


class ConfigError(NewsdeskError):
    """A setting is missing, malformed or unsafe."""

    stage = "config"


class InputError(NewsdeskError):
    """What the user handed us cannot be read: empty, binary, too large, missing."""

    stage = "input"


class FetchError(NewsdeskError):
    """A URL could not be fetched: network failure, HTTP error, limits, SSRF guard."""

    stage = "fetch"


class BlockedURLError(FetchError):
    """The SSRF guard refused an address (private, loopback, metadata...)."""


class FeedError(NewsdeskError):
    """A feed could not be parsed at all."""

    stage = "feeds"


class ExtractionError(NewsdeskError):
    """A page was read but holds no article we can extract."""

    stage = "extract"


class UnderstandError(NewsdeskError):
    """The language pipeline is unavailable or failed on a text."""

    stage = "understand"


class StoryError(NewsdeskError):
    stage = "stories"


class StoreError(NewsdeskError):
    """The database is unreachable, not migrated, or refused a write."""

    stage = "store"


class NotFoundError(StoreError):
    """A record the user named does not exist (or is not theirs)."""


class FollowError(NewsdeskError):
    stage = "follow"


class AuthError(NewsdeskError):
    stage = "auth"


class BriefError(NewsdeskError):
    stage = "brief"
