"""Settings from config.toml and the environment, resolved once into a frozen value (flag > env > file > default).

Every setting declares its type and range beside its default (`_setting`), and one reader checks
them all, so a wrong value is refused with one line naming the key and the file.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import platformdirs

from briefings.errors import KforError

APP_NAME = "kfor-bot"
MIN_POLL_MINUTES = 5
MAX_SHARDS = 65_536
# A store URL with one of these schemes selects PostgreSQL instead of the SQLite file.
DATABASE_SCHEMES = ("postgresql", "postgres")
DATABASE_URL_ENV = "KFOR_BOT_DATABASE_URL"
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
class Rule:
    """What a setting may hold: a range for numbers, a set of choices or URL schemes for text."""

    low: float = -math.inf
    high: float = math.inf
    unit: str = ""
    choices: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    prefix: str = ""
    # A value that may hold a password (a database URL): refused without being shown.
    secret: bool = False
    # A list setting of whole numbers from `low` to `high`, rather than of strings.
    numbers: bool = False


def _setting(default: Any, **rule: Any) -> Any:
    """A dataclass field with its default and its Rule; a tuple default is a list of strings."""
    return field(default=default, metadata={"rule": Rule(**rule)})


@dataclass(frozen=True)
class FeedSettings:
    """How feeds are fetched and polled."""

    poll_interval_minutes: int = _setting(
        15, low=MIN_POLL_MINUTES, high=7 * 24 * 60, unit="minutes"
    )
    poll_concurrency: int = _setting(8, low=1, high=100)
    allow_private_networks: bool = _setting(False)
    max_bytes: int = _setting(10 * 1024 * 1024, low=1024, high=100 * 1024 * 1024, unit="bytes")
    connect_timeout: float = _setting(10.0, low=0.1, high=300, unit="seconds")
    total_timeout: float = _setting(30.0, low=1, high=3600, unit="seconds")
    max_redirects: int = _setting(5, low=0, high=20)

    @property
    def poll_interval(self) -> dt.timedelta:
        """The poll interval as a duration, as the corpus takes it."""
        return dt.timedelta(minutes=self.poll_interval_minutes)


@dataclass(frozen=True)
class DiscordSettings:
    """The Discord adapter: where to sync commands, who moderates, and which endpoints to use."""

    guild_id: int = _setting(0, low=0, high=2**64 - 1)
    moderator_roles: tuple[str, ...] = _setting(())
    api_base: str = _setting("https://discord.com/api/v10", schemes=("http", "https"))
    gateway_url: str = _setting("wss://gateway.discord.gg/", schemes=("ws", "wss"))
    # Sharding, to split the gateway over processes: 0 connects unsharded; otherwise this
    # process runs `shard_ids` (all shards when empty) of `shard_count`.
    shard_count: int = _setting(0, low=0, high=MAX_SHARDS)
    shard_ids: tuple[int, ...] = _setting((), low=0, high=MAX_SHARDS - 1, numbers=True)

    def __post_init__(self) -> None:
        if self.shard_ids and not self.shard_count:
            raise ConfigError("discord.shard_ids needs discord.shard_count, the number of shards")
        outside = [i for i in self.shard_ids if i >= self.shard_count]
        if outside:
            raise ConfigError(
                f"discord.shard_ids must lie from 0 to {self.shard_count - 1} "
                f"(discord.shard_count is {self.shard_count}), not {outside[0]}"
            )
        if len(set(self.shard_ids)) != len(self.shard_ids):
            raise ConfigError("discord.shard_ids names a shard twice")


@dataclass(frozen=True)
class SlackSettings:
    """The Slack adapter: Socket Mode or HTTP mode, who moderates, and which endpoint to use."""

    mode: str = _setting("socket", choices=("socket", "http"))
    host: str = _setting("127.0.0.1")
    port: int = _setting(3000, low=0, high=65535)
    path: str = _setting("/slack/events", prefix="/")
    api_base_url: str = _setting("https://slack.com/api/", schemes=("http", "https"))
    moderator_ids: tuple[str, ...] = _setting(())


@dataclass(frozen=True)
class _Storage:
    db: str = _setting("")
    url: str = _setting("", schemes=DATABASE_SCHEMES, secret=True)
    workspace: str = _setting("local")


@dataclass(frozen=True)
class _Topics:
    files: tuple[str, ...] = _setting(())


@dataclass(frozen=True)
class _Chat:
    cooldown_seconds: float = _setting(10.0, low=0, high=3600, unit="seconds")


@dataclass(frozen=True)
class _Schedule:
    grace_hours: float = _setting(6.0, low=0, high=24, unit="hours")


@dataclass(frozen=True)
class Settings:
    """Everything configurable; tokens are not here: they are read from the environment where used."""

    db: Path = field(default_factory=default_db_path)
    # The PostgreSQL store several processes share; empty for the SQLite file `db`. Kept out of
    # the repr: it may hold a password.
    database_url: str = field(default="", repr=False)
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
    # Empty means unset, as for every other variable (an env file often sets names it leaves blank).
    path = config_path or _path(environ.get("KFOR_BOT_CONFIG")) or default_config_path()
    data = _read_toml(path, required=config_path is not None)
    try:
        return _settings(data, db, environ)
    except ConfigError as exc:
        raise ConfigError(f"config file {path}: {exc}") from None


def _settings(data: dict[str, Any], db: Path | None, environ: Mapping[str, str]) -> Settings:
    sections = {
        "storage": _Storage,
        "feeds": FeedSettings,
        "topics": _Topics,
        "chat": _Chat,
        "schedule": _Schedule,
        "discord": DiscordSettings,
        "slack": SlackSettings,
    }
    unknown = set(data) - set(sections)
    if unknown:
        raise ConfigError(f"unknown section(s): {', '.join(sorted(unknown))}")
    read: dict[str, Any] = {
        name: _typed(kind, _table(data, name), name) for name, kind in sections.items()
    }
    storage: _Storage = read["storage"]
    db_path = db or _path(environ.get("KFOR_BOT_DB")) or _path(storage.db) or default_db_path()
    return Settings(
        db=db_path,
        database_url="" if db else _database_url(environ) or storage.url,
        workspace=storage.workspace,
        feeds=read["feeds"],
        topic_files=tuple(Path(p).expanduser() for p in read["topics"].files),
        cooldown_seconds=read["chat"].cooldown_seconds,
        grace_hours=read["schedule"].grace_hours,
        discord=read["discord"],
        slack=read["slack"],
    )


def _database_url(environ: Mapping[str, str]) -> str:
    """$KFOR_BOT_DATABASE_URL, checked as `[storage] url` is; empty when unset."""
    value = environ.get(DATABASE_URL_ENV, "")
    if not value:
        return ""
    rule: Rule = next(f for f in fields(_Storage) if f.name == "url").metadata["rule"]
    return str(_text(f"${DATABASE_URL_ENV}", value, rule))


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
        raise ConfigError(f"[{name}] must be a table")
    return value


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _typed(kind: type[T], table: dict[str, Any], section: str) -> T:
    """Build a settings dataclass from a TOML table, refusing unknown keys and bad values by name."""
    # Every kind passed is a settings dataclass, which a bare TypeVar cannot say.
    rules = {f.name: f for f in fields(kind)}  # type: ignore[arg-type]
    unknown = set(table) - set(rules)
    if unknown:
        raise ConfigError(f"unknown setting(s) in [{section}]: {', '.join(sorted(unknown))}")
    values = {
        name: _checked(
            f"{section}.{name}", value, rules[name].default, rules[name].metadata["rule"]
        )
        for name, value in table.items()
    }
    return kind(**values)


def _checked(key: str, value: Any, default: Any, rule: Rule) -> Any:
    """The value if it has the default's type and keeps to the rule; else ConfigError naming `key`."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{key} must be true or false, not {_shown(value)}")
        return value
    if isinstance(default, int | float):
        return _number(key, value, rule, whole=isinstance(default, int))
    if isinstance(default, tuple) and rule.numbers:
        if not isinstance(value, list):
            raise ConfigError(f"{key} must be a list of whole numbers, not {_shown(value)}")
        return tuple(_number(key, v, rule, whole=True) for v in value)
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{key} must be a list of strings, not {_shown(value)}")
        return tuple(value)
    return _text(key, value, rule)


