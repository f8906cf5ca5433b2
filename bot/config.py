"""Settings from config.toml and the environment, resolved once into a frozen value (flag > env > file > default)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from briefings.errors import KforError

APP_NAME = "kfor-bot"
MIN_POLL_MINUTES = 5
T = TypeVar("T")


class ConfigError(KforError):
    """The config file is missing, unreadable or holds a bad value."""


def default_config_path() -> Path:
    """Where `kfor-bot run` looks for config.toml when --config is not given."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_db_path() -> Path:
    """The database in the user's data directory."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "kfor.sqlite3"


@dataclass(frozen=True)
class FeedSettings:
    """How feeds are fetched and polled."""

    poll_interval_minutes: int = 15
    poll_concurrency: int = 8
    allow_private_networks: bool = False
    max_bytes: int = 10 * 1024 * 1024
    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_redirects: int = 5


@dataclass(frozen=True)
class DiscordSettings:
    """The Discord adapter: where to sync commands, who moderates, and which endpoints to use."""

    guild_id: int = 0
    moderator_roles: tuple[str, ...] = ()
    api_base: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"


@dataclass(frozen=True)
class SlackSettings:
    """The Slack adapter: Socket Mode or HTTP mode, who moderates, and which endpoint to use."""

    mode: str = "socket"
    host: str = "127.0.0.1"
    port: int = 3000
    path: str = "/slack/events"
    api_base_url: str = "https://slack.com/api/"
    moderator_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Everything configurable; tokens are not here: they are read from the environment where used."""

    db: Path = field(default_factory=default_db_path)
    workspace: str = "local"
    feeds: FeedSettings = field(default_factory=FeedSettings)
    topic_files: tuple[Path, ...] = ()
    cooldown_seconds: float = 10.0
    grace_hours: float = 6.0
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)


def load_settings(
    config_path: Path | None = None,
    *,
    db: Path | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    """Read the config file (if any) and apply the environment and command-line overrides."""
    path = config_path or Path(environ.get("KFOR_BOT_CONFIG", default_config_path()))
    data = _read_toml(path, required=config_path is not None)
    storage = _table(data, "storage")
    feeds = _typed(FeedSettings, _table(data, "feeds"), "feeds")
    chat = _table(data, "chat")
    discord = _typed(DiscordSettings, _table(data, "discord"), "discord")
    slack = _typed(SlackSettings, _table(data, "slack"), "slack")
    if slack.mode not in ("socket", "http"):
        raise ConfigError('slack.mode must be "socket" or "http"')
    _check_feeds(feeds)
    topics = _table(data, "topics")
    db_path = (
        db or _path(environ.get("KFOR_BOT_DB")) or _path(storage.get("db")) or default_db_path()
    )
    return Settings(
        db=db_path,
        workspace=str(storage.get("workspace", "local")),
        feeds=feeds,
        topic_files=tuple(Path(p).expanduser() for p in _list(topics, "files")),
        cooldown_seconds=float(chat.get("cooldown_seconds", 10.0)),
        grace_hours=_grace_hours(_table(data, "schedule")),
        discord=discord,
        slack=slack,
    )


def _read_toml(path: Path, *, required: bool) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        if required:
            raise ConfigError(f"config file {path} not found") from exc
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{name}] in the config must be a table")
    return value


def _list(table: dict[str, Any], key: str) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{key} in the config must be a list")
    return value


def _path(value: object) -> Path | None:
    return Path(str(value)).expanduser() if value else None


def _typed(kind: type[T], table: dict[str, Any], section: str) -> T:
    """Build a settings dataclass from a TOML table, refusing unknown keys and wrong types by name."""
    defaults = kind()
    known = {f.name: getattr(defaults, f.name) for f in fields(kind)}  # type: ignore[arg-type]
    unknown = set(table) - set(known)
    if unknown:
        raise ConfigError(f"unknown setting(s) in [{section}]: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, value in table.items():
        default = known[name]
        if isinstance(default, tuple):
            if not isinstance(value, list):
                raise ConfigError(f"{section}.{name} must be a list")
            value = tuple(str(v) for v in value)
        elif isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif type(value) is not type(default):
            raise ConfigError(f"{section}.{name} must be {type(default).__name__}, not {value!r}")
        values[name] = value
    return kind(**values)


def _grace_hours(table: dict[str, Any]) -> float:
    unknown = set(table) - {"grace_hours"}
    if unknown:
        raise ConfigError(f"unknown setting(s) in [schedule]: {', '.join(sorted(unknown))}")
    value = table.get("grace_hours", 6.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError(f"schedule.grace_hours must be a number of hours, not {value!r}")
    return float(value)


def _check_feeds(settings: FeedSettings) -> None:
    if settings.poll_interval_minutes < MIN_POLL_MINUTES:
        raise ConfigError(f"feeds.poll_interval_minutes must be at least {MIN_POLL_MINUTES}")
    if settings.max_bytes <= 0 or settings.max_redirects < 0 or settings.poll_concurrency < 1:
        raise ConfigError("feeds.max_bytes, max_redirects and poll_concurrency must be positive")
