"""`kfor-bot run`: start every chat adapter that has credentials, plus the scheduler, until SIGTERM."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
import signal
from collections.abc import Mapping
from typing import Any, Protocol

from bot.assemble import configured_corpus
from bot.config import ConfigError, Settings
from bot.discord_app import start_discord
from bot.publish import Publisher
from bot.scheduler import Scheduler
from bot.service import Service
from bot.slack_app import start_slack

log = logging.getLogger("kfor-bot")
SECRET_NAMES = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


class Adapter(Protocol):
    """What run needs of a started adapter: its publisher for the scheduler, and a way to stop."""

    publisher: Publisher

    async def close(self) -> None:
        """Stop taking commands and disconnect."""


def secrets_in(env: Mapping[str, str]) -> list[str]:
    """The token and secret values set in the environment, long enough to be told from text."""
    return [env[name] for name in SECRET_NAMES if len(env.get(name) or "") >= 4]


def masked(text: str, secrets: list[str]) -> str:
    """The text with every secret replaced by "[redacted]"."""
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return text


class RedactSecrets(logging.Filter):
    """Replaces any token or secret value in a log record, whatever library wrote it."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with every secret masked."""
        record.msg, record.args = masked(record.getMessage(), self.secrets), None
        if record.exc_info:
            exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = masked(exc_text, self.secrets)
            record.exc_info = None
        return True


def configure_logging(env: Mapping[str, str]) -> None:
    """One line per event on stderr, with every token from the environment masked."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets_in(env)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


async def run(settings: Settings, env: Mapping[str, str]) -> None:
    """Serve until SIGTERM or SIGINT; ConfigError when no adapter can start.

    The signal handlers go in first, so a SIGTERM during start-up still shuts down in order.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await _serve(settings, env, stop)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
    log.info("stopped")


async def _serve(settings: Settings, env: Mapping[str, str], stop: asyncio.Event) -> None:
    async with configured_corpus(settings) as corpus:
        if await corpus.rules_outdated():
            log.warning(
                "stored articles were derived under older rules; run "
                "`kfor-bot rederive` to apply this version's cleaning, topics and facts to them"
            )
        service = Service(corpus, cooldown_seconds=settings.cooldown_seconds)
        adapters = await _start_adapters(service, settings, env)
        scheduler = Scheduler(
            corpus,
            [adapter.publisher for adapter in adapters],
            grace=dt.timedelta(hours=settings.grace_hours),
        )
        service.on_schedules_changed = scheduler.reload
        await scheduler.start()
        log.info("scheduler started")
        freeze_start_up()
        try:
            await stop.wait()
        finally:
            log.info("shutting down")
            await scheduler.shutdown()
            for adapter in adapters:
                await adapter.close()


def freeze_start_up() -> None:
    """Keep what start-up built (modules, topic profiles, the chat clients) out of the garbage
    collector's full passes: it lives as long as the process, and walking it again paused the
    event loop for about 20 ms at a time, often in the middle of a command."""
    gc.freeze()


async def _start_adapters(
    service: Service, settings: Settings, env: Mapping[str, str]
) -> list[Adapter]:
    adapters: list[Adapter] = []
    starters: list[tuple[str, Any]] = []
    if env.get("DISCORD_TOKEN"):
        starters.append(("discord", start_discord(service, settings, env["DISCORD_TOKEN"])))
    if env.get("SLACK_BOT_TOKEN"):
        starters.append(("slack", start_slack(service, settings.slack, env)))
    refusals: list[str] = []
    for name, starting in starters:
        try:
            adapters.append(await starting)
        except Exception as exc:  # one platform failing must not stop the others
            log.error("%s adapter did not start: %s", name, exc)  # no traceback: it may hold tokens
            refusals.append(masked(f"{name}: {exc}", secrets_in(env)))
            continue
        log.info("%s adapter started", name)
    if adapters:
        return adapters
    if refusals:
        raise ConfigError(f"no chat adapter could start; {'; '.join(refusals)}")
    raise ConfigError(
        "no chat adapter could start: set DISCORD_TOKEN, or SLACK_BOT_TOKEN with "
        "SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)"
    )
