"""The orchestrator: load and check everything, then render and write each artifact.

    load (project.py) -> prepare (artifacts.py: Markdown, templates) -> render (render.py)
    -> write (output.py: atomic PDFs, manifest)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .artifacts import Artifact, prepare_cheatsheets, prepare_glossary_book, prepare_guides
from .covers import cover_png
from .errors import Collector, GuidepressError, Problem, RenderError, SourceErrors
from .output import Entry, entry_for, read_manifest, write_atomic, write_manifest
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
          progress: Callable[[Outcome], None] | None = None) -> BuildReport:
    """Build the artifacts into `out`; a failing artifact never stops the others."""
    started = time.perf_counter()
    project, artifacts = plan(root, targets, paper)
    renderer = Renderer(project.allowed_folders)
    outcomes = []
    for artifact in artifacts:
        outcome = render_one(artifact, renderer, stylesheets_for(project, artifact), out)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    _update_manifest(out, outcomes, project)
    return BuildReport(outcomes, time.perf_counter() - started)


def render_one(artifact: Artifact, renderer: Renderer, stylesheets: list[Stylesheet],
               out: Path) -> Outcome:
    """Render one artifact and write it atomically; report problems instead of raising."""
    started = time.perf_counter()
    outcome = Outcome(artifact)
    try:
        data, pages, log = render_pdf(artifact, renderer, stylesheets)
        if artifact.filename == f"{artifact.slug}.pdf":  # the default paper makes the cover
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


def _update_manifest(out: Path, outcomes: list[Outcome], project: Project) -> None:
    """Record what was written; keep the old entry of an artifact that failed this time."""
    entries = read_manifest(out)
    for outcome in outcomes:
        if outcome.entry is not None:
            entries[outcome.entry.path] = outcome.entry
    entries = {path: e for path, e in entries.items() if (out / path).is_file()}
    write_manifest(out, list(entries.values()), project.source_date().strftime("%Y-%m-%dT%H:%M:%SZ"))
