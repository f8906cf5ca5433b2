"""What the scheduler needs from a chat platform: post a reply to a channel and find earlier posts."""

from __future__ import annotations

import re
from typing import Protocol

from briefings.errors import KforError
from briefings.reply_types import ReplyData


class ChannelUnavailable(KforError):
    """The channel is gone or the bot may not post there; retrying will not help until someone acts."""


class PostFailed(KforError):
    """The platform refused or failed this post for a reason that may pass (rate limit, outage)."""


def holds_marker(text: str, marker: str) -> bool:
    """Whether `text` carries `marker` as a whole phrase: "briefing 4" is not in "briefing 42"."""
    return re.search(rf"(?<!\w){re.escape(marker)}(?!\w)", text) is not None


class Publisher(Protocol):
    """One per platform adapter; the scheduler posts daily briefings through it."""

    platform: str

    async def post(self, workspace: str, channel: str, reply: ReplyData) -> str:
        """Send the reply (split as the platform needs) and return the first message's id.

        Raises ChannelUnavailable when the channel is missing or not writable, PostFailed otherwise.
        """
        ...

    async def find_marker(self, workspace: str, channel: str, marker: str) -> str | None:
        """The id of a recent message in the channel whose text or footer holds `marker`, if any."""
        ...
