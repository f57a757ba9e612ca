"""Shared helpers: a minimal valid project from a dict of files, the CLI, built PDFs."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

# Reviews are measured against a fixed day, so the suite does not change with the calendar
# (tests/test_freshness.py sets other days); subprocesses inherit it.
os.environ.setdefault("GUIDEPRESS_TODAY", "2026-12-01")

from guidepress.cli import main  # noqa: E402
from guidepress.project import PROJECT_DIR  # noqa: E402

SITE = """\
name: Test Brand
tagline: Guides for testing.
url: https://testbrand.org
publisher: Test Brand
lang: en
paper: a4
about: We write guides for tests.
more: Get more guides at our site.
"""

GLOSSARY = """\
- slug: token
  term: Token
  short: A small chunk of text a model reads and writes.
  definition: A token is a piece of text, often part of a word.
  aliases: [tokens]
  category: how-it-works
  related: [prompt]
- slug: prompt
  term: Prompt
  short: What you type to ask an AI model for something.
  definition: A prompt is the request or question you give the model.
  aliases: [prompts]
  category: prompting
  related: [token]
"""

GUIDE = """\
---
title: Alpha Guide
subtitle: A short guide for tests
summary: A guide used by the test suite.
version: "1.0"
updated: 2026-11-01
audience: Testers
lang: en
---
# First chapter

A [[prompt]] is made of [[token|tokens]].

## A section

Some text with a footnote.[^1]

[^1]: The footnote text.

# Second chapter

More about [[prompts|prompts]] and a link to [the first chapter](#first-chapter).
"""


SHEET = """\
title: Test Sheet
subtitle: A sheet for tests
summary: One page for the test suite.
version: "2.1"
updated: 2026-11-02
sections:
  - title: Terms
    terms: [token, prompts]
  - title: Steps
    steps:
      - {label: A, title: Ask., text: Say what you need.}
      - {label: B, title: Check., text: Verify the answer.}
  - title: Try
    prompts:
      - {label: Explain, text: "Explain [topic] simply."}
  - title: Pairs
    pairs:
      - {do: Check facts., dont: Trust blindly.}
  - title: More
    items:
      - {label: Site., text: Our guides.}
"""


#: Debian's Chromium, which the browser tests drive through Playwright.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium():
    """Playwright's sync API, for a module of browser tests: the module is skipped without
    Chromium, except in CI, where .ci/run installs it and its absence is an error."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)",
                    allow_module_level=True)
    return pytest.importorskip("playwright.sync_api")


def dedent(text: str) -> str:
    """Dedent a triple-quoted source."""
    return textwrap.dedent(text).lstrip("\n")


def make_project(root: Path, files: dict[str, str | None] | None = None) -> Path:
    """Write a minimal valid project into `root`, then apply `files` (None deletes a file)."""
    base = {"site.yaml": SITE, "glossary/terms.yaml": GLOSSARY, "guides/alpha.md": GUIDE}
    base.update(files or {})
    for name, text in base.items():
        path = root / name
        if text is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        # surrogateescape lets a test write bytes that are not UTF-8 (\udce9 -> 0xe9).
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal valid content root."""
    return make_project(tmp_path / "site")


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogue, built once per test session; returns the output folder."""
    root = tmp_path_factory.mktemp("catalogue")
    for name in ("site.yaml", "frameworks.yaml", "guides", "glossary", "cheatsheets"):
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    code = main(["build", "--root", str(root), "-q", "--paper", "a4"])
    assert code == 0
    return root / "dist"
