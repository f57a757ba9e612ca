"""`build-pdfs watch`: rebuild what changed on every save, report errors, keep watching."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Callable, Iterator

from watchfiles import watch as watch_changes

from .build import BuildReport, build
from .errors import GuidepressError, Interrupted, SourceErrors
from .progress import Reporter, print_problems
from .project import PROJECT_DIR

#: What a content root is made of; the project's own templates and styles count too.
WATCHED = ("site.yaml", "guides", "glossary", "cheatsheets", "templates", "styles")


def watched_paths(root: Path) -> list[Path]:
    """The sources of `root` that exist, and the project's templates and styles."""
    paths = [root / name for name in WATCHED if (root / name).exists()]
    paths += [PROJECT_DIR / "templates", PROJECT_DIR / "styles"]
    return list(dict.fromkeys(p.resolve() for p in paths))


def rebuild(root: Path, out: Path, jobs: int, reporter: Reporter) -> bool:
    """One incremental build; report problems instead of raising. True when all went well."""
    report, problems = attempt(root, out, jobs, reporter)
    return report is not None and not problems


def attempt(root: Path, out: Path, jobs: int, reporter: Reporter,
            targets: list[str] | None = None, paper: str | None = None
            ) -> tuple[BuildReport | None, list[str]]:
    """One incremental build of `targets` (all when None) on `paper` (every paper when None);
    print its problems instead of raising. Returns the report (None when nothing was built)
    and the problems, one `path:line: message` line each."""
    try:
        report = build(root, out, targets, paper, reporter.outcome, jobs=jobs,
                       on_plan=reporter.plan)
    except SourceErrors as exc:
        print_problems(exc.problems, f"; the PDFs in {out} are unchanged, watching for the fix")
        return None, [str(p) for p in exc.problems]
    except Interrupted:
        raise
    except GuidepressError as exc:
        print(f"Error: {exc}; watching for the fix", file=sys.stderr)
        return None, [f"Error: {exc}"]
    except Exception as exc:  # noqa: BLE001 - watching goes on through every error
        print(f"Error: the build stopped unexpectedly ({type(exc).__name__}: {exc}); "
              "watching for the next change", file=sys.stderr)
        return None, [f"Error: the build stopped unexpectedly ({type(exc).__name__}: {exc})"]
    reporter.summary(report)
    return report, [str(p) for o in report.failed for p in o.problems] or (
        [f"failed {o.artifact.filename}" for o in report.failed])


def saves(paths: list[Path], stop: threading.Event | None, started: Callable[[], None],
          step: int = 50) -> Iterator[set]:
    """Each set of changes under `paths`, watched from before `started()` runs (the first
    build): a file saved while that build runs is rebuilt after it, not missed. (Watching
    began only after the first build, so a save during it was lost.)"""
    first = True
    for changes in watch_changes(*paths, stop_event=stop, debounce=300, step=step,
                                 raise_interrupt=False, yield_on_timeout=True,
                                 rust_timeout=100):
        if first:
            first = False  # the watcher is running: what changes from here on is seen
            started()
            continue  # a change before this is in the first build
        if changes:
            yield changes


def watch(root: Path, out: Path, jobs: int = 1, reporter: Reporter | None = None,
          stop: threading.Event | None = None) -> int:
    """Build, then rebuild on every change under the sources until stopped (Ctrl-C)."""
    reporter = reporter or Reporter(out)
    out_resolved = out.resolve()

    def first_build() -> None:
        rebuild(root, out, jobs, reporter)
        print(f"Watching {root} for changes (Ctrl-C to stop).", file=sys.stderr)

    try:
        for changes in saves(watched_paths(root), stop, first_build):
            # Writing into an output folder inside a watched one must not trigger a rebuild.
            if all(Path(path).resolve().is_relative_to(out_resolved) for _, path in changes):
                continue
            rebuild(root, out, jobs, reporter)
    except (KeyboardInterrupt, Interrupted):
        print("Stopped watching.", file=sys.stderr)
    return 0
