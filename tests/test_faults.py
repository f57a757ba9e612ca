"""Faults during a build, in a real process: kill -9, Ctrl-C and SIGTERM, a full disk, an
unwritable --out, two builds into one folder, partial builds.

After each, dist/ must tell the truth (every manifest entry names a file that is there with
that size and sha256; the downloads page links only files that are there), no process of
the build may be left, and the next build must end with what a clean build makes.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import faultkit as fk
from conftest import run
from guidepress import build as build_module

#: Every artifact of the fault project, in build order (guides by slug, A4 then Letter).
ARTIFACTS = [name for slug in sorted(fk.SLUGS) for name in (f"{slug}.pdf", f"{slug}-letter.pdf")]
TAGLINE = "tagline: Guides for testing.\n"
#: The slow tests (pyproject.toml should register the marker; one warning until it does).
slow = pytest.mark.slow


def wait_for(condition, seconds: float, step: float = 0.01):
    """Poll `condition` until it returns something true; return it (or fail after `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    pytest.fail(f"gave up waiting after {seconds} s")


def entries_in(out: Path) -> list[str]:
    try:
        return fk.manifest_paths(out)
    except (OSError, ValueError):
        return []


class Reference:
    """Root A (the fault project), root B (the same with another tagline, so that every one
    of its PDFs differs from A's) and a clean build of A."""

    def __init__(self, base: Path):
        self.root = fk.make_fault_project(base / "a")
        self.other = fk.make_fault_project(base / "b")
        site = self.other / "site.yaml"
        site.write_text(site.read_text().replace(TAGLINE, "tagline: Other words.\n"))
        self.out = base / "reference"
        clean = fk.run_to_end("build", "--root", str(self.root), "--out", str(self.out), "-j", "2")
        assert clean.process.returncode == 0, clean.stderr
        assert fk.manifest_paths(self.out) == sorted(ARTIFACTS)
        assert fk.lies(self.out) == []
        self.files = fk.published(self.out)

    def copy_to(self, out: Path) -> Path:
        """A copy of the clean build of A, state and all."""
        shutil.copytree(self.out, out)
        return out

    def sha(self, name: str) -> str:
        return next(e["sha256"] for e in json.loads(self.files["manifest.json"])["artifacts"]
                    if e["path"] == name)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Reference:
    return Reference(tmp_path_factory.mktemp("faults"))


def assert_true_dist(out: Path, watcher: fk.Watcher | None = None) -> None:
    assert fk.lies(out) == []
    if watcher is not None:
        assert watcher.samples > 0
        assert watcher.found == [], "the manifest lied while the build ran"


def assert_repaired(reference: Reference, out: Path) -> None:
    """A plain build into `out` ends with exactly what a clean build of A made."""
    again = fk.run_to_end("build", "--root", str(reference.root), "--out", str(out),
                          "-j", "2", "-q")
    assert again.process.returncode == 0, again.stderr
    assert fk.differences(fk.published(out), reference.files) == []
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def assert_no_process_left(build: fk.Build, seconds: float = 3.0) -> None:
    alive = fk.wait_until_gone(build, seconds)
    assert alive == [], f"still running {seconds} s after the build ended:\n{fk.describe(alive)}"


# --- kill -9 -----------------------------------------------------------------------------

def published_from(out: Path, reference: Reference, replacing: bool) -> int:
    """How many artifacts this build has published so far: entries in an empty folder, or
    entries that are no longer A's when it replaces A's dist."""
    try:
        document = json.loads((out / "manifest.json").read_bytes())
    except (OSError, ValueError):
        return 0
    entries = document["artifacts"]
    if not replacing:
        return len(entries)
    return sum(1 for e in entries if e["sha256"] != reference.sha(e["path"]))


@slow
def test_kill_9_at_random_moments_leaves_a_true_dist_no_workers_and_a_repairable_build(
        reference, tmp_path):
    """Four seeded moments of a --jobs 2 build: while its workers start, and after a random
    number of artifacts were published plus a random delay (so the kill lands anywhere in
    the parent's writing, whatever the machine's speed). Two builds start in an empty folder;
    two replace every PDF of a finished build (root B over A's dist), so that entries are
    taken out and put back while the watcher reads the manifest."""
    rng = random.Random(20261201)
    plans = [(False, None, rng.uniform(0.3, 1.0)),
             (True, rng.randint(1, 2), rng.uniform(0, 0.3)),
             (False, rng.randint(2, 4), rng.uniform(0, 0.3)),
             (True, rng.randint(3, 5), rng.uniform(0, 0.3))]
    killed_with_workers = 0
    for number, (replacing, after, delay) in enumerate(plans):
        out = tmp_path / f"kill{number}"
        if replacing:
            reference.copy_to(out)
        root = reference.other if replacing else reference.root
        with fk.Watcher(out) as watcher:
            build = fk.start("build", "--root", str(root), "--out", str(out), "-j", "2", "-q")
            if after is not None:
                wait_for(lambda: published_from(out, reference, replacing) >= after, 60)
            time.sleep(delay)
            workers = build.workers()
            build.signal(signal.SIGKILL)
            assert build.wait() == -signal.SIGKILL
        killed_with_workers += bool(workers)
        context = (f"kill -9 after {after} artifacts and {delay:.2f} s, "
                   f"{'replacing' if replacing else 'into an empty folder'}")
        assert_no_process_left(build)
        if out.exists():
            assert fk.lies(out) == [], context
        assert watcher.found == [], context
        if replacing:
            # Nothing is missing: what the kill interrupted is A's or B's, each true.
            assert watcher.samples > 0
            for name in ARTIFACTS:
                assert (out / name).is_file(), context
        assert_repaired(reference, out)
    assert killed_with_workers >= 3, "too few kills landed while workers were running"


# --- Ctrl-C and SIGTERM ------------------------------------------------------------------

@slow
@pytest.mark.parametrize("signum, group", [(signal.SIGINT, True), (signal.SIGTERM, False)],
                         ids=["ctrl-c to the process group", "sigterm to the parent"])
def test_a_stop_signal_mid_build_is_130_a_true_message_and_no_workers(
        reference, tmp_path, signum, group):
    out = tmp_path / "dist"
    with fk.Watcher(out) as watcher:
        build = fk.start("build", "--root", str(reference.root), "--out", str(out), "-j", "2")
        wait_for(lambda: len(entries_in(out)) >= 2 and build.workers(), 60)
        build.signal(signum, group=group)
        code = build.wait()
    assert code == 130, build.stderr
    assert "Traceback" not in build.stderr
    last = build.stderr.strip().splitlines()[-1]
    assert last.startswith("Interrupted:")
    done, todo = map(int, re.match(r"Interrupted: (\d+) of (\d+) artifacts", last).groups())
    listed = entries_in(out)
    assert todo == len(ARTIFACTS)
    assert done <= len(listed) <= done + 1  # a stop between an entry and its count
    assert len(listed) < len(ARTIFACTS)
    assert_no_process_left(build, 1.5)
    assert_true_dist(out, watcher)
    if signum == signal.SIGINT:
        assert_repaired(reference, out)


def test_ctrl_c_while_the_workers_start_prints_only_the_interrupted_line(reference, tmp_path):
    """A terminal sends Ctrl-C to every process of the build, workers too, at any moment.

    Whether a worker that takes it prints its traceback before the parent terminates it is
    a race; that a worker can take it at all is not: it is seen (in /proc) catching SIGINT.
    """
    out = tmp_path / "dist"
    build = fk.start("build", "--root", str(reference.root), "--out", str(out), "-j", "2")
    catching: list[str] = []

    def workers_started() -> bool:
        starting = fk.starting_workers(build, settled=0.1)
        catching.extend(fk.describe(starting).splitlines())
        workers = fk.pool_workers(build)
        importing = [p for p in workers if fk.age(p) >= 0.1
                     and fk.handles(p, signal.SIGINT) == "blocked"]
        return bool(starting) or bool(importing) or (len(workers) == 2 and all(
            fk.handles(p, signal.SIGINT) == "ignore" for p in workers))

    wait_for(workers_started, 60, step=0.002)
    build.signal(signal.SIGINT, group=True)
    code = build.wait()
    assert code == 130
    assert_no_process_left(build, 1.5)
    assert fk.lies(out) == []
    lines = build.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Interrupted:"), build.stderr
    assert catching == [], "workers that Ctrl-C would raise KeyboardInterrupt in"


def test_ctrl_c_after_the_pdfs_are_written_does_not_say_none_was(
        tmp_path, capsys, monkeypatch):
    """A Ctrl-C while the downloads page is written, after the PDF was replaced."""
    root = fk.make_fault_project(tmp_path / "site", ("alpha",))
    assert run(capsys, "build", "--root", str(root), "-j", "1", "-q", "--paper", "a4")[0] == 0
    before = (root / "dist" / "alpha.pdf").read_bytes()
    site = root / "site.yaml"
    site.write_text(site.read_text().replace(TAGLINE, "tagline: Other words.\n"))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "write_downloads_page", interrupted)
    code, _, err = run(capsys, "build", "--root", str(root), "-j", "1", "-q", "--paper", "a4")
    assert code == 130
    assert (root / "dist" / "alpha.pdf").read_bytes() != before  # it was replaced
    assert fk.lies(root / "dist") == []
    assert err.startswith("Interrupted:")
    assert "no PDF was replaced" not in err, err


# --- a full disk, an unwritable --out ------------------------------------------------------

def _mount(where: Path, options: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


def _remount(where: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(where)], check=True)


def _one_error_line(build: fk.Build, out: Path, reason: str) -> None:
    assert build.process.returncode == 1, build.stderr
    assert build.stderr.splitlines() == [f"Error: cannot write to {out}: {reason}"]


@slow
def test_a_full_disk_is_one_line_a_true_dist_and_the_next_build_repairs(reference, tmp_path):
    """A tmpfs that holds the first PDFs but not all; then room again; then a rebuild that
    runs out of room while it replaces PDFs; then a read-only one."""
    mount = tmp_path / "disk"
    sizes = [len(data) for data in reference.files.values()]
    small = 4096 * (sum(sizes) // 2 // 4096)  # about half of a finished dist
    _mount(mount, f"size={small}")
    try:
        out = mount / "dist"
        with fk.Watcher(out) as watcher:
            full = fk.run_to_end("build", "--root", str(reference.root), "--out", str(out),
                                 "-j", "2")
        _one_error_line(full, out, "the disk is full; free some space and build again")
        listed = entries_in(out)
        assert 0 < len(listed) < len(ARTIFACTS), "the disk should fill halfway"
        assert_true_dist(out, watcher)
        assert_no_process_left(full)

        _remount(mount, "size=64m")
        assert_repaired(reference, out)

        # Room for less than one more PDF: the first replacement cannot be written.
        used = shutil.disk_usage(mount).used
        _remount(mount, f"size={used + 16384}")
        with fk.Watcher(out) as watcher:
            tight = fk.run_to_end("build", "--root", str(reference.other), "--out", str(out),
                           "-j", "1")
        _one_error_line(tight, out, "the disk is full; free some space and build again")
        assert_true_dist(out, watcher)
        assert set(entries_in(out)) >= set(ARTIFACTS) - {ARTIFACTS[0]}

        _remount(mount, "ro")
        readonly = fk.run_to_end("build", "--root", str(reference.root), "--out", str(out),
                                 "-j", "1")
        _one_error_line(readonly, out, "it is on a read-only file system; choose another "
                                       "folder with --out")
        assert fk.lies(out) == []
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_an_out_under_a_file_is_one_line(reference, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    out = tmp_path / "file" / "dist"
    build = fk.run_to_end("build", "--root", str(reference.root), "--out", str(out))
    _one_error_line(build, out, "part of that path is a file, not a folder; choose another --out")


# --- two builds into one folder -------------------------------------------------------------

@slow
def test_a_second_build_into_the_same_out_waits_and_neither_loses_the_others_entries(
        reference, tmp_path):
    out = tmp_path / "dist"
    first_targets = ["alpha", "beta"]
    with fk.Watcher(out) as watcher:
        first = fk.start("build", *first_targets, "--root", str(reference.root),
                         "--out", str(out), "-j", "1", "-q")
        lock = out / ".guidepress.lock"
        wait_for(lambda: lock.is_file() and lock.read_text().strip() == str(first.pid), 60)
        second = fk.start("build", "gamma", "--root", str(reference.root), "--out", str(out),
                          "-j", "1", "-q")
        assert first.wait() == 0, first.stderr
        assert second.wait() == 0, second.stderr
    # The first still held the lock when the second came to it, and the second says whose.
    assert second.stderr.splitlines() == [
        f"Waiting for another build into {out} to finish (pid {first.pid})..."]
    assert first.stderr == ""
    assert entries_in(out) == sorted(ARTIFACTS)
    assert_true_dist(out, watcher)
    built = fk.published(out)
    assert fk.differences(built, reference.files) == []


@slow
def test_a_build_waiting_for_a_killed_build_goes_on_and_keeps_what_it_finished(
        reference, tmp_path):
    """The lock goes with the process: kill -9 the first build while the second waits."""
    out = tmp_path / "dist"
    first = fk.start("build", "alpha", "beta", "--root", str(reference.root), "--out", str(out),
                     "-j", "2", "-q")
    lock = out / ".guidepress.lock"
    wait_for(lambda: lock.is_file() and lock.read_text().strip() == str(first.pid), 60)
    second = fk.start("build", "gamma", "--root", str(reference.root), "--out", str(out),
                      "-j", "2", "-q")
    wait_for(lambda: fk.waits_for_a_lock(second.pid), 60)
    finished = wait_for(lambda: entries_in(out) if len(entries_in(out)) >= 2 else None, 60)
    first.signal(signal.SIGKILL)
    assert first.wait() == -signal.SIGKILL
    assert second.wait() == 0, second.stderr
    assert second.stderr.splitlines() == [
        f"Waiting for another build into {out} to finish (pid {first.pid})..."]
    listed = entries_in(out)
    assert set(finished) | {"gamma.pdf", "gamma-letter.pdf"} <= set(listed)
    assert fk.lies(out) == []
    assert_no_process_left(first)


# --- partial builds ----------------------------------------------------------------------

@slow
def test_partial_builds_keep_every_other_entry_and_the_page_links_them(reference, tmp_path):
    """Root B's --paper letter, then --shard 1/4, then one named target, over A's dist."""
    out = reference.copy_to(tmp_path / "dist")
    rebuilt: set[str] = set()
    for args, makes in [(["--paper", "letter"], [n for n in ARTIFACTS if "letter" in n]),
                        (["--shard", "1/4"], [ARTIFACTS[0], ARTIFACTS[4]]),
                        (["beta"], ["beta.pdf"])]:
        partial = fk.run_to_end("build", *args, "--root", str(reference.other), "--out", str(out),
                         "-j", "2", "-q")
        assert partial.process.returncode == 0, partial.stderr
        rebuilt |= set(makes)
        manifest = {e["path"]: e for e in json.loads((out / "manifest.json").read_text())[
            "artifacts"]}
        assert sorted(manifest) == sorted(ARTIFACTS), args
        for name in ARTIFACTS:
            from_a = manifest[name]["sha256"] == reference.sha(name)
            assert from_a == (name not in rebuilt), (args, name)
        assert fk.lies(out) == []
        page = (out / "index.html").read_text(encoding="utf-8")
        for name in ARTIFACTS:
            assert f'href="{name}"' in page, (args, name)
        for slug in fk.SLUGS:
            assert f'src="{slug}.png"' in page, (args, slug)
