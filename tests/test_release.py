"""Release builds: papers, covers, manifest, parallel and incremental builds, shards, merge,
verify, progress display and watch."""

from __future__ import annotations

import io
import json
import threading
import time

import pytest

from guidepress.progress import Reporter
from conftest import GLOSSARY, GUIDE, SITE, make_project, run

# beta uses 'prompt' but not 'token'.
BETA = GUIDE.replace("Alpha Guide", "Beta Guide").replace(
    "A [[prompt]] is made of [[token|tokens]].", "A [[prompt]] is what you write.")
TWO_PAPERS = SITE.replace("paper: a4\n", "paper: a4\npapers: [a4, letter]\n")


@pytest.fixture
def two(tmp_path):
    """A project with two guides in two papers."""
    return make_project(tmp_path / "site", {"guides/beta.md": BETA, "site.yaml": TWO_PAPERS})


def outputs(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if not p.name.startswith(".")}


def built_names(out: str) -> list[str]:
    return [line.split()[1].rsplit("/", 1)[1] for line in out.splitlines()
            if line.startswith("built")]


def test_every_paper_in_one_run_with_covers(two, capsys):
    code, out, _ = run(capsys, "build", "--root", str(two), "-j", "1")
    assert code == 0
    assert sorted(outputs(two / "dist")) == [
        "alpha-letter.pdf", "alpha.pdf", "alpha.png", "beta-letter.pdf", "beta.pdf", "beta.png",
        "index.html", "manifest.json"]
    manifest = json.loads((two / "dist" / "manifest.json").read_text())
    assert [(a["path"], a["paper"], a["cover"]) for a in manifest["artifacts"]] == [
        ("alpha-letter.pdf", "letter", "alpha.png"), ("alpha.pdf", "a4", "alpha.png"),
        ("beta-letter.pdf", "letter", "beta.png"), ("beta.pdf", "a4", "beta.png")]
    from PIL import Image
    with Image.open(two / "dist" / "alpha.png") as cover:
        assert cover.size == (600, 849)


def test_two_jobs_make_the_same_bytes_output_and_exit_code(two, tmp_path, capsys):
    one = run(capsys, "build", "--root", str(two), "--out", str(tmp_path / "one"), "-j", "1")
    two_jobs = run(capsys, "build", "--root", str(two), "--out", str(tmp_path / "two"), "-j", "2")
    assert one[0] == two_jobs[0] == 0
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")
    def strip(text: str, folder: str) -> list[str]:  # no folder names or timings
        return [line.replace(str(tmp_path / folder), "OUT").rsplit(",", 1)[0]
                for line in text.splitlines()]

    assert strip(one[1], "one") == strip(two_jobs[1], "two")


def test_two_jobs_report_a_failure_like_one(two, tmp_path, capsys):
    (two / "guides" / "beta.md").write_text(BETA + "\n&#x2605;\n")  # seen by the renderer only
    results = [run(capsys, "build", "--root", str(two), "--out", str(tmp_path / str(j)),
                   "-j", str(j)) for j in (1, 2)]
    assert results[0][0] == results[1][0] == 1
    assert [line.replace(str(tmp_path / "1"), "OUT") for line in results[0][2].splitlines()[:-1]] \
        == [line.replace(str(tmp_path / "2"), "OUT") for line in results[1][2].splitlines()[:-1]]


def test_a_rebuild_with_nothing_changed_renders_nothing(two, capsys):
    assert run(capsys, "build", "--root", str(two), "-j", "1")[0] == 0
    before = outputs(two / "dist")
    code, out, _ = run(capsys, "build", "--root", str(two), "-j", "1")
    assert code == 0 and built_names(out) == []
    assert out.splitlines()[-1].startswith("0 built, 4 up to date, 0 failed")
    assert outputs(two / "dist") == before