def _number(key: str, value: Any, rule: Rule, *, whole: bool) -> int | float:
    kind = "a whole number" if whole else "a number"
    span = f"from {rule.low:g} to {rule.high:g}" + (f" ({rule.unit})" if rule.unit else "")
    wanted = f"{key} must be {kind} {span}"
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if not numeric or (whole and isinstance(value, float)) or not rule.low <= value <= rule.high:
        raise ConfigError(f"{wanted}, not {_shown(value)}")
    return value if whole else float(value)


def _text(key: str, value: Any, rule: Rule) -> str:
    shown = "the value given (not shown: it may hold a password)" if rule.secret else _shown(value)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key} must be a non-empty string, not {shown}")
    if rule.choices and value not in rule.choices:
        options = " or ".join(f'"{c}"' for c in rule.choices)
        raise ConfigError(f"{key} must be {options}, not {shown}")
    if rule.schemes and (urlsplit(value).scheme not in rule.schemes or not urlsplit(value).netloc):
        schemes = " or ".join(f"{s}://" for s in rule.schemes)
        raise ConfigError(f"{key} must be a URL starting with {schemes}, not {shown}")
    if not value.startswith(rule.prefix):
        raise ConfigError(f'{key} must start with "{rule.prefix}", not {shown}')
    return value


def _shown(value: Any) -> str:
    """The offending value as TOML would write it, cut short."""
    text = str(value).lower() if isinstance(value, bool) else repr(value)
    return text if len(text) <= 60 else text[:59] + "…"
