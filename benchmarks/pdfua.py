#!/usr/bin/env python3
"""PDF/UA findings, time and size of the finishing step, per catalogue artifact.

    .venv/bin/python benchmarks/pdfua.py [--paper a4] [--variant pdf/a-3u]

Builds the shipped catalogue twice into scratch folders: once as WeasyPrint writes it (the
finishing step and its footnote tags switched off), once as guidepress ships it; prints the
structure checker's findings per rule for both (tests/uacheck.py), the bytes of each PDF,
and the time `pdfua.finish` took for each artifact. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "tests"))

import uacheck  # noqa: E402
from guidepress import pdfua  # noqa: E402
from guidepress.cli import main as cli  # noqa: E402


def build(root: Path, out: Path, paper: str, variant: str | None) -> None:
    argv = ["build", "--root", str(root), "--out", str(out), "--force", "-q", "-j", "1"]
    if paper:
        argv += ["--paper", paper]
    if variant:
        argv += ["--pdf-variant", variant]
    with contextlib.redirect_stdout(io.StringIO()):
        if cli(argv) != 0:
            raise SystemExit("the build failed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper", default=None, help="one paper (default: every paper "
                                                      "site.yaml lists)")
    parser.add_argument("--variant", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "site"
        root.mkdir()
        for name in ("site.yaml", "frameworks.yaml", "guides", "glossary", "cheatsheets"):
            source = PROJECT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)

        finish, tagging = pdfua.finish, pdfua.tagging
        pdfua.finish = lambda data, variant=None: data
        pdfua.tagging = nullcontext
        try:
            build(root, Path(scratch) / "before", args.paper, None)
        finally:
            pdfua.finish, pdfua.tagging = finish, tagging

        times: dict[str, float] = {}

        def timed(data, variant=None):
            started = time.perf_counter()
            result = finish(data, variant)
            title = len(times)
            times[f"#{title}"] = time.perf_counter() - started
            return result

        pdfua.finish = timed
        try:
            build(root, Path(scratch) / "after", args.paper, args.variant)
        finally:
            pdfua.finish = finish

        manifest = json.loads((Path(scratch) / "after" / "manifest.json").read_text())
        names = [a["path"] for a in manifest["artifacts"]]
        before = {name: uacheck.counts(Path(scratch) / "before" / name) for name in names}
        after = {name: uacheck.counts(Path(scratch) / "after" / name) for name in names}
        rules = sorted({rule for found in (*before.values(), *after.values()) for rule in found})
        print("| artifact | " + " | ".join(rules) + " | bytes before | bytes after |")
        print("| --- " * (len(rules) + 3) + "|")
        totals_before, totals_after = Counter(), Counter()
        for name in names:
            totals_before.update(before[name])
            totals_after.update(after[name])
            cells = [f"{before[name].get(rule, 0)} → {after[name].get(rule, 0)}"
                     for rule in rules]
            print(f"| {name} | " + " | ".join(cells) +
                  f" | {(Path(scratch) / 'before' / name).stat().st_size:,} | "
                  f"{(Path(scratch) / 'after' / name).stat().st_size:,} |")
        print("| all | " + " | ".join(f"{totals_before.get(r, 0)} → {totals_after.get(r, 0)}"
                                     for r in rules) + " | | |")
        spent = sorted(times.values())
        print(f"\nfinish: {len(spent)} PDFs (measuring passes included), "
              f"total {sum(spent):.2f} s, median {spent[len(spent) // 2] * 1000:.0f} ms, "
              f"max {spent[-1] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
