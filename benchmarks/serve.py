"""Save-to-reload time of `build-pdfs serve`, and of `build-pdfs watch` for comparison.

    .venv/bin/python benchmarks/serve.py [--edits 5] [--guide chatgpt] [-j 2]

Copies the content root into a temporary folder and builds it once; then, for `watch`, edits
one paragraph of one guide several times and times save -> its default-paper PDF rewritten
in dist/ (and -> the build's summary line); then, for `serve` (port 0), times save -> the
reload event the open viewer page of that PDF hears on /__guidepress/events, and save -> the
second reload, for the other paper. Prints every run and the medians.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, str(PROJECT / "build_pdfs.py")]


def copy_root(into: Path) -> Path:
    """A copy of the project's content root."""
    for name in ("site.yaml", "frameworks.yaml", "guides", "glossary", "cheatsheets"):
        source = PROJECT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, into / name)
    return into


def guide_source(root: Path, slug: str) -> Path:
    """The file holding the guide's first paragraph: guides/<slug>.md or its first chapter."""
    single = root / "guides" / f"{slug}.md"
    return single if single.exists() else sorted((root / "guides" / slug).glob("*.md"))[0]


ORIGINALS: dict[Path, str] = {}


def edit(source: Path, run: int) -> float:
    """Put a new sentence after the first chapter heading; return the time of the save."""
    text = ORIGINALS.setdefault(source, source.read_text(encoding="utf-8"))
    at = text.index("\n", text.index("\n# ") + 1)
    started = time.perf_counter()
    source.write_text(text[:at] + f"\n\nBenchmark edit {run}: a sentence that changes on "
                      "every save.\n" + text[at:], encoding="utf-8")
    return started


def lines_of(process: subprocess.Popen, sink: list[tuple[float, str]]) -> None:
    """Collect a process's stderr and stdout lines with the time each arrived."""
    for line in process.stdout:
        sink.append((time.perf_counter(), line.rstrip("\n")))


def start(args: list[str]) -> tuple[subprocess.Popen, list[tuple[float, str]]]:
    process = subprocess.Popen(COMMAND + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    sink: list[tuple[float, str]] = []
    threading.Thread(target=lines_of, args=(process, sink), daemon=True).start()
    return process, sink


def wait_for(sink: list, pattern: str, after: float, timeout: float = 300) -> float:
    """The time the first line matching `pattern` arrived after `after`."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        for at, line in list(sink):
            if at >= after and re.search(pattern, line):
                return at
        time.sleep(0.02)
    raise TimeoutError(pattern)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(2)
    process.wait(timeout=60)


def bench_watch(root: Path, slug: str, edits: int, jobs: int) -> list[tuple[float, float]]:
    process, sink = start(["watch", "--root", str(root), "-j", str(jobs)])
    wait_for(sink, r"^Watching ", 0)
    pdf = root / "dist" / f"{slug}.pdf"
    runs = []
    for run in range(edits):
        before = pdf.stat().st_mtime_ns
        saved = edit(guide_source(root, slug), run)
        while pdf.stat().st_mtime_ns == before:
            time.sleep(0.01)
        written = time.perf_counter()
        done = wait_for(sink, r"built, .* in ", saved)
        runs.append((written - saved, done - saved))
        print(f"watch  edit {run + 1}: {slug}.pdf written {written - saved:.2f} s, "
              f"build done {done - saved:.2f} s", flush=True)
        time.sleep(0.5)
    stop(process)
    return runs


def events(port: int, path: str, seen: int):
    """The states the events endpoint sends a page showing `path` as of build `seen`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", f"/__guidepress/events?path={path}&seen={seen}")
    response = connection.getresponse()
    for line in response:
        if line.startswith(b"data: "):
            yield json.loads(line[6:])


def bench_serve(root: Path, slug: str, edits: int, jobs: int) -> list[tuple[float, float]]:
    process, sink = start(["serve", "--root", str(root), "--port", "0", "-j", str(jobs)])
    wait_for(sink, r"^Serving http", 0)
    port = int(next(re.search(r":(\d+)/", line).group(1) for _, line in sink
                    if line.startswith("Serving")))
    other = next(f"{slug}-{p}.pdf" for p in ("letter", "a4")
                 if (root / "dist" / f"{slug}-{p}.pdf").exists())
    runs = []
    for run in range(edits):
        first = next(events(port, f"{slug}.pdf", 10**9))["generation"]
        results: dict[str, float] = {}

        def hear(path: str) -> None:
            for state in events(port, path, first):
                if state["reload"]:
                    results[path] = time.perf_counter()
                    return

        listeners = [threading.Thread(target=hear, args=(p,), daemon=True)
                     for p in (f"{slug}.pdf", other)]
        for listener in listeners:
            listener.start()
        time.sleep(0.2)  # both pages are listening
        saved = edit(guide_source(root, slug), run)
        for listener in listeners:
            listener.join(timeout=120)
        wait_for(sink, r"built, .* in ", saved)
        reload, second = results[f"{slug}.pdf"] - saved, results[other] - saved
        runs.append((reload, second))
        print(f"serve  edit {run + 1}: reload of {slug}.pdf {reload:.2f} s, "
              f"of {other} {second:.2f} s", flush=True)
        time.sleep(1.0)  # the rest of the build settles
    stop(process)
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--guide", default="chatgpt")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="guidepress-serve-bench-") as folder:
        root = copy_root(Path(folder))
        started = time.perf_counter()
        subprocess.run(COMMAND + ["build", "--root", str(root), "-q", "-j", str(args.jobs)],
                       check=True)
        print(f"first build: {time.perf_counter() - started:.1f} s", flush=True)
        watched = bench_watch(root, args.guide, args.edits, args.jobs)
        served = bench_serve(root, args.guide, args.edits, args.jobs)
    print(f"watch: save -> {args.guide}.pdf written, median "
          f"{statistics.median(w for w, _ in watched):.2f} s; -> build done, median "
          f"{statistics.median(d for _, d in watched):.2f} s")
    print(f"serve: save -> reload, median {statistics.median(r for r, _ in served):.2f} s; "
          f"-> second reload (other paper), median "
          f"{statistics.median(s for _, s in served):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
