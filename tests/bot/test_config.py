import dataclasses
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
        ("[feeds]\npoll_interval_minutes = 2\n", "at least 5"),
        ("[feeds]\npol_interval = 20\n", "unknown setting"),
        ('[feeds]\nmax_bytes = "big"\n', "feeds.max_bytes must be int"),
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


def test_a_named_config_file_must_exist_but_the_default_may_not(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml", environ={})
    assert load_settings(environ={"KFOR_BOT_CONFIG": str(tmp_path / "absent.toml")}) == Settings()


def test_tokens_are_not_settings():
    names = {f.name for f in dataclasses.fields(Settings)}
    assert not any("token" in n or "secret" in n for n in names)
