import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings
from tests.conftest import REPO_ROOT


def test_the_example_config_documents_exactly_the_defaults():
    from_example = load_settings(REPO_ROOT / "config.example.toml", environ={})
    assert dataclasses.replace(from_example, db=Settings().db) == Settings()


def test_flag_beats_environment_beats_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[storage]\ndb = "/from/file.sqlite3"\n')
    assert load_settings(config, environ={}).db == Path("/from/file.sqlite3")
    env = {"KFOR_BOT_DB": "/from/env.sqlite3"}
    assert load_settings(config, environ=env).db == Path("/from/env.sqlite3")
    assert load_settings(config, db=Path("/flag.sqlite3"), environ=env).db == Path("/flag.sqlite3")


@pytest.mark.parametrize(
    ("toml", "complaint"),
    [
        ("[feeds]\npoll_interval_minutes = 2\n", "poll_interval_minutes must be .* from 5 to"),
        ("[feeds]\npol_interval = 20\n", "unknown setting"),
        ('[feeds]\nmax_bytes = "big"\n', "feeds.max_bytes must be a whole number .*, not 'big'"),
        ('[slack]\nmode = "carrier-pigeon"\n', "slack.mode"),
        ("[discord\n", "not valid TOML"),
        ('[discord]\nmoderator_roles = "mods"\n', "must be a list"),
    ],
)
def test_bad_settings_are_refused_by_name(tmp_path, toml, complaint):
    config = tmp_path / "config.toml"
    config.write_text(toml)
    with pytest.raises(ConfigError, match=complaint):
        load_settings(config, environ={})


