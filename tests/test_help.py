"""Help that teaches: every command's --help ends with real examples, each of which the
command line accepts as written."""

from __future__ import annotations

import re
import shlex

import pytest

from guidepress import cli

COMMANDS = ["build", "check", "new", "serve", "watch", "verify", "merge"]


def help_of(command: str, capsys) -> str:
    with pytest.raises(SystemExit):
        cli._parser().parse_args([command, "--help"])
    return capsys.readouterr().out


def examples(text: str) -> list[str]:
    block = text.split("examples:\n", 1)[1].split("\n\n", 1)[0]
    commands = []
    for line in block.splitlines():
        # The example is what comes before its explanation (two or more spaces).
        command = re.split(r"\s{2,}(?=[a-z(])", line.strip(), maxsplit=1)[0]
        commands.extend(part.strip() for part in command.split("&&"))
    return commands


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_ends_with_two_or_three_examples_of_itself(command, capsys):
    text = help_of(command, capsys)
    found = examples(text)
    assert 2 <= len(found) <= 4, found
    assert any(f"build-pdfs {command}" in example for example in found), found
    assert text.rstrip().endswith("2 a usage error")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_example_parses(command, capsys):
    for example in examples(help_of(command, capsys)):
        words = shlex.split(example)
        assert words[0] == "build-pdfs", example
        try:
            cli._parser().parse_args(words[1:] or ["build"])
        except SystemExit:
            pytest.fail(f"--help of {command} shows an example the command refuses: {example}")


def test_the_top_level_help_shows_new_and_serve(capsys):
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["--help"])
    text = capsys.readouterr().out
    assert "build-pdfs new guide" in text and "build-pdfs serve" in text
