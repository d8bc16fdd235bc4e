import re
from pathlib import Path

import pytest

from treatysearch.settings import SETTINGS, SettingsError, load_settings


def test_defaults_then_file_then_environment_then_overrides(tmp_path):
    config = tmp_path / "s.toml"
    config.write_text("crawl_delay = 2.5\nport = 9000\n")
    env = {"TREATYSEARCH_PORT": "9100", "TREATYSEARCH_DATA_DIR": "/env/data"}
    s = load_settings({"data_dir": "/cli/data", "threads": None}, env=env, config_file=config)
    assert (s.crawl_delay, s.port, s.data_dir, s.threads) == (2.5, 9100, "/cli/data", 8)


def test_unknown_and_ill_typed_settings_are_rejected(tmp_path):
    with pytest.raises(SettingsError, match="unknown setting"):
        load_settings({"colour": "red"}, env={})
    with pytest.raises(SettingsError, match="port wants a int"):
        load_settings(env={"TREATYSEARCH_PORT": "eighty"})
    bad = tmp_path / "bad.toml"
    bad.write_text("port = ")
    with pytest.raises(SettingsError, match="cannot read settings"):
        load_settings(env={}, config_file=bad)


def test_every_setting_is_in_the_readme_table():
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    documented = set(re.findall(r"^\| `(\w+)` \|", readme, re.MULTILINE))
    assert {s.name for s in SETTINGS} <= documented


def test_true_or_false_settings_read_the_usual_words():
    assert load_settings(env={"TREATYSEARCH_STATUS_DETAILS": "off"}).status_details is False
    assert load_settings(env={"TREATYSEARCH_STATUS_DETAILS": "1"}).status_details is True
    with pytest.raises(SettingsError, match="true or false"):
        load_settings(env={"TREATYSEARCH_STATUS_DETAILS": "maybe"})