def test_shard_settings_are_read_as_whole_numbers(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[discord]\nshard_count = 3\nshard_ids = [2, 0]\n")
    discord = load_settings(config, environ={}).discord
    assert (discord.shard_count, discord.shard_ids) == (3, (2, 0))


def test_a_named_config_file_must_exist_but_the_default_may_not(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml", environ={})
    assert load_settings(environ={"KFOR_BOT_CONFIG": str(tmp_path / "absent.toml")}) == Settings()


def test_an_empty_config_variable_means_the_default_file(tmp_path, monkeypatch):
    """`KFOR_BOT_CONFIG=` in an env file reads the default config file, as if it were unset; it
    used to read the current folder as the config file and stop."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "kfor-bot").mkdir()
    (tmp_path / "kfor-bot" / "config.toml").write_text('[storage]\ndb = "/from/default.sqlite3"\n')
    assert load_settings(environ={"KFOR_BOT_CONFIG": ""}).db == Path("/from/default.sqlite3")


def test_tokens_are_not_settings():
    names = {f.name for f in dataclasses.fields(Settings)}
    assert not any("token" in n or "secret" in n for n in names)


@pytest.mark.parametrize(
    ("toml", "complaint"),
    [
        (
            '[chat]\ncooldown_seconds = "x"\n',
            "chat.cooldown_seconds must be a number from 0 to 3600",
        ),
        ("[chat]\ncooldown_seconds = []\n", "chat.cooldown_seconds must be a number"),
        ("[chat]\ncooldown_seconds = true\n", "chat.cooldown_seconds must be a number"),
        ("[topics]\nfiles = [5]\n", r"topics.files must be a list of strings, not \[5\]"),
        ("[storage]\ndb = 5\n", "storage.db must be a non-empty string, not 5"),
        ("[storage]\nworkspace = []\n", r"storage.workspace must be a non-empty string, not \[\]"),
        ("[feeds]\ntotal_timeout = inf\n", "feeds.total_timeout must be a number from 1 to 3600"),
        ("[feeds]\ntotal_timeout = nan\n", "feeds.total_timeout must be .*, not nan"),
        ("[feeds]\ntotal_timeout = -1\n", "feeds.total_timeout must be .*, not -1"),
        ("[feeds]\ntotal_timeout = 0\n", "feeds.total_timeout must be .*, not 0"),
        ("[feeds]\nconnect_timeout = 0\n", "feeds.connect_timeout must be"),
        ("[feeds]\npoll_concurrency = 2.5\n", "feeds.poll_concurrency must be a whole number"),
        ("[feeds]\nallow_private_networks = 1\n", "must be true or false, not 1"),
        ("[schedule]\ngrace_hours = -1\n", "schedule.grace_hours must be a number from 0 to 24"),
        ("[slack]\nport = 70000\n", "slack.port must be a whole number from 0 to 65535"),
        ('[slack]\npath = "events"\n', 'slack.path must start with "/"'),
        ('[slack]\napi_base_url = "slack.com"\n', "slack.api_base_url must be a URL"),
        ('[discord]\ngateway_url = "https://gw"\n', "discord.gateway_url must be a URL .*wss://"),
        ("[discord]\nshard_count = -1\n", "discord.shard_count must be a whole number from 0"),
        ('[discord]\nshard_ids = ["1"]\n', "discord.shard_ids must be a whole number from 0"),
        ("[discord]\nshard_ids = 1\n", "discord.shard_ids must be a list of whole numbers"),
        ("[discord]\nshard_ids = [0]\n", "discord.shard_ids needs discord.shard_count"),
        (
            "[discord]\nshard_count = 2\nshard_ids = [1, 2]\n",
            r"discord.shard_ids must lie from 0 to 1 \(discord.shard_count is 2\), not 2",
        ),
        ("[discord]\nshard_count = 4\nshard_ids = [1, 1]\n", "names a shard twice"),
        ("storage = 5\n", r"\[storage\] must be a table"),
        ("[stroage]\n", "unknown section"),
    ],
)
def test_every_setting_has_a_type_and_range_and_a_bad_one_is_named_with_its_file(
    tmp_path, toml, complaint
):
    config = tmp_path / "config.toml"
    config.write_text(toml)
    with pytest.raises(ConfigError, match=complaint) as refused:
        load_settings(config, environ={})
    message = str(refused.value)
    assert message.startswith(f"config file {config}: ")
    assert "\n" not in message


def test_a_bad_setting_stops_the_command_line_with_one_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[chat]\ncooldown_seconds = "x"\n')
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "status"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        f"kfor-bot: error: config file {config}: chat.cooldown_seconds must be a number "
        "from 0 to 3600 (seconds), not 'x'\n"
    )


def test_a_postgresql_url_comes_from_the_environment_before_the_file_and_never_beats_db(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nurl = "postgresql://kfor@db.internal/file"\n')
    assert load_settings(config, environ={}).database_url == "postgresql://kfor@db.internal/file"
    env = {"KFOR_BOT_DATABASE_URL": "postgres://kfor@10.0.0.5:6432/env"}
    assert load_settings(config, environ=env).database_url == "postgres://kfor@10.0.0.5:6432/env"
    chosen = load_settings(config, db=Path("/flag.sqlite3"), environ=env)
    assert (chosen.database_url, chosen.db) == ("", Path("/flag.sqlite3"))
    assert load_settings(environ={"KFOR_BOT_CONFIG": str(tmp_path / "none")}).database_url == ""


@pytest.mark.parametrize(
    ("toml", "env", "complaint"),
    [
        ('[storage]\nurl = "mysql://kfor:hunter2@db/kfor"\n', {}, "storage.url must be a URL"),
        ("", {"KFOR_BOT_DATABASE_URL": "kfor:hunter2@db/kfor"}, r"\$KFOR_BOT_DATABASE_URL must"),
    ],
)
def test_a_bad_database_url_is_refused_without_showing_its_password(tmp_path, toml, env, complaint):
    config = tmp_path / "config.toml"
    config.write_text(toml)
    with pytest.raises(ConfigError, match=complaint) as caught:
        load_settings(config, environ=env)
    assert "postgresql://" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_the_database_password_is_not_in_the_settings_repr():
    secret = "postgresql://kfor:hunter2@db/k"
    settings = load_settings(
        environ={"KFOR_BOT_CONFIG": "/absent.toml", "KFOR_BOT_DATABASE_URL": secret}
    )
    assert "hunter2" not in repr(settings)


def test_an_unreachable_postgresql_store_stops_the_command_instead_of_using_sqlite(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "status"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "KFOR_BOT_DB": str(tmp_path / "s.db"),
             "KFOR_BOT_CONFIG": str(tmp_path / "absent.toml"),
             "KFOR_BOT_DATABASE_URL": "postgresql://kfor:hunter2@127.0.0.1:1/kfor"},
    )  # fmt: skip
    assert result.returncode == 1
    assert "cannot open the store at postgresql://kfor:***@127.0.0.1:1/kfor" in result.stderr
    assert "hunter2" not in result.stderr
    assert not (tmp_path / "s.db").exists()
