"""Helpers for the fault tests: a content root that takes a few seconds to build, the build
as a separate process, its processes found through /proc, and the checks that dist/ tells
the truth (every manifest entry names a file there with that size and sha256; the downloads
page links only files that are there).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from conftest import GUIDE, SITE, make_project
from guidepress.project import PROJECT_DIR

#: The guides of the fault project (alpha is conftest's GUIDE; the others are copies of it).
SLUGS = ("alpha", "beta", "gamma")
#: The environment variable every process of one build inherits, so that its workers can
#: be found even after they have lost their parent.
TAG = "GUIDEPRESS_FAULT_TAG"

_LINK_RE = re.compile(r'(?:href|src)="([^"]+)"')


def make_fault_project(root: Path, slugs: tuple[str, ...] = SLUGS) -> Path:
    """A root with a guide per slug on A4 and Letter: 2 artifacts per guide, about a
    second each to render."""
    site = SITE.replace("paper: a4\n", "paper: a4\npapers: [a4, letter]\n")
    files = {"site.yaml": site}
    for slug in slugs:
        title = f"{slug.title()} Guide"
        files[f"guides/{slug}.md"] = GUIDE.replace("Alpha Guide", title)
    if "alpha" not in slugs:
        files["guides/alpha.md"] = None
    return make_project(root, files)


def command(*args: str) -> list[str]:
    """The command line of `build-pdfs ARGS`, through the repository's build_pdfs.py."""
    return [sys.executable, str(PROJECT_DIR / "build_pdfs.py"), *args]


@dataclass
class Build:
    """A build running in its own process (and session: its own process group)."""

    process: subprocess.Popen
    tag: str
    started: float
    stdout: str = ""
    stderr: str = ""

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait(self, timeout: float = 120) -> int:
        """Wait for the end; keep what it printed; return its exit code."""
        out, err = self.process.communicate(timeout=timeout)
        self.stdout, self.stderr = out, err
        return self.process.returncode

    def signal(self, signum: int, group: bool = False) -> None:
        """Send `signum` to the build, or to its whole process group (what Ctrl-C does)."""
        if group:
            os.killpg(self.pid, signum)
        else:
            os.kill(self.pid, signum)

    def processes(self) -> list[int]:
        """The live processes of this build (the parent, its workers, their helpers)."""
        return tagged_processes(self.tag)

    def workers(self) -> list[int]:
        """The live processes of this build other than the parent."""
        return [pid for pid in self.processes() if pid != self.pid]


def start(*args: str, env: dict[str, str] | None = None) -> Build:
    """Start `build-pdfs ARGS` with its output captured; SOURCE_DATE_EPOCH unset."""
    tag = uuid.uuid4().hex
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env or {})
    environment[TAG] = tag
    process = subprocess.Popen(command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=environment, start_new_session=True)
    return Build(process, tag, time.monotonic())


def run_to_end(*args: str, timeout: float = 120) -> Build:
    """Run `build-pdfs ARGS` to its end."""
    build = start(*args)
    build.wait(timeout)
    return build


