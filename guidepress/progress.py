"""What a build prints: one line per artifact it built or failed, then one summary line
("2 built, 10 up to date, 0 failed in 3.1 s"); a live status line on a terminal; with -v also
a line per artifact kept up to date; with -q only errors and the summary. Errors always go to
stderr, one per line."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO


def print_problems(problems: list, then: str = "") -> None:
    """Every problem on its own line, then how many there were and `then`, on stderr."""
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found{then}.", file=sys.stderr)


class Reporter:
    """Prints build progress; `live` redraws one status line (for a terminal)."""

    def __init__(self, out: Path, quiet: bool = False, verbose: bool = False,
                 live: bool | None = None, stream: TextIO | None = None):
        self.out = out
        self.quiet = quiet
        self.verbose = verbose
        self.stream = stream or sys.stdout
        self.live = (not quiet and self.stream.isatty()) if live is None else live
        self.names: list[str] = []
        self.todo: list[str] = []
        self.done = 0
        self.started = time.perf_counter()
        self.shown: set[str] = set()

    def plan(self, names: list[str], todo: list[str]) -> None:
        """Hear what the build will make and what it must render."""
        self.names, self.todo, self.done = names, todo, 0
        self.started = time.perf_counter()
        self._status()

    def outcome(self, outcome) -> None:
        """Hear one artifact's outcome."""
        self.done += 1
        self._clear()
        name = self.out / (outcome.entry.path if outcome.ok else outcome.artifact.filename)
        if not outcome.ok:
            print(f"failed {name}", file=sys.stderr)
            for problem in outcome.problems:
                print(problem, file=sys.stderr)
        elif not self.quiet and (not outcome.skipped or self.verbose):
            entry = outcome.entry
            pages = f"{entry.pages} page{'s' if entry.pages != 1 else ''}"
            if outcome.skipped:
                print(f"kept   {name}  up to date", file=self.stream)
            else:
                note = f", {outcome.note}" if outcome.note else ""
                print(f"built  {name}  {pages}, {entry.bytes / 1024:.0f} KiB, "
                      f"{outcome.seconds:.1f} s{note}", file=self.stream)
        for warning in outcome.warnings:
            # Setup warnings matter on every run; WeasyPrint's CSS notes only with -v.
            if self.verbose or (warning.startswith("slow font subsetting")
                                and warning not in self.shown):
                self.shown.add(warning)
                print(f"warning: {warning}", file=sys.stderr)
        self._status()

    def summary(self, report) -> None:
        """The closing line: counts and time, printed even with -q."""
        self._clear()
        failed = len(report.failed)
        kept = sum(1 for o in report.outcomes if o.skipped)
        built = len(report.outcomes) - failed - kept
        line = f"{built} built, {kept} up to date, {failed} failed in {report.seconds:.1f} s"
        print(line, file=sys.stderr if failed else self.stream)

    def _status(self) -> None:
        if not self.live or not self.names:
            return
        pending = [n for n in self.names[self.done:] if n in self.todo]
        current = f"rendering {pending[0]}" if pending else "finishing"
        elapsed = time.perf_counter() - self.started
        self.stream.write(f"\r\x1b[K[{self.done}/{len(self.names)}] {elapsed:5.1f} s  {current}")
        self.stream.flush()

    def _clear(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
