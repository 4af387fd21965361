import pytest

from pipeline.config import load_config, parse_overrides
from pipeline.errors import ConfigError


def test_parse_overrides_reads_json_values():
    assert parse_overrides(["a.b=3", "a.c=true", "a.d=[\"x\"]", "a.e=plain text"]) == {
        "a.b": 3, "a.c": True, "a.d": ["x"], "a.e": "plain text"}


@pytest.mark.parametrize("bad", ["nokey", "noequals.x", "=3"])
def test_bad_overrides_are_config_errors(bad):
    with pytest.raises(ConfigError):
        parse_overrides([bad])


def test_overrides_apply_and_unknown_sections_fail():
    default, _ = load_config()
    config, _ = load_config(overrides={"segment.lexicon_wins": not default["segment"]["lexicon_wins"]})
    assert config["segment"]["lexicon_wins"] is not default["segment"]["lexicon_wins"]
    with pytest.raises(ConfigError, match="Unknown config section"):
        load_config(overrides={"nosuch.key": 1})


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.cfg")