def _state(pid: int) -> str | None:
    """The one-letter state of a process (None when it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()[0]


def tagged_processes(tag: str) -> list[int]:
    """Every live (not zombie) process whose environment holds TAG=tag.

    A worker whose parent was killed is adopted by init, which may never reap it: a zombie
    has ended, so it does not count.
    """
    needle = f"{TAG}={tag}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0") and _state(int(entry.name)) not in (None, "Z", "X"):
            found.append(int(entry.name))
    return sorted(found)


def wait_until_gone(build: Build, seconds: float) -> list[int]:
    """Wait up to `seconds` for every process of `build` to end; return those still alive."""
    deadline = time.monotonic() + seconds
    while True:
        alive = build.processes()
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def describe(pids: list[int]) -> str:
    """The command lines of `pids`, for an assertion message."""
    return "\n".join(f"{pid} [{_state(pid)}]: {cmdline(pid)}" for pid in pids)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_lies(out: Path, manifest_bytes: bytes | None = None) -> list[str]:
    """Every way the manifest in `out` (or the given text of it) does not tell the truth."""
    if manifest_bytes is None:
        path = out / "manifest.json"
        if not path.exists():
            return []
        manifest_bytes = path.read_bytes()
    try:
        document = json.loads(manifest_bytes)
    except ValueError as exc:
        return [f"manifest.json is not JSON ({exc})"]
    lies = []
    for entry in document["artifacts"]:
        path = out / entry["path"]
        try:
            data = path.read_bytes()
        except OSError:
            lies.append(f"{entry['path']}: listed, but missing")
            continue
        if len(data) != entry["bytes"]:
            lies.append(f"{entry['path']}: listed as {entry['bytes']} bytes, has {len(data)}")
        elif hashlib.sha256(data).hexdigest() != entry["sha256"]:
            lies.append(f"{entry['path']}: its sha256 is not the listed one")
    return lies


def page_lies(out: Path) -> list[str]:
    """Every local file the downloads page links to or shows that is not there."""
    page = out / "index.html"
    if not page.exists():
        return []
    links = _LINK_RE.findall(page.read_text(encoding="utf-8"))
    local = [link for link in links if not re.match(r"^[a-z]+:", link) and link != "#"]
    return [f"index.html links {link}, which is missing"
            for link in local if not (out / link.split("#")[0]).is_file()]


def lies(out: Path) -> list[str]:
    """What dist/ says that is not true: the manifest's entries and the page's links."""
    return manifest_lies(out) + page_lies(out)


def manifest_paths(out: Path) -> list[str]:
    """The paths the manifest lists."""
    document = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [entry["path"] for entry in document["artifacts"]]


def published(out: Path) -> dict[str, bytes]:
    """Every file a reader sees in `out` (not the hidden state, lock or temporaries)."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    """The names whose bytes differ between two `published` snapshots, or that only one has."""
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


@dataclass
class Watcher:
    """Checks the manifest again and again while a build runs, from another thread.

    A sample counts only when the manifest's bytes are the same before and after its files
    were read: a build that takes an entry out before it replaces the entry's file has then
    told the truth at that moment, however the two reads interleave with its writes.
    """

    out: Path
    samples: int = 0
    found: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> "Watcher":
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join()

    def _watch(self) -> None:
        path = self.out / "manifest.json"
        while not self._stop.is_set():
            try:
                before = path.read_bytes()
            except OSError:
                time.sleep(0.02)
                continue
            found = manifest_lies(self.out, before)
            try:
                after = path.read_bytes()
            except OSError:
                after = None
            if after == before:
                self.samples += 1
                self.found.extend(f for f in found if f not in self.found)
            time.sleep(0.01)


def waits_for_a_lock(pid: int) -> bool:
    """Whether a process is blocked waiting for a file lock (a "->" line of /proc/locks)."""
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[1] == "->" and fields[5] == str(pid):
            return True
    return False


def cmdline(pid: int) -> str:
    """A process's command line ("" when it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def _mask(pid: int, field: str) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return int(re.search(rf"^{field}:\s*([0-9a-f]+)$", status, re.M).group(1), 16)


def handles(pid: int, signum: int) -> str | None:
    """What a process does with `signum` now: "ignore", "blocked" (held back: a worker is
    born with SIGINT blocked, and discards it when it starts ignoring it), "catch" (a Python
    handler, such as the one that raises KeyboardInterrupt), "default"; None when it is
    gone."""
    ignored, caught, blocked = (_mask(pid, "SigIgn"), _mask(pid, "SigCgt"),
                                _mask(pid, "SigBlk"))
    if ignored is None or caught is None or blocked is None:
        return None
    bit = 1 << (signum - 1)
    if ignored & bit:
        return "ignore"
    if blocked & bit:
        return "blocked"
    return "catch" if caught & bit else "default"


def age(pid: int) -> float:
    """Seconds since a process started (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except OSError:
        return 0.0
    return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")


def starting_workers(build: Build, settled: float = 0.25) -> list[int]:
    """The build's worker processes that are still starting: Python has run in them for
    `settled` seconds (it is importing the modules a worker needs) and turns SIGINT into
    KeyboardInterrupt, since they do not ignore it yet (a worker does once it runs its
    initializer)."""
    return [pid for pid in pool_workers(build) if age(pid) >= settled
            and handles(pid, signal.SIGINT) == "catch"]


def pool_workers(build: Build) -> list[int]:
    """The build's rendering processes: forked copies of it (Linux) or spawned ones, not
    multiprocessing's resource tracker."""
    return [pid for pid in build.workers() if "resource_tracker" not in cmdline(pid)]
