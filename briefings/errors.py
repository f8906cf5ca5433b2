"""One exception tree for the core, so adapters can turn any failure into a clear one-line message."""


class KforError(Exception):
    """Base of every error the core raises on purpose; its message is fit to show a user."""


class FeedError(KforError):
    """A feed could not be fetched or read."""


class InvalidFeedURL(FeedError):
    """The URL is not one the bot will fetch (scheme, credentials, length, syntax)."""


class BlockedAddress(FeedError):
    """The URL leads to a private, loopback or otherwise internal address."""


class FeedTooLarge(FeedError):
    """The response body exceeded the configured cap."""


class FeedTimeout(FeedError):
    """The server did not answer (or finish answering) in time."""


class FeedHTTPError(FeedError):
    """The server answered with an HTTP error status."""

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class TooManyRedirects(FeedError):
    """More redirects than allowed, or a redirect loop."""


class NotAFeed(FeedError):
    """The document parsed, but it is not RSS, Atom or RDF."""


class UnsafeDocument(FeedError):
    """The document declares entities or is otherwise refused before parsing."""


class RejectedInput(KforError):
    """A local file that cannot be imported (empty, binary, unknown kind)."""


class StoreError(KforError):
    """The database could not be read or written."""


class DatabaseLocked(StoreError):
    """Another process holds the database lock for longer than the busy timeout."""


class DatabaseReadOnly(StoreError):
    """The database file or its directory is not writable."""


class NotFound(KforError):
    """A named thing (feed, schedule, topic) does not exist."""


# How much of what someone typed an error message repeats: enough to recognise it, never so much
# that the message outgrows a chat message (a 4,000-character topic once made an 8,000-character reply).
QUOTE_CHARS = 40


def quoted(text: str, most: int = QUOTE_CHARS) -> str:
    """`text` quoted for an error message, cut to its first `most` characters with "…" and its length."""
    if len(text) <= most:
        return repr(text)
    return f"{text[:most] + '…'!r} ({len(text):,} characters)"
