"""A start that costs nothing: a no-op build known without loading the project, and
commands that load only what they use (quick.py, and the lazy imports of build.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from conftest import PROJECT_DIR, make_project, run
import guidepress.build as build_module

#: Loaded only to render: the layout engine, our Pygments code and the cover renderer.
RENDERING = ("weasyprint", "pypdfium2", "pygments.formatters.html", "pygments.lexer",
             "pikepdf")
#: Loaded only to read and check the sources.
READING = ("markdown", "yaml", "jinja2", "babel")


def imported(*argv: str, env: dict | None = None) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules `python -X importtime build_pdfs.py ARGV` loads, and its result."""
    result = subprocess.run([sys.executable, "-X", "importtime", "build_pdfs.py", *argv],
                            capture_output=True, text=True, cwd=PROJECT_DIR,
                            env={**os.environ, **(env or {})})
    modules = {line.split("|")[-1].strip() for line in result.stderr.splitlines()
               if line.startswith("import time:")}
    return modules, result


@pytest.fixture
def built(tmp_path, capsys):
    root = make_project(tmp_path / "site")
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    return root


@pytest.fixture
def plans(monkeypatch):
    """How many times a build read and checked the sources (the full path)."""
    count = {"plans": 0}
    real = build_module.plan

    def counting(*args, **kwargs):
        count["plans"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "plan", counting)
    return count


def test_a_no_op_build_loads_neither_the_renderer_nor_the_readers(built):
    modules, result = imported("build", "--root", str(built))
    assert result.returncode == 0, result.stderr
    assert "0 built, 1 up to date, 0 failed" in result.stdout
    assert not modules & {*RENDERING, *READING}, sorted(modules & {*RENDERING, *READING})


def test_check_and_help_load_nothing_that_renders(built):
    modules, result = imported("check", "--root", str(built))
    assert result.returncode == 0 and "All sources are valid" in result.stdout, result.stderr
    assert "markdown" in modules and "yaml" in modules  # it does read the sources
    assert not modules & set(RENDERING), sorted(modules & set(RENDERING))
    modules, result = imported("--help")
    assert result.returncode == 0 and "build-pdfs" in result.stdout
    assert not modules & {*RENDERING, *READING}, sorted(modules & {*RENDERING, *READING})


def test_nothing_changed_skips_reading_the_sources(built, capsys, plans):
    code, out, _ = run(capsys, "build", "--root", str(built), "-v")
    assert code == 0 and plans["plans"] == 0
    assert "kept" in out and "0 built, 1 up to date" in out.splitlines()[-1]


def touch(path):
    later = time.time_ns() + 2_000_000_000
    os.utime(path, ns=(later, later))


@pytest.mark.parametrize("change", ["edit", "touch", "new file", "delete output",
                                    "stray output", "option", "day"])
def test_any_change_takes_the_full_path(built, capsys, plans, monkeypatch, change):
    guide, out = built / "guides" / "alpha.md", built / "dist"
    argv = ["build", "--root", str(built), "-q"]
    if change == "edit":
        guide.write_text(guide.read_text().replace("Alpha Guide", "Alpha Guide Two"))
    elif change == "touch":
        touch(guide)  # same words: the full comparison finds nothing to render
    elif change == "new file":
        (built / "guides" / "notes.txt").write_text("not a guide")
    elif change == "delete output":
        (out / "alpha.pdf").unlink()
    elif change == "stray output":
        (out / ".alpha.pdf.999.tmp").write_bytes(b"half")
    elif change == "option":
        argv += ["--paper", "letter"]
    elif change == "day":
        monkeypatch.setenv("GUIDEPRESS_TODAY", "2027-09-01")
    code, out_text, _ = run(capsys, *argv)
    assert code == 0 and plans["plans"] == 1, change
    rendered = {"edit": 1, "delete output": 1, "option": 1}.get(change, 0)
    assert out_text.splitlines()[-1].startswith(f"{rendered} built"), (change, out_text)
    if change == "stray output":
        assert not (out / ".alpha.pdf.999.tmp").exists()
    # and the build after it, with nothing changed again, is quick once more
    assert run(capsys, *argv)[0] == 0 and plans["plans"] == 1, change


def test_a_quick_no_op_says_the_same_warnings(tmp_path, capsys, plans, monkeypatch):
    root = make_project(tmp_path / "site")
    monkeypatch.setenv("GUIDEPRESS_TODAY", "2027-09-01")  # every review is due
    code, _, first = run(capsys, "build", "--root", str(root), "-q")
    assert code == 0 and "review" in first
    code, _, again = run(capsys, "build", "--root", str(root), "-q")
    assert code == 0 and plans["plans"] == 1 and again == first
    # --strict makes warnings fail: a strict build is never answered from the record
    code, _, strict = run(capsys, "build", "--root", str(root), "-q", "--strict")
    assert code == 1 and plans["plans"] == 2


def test_a_failed_build_leaves_no_record_to_trust(tmp_path, capsys, plans):
    root = make_project(tmp_path / "site", {
        "guides/beta.md": "---\ntitle: Beta\n---\n\n# One\n\n![gone](missing.png)\n"})
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 1
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 1
    assert plans["plans"] == 2
