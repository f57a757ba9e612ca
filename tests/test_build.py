"""Building: the manifest, failures that spare the other guides, atomic writes, same bytes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil

import pytest

from guidepress import __version__, output
from conftest import GUIDE, make_project, run
from pdfcheck import open_pdf

BETA = GUIDE.replace("Alpha Guide", "Beta Guide")


def test_build_prints_a_line_per_artifact_and_a_summary(project, capsys):
    code, out, err = run(capsys, "build", "--root", str(project))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(f"built  {project / 'dist' / 'alpha.pdf'}  6 pages, ")
    assert lines[-1].startswith("1 built, 0 up to date, 0 failed in ")


def test_quiet_build_prints_only_the_summary(project, capsys):
    code, out, err = run(capsys, "build", "--root", str(project), "-q")
    assert (code, err) == (0, "") and re.fullmatch(r"1 built, 0 up to date, 0 failed in "
                                                    r"\d+\.\d s\n", out), out


def test_a_rebuild_lists_what_it_kept_only_with_verbose(project, capsys):
    assert run(capsys, "build", "--root", str(project))[0] == 0
    code, out, err = run(capsys, "build", "--root", str(project))
    assert code == 0 and out.splitlines()[:-1] == [] and \
        out.splitlines()[-1].startswith("0 built, 1 up to date, 0 failed in "), out
    code, out, err = run(capsys, "build", "--root", str(project), "-v")
    assert out.splitlines()[0] == f"kept   {project / 'dist' / 'alpha.pdf'}  up to date", out


def test_manifest_describes_every_artifact(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/beta.md": BETA})
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    manifest = json.loads((root / "dist" / "manifest.json").read_text())
    assert manifest["source_date"] == "2026-11-01T00:00:00Z"
    assert [a["slug"] for a in manifest["artifacts"]] == ["alpha", "beta"]
    alpha = manifest["artifacts"][0]
    data = (root / "dist" / "alpha.pdf").read_bytes()
    assert alpha == {"slug": "alpha", "kind": "guide", "lang": "en", "title": "Alpha Guide",
                     "summary": "A guide used by the test suite.", "version": "1.0",
                     "updated": "2026-11-01", "paper": "a4", "path": "alpha.pdf", "pages": 6,
                     "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
                     "cover": "alpha.png", "variant": "pdf/ua-1",
                     "reviewed": ""}
    assert manifest["version"] == __version__


def test_a_guide_that_fails_to_render_does_not_stop_the_others(tmp_path, capsys):
    root = make_project(tmp_path / "site", {
        # An entity: the check reads the source's characters, only the renderer sees this one.
        "guides/alpha.md": GUIDE + "\nRated &#x2605;&#x2605;&#x2605; by readers.\n",
        "guides/beta.md": BETA})
    (root / "dist").mkdir()
    (root / "dist" / "alpha.pdf").write_bytes(b"%PDF-1.7 the last good alpha")
    code, out, err = run(capsys, "build", "--root", str(root))
    assert code == 1
    assert err.splitlines() == [
        f"failed {root / 'dist' / 'alpha.pdf'}",
        "guides/alpha.md:24:7: no font here can draw '\u2605' (U+2605): use another "
        "character, or add a font that has it (see README 'Fonts')",
        "1 built, 0 up to date, 1 failed in " + err.splitlines()[-1].split(" in ")[1]]
    assert (root / "dist" / "alpha.pdf").read_bytes() == b"%PDF-1.7 the last good alpha"
    assert (root / "dist" / "beta.pdf").read_bytes().startswith(b"%PDF")
    assert not [p for p in (root / "dist").iterdir() if p.name.endswith(".tmp")]


def test_a_failed_build_keeps_the_last_good_manifest_entry(tmp_path, capsys):
    root = make_project(tmp_path / "site")
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    before = json.loads((root / "dist" / "manifest.json").read_text())
    (root / "guides" / "alpha.md").write_text(GUIDE + "\n\u2605\n")
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 1
    assert json.loads((root / "dist" / "manifest.json").read_text()) == before


def test_an_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "guide.pdf"
    target.write_bytes(b"old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["guide.pdf"]


def test_two_builds_in_two_folders_are_byte_identical(tmp_path, capsys):
    first = make_project(tmp_path / "one" / "site")
    second = tmp_path / "another" / "deeper" / "copy"
    shutil.copytree(first, second)
    for root in (first, second):
        assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    one = (first / "dist" / "alpha.pdf").read_bytes()
    assert one == (second / "dist" / "alpha.pdf").read_bytes()
    assert str(tmp_path).encode() not in one
    assert (first / "dist" / "manifest.json").read_bytes() == \
        (second / "dist" / "manifest.json").read_bytes()


def test_source_date_epoch_is_honoured(project, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert run(capsys, "build", "--root", str(project), "-q")[0] == 0
    meta = open_pdf(project / "dist" / "alpha.pdf").metadata
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260101000000Z"
    manifest = json.loads((project / "dist" / "manifest.json").read_text())
    assert manifest["source_date"] == "2026-01-01T00:00:00Z"


def test_a_folder_guide_reports_lines_in_its_chapter_files(tmp_path, capsys):
    root = make_project(tmp_path / "site", {
        "guides/alpha.md": None,
        "guides/alpha/index.md": GUIDE.split("# First chapter")[0],
        "guides/alpha/01-start.md": "# Start\n\nA [[prompt]].\n",
        "guides/alpha/02-more.md": "# More\n\nText.\n\nA [[tokn]].\n"})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert err.splitlines()[0] == \
        "guides/alpha/02-more.md:5:3: unknown glossary term 'tokn' (did you mean 'token'?); a new term goes in a file in glossary/"
    (root / "guides/alpha/02-more.md").write_text("# More\n\nA [[token]].\n")
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0


def test_build_one_named_target(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/beta.md": BETA})
    assert run(capsys, "build", "beta", "--root", str(root), "-q")[0] == 0
    assert sorted(p.name for p in (root / "dist").iterdir()) == \
        [".guidepress-state.json", ".guidepress.lock", "beta.pdf", "beta.png", "index.html",
         "manifest.json"]


def test_the_entry_script_matches_the_command(project):
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "build_pdfs.py", "check", "--root", str(project)],
                            capture_output=True, text=True,
                            cwd=os.path.dirname(os.path.dirname(__file__)))
    assert (result.returncode, result.stdout) == (0, "All sources are valid.\n")


def test_a_missing_system_library_names_the_packages(project, capsys, monkeypatch):
    from guidepress import render
    monkeypatch.setattr(render, "_IMPORT_ERROR",
                        OSError("cannot load library 'libpango-1.0-0': not found"))
    code, out, err = run(capsys, "build", "--root", str(project))
    assert code == 1
    assert err == ("Error: WeasyPrint cannot load a system library (cannot load library "
                   "'libpango-1.0-0': not found); install them with: apt-get install "
                   "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0\n")
    assert not (project / "dist" / "alpha.pdf").exists()


def test_a_font_that_cannot_be_loaded_fails_the_artifact(tmp_path, capsys):
    root = make_project(tmp_path / "site", {
        "styles/fonts.css": '@font-face { font-family: "Guide Text"; src: url(broken.ttf); }\n',
        "styles/broken.ttf": "not a font"})
    code, _, err = run(capsys, "build", "--root", str(root))
    assert code == 1
    assert "guides/alpha.md:1: Font-face 'Guide Text' cannot be loaded" in err.splitlines()
