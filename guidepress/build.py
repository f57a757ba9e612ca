"""The orchestrator: load and check everything, then render and write each artifact.

    load (project.py) -> prepare (artifacts.py: Markdown, templates) -> render (render.py)
    -> write (output.py: atomic PDFs, manifest)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .artifacts import Artifact, dedupe_refs, prepare_guides
from .errors import Collector, GuidepressError, Problem, RenderError, SourceErrors
from .highlight import highlight_css
from .output import Entry, entry_for, read_manifest, write_atomic, write_manifest
from .project import PROJECT_DIR, Project, load_project
from .render import Renderer, RenderLog, Stylesheet, anchor_pages, glyph_problems

STYLESHEETS = ("tokens.css", "fonts.css", "guide.css")


@dataclass
class Outcome:
    """What happened to one artifact."""

    artifact: Artifact
    entry: Entry | None = None
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

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
    known = [guide.slug for guide in project.guides]
    unknown = [t for t in targets or [] if t not in known]
    if unknown and not problems.problems:
        raise UnknownTarget(unknown, known)
    artifacts = prepare_guides(project, targets or known, paper or project.site.paper, problems)
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
    # The bundled fonts always load first: with no font at all, Pango crashes the process.
    bundled = PROJECT_DIR / "styles" / "fonts.css"
    stylesheets = [Stylesheet(path=bundled)] + [
        Stylesheet(path=project.stylesheet(name)) for name in STYLESHEETS
        if project.stylesheet(name) != bundled]
    stylesheets.append(Stylesheet(text=highlight_css()))
    outcomes = []
    for artifact in artifacts:
        outcome = render_one(artifact, renderer, stylesheets, out)
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
        write_atomic(out / artifact.filename, data)
        outcome.entry = entry_for(artifact.slug, artifact.kind, artifact.title, artifact.paper,
                                  artifact.filename, data, pages)
        outcome.warnings = log.warnings
    except RenderError as exc:
        outcome.problems = exc.problems
    except Exception as exc:  # noqa: BLE001 - one artifact's crash must not stop the rest
        outcome.problems = [Problem(artifact.sources[0][0], None, None,
                                    f"rendering failed: {type(exc).__name__}: {exc}")]
    outcome.seconds = time.perf_counter() - started
    return outcome


def render_pdf(artifact: Artifact, renderer: Renderer,
               stylesheets: list[Stylesheet]) -> tuple[bytes, int, RenderLog]:
    """Lay out (twice when glossary page lists need it) and draw one artifact's PDF."""
    log = RenderLog()
    fetcher = renderer.new_fetcher()
    sheets = [*stylesheets, Stylesheet(text=artifact.paper_css())]
    document = renderer.layout(artifact.make_html(artifact.refs), artifact.base_url, sheets,
                               log, fetcher)
    if artifact.refs:
        chosen = dedupe_refs(artifact.refs, anchor_pages(document))
        if chosen != artifact.refs:
            # The appendix comes last, so its new length moves no page before it.
            document = renderer.layout(artifact.make_html(chosen), artifact.base_url, sheets,
                                       log, fetcher)
    data = renderer.write(document, log)
    source = artifact.sources[0][0]
    problems = [Problem(source, None, None,
                        f"refused to read '{url}': only files inside the content root, "
                        f"templates/ and styles/ may be read")
                for url in dict.fromkeys(fetcher.refused)]
    problems += glyph_problems(artifact.sources, log.missing_glyphs)
    problems += [Problem(source, None, None, message) for message in dict.fromkeys(log.errors)]
    if problems:
        raise RenderError(problems)
    return data, len(document.pages), log


def _update_manifest(out: Path, outcomes: list[Outcome], project: Project) -> None:
    """Record what was written; keep the old entry of an artifact that failed this time."""
    entries = read_manifest(out)
    for outcome in outcomes:
        if outcome.entry is not None:
            entries[outcome.entry.path] = outcome.entry
    entries = {path: e for path, e in entries.items() if (out / path).is_file()}
    write_manifest(out, list(entries.values()), project.source_date().strftime("%Y-%m-%dT%H:%M:%SZ"))
