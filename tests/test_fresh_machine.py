"""A machine without HarfBuzz's subsetter: WeasyPrint falls back to fontTools, which must
give the same bytes every time, say so once, and be recorded in the manifest."""

from __future__ import annotations

import json
import time

import pytest

from conftest import make_project, run


@pytest.fixture
def no_harfbuzz_subset(monkeypatch):
    """Make WeasyPrint believe libharfbuzz-subset0 is not installed."""
    from weasyprint.pdf import fonts
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_the_fallback_subsetter_gives_the_same_bytes_at_another_time(
        tmp_path, capsys, no_harfbuzz_subset):
    root = make_project(tmp_path / "site")
    first = run(capsys, "build", "--root", str(root), "--out", str(tmp_path / "one"))
    time.sleep(1.1)  # fontTools stamps whole seconds into each font it subsets
    second = run(capsys, "build", "--root", str(root), "--out", str(tmp_path / "two"))
    assert first[0] == second[0] == 0
    assert (tmp_path / "one" / "alpha.pdf").read_bytes() == \
        (tmp_path / "two" / "alpha.pdf").read_bytes()
    manifest = json.loads((tmp_path / "one" / "manifest.json").read_text())
    assert manifest["font_subsetter"] == "fonttools"
    # One line of advice, and none of fontTools' own chatter.
    assert first[2].splitlines() == [
        "warning: slow font subsetting: install Debian's libharfbuzz-subset0"]


def test_the_manifest_names_harfbuzz_when_it_subsets(tmp_path, capsys):
    root = make_project(tmp_path / "site")
    code, _, err = run(capsys, "build", "--root", str(root), "-q")
    assert code == 0 and err == ""
    manifest = json.loads((root / "dist" / "manifest.json").read_text())
    assert manifest["font_subsetter"] == "harfbuzz"


def test_switching_subsetter_renders_again(tmp_path, capsys, monkeypatch):
    root = make_project(tmp_path / "site")
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    from weasyprint.pdf import fonts
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    code, out, _ = run(capsys, "build", "--root", str(root))
    assert code == 0 and out.splitlines()[-1].startswith("1 built, 0 up to date")
