"""A rebuild with nothing to do, known without loading the project.

A build that wrote every artifact it was asked for leaves, in the output folder's state, a
record of how things stood when it started: the size and modification time of every file
under the content root and of the tool's own code, templates and styles, the options, the
environment that changes output (SOURCE_DATE_EPOCH, GUIDEPRESS_TODAY) and the day; and how
its outputs stood when it ended. When all of that is still so, nothing can have changed and
the build is the same no-op the full comparison would find, with the same warnings; it then
costs a walk of the folders instead of reading and checking every source. Anything else
(a file touched, added or removed, an output edited, a stray file in the output folder, an
option changed, another day) takes the full path. Imports only the standard library.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from . import __version__
from .errors import Problem

#: The key of the record in the state file (no artifact's file can be called this).
KEY = "~no-op"
PROJECT_DIR = Path(__file__).resolve().parent.parent
#: Folders never read as sources: version control, environments, caches.
_SKIPPED = {"__pycache__", "node_modules"}


def signature(root: Path, out: Path, options: dict) -> str:
    """One hash of everything a build's result depends on, by file size and time."""
    digest = hashlib.sha256(json.dumps({
        "tool": __version__, "options": options, "day": dt.date.today().isoformat(),
        "env": [os.environ.get(name, "") for name in ("SOURCE_DATE_EPOCH", "GUIDEPRESS_TODAY")],
    }, sort_keys=True, default=str).encode())
    folders = [root.resolve(), *(PROJECT_DIR / name for name in ("guidepress", "templates",
                                                                  "styles"))]
    skipped = {out.resolve()}
    seen: set[Path] = set()
    for folder in folders:
        if folder in seen or any(folder.is_relative_to(s) for s in seen):
            continue
        seen.add(folder)
        _walk(folder, skipped, digest)
    return digest.hexdigest()


def _loaded_subsetter() -> str:
    """The font subsetter, when WeasyPrint is loaded already (a long-lived process: watch,
    serve, a test); a command's no-op does not load it, and trusts the files it made."""
    import sys

    if "weasyprint.pdf.fonts" not in sys.modules:
        return ""
    from .render import font_subsetter

    return font_subsetter()


def _manifest_subsetter(out: Path) -> str:
    try:
        data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(data.get("font_subsetter", "")) if isinstance(data, dict) else ""


def _walk(folder: Path, skipped: set[Path], digest) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        digest.update(f"{folder}\0unreadable\n".encode())
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _SKIPPED:
            continue
        try:
            if entry.is_dir(follow_symlinks=True):
                path = Path(entry.path)
                if path.resolve() not in skipped:
                    _walk(path, skipped, digest)
                continue
            stat = entry.stat(follow_symlinks=True)
        except OSError:
            continue
        digest.update(f"{entry.path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())


def outputs(out: Path) -> dict[str, list[int]] | None:
    """Size and time of every file in the output folder but the lock and the state; None
    when the folder cannot be read."""
    try:
        stats = {e.name: e.stat() for e in os.scandir(out)
                 if e.name not in (".guidepress.lock", ".guidepress-state.json")}
    except OSError:
        return None
    return {name: [stat.st_size, stat.st_mtime_ns] for name, stat in stats.items()}


def read_record(out: Path) -> dict | None:
    """The record the last complete build left, if any."""
    try:
        data = json.loads((out / ".guidepress-state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    record = data.get(KEY) if isinstance(data, dict) else None
    return record if isinstance(record, dict) else None


def unchanged(root: Path, out: Path, options: dict) -> tuple[list[str], list[Problem]] | None:
    """When nothing changed since the last complete build with these options: the output
    names in build order and the warnings that build gave; otherwise None."""
    record = read_record(out)
    if not record or record.get("outputs") != outputs(out):
        return None
    subsetter = _loaded_subsetter()
    if subsetter and subsetter != _manifest_subsetter(out):
        return None  # this process subsets fonts otherwise than the files were made
    if record.get("signature") != signature(root, out, options):
        return None
    try:
        warnings = [Problem(str(p), l, c, str(m)) for p, l, c, m in record["warnings"]]
        names = [str(name) for name in record["names"]]
    except (KeyError, TypeError, ValueError):
        return None
    return names, warnings


def make_record(started: str, out: Path, names: list[str], warnings: list[Problem]) -> dict:
    """What `unchanged` compares with: the signature taken as the build started (a source
    edited while it ran then no longer matches) and the outputs as they are now."""
    return {"signature": started, "outputs": outputs(out), "names": names,
            "warnings": [[p.path, p.line, p.col, p.message] for p in warnings]}


def build_options(root: Path, out: Path, targets, paper, shard, strict, variant,
                  allow_placeholder) -> dict:
    """The options that change what a build makes (not --jobs, not the output's verbosity)."""
    return {"root": str(root.resolve()), "out": str(out.resolve()), "targets": targets or [],
            "paper": paper, "shard": list(shard) if shard else None, "strict": strict,
            "variant": variant, "allow_placeholder": allow_placeholder}


def noop_report(root: Path, out: Path, options: dict, progress=None, on_plan=None):
    """The report of a build with nothing to do, when `unchanged` proves it is one (each
    output heard as kept, as the full path says it); None otherwise."""
    import time

    from .output import OutputLock, read_manifest
    from .report import BuildReport, Outcome

    started = time.perf_counter()
    if not (out / ".guidepress-state.json").is_file():
        return None
    with OutputLock(out):  # not while another build is writing it
        found = unchanged(root, out, options)
        if found is None:
            return None
        names, warnings = found
        entries = read_manifest(out)
    if any(name not in entries for name in names):
        return None
    if on_plan:
        on_plan(names, [])
    outcomes = [Outcome(None, entry=entries[name], skipped=True) for name in names]
    for outcome in outcomes:
        if progress:
            progress(outcome)
    return BuildReport(outcomes, time.perf_counter() - started, warnings)
