"""Keep the docs true: the README's quick start and command examples match the tool."""

from __future__ import annotations

import shlex

import pytest

from guidepress.cli import _parser
from guidepress.project import PROJECT_DIR

README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")


def code_blocks(text: str) -> list[str]:
    """The fenced code blocks of a Markdown text, in order."""
    blocks, current = [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
            else:
                blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def test_quick_start_is_the_two_make_commands_first():
    first = code_blocks(README)[0].splitlines()
    assert [line.split("#")[0].strip() for line in first[:2]] == ["make pdfs", "make test"]


def test_ci_runs_the_readme_test_command():
    assert (PROJECT_DIR / ".ci" / "run").read_text().rstrip().endswith("make test")


EXAMPLES = [line.split("  #")[0].strip() for block in code_blocks(README)
            for line in block.splitlines() if line.startswith("build-pdfs")]


@pytest.mark.parametrize("command", EXAMPLES)
def test_readme_examples_are_valid_command_lines(command):
    argv = shlex.split(command)[1:] or ["build"]
    if argv[0].startswith("-"):
        argv.insert(0, "build")
    _parser().parse_args(argv)  # exits with status 2 on a usage error


def test_authoring_guide_lists_every_callout_kind():
    from guidepress.mdext.callouts import KINDS
    authoring = (PROJECT_DIR / "docs" / "authoring.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"| `{kind}` |" in authoring
