"""The orchestrator: load and check everything, then render and write each artifact.

    load (project.py) -> prepare (artifacts.py: Markdown, templates)
    -> skip what is up to date (incremental.py) -> render (typeset.py, render.py; in
    processes with --jobs) -> write (output.py: atomic PDFs, covers.py, manifest,
    downloads.py)
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .artifacts import Artifact, prepare_cheatsheets, prepare_glossary_book, prepare_guides
from .covers import cover_png
from .errors import Collector, GuidepressError, Problem, RenderError, SourceErrors
from .downloads import write_downloads_page
from .incremental import fingerprint, read_state, sha256_of, shared_fingerprint, write_state
from .output import MANIFEST, Entry, entry_for, read_manifest, write_atomic, write_manifest
from .project import Project, load_project
from .render import Renderer, Stylesheet
from .typeset import render_pdf, stylesheets_for


@dataclass
class Outcome:
    """What happened to one artifact."""

    artifact: Artifact
    entry: Entry | None = None
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    note: str = ""
    skipped: bool = False  # up to date: kept from an earlier build

    @property
    def ok(self) -> bool:
        """True when the artifact was written."""
        return self.entry is not None


@dataclass
class BuildReport:
    """The outcome of every artifact, in build order."""

    outcomes: list[Outcome]
    seconds: float

    @property
    def failed(self) -> list[Outcome]:
        """The artifacts that were not written."""
        return [o for o in self.outcomes if not o.ok]


def check(root: Path) -> list[Problem]:
    """Validate every source without rendering; return every problem found."""
    try:
        plan(root)
    except SourceErrors as exc:
        return exc.problems
    return []


def plan(root: Path, targets: list[str] | None = None,
         paper: str | None = None) -> tuple[Project, list[Artifact]]:
    """Load, check and prepare the artifacts to build; raise SourceErrors on any problem."""
    problems = Collector()
    project = load_project(root, problems)
    if project is None:
        problems.raise_if_any()
    assert project is not None
    known = project.artifact_slugs()
    unknown = [t for t in targets or [] if t not in known]
    if unknown and not problems.problems:
        raise UnknownTarget(unknown, known)
    wanted = targets or known
    papers = [paper] if paper else project.site.papers
    artifacts = prepare_guides(project, wanted, papers, problems)
    artifacts += prepare_cheatsheets(project, wanted, papers, problems)
    if project.site.glossary and project.site.glossary["slug"] in wanted:
        artifacts += prepare_glossary_book(project, papers, problems)
    problems.raise_if_any()
    return project, artifacts


class UnknownTarget(GuidepressError):
    """A slug named on the command line that no source defines."""

    def __init__(self, unknown: list[str], known: list[str]):
        super().__init__(f"unknown target {', '.join(repr(u) for u in unknown)} "
                         f"(known: {', '.join(known) or 'none'})")


def build(root: Path, out: Path, targets: list[str] | None = None, paper: str | None = None,
          progress: Callable[[Outcome], None] | None = None, jobs: int = 1,
          force: bool = False, shard: tuple[int, int] | None = None,
          on_plan: Callable[[list[str], list[str]], None] | None = None) -> BuildReport:
    """Build the artifacts into `out`; a failing artifact never stops the others.

    `jobs` artifacts render at once, each in its own process; an artifact whose inputs have
    not changed since it was written is kept unless `force`; `shard=(k, n)` builds the k-th
    of n deterministic parts of the catalogue. `on_plan(all, to_render)` hears the output
    names before rendering starts; `progress(outcome)` hears each artifact, in build order.
    """
    started = time.perf_counter()
    project, artifacts = plan(root, targets, paper)
    if shard:
        artifacts = [a for i, a in enumerate(artifacts) if i % shard[1] == shard[0] - 1]
    out.mkdir(parents=True, exist_ok=True)
    manifest, state = read_manifest(out), read_state(out)
    shared = shared_fingerprint(project)
    for artifact in artifacts:
        artifact.inputs = fingerprint(project, artifact, shared)
    todo = [a for a in artifacts if force or not _up_to_date(a, out, manifest, state)]
    if on_plan:
        on_plan([a.filename for a in artifacts], [a.filename for a in todo])
    rendered = _render_all(project, todo, out, jobs, (root, targets, paper))
    ordered = []
    for artifact in artifacts:
        if artifact in todo:
            outcome = next(rendered)
            if outcome.ok:
                state[artifact.filename] = artifact.inputs
        else:
            outcome = Outcome(artifact, entry=manifest[artifact.filename], skipped=True)
        ordered.append(outcome)
        if progress:
            progress(outcome)
    complete = not targets and not shard
    entries = _update_manifest(out, ordered, project, manifest, keep_others=not complete)
    write_state(out, {name: fp for name, fp in state.items() if (out / name).is_file()})
    write_downloads_page(out, project, entries)
    return BuildReport(ordered, time.perf_counter() - started)


def _up_to_date(artifact: Artifact, out: Path, manifest: dict[str, Entry],
                state: dict[str, str]) -> bool:
    """True when the artifact's PDF was made from exactly these inputs and is unchanged."""
    entry = manifest.get(artifact.filename)
    if entry is None or state.get(artifact.filename) != artifact.inputs:
        return False
    if artifact.makes_cover and not (out / entry.cover).is_file():
        return False
    return sha256_of(out / artifact.filename) == entry.sha256


# What a worker process of a parallel build renders from: its own plan of the same sources.
_WORK: dict = {}


