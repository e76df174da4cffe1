"""The command line's help pages are in French, for every command."""

import click
import pytest
from click.testing import CliRunner

from ess_geo.cli import cli


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


COMMANDS = [(), *_commands(cli)]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "ess_geo")
def test_every_help_page_is_in_french(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage : ")
    assert "Options :\n" in result.output
    assert "  --help" in result.output
    assert "Affiche cette aide et quitte." in result.output
    for english in (
        "Usage:",
        "Options:",
        "Commands:",
        "Show this message",
        "[default:",
        "[required]",
    ):
        assert english not in result.output


def test_the_main_page_lists_the_commands_under_a_french_heading():
    result = CliRunner().invoke(cli, ["--help"])
    assert "Commandes :\n  demo " in result.output
    assert "  --version  Affiche la version et quitte." in result.output


def test_defaults_and_required_options_are_noted_in_french():
    result = CliRunner().invoke(cli, ["gaps", "--help"], terminal_width=200)
    assert "[obligatoire]" in result.output
    assert "[défaut : csv]" in result.output


def test_usage_errors_print_the_french_usage_line():
    result = CliRunner().invoke(cli, ["gaps", "--levle", "epci"])
    assert result.exit_code == 2
    assert result.output.startswith(
        "Usage : cli gaps [OPTIONS]\nAide : cli gaps --help\n\n"
        "Erreur : Option '--levle' inconnue."
    )