def test_editing_one_guide_renders_that_guide_only(two, capsys):
    assert run(capsys, "build", "--root", str(two), "-j", "1")[0] == 0
    (two / "guides" / "beta.md").write_text(BETA.replace("what you write", "what you type"))
    code, out, _ = run(capsys, "build", "--root", str(two), "-j", "1")
    assert built_names(out) == ["beta.pdf", "beta-letter.pdf"]


def test_editing_a_definition_renders_exactly_the_artifacts_that_use_it(two, capsys):
    assert run(capsys, "build", "--root", str(two), "-j", "1")[0] == 0
    (two / "glossary" / "terms.yaml").write_text(GLOSSARY.replace(
        "A small chunk of text a model reads and writes.", "A piece of text a model reads."))
    code, out, _ = run(capsys, "build", "--root", str(two), "-j", "1")
    assert built_names(out) == ["alpha.pdf", "alpha-letter.pdf"]  # beta does not use 'token'


def test_force_renders_everything(two, capsys):
    assert run(capsys, "build", "--root", str(two), "-j", "1")[0] == 0
    code, out, _ = run(capsys, "build", "--root", str(two), "-j", "1", "--force")
    assert len(built_names(out)) == 4


def test_a_damaged_pdf_is_rendered_again(two, capsys):
    assert run(capsys, "build", "--root", str(two), "-j", "1")[0] == 0
    (two / "dist" / "alpha.pdf").write_bytes(b"%PDF-1.7 damaged")
    code, out, _ = run(capsys, "build", "--root", str(two), "-j", "1")
    assert built_names(out) == ["alpha.pdf"]


def test_shards_merge_into_the_full_build(two, tmp_path, capsys):
    assert run(capsys, "build", "--root", str(two), "--out", str(tmp_path / "full"))[0] == 0
    for k in (1, 2, 3):
        code, out, _ = run(capsys, "build", "--root", str(two), "--shard", f"{k}/3",
                           "--out", str(tmp_path / f"part{k}"))
        assert code == 0
    parts = [json.loads((tmp_path / f"part{k}" / "manifest.json").read_text())
             for k in (1, 2, 3)]
    assert sorted(a["path"] for p in parts for a in p["artifacts"]) == \
        ["alpha-letter.pdf", "alpha.pdf", "beta-letter.pdf", "beta.pdf"]
    code, out, _ = run(capsys, "merge", *(str(tmp_path / f"part{k}") for k in (1, 2, 3)),
                       "--root", str(two), "--out", str(tmp_path / "merged"))
    assert code == 0 and out == f"Merged 4 artifacts from 3 folders into {tmp_path / 'merged'}.\n"
    assert outputs(tmp_path / "merged") == outputs(tmp_path / "full")


def test_shard_must_be_k_of_n(project, capsys):
    code, _, err = run(capsys, "build", "--root", str(project), "--shard", "3/2")
    assert code == 2 and "must be K/N with 1 <= K <= N, not '3/2'" in err


def test_verify_passes_for_a_faithful_build_and_names_what_differs(two, capsys):
    assert run(capsys, "build", "--root", str(two))[0] == 0
    code, out, err = run(capsys, "verify", "--root", str(two))
    assert (code, err) == (0, "")
    assert out == f"All 4 artifacts match {two / 'dist' / 'manifest.json'}.\n"
    (two / "guides" / "beta.md").write_text(BETA.replace("what you write", "what you type"))
    code, out, err = run(capsys, "verify", "--root", str(two))
    assert code == 1
    lines = err.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["beta-letter.pdf", "beta.pdf"]
    assert lines[-1] == f"2 of 4 artifacts differ from {two / 'dist' / 'manifest.json'}"


def test_verify_without_a_manifest_is_an_error(project, capsys):
    code, _, err = run(capsys, "verify", "--root", str(project))
    assert code == 1 and "manifest.json is missing or unreadable" in err


def test_the_manifest_has_no_wall_clock_time(two, tmp_path, capsys):
    assert run(capsys, "build", "--root", str(two), "--out", str(tmp_path / "a"))[0] == 0
    time.sleep(1.1)
    assert run(capsys, "build", "--root", str(two), "--out", str(tmp_path / "b"))[0] == 0
    assert (tmp_path / "a" / "manifest.json").read_bytes() == \
        (tmp_path / "b" / "manifest.json").read_bytes()
    assert (tmp_path / "a" / "index.html").read_bytes() == \
        (tmp_path / "b" / "index.html").read_bytes()


