"""Every chat platform the core renders for, by name: the one place a platform is registered.

Rendering, fitting and the reply checker go through `platforms()`, so a platform registered here
(or by `register` from outside the package) is covered everywhere without naming it again.
"""

from __future__ import annotations

from briefings.render.chat import Platform
from briefings.render.platforms.discord import Discord
from briefings.render.platforms.slack import Slack

REGISTRY: dict[str, Platform] = {}


def register(platform: Platform) -> Platform:
    """Add a platform; two under one name would leave it unclear which one an adapter gets."""
    if platform.name in REGISTRY:
        raise ValueError(f"a platform named {platform.name!r} is already registered")
    REGISTRY[platform.name] = platform
    return platform


def platforms() -> list[Platform]:
    """Every registered platform, in the order registered."""
    return list(REGISTRY.values())


def platform(name: str) -> Platform:
    """The platform registered under `name`; a KeyError naming the registered ones if none is."""
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(REGISTRY) or "none"
        raise KeyError(f"no platform named {name!r} is registered (registered: {known})") from None


register(Discord())
register(Slack())