def _render_all(project: Project, artifacts: list[Artifact], out: Path, jobs: int,
                planned: tuple) -> Iterator[Outcome]:
    """Render artifacts, in `jobs` processes when more than one; yield in build order.

    Workers are started fresh ("spawn": safe on every platform and beside threads) and plan
    the same sources again, since an artifact's HTML makers cannot be sent to them.
    """
    if jobs <= 1 or len(artifacts) <= 1:
        renderer = Renderer(project.allowed_folders)
        for artifact in artifacts:
            yield render_one(artifact, renderer, stylesheets_for(project, artifact), out)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(artifacts)), mp_context=context,
                             initializer=_start_worker, initargs=planned) as pool:
        futures = [pool.submit(_render_in_worker, a.filename, out) for a in artifacts]
        for artifact, future in zip(artifacts, futures):
            result = future.result()
            yield Outcome(artifact, result.entry, result.problems, result.seconds,
                          result.warnings, result.note)


def _start_worker(root: Path, targets: list[str] | None, paper: str | None) -> None:
    """Plan the build in a worker process."""
    project, artifacts = plan(root, targets, paper)
    _WORK.update(project=project, renderer=Renderer(project.allowed_folders),
                 artifacts={a.filename: a for a in artifacts})


def _render_in_worker(filename: str, out: Path) -> Outcome:
    """Render one artifact in a worker process; return its outcome without the artifact."""
    project, artifact = _WORK["project"], _WORK["artifacts"][filename]
    outcome = render_one(artifact, _WORK["renderer"], stylesheets_for(project, artifact), out)
    outcome.artifact = None  # its HTML makers cannot cross processes; the parent has it
    return outcome


def render_one(artifact: Artifact, renderer: Renderer, stylesheets: list[Stylesheet],
               out: Path) -> Outcome:
    """Render one artifact and write it atomically; report problems instead of raising."""
    started = time.perf_counter()
    outcome = Outcome(artifact)
    try:
        data, pages, log = render_pdf(artifact, renderer, stylesheets)
        if artifact.makes_cover:
            write_atomic(out / f"{artifact.slug}.png", cover_png(data))
        write_atomic(out / artifact.filename, data)
        outcome.entry = entry_for(artifact, data, pages)
        outcome.warnings = log.warnings
        outcome.note = log.note
    except RenderError as exc:
        outcome.problems = exc.problems
    except Exception as exc:  # noqa: BLE001 - one artifact's crash must not stop the rest
        outcome.problems = [Problem(artifact.sources[0][0], None, None,
                                    f"rendering failed: {type(exc).__name__}: {exc}")]
    outcome.seconds = time.perf_counter() - started
    return outcome


def _update_manifest(out: Path, outcomes: list[Outcome], project: Project,
                     old: dict[str, Entry], keep_others: bool) -> list[Entry]:
    """Record what is in the output folder; a failed artifact keeps its earlier entry.

    A partial build (named targets, one shard) keeps the entries of the other artifacts.
    Returns the entries written.
    """
    planned = {o.artifact.filename for o in outcomes}
    entries = {path: e for path, e in old.items() if keep_others or path in planned}
    for outcome in outcomes:
        if outcome.entry is not None:
            entries[outcome.entry.path] = outcome.entry
    entries = {path: e for path, e in entries.items() if (out / path).is_file()}
    write_manifest(out, list(entries.values()),
                   project.source_date().strftime("%Y-%m-%dT%H:%M:%SZ"))
    return list(entries.values())


def verify(root: Path, out: Path, jobs: int = 1) -> tuple[list[str], int]:
    """Rebuild everything into a temporary folder; name every artifact whose bytes differ
    from the manifest in `out`. Returns the differences and the number of artifacts checked."""
    published = read_manifest(out)
    if not published:
        raise GuidepressError(f"{out / MANIFEST} is missing or unreadable: nothing to verify")
    with tempfile.TemporaryDirectory(prefix="guidepress-verify-") as folder:
        report = build(root, Path(folder), jobs=jobs, force=True)
        fresh = read_manifest(Path(folder))
    failed = {o.artifact.filename for o in report.failed}
    differences = []
    for path, entry in sorted(published.items()):
        rebuilt = fresh.get(path)
        if path in failed:
            differences.append(f"{path}: could not be rebuilt from these sources")
        elif rebuilt is None:
            differences.append(f"{path}: these sources do not make it")
        elif rebuilt.sha256 != entry.sha256:
            differences.append(f"{path}: differs (published sha256 {entry.sha256[:12]}..., "
                               f"rebuilt {rebuilt.sha256[:12]}...)")
        elif sha256_of(out / path) != entry.sha256:
            differences.append(f"{path}: the file in {out} is not the one its manifest entry "
                               "describes")
    return differences, len(published)


def merge(root: Path, folders: list[Path], out: Path) -> int:
    """Join the artifacts and manifests of several output folders (shards) into `out`."""
    problems = Collector()
    project = load_project(root, problems)
    problems.raise_if_any()
    assert project is not None
    entries: dict[str, Entry] = {}
    dates = []
    for folder in folders:
        manifest = read_manifest(folder)
        if not manifest:
            raise GuidepressError(f"{folder / MANIFEST} is missing or unreadable")
        dates.append(json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["source_date"])
        for path, entry in manifest.items():
            if path in entries and entries[path].sha256 != entry.sha256:
                raise GuidepressError(f"{path} differs between the folders: build every shard "
                                      "from the same sources")
            entries[path] = entry
            # A cover comes with its default-paper PDF, which may be in another shard.
            for name in (entry.path, entry.cover):
                if (folder / name).is_file():
                    write_atomic(out / name, (folder / name).read_bytes())
    write_manifest(out, list(entries.values()), max(dates))
    write_downloads_page(out, project, list(entries.values()))
    return len(entries)
