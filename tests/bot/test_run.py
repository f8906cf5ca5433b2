"""`kfor-bot run` as a whole process, driven end to end on loopback through the platform fakes."""

import asyncio
import datetime as dt
import os
import re
import signal
import socket
import sys
from urllib.parse import urlencode

import aiohttp
import pytest

from briefings.corpus import open_corpus
from tests.bot.test_slack import SECRET, signed
from tests.conftest import REPO_ROOT
from tests.fakes.discord_server import BOT_TOKEN as DISCORD_TOKEN
from tests.fakes.discord_server import GUILD_ID, FakeDiscord
from tests.fakes.slack_api import BOT_TOKEN, TEAM, FakeSlack

# Start-up warnings that do not concern a user of this bot: voice libraries it never uses, and
# slack-bolt noting that SLACK_BOT_TOKEN is unused while the client it is given carries it.
NOISE = re.compile(r"PyNaCl|davey|voice will NOT|will be unused")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def start(tmp_path, config: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    (tmp_path / "config.toml").write_text(config)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--db", str(tmp_path / "kfor.sqlite3"),
        "--config", str(tmp_path / "config.toml"), "run",
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **env},
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def read_until(stream: asyncio.StreamReader, needle: str, seen: list[str]) -> None:
    while not any(needle in line for line in seen):
        line = await asyncio.wait_for(stream.readline(), 60)
        if not line:
            raise AssertionError(f"process ended before {needle!r}:\n" + "".join(seen))
        seen.append(line.decode())


async def test_run_serves_slack_commands_and_stops_cleanly_on_sigterm(tmp_path):
    port = free_port()
    async with FakeSlack() as fake:
        fake.add_user("U0MEMBER")
        fake.add_channel("C0NEWS")
        config = (
            f'[slack]\nmode = "http"\nport = {port}\napi_base_url = "{fake.api_url}"\n'
            "[chat]\ncooldown_seconds = 0\n"
        )
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET}
        process = await start(tmp_path, config, env)
        seen: list[str] = []
        try:
            await read_until(process.stderr, "scheduler started", seen)
            body = urlencode(
                {
                    "team_id": TEAM, "channel_id": "C0NEWS", "user_id": "U0MEMBER",
                    "command": "/kfor", "text": "status",
                    "response_url": fake.response_url("r1"), "trigger_id": "t1",
                }
            )  # fmt: skip
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    f"http://127.0.0.1:{port}/slack/events",
                    data=body,
                    headers={**signed(body), "Content-Type": "application/x-www-form-urlencoded"},
                ) as response,
            ):
                assert response.status == 200
            for _ in range(300):
                if fake.responses["r1"]:
                    break
                await asyncio.sleep(0.05)
            [answer] = fake.responses["r1"]
            assert answer["response_type"] == "in_channel"
            assert "4,500" in str(answer["blocks"])
        finally:
            process.send_signal(signal.SIGTERM)
            rest = await asyncio.wait_for(process.stderr.read(), 60)
            seen.append(rest.decode())
            code = await process.wait()
    log = "".join(seen)
    assert code == 0, log
    assert "slack adapter started" in log
    assert "stopped" in log
    assert BOT_TOKEN not in log
    assert SECRET not in log
    assert not [line for line in log.splitlines() if NOISE.search(line)], log


async def test_run_without_credentials_says_what_to_set(tmp_path):
    env = dict.fromkeys(("DISCORD_TOKEN", "SLACK_BOT_TOKEN"), "")
    process = await start(tmp_path, "", env)
    stderr = (await asyncio.wait_for(process.stderr.read(), 60)).decode()
    assert await process.wait() == 1
    assert "no chat adapter could start: set DISCORD_TOKEN" in stderr


async def test_a_platform_that_fails_to_start_is_logged_without_its_token(tmp_path):
    port = free_port()
    secret_token = "xoxb-this-token-must-not-leak"
    config = f'[slack]\nmode = "http"\nport = {port}\napi_base_url = "http://127.0.0.1:9/api/"\n'
    env = {"SLACK_BOT_TOKEN": secret_token, "SLACK_APP_TOKEN": "", "DISCORD_TOKEN": ""}
    process = await start(tmp_path, config, env)
    stderr = (await asyncio.wait_for(process.stderr.read(), 60)).decode()
    assert await process.wait() == 1
    assert "slack adapter did not start" in stderr
    assert "SLACK_SIGNING_SECRET" in stderr
    assert secret_token not in stderr


