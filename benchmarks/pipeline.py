#!/usr/bin/env python3
"""Time a full build against pandoc --pdf-engine=weasyprint on the same Markdown.

Run from the project folder after `make pdfs` has set up .venv:

    .venv/bin/python benchmarks/pipeline.py [--repeat 3]

Prints wall time, pages per second and peak memory (RSS) of each, and their ratio. Both are run
as child processes, one after the other, in the same run on the same machine: compare the
ratio, not the seconds, across machines. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run_child(argv: list[str], env: dict | None = None) -> tuple[float, int]:
    """Run a command; return (seconds, peak RSS in KiB) of that child alone."""
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far; a fresh helper process
    # measures each command on its own.
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *argv], check=True, text=True,
                         capture_output=True, env=env).stdout.split()
    return float(out[0]), int(out[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (best is kept)")
    args = parser.parse_args()
    guides = sorted((PROJECT / "guides").glob("*.md"))
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dist"
        ours = [run_child([str(BIN / "build-pdfs"), "build", "-q", "--out", str(out)], env)
                for _ in range(args.repeat)]
        manifest = json.loads((out / "manifest.json").read_text())
        pages = sum(a["pages"] for a in manifest["artifacts"])

        theirs = []
        pandoc = shutil.which("pandoc")
        for _ in range(args.repeat if pandoc else 0):
            seconds, peak = 0.0, 0
            for guide in guides:
                s, p = run_child([pandoc, str(guide), "--from", "markdown", "--standalone",
                                  "--pdf-engine=weasyprint", "-o",
                                  str(Path(tmp) / f"{guide.stem}-pandoc.pdf")], env)
                seconds, peak = seconds + s, max(peak, p)
            theirs.append((seconds, peak))

    best = min(ours)
    print(f"guidepress build: {len(guides)} guides, {pages} pages, best of {args.repeat}: "
          f"{best[0]:.2f} s, {pages / best[0]:.1f} pages/s, peak RSS {best[1] / 1024:.0f} MiB")
    if theirs:
        other = min(theirs)
        print(f"pandoc --pdf-engine=weasyprint, same Markdown: {other[0]:.2f} s, "
              f"peak RSS {other[1] / 1024:.0f} MiB")
        print(f"ratio guidepress / pandoc: {best[0] / other[0]:.2f}x time, "
              f"{best[1] / other[1]:.2f}x memory")
    else:
        print("pandoc is not installed: apt-get install pandoc to compare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
