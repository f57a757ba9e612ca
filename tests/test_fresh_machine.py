"""A machine without HarfBuzz's subsetter: WeasyPrint falls back to fontTools, which must
give the same bytes every time, say so once, and be recorded in the manifest."""

from __future__ import annotations

import json
import time

import pytest

from conftest import GUIDE, make_project, run


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


def test_a_machine_without_the_emoji_font_is_told_the_command_that_installs_it(
        tmp_path, capsys, monkeypatch):
    """Before the set-up has run (a fresh clone), the emoji font is not there."""
    from pathlib import Path

    from guidepress import glyphs

    font = glyphs.EMOJI_FOLDER / "NotoEmoji-Regular.woff2"
    is_file = Path.is_file
    monkeypatch.setattr(Path, "is_file", lambda path: path != font and is_file(path))
    root = make_project(tmp_path / "site")
    line = (fonts_css_line("noto-emoji") + ": the emoji font "
            "'fonts/noto-emoji/NotoEmoji-Regular.woff2' is not installed: run 'make pdfs' or "
            "'bash scripts/setup.sh pdfs', which installs it")
    for command, summary in (("check", "1 problem found."),
                             ("build", "1 problem found; nothing was built.")):
        code, out, err = run(capsys, command, "--root", str(root))
        assert (code, err.splitlines()) == (1, [line, summary])
    assert not (root / "dist" / "alpha.pdf").exists()


def fonts_css_line(folder: str) -> str:
    """styles/fonts.css:N, the line of the @font-face that names a file in `folder`."""
    from guidepress.project import PROJECT_DIR

    lines = (PROJECT_DIR / "styles" / "fonts.css").read_text().splitlines()
    return f"styles/fonts.css:{next(n for n, l in enumerate(lines, 1) if folder in l)}"


def test_a_machine_without_the_cjk_fonts_builds_english_and_names_the_package_for_japanese(
        tmp_path, capsys, monkeypatch):
    """Before the set-up has copied Noto Sans CJK, only text that needs it is refused."""
    from guidepress import glyphs

    monkeypatch.setattr(glyphs, "CJK_FOLDER", tmp_path / "no-cjk-fonts")
    japanese = GUIDE.replace("lang: en", "lang: ja").replace("Some text with", "はじめに text with")
    root = make_project(tmp_path / "site", {"guides/nihongo.md": japanese})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert ("guides/nihongo.md:16:1: no font here can draw 'は' (U+306F): Japanese text needs the "
            "Noto Sans CJK fonts of the fonts-noto-cjk package: run 'make pdfs'") in err
    code, out, err = run(capsys, "build", "--root", str(root), "alpha")
    assert code == 0 and (root / "dist" / "alpha.pdf").is_file()
