"""The README documents every setting, every parser and both set-up commands."""

from pathlib import Path

from indexer.parsers import PARSERS
from indexer.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_setting_is_documented():
    for setting in SETTINGS:
        assert f"`{setting.name}`" in README, setting.name


def test_every_parser_is_documented():
    for parser in PARSERS:
        assert f"| {parser.PLATFORM} |" in README, parser.PLATFORM


def test_platform_names_are_unique():
    names = [p.PLATFORM for p in PARSERS]
    assert len(names) == len(set(names))
    assert PARSERS[-1].PLATFORM == "generic"


def test_the_two_commands_are_shown():
    assert "make run" in README and "make test" in README