async def test_run_connects_to_discord_syncs_commands_and_stops_cleanly(tmp_path):
    async with FakeDiscord() as fake:
        config = (
            f'[discord]\nguild_id = {GUILD_ID}\napi_base = "{fake.api_base}"\n'
            f'gateway_url = "{fake.gateway_url}"\n'
        )
        process = await start(
            tmp_path, config, {"DISCORD_TOKEN": DISCORD_TOKEN, "SLACK_BOT_TOKEN": ""}
        )
        seen: list[str] = []
        try:
            await read_until(process.stderr, "scheduler started", seen)
            synced = fake.calls_to("PUT", f"/guilds/{GUILD_ID}/commands")
        finally:
            process.send_signal(signal.SIGTERM)
            seen.append((await asyncio.wait_for(process.stderr.read(), 60)).decode())
            code = await process.wait()
    log = "".join(seen)
    assert code == 0, log
    assert "discord adapter started" in log
    assert synced, "the /kfor commands were synced to the configured guild"
    assert DISCORD_TOKEN not in log
    assert not [line for line in log.splitlines() if NOISE.search(line)], log


async def test_a_discord_token_discord_refuses_is_named_and_nothing_is_left_open(tmp_path):
    async with FakeDiscord() as fake:
        config = f'[discord]\napi_base = "{fake.api_base}"\ngateway_url = "{fake.gateway_url}"\n'
        env = {"DISCORD_TOKEN": "wrong-discord-token", "SLACK_BOT_TOKEN": ""}
        process = await start(tmp_path, config, env)
        stderr = (await asyncio.wait_for(process.stderr.read(), 60)).decode()
        code = await process.wait()
    assert code == 1
    assert "error: no chat adapter could start; discord: Discord refused DISCORD_TOKEN" in stderr
    assert "set DISCORD_TOKEN" not in stderr
    assert "Unclosed" not in stderr  # the aiohttp connector of the failed login
    assert "wrong-discord-token" not in stderr
    assert not NOISE.search(stderr), stderr


async def test_a_slack_app_token_slack_refuses_ends_the_start_at_once(tmp_path):
    async with FakeSlack() as fake:
        config = f'[slack]\nmode = "socket"\napi_base_url = "{fake.api_url}"\n'
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-wrong", "DISCORD_TOKEN": ""}
        process = await start(tmp_path, config, env)
        stderr = (await asyncio.wait_for(process.stderr.read(), 20)).decode()
        code = await process.wait()
    assert code == 1
    assert "error: no chat adapter could start; slack: Slack refused SLACK_APP_TOKEN" in stderr
    assert "(invalid_auth)" in stderr
    assert "Socket Mode connection within" not in stderr
    assert "Traceback" not in stderr
    assert "Unclosed" not in stderr
    assert not NOISE.search(stderr), stderr


@pytest.mark.parametrize(("grace_hours", "outcome"), [(10, "sent to slack"), (6, "skipped")])
async def test_run_reads_the_grace_for_a_briefing_missed_while_down_from_the_config(
    tmp_path, grace_hours, outcome
):
    """A channel's 8-hour-old briefing is sent on start with `grace_hours = 10`, skipped with 6."""
    now = dt.datetime.now(dt.UTC)
    due = now - dt.timedelta(hours=8)
    async with open_corpus(tmp_path / "kfor.sqlite3") as corpus:
        await corpus.schedules.set_schedule(
            workspace=TEAM, platform="slack", channel="C0NEWS",
            local_time=f"{due:%H:%M}", timezone="UTC", topics=(), actor="U0MOD",
            now=(now - dt.timedelta(days=2)).isoformat(timespec="seconds"),
        )  # fmt: skip
    async with FakeSlack() as fake:
        fake.add_channel("C0NEWS")
        config = (
            f'[slack]\nmode = "http"\nport = {free_port()}\napi_base_url = "{fake.api_url}"\n'
            f"[schedule]\ngrace_hours = {grace_hours}\n"
        )
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET}
        process = await start(tmp_path, config, env)
        seen: list[str] = []
        try:
            await read_until(process.stderr, "slack channel C0NEWS", seen)
        finally:
            process.send_signal(signal.SIGTERM)
            seen.append((await asyncio.wait_for(process.stderr.read(), 60)).decode())
            assert await process.wait() == 0, "".join(seen)
        posts = fake.calls_to("chat.postMessage")
    log = "".join(seen)
    assert outcome in log
    assert len(posts) == (1 if grace_hours == 10 else 0)
    if grace_hours == 6:
        assert "h late (grace 6 h)" in log
