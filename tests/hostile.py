"""The hostile-input corpus's harness: run a command on a content root made from a case's
files and assert what the user sees (the exact first line, the exit code, no traceback) and
that the output folder is byte-identical afterwards.

A case file (tests/test_hostile_*.py) lists `Case`s and parametrizes one test over them:

    from hostile import Case, good_dist, run_case  # good_dist is a fixture

    CASES = [Case("impossible date", {"guides/alpha.md": ...}, first="guides/alpha.md:6: ...")]

    @pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
    def test_hostile(case, tmp_path, good_dist, capsys, monkeypatch):
        run_case(case, tmp_path, good_dist, capsys, monkeypatch)
"""

from __future__ import annotations

import re

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import make_project, run


@dataclass
class Case:
    """One hostile input: the files over the minimal project, the command, what must show."""

    name: str
    files: dict[str, str | bytes | None] = field(default_factory=dict)
    #: The command line; "{root}" and "{out}" are replaced by the case's folders.
    argv: tuple[str, ...] = ("check", "--root", "{root}")
    #: The exact first line of stderr; "{root}" and "{out}" are replaced as in argv.
    first: str = ""
    code: int = 1
    #: Called with the root before the command runs (make a symlink, a huge image...).
    setup: Callable[[Path], None] | None = None
    env: dict[str, str] = field(default_factory=dict)
    #: Called with the root after the command, for what else must hold.
    after: Callable[[Path], None] | None = None


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    """Write text or bytes files under `root` (None deletes)."""
    texts = {k: v for k, v in files.items() if not isinstance(v, bytes)}
    make_project(root, texts)
    for name, data in files.items():
        if isinstance(data, bytes):
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def outside(root: Path) -> Path:
    """A file outside the content root that nothing may read."""
    path = root.parent / "secret.txt"
    path.write_text("root:x:0:0:root:/root:/bin/bash\n")
    return path


def link(name: str, target: Callable[[Path], Path] = outside):
    """A setup that makes root/name a symlink to `target(root)`."""
    def setup(root: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        path.symlink_to(target(root))
    return setup


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def good_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project's output folder, built once per test session."""
    from guidepress.cli import main

    root = make_project(tmp_path_factory.mktemp("good") / "site")
    assert main(["build", "--root", str(root), "-q"]) == 0
    return root / "dist"


_PYTHON_NAMES = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception)\b")


def run_case(case: Case, tmp_path: Path, good_dist: Path, capsys: pytest.CaptureFixture,
             monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """Run one case; assert its first line, exit code, no traceback and an unchanged dist/."""
    root = tmp_path / "site"
    write_files(root, case.files)
    out = root / "dist"
    shutil.copytree(good_dist, out)
    if case.setup:
        case.setup(root)
    before = snapshot(out)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    argv = [a.replace("{root}", str(root)).replace("{out}", str(out)) for a in case.argv]
    code, stdout, stderr = run(capsys, *argv)
    assert "Traceback" not in stderr + stdout
    # Messages are for authors: no Python exception names (KeyError, UnicodeDecodeError...).
    assert not _PYTHON_NAMES.search(stderr + stdout), stderr
    lines = stderr.splitlines()
    expected = case.first.replace("{root}", str(root)).replace("{out}", str(out))
    assert lines and lines[0] == expected, stderr
    assert code == case.code, stderr
    assert snapshot(out) == before
    if case.after:
        case.after(root)
    return code, stdout, stderr