def test_live_progress_on_a_terminal(project, tmp_path):
    from guidepress.build import build
    stream = io.StringIO()
    reporter = Reporter(tmp_path, live=True, stream=stream)
    report = build(project, tmp_path, progress=reporter.outcome, on_plan=reporter.plan)
    reporter.summary(report)
    text = stream.getvalue()
    assert "\r\x1b[K[0/1]" in text and "rendering alpha.pdf" in text
    assert text.rstrip().endswith("1 built, 0 up to date, 0 failed in "
                                  f"{report.seconds:.1f} s")


def test_watch_rebuilds_on_save_and_survives_errors(project, tmp_path, capsys):
    from guidepress.watch import watch
    out = tmp_path / "out"
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, out), kwargs={"stop": stop},
                              daemon=True)
    thread.start()

    def wait_for(condition, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.2)
        return False

    said = []

    def reported(text):
        """Wait until watch has said `text` (each edit is seen before the next is made, also
        on a loaded machine where a build takes longer than a debounce)."""
        def heard():
            said.append(capsys.readouterr().err)
            return text in "".join(said)
        return wait_for(heard)

    try:
        assert wait_for(lambda: (out / "alpha.pdf").exists())
        first = (out / "alpha.pdf").read_bytes()
        guide = project / "guides" / "alpha.md"
        guide.write_text(GUIDE + "\n[[tokn]]\n")  # an error: reported, watching goes on
        assert reported("unknown glossary term 'tokn'")
        assert (out / "alpha.pdf").read_bytes() == first
        guide.write_text(GUIDE.replace("2026-11-01", "2026-02-30"))  # not a real date
        assert reported("2026-02-30")
        (project / "site.yaml").write_text("name: [unclosed\n")  # not YAML at all
        assert reported("site.yaml:")
        (project / "site.yaml").write_text(SITE)
        assert thread.is_alive()
        assert (out / "alpha.pdf").read_bytes() == first
        guide.write_text(GUIDE.replace("More about", "Much more about"))
        assert wait_for(lambda: (out / "alpha.pdf").read_bytes() != first)
    finally:
        stop.set()
        thread.join(timeout=10)
    err = "".join(said) + capsys.readouterr().err
    assert "guides/alpha.md:24:1: unknown glossary term 'tokn' (did you mean 'token'?); a new term goes in a file in glossary/" in err
    assert "guides/alpha.md:6: front-matter key 'updated' has '2026-02-30', which is not a " \
        "real date (February 2026 has 28 days): write a date that exists, like 2026-11-30" in err
    assert "site.yaml:" in err and "Traceback" not in err


def test_a_letter_only_build_still_lists_its_pdfs(two, capsys):
    assert run(capsys, "build", "--root", str(two), "--paper", "letter", "-q")[0] == 0
    page = (two / "dist" / "index.html").read_text()
    assert 'href="alpha-letter.pdf"' in page and 'href="beta-letter.pdf"' in page
    assert "<img" not in page  # no cover was made: no broken image either


def test_a_save_during_the_first_build_is_not_missed(tmp_path):
    """watch and serve watch from before their first build: a file saved while it runs
    comes out of the watcher after it (it was lost when watching began after the build)."""
    from guidepress.watch import saves
    folder = tmp_path / "sources"
    folder.mkdir()
    stop = threading.Event()

    def first_build():  # a save while the first build runs
        (folder / "guide.md").write_text("saved during the first build\n")
        time.sleep(0.5)

    timer = threading.Timer(20, stop.set)
    timer.start()
    try:
        changes = next(saves([folder], stop, first_build), None)
    finally:
        stop.set()
        timer.cancel()
    assert changes and any(path.endswith("guide.md") for _, path in changes), changes
