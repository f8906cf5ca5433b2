"""When to poll a feed next, and when a failing feed is flagged or paused (pure policy, no I/O)."""

from __future__ import annotations

import datetime as dt

MAX_BACKOFF = dt.timedelta(hours=24)
MAX_AGE_CAP = dt.timedelta(hours=24)
FAILING_AFTER = dt.timedelta(hours=24)
PAUSE_AFTER = dt.timedelta(days=7)
# Polls are spread over up to this share of the interval past it, so feeds added together do not
# stay in lockstep and hit the network (and one host) all at once.
JITTER_SHARE = 0.1


def after_success(
    now: dt.datetime, interval: dt.timedelta, max_age: int | None, spread: float = 0.0
) -> dt.datetime:
    """Next poll after a good fetch: the interval, or longer when the server says its copy stays
    fresh; `spread` in [0, 1) adds that share of the jitter allowance."""
    wait = interval
    if max_age:
        wait = max(interval, _at_most(max_age, MAX_AGE_CAP))
    return now + wait + interval * (JITTER_SHARE * spread)


def after_failure(
    now: dt.datetime, interval: dt.timedelta, failures: int, retry_after: float | None
) -> dt.datetime:
    """Next poll after the `failures`-th failure in a row: doubling waits up to a day, or Retry-After."""
    wait = min(interval * (1 << min(failures, 10)), MAX_BACKOFF)
    if retry_after is not None:
        wait = max(wait, _at_most(retry_after, MAX_BACKOFF))
    return now + wait


def _at_most(seconds: float, cap: dt.timedelta) -> dt.timedelta:
    """`seconds` as a duration no longer than `cap`; a value too large for timedelta is the cap."""
    return cap if not seconds < cap.total_seconds() else dt.timedelta(seconds=max(0.0, seconds))


def health(failing_since: dt.datetime | None, paused: bool, now: dt.datetime) -> str:
    """A one-word state for `feeds list`: ok, retrying, failing (a day of errors) or paused."""
    if paused:
        return "paused"
    if failing_since is None:
        return "ok"
    return "failing" if now - failing_since >= FAILING_AFTER else "retrying"


def should_pause(failing_since: dt.datetime | None, now: dt.datetime) -> bool:
    """A feed that has failed for a week straight stops being polled until a moderator re-adds it."""
    return failing_since is not None and now - failing_since >= PAUSE_AFTER
