"""The orchestrator: load and check everything, then render and write each artifact.

    load (project.py) -> prepare (artifacts.py: Markdown, templates)
    -> skip what is up to date (incremental.py) -> render (typeset.py, render.py; in
    processes with --jobs) -> write (output.py: atomic PDFs, covers.py, manifest,
    downloads.py)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import re
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator
from urllib.parse import urlsplit

from .artifacts import Artifact, prepare_cheatsheets, prepare_glossary_book, prepare_guides
from .errors import (Collector, GuidepressError, Interrupted, Problem, RenderError,
                     SourceErrors, UnknownTarget)
from .downloads import write_downloads_page
from .glossary import LANG_RE, split_name
from .freshness import check_freshness
from .glyphs import check_glyphs
from .incremental import State, fingerprint, sha256_of, shared_fingerprint
from .output import (MANIFEST, Entry, Manifest, OutputLock, entry_for, output_error,
                     prepare_out, read_manifest, read_manifest_document,
                     remove_stale_temporaries)
from .project import Project, load_project, source_epoch
from .quick import build_options, make_record, noop_report, signature
from .report import BuildReport, Outcome  # noqa: F401 - where callers find them

if TYPE_CHECKING:  # rendering's modules load WeasyPrint: imported only to render
    from .render import Renderer, Stylesheet


def check(root: Path) -> tuple[list[Problem], list[Problem]]:
    """Validate every source without rendering; return every problem and warning found."""
    try:
        _, _, warnings = plan(root)
    except SourceErrors as exc:
        return exc.problems, []
    return [], warnings


def plan(root: Path, targets: list[str] | None = None, paper: str | None = None,
         strict: bool = False, variant: str | None = None, allow_placeholder: bool = False
         ) -> tuple[Project, list[Artifact], list[Problem]]:
    """Load, check and prepare the artifacts to build; raise SourceErrors on any problem.

    A build of named targets goes ahead when their own sources and the shared ones (site.yaml,
    the glossary, templates, styles) are sound: problems in other guides and cheat sheets are
    returned as warnings instead, unless `strict`. Returns the project, the artifacts and
    those warnings, then the sources' own warnings (Collector.warn); `strict` makes these
    fatal too. `variant` (pdf/ua-1 or pdf/a-3u) overrides site.yaml's pdf_variant. A
    placeholder brand address is a warning (so `strict` fails) unless `allow_placeholder`.
    """
    source_epoch()  # a bad SOURCE_DATE_EPOCH stops the build before anything is read
    problems = Collector()
    project = load_project(root, problems)
    if project is None:
        problems.raise_if_any()
    assert project is not None
    known = project.artifact_slugs()
    wanted = targets or known
    papers = [paper] if paper else project.site.papers
    artifacts = prepare_guides(project, wanted, papers, problems)
    artifacts += prepare_cheatsheets(project, wanted, papers, problems)
    if project.site.glossary and project.site.glossary["slug"] in wanted:
        artifacts += prepare_glossary_book(project, papers, problems)
    check_freshness(project, problems)
    if not allow_placeholder:
        for line, message in placeholder_addresses(project):
            problems.warn("site.yaml", line, message)
    chosen = variant or project.site.pdf_variant
    for artifact in artifacts:
        artifact.variant = chosen
    check_glyphs(project, artifacts, problems)
    elsewhere = [p for p in problems.problems if targets and not _concerns(p, targets, known)]
    blocking = [p for p in problems.problems if p not in elsewhere]
    unknown = [t for t in targets or [] if t not in known]
    if unknown and not blocking:
        raise UnknownTarget(unknown, known)
    if blocking or (strict and elsewhere):
        raise SourceErrors(problems.problems)
    warnings = list(dict.fromkeys(problems.warnings))
    if strict and warnings:
        raise SourceErrors(warnings)
    return project, artifacts, sorted(set(elsewhere), key=str) + warnings


#: Domains that lead nowhere by design (RFC 2606 and RFC 6761): a site address in one of
#: them is a placeholder that was never replaced.
RESERVED_DOMAINS = ("example", "test", "invalid", "localhost", "example.com", "example.net",
                    "example.org")


def placeholder_addresses(project: Project) -> list[tuple[int | None, str]]:
    """(line, message) for each address in site.yaml that is still a placeholder."""
    found = []
    text = (project.root / "site.yaml").read_text(encoding="utf-8", errors="replace")
    for key in ("url", "guide_url"):
        value = project.site.url if key == "url" else project.site.guide_url
        if key == "guide_url" and not re.search(r"(?m)^guide_url\s*:", text):
            continue  # made from url: said once, for url
        host = (urlsplit(value).hostname or "").rstrip(".").lower()
        reserved = next((d for d in RESERVED_DOMAINS if host == d or host.endswith("." + d)),
                        None)
        if host and reserved is None:
            continue
        match = re.search(rf"(?m)^{key}\s*:", text)
        line = text.count("\n", 0, match.start()) + 1 if match else None
        name = reserved if "." in str(reserved) else f".{reserved}"
        what = (f"'{value}' is a placeholder ({name} is a reserved domain that leads "
                f"nowhere)" if host else "is empty")
        subject, leads = (("the brand's address", "every link and the QR code in the PDFs")
                          if key == "url" else
                          ("the address of the guides", "every link between guides"))
        found.append((line, f"{subject} {what}: {leads} would point there; put the real "
                            f"address in site.yaml's {key} before a release"))
    return found


def _concerns(problem: Problem, targets: list[str], known: list[str]) -> bool:
    """True when a problem is in a named target's own source, or in a shared one.

    A translation is a target of its own (chatgpt.es is guides/chatgpt.es.md or the folder
    guides/chatgpt.es/); glossary/<lang>/ is shared by the targets in that language. A file
    in a folder that is no artifact's (guides/figures/, glossary/figures/) may be anyone's."""
    parts = problem.path.split("/")
    if parts[0] == "glossary" and len(parts) > 2 and LANG_RE.match(parts[1]):
        return any((split_name(t) or (t, None))[1] == parts[1] for t in targets)
    if parts[0] not in ("guides", "cheatsheets") or len(parts) < 2:
        return True  # site.yaml, the glossary, templates, styles: every artifact's
    name = parts[1] if len(parts) > 2 else parts[1].rsplit(".", 1)[0]
    return name in targets or name not in known


def build(root: Path, out: Path, targets: list[str] | None = None, paper: str | None = None,
          progress: Callable[[Outcome], None] | None = None, jobs: int = 1,
          force: bool = False, shard: tuple[int, int] | None = None,
          on_plan: Callable[[list[str], list[str]], None] | None = None,
          strict: bool = False, variant: str | None = None,
          allow_placeholder: bool = False, quick: bool = True) -> BuildReport:
    """Build the artifacts into `out`; a failing artifact never stops the others.

    `jobs` artifacts render at once, each in its own process; an artifact whose inputs have
    not changed since it was written is kept unless `force`; `shard=(k, n)` builds the k-th
    of n deterministic parts of the catalogue. `on_plan(all, to_render)` hears the output
    names before rendering starts; `progress(outcome)` hears each artifact, in build order.
    A partial build (named targets, one paper, one shard) keeps every other artifact's entry.
    `variant` is the PDF variant (pdf/ua-1, the default, or pdf/a-3u), over site.yaml's.
    Nothing changed since the last complete build (quick.py) is known without reading the
    sources, unless `quick` is False (the caller has asked already).
    """
    options = build_options(root, out, targets, paper, shard, strict, variant,
                            allow_placeholder)
    if quick and not force:
        report = noop_report(root, out, options, progress, on_plan)
        if report is not None:
            return report
    started = time.perf_counter()
    before = signature(root, out, options)  # as things stood before anything was read
    project, artifacts, warnings = plan(root, targets, paper, strict, variant,
                                        allow_placeholder)
    if shard:
        artifacts = [a for i, a in enumerate(artifacts) if i % shard[1] == shard[0] - 1]
    prepare_out(out)
    with OutputLock(out):
        try:
            ordered = _build_into(project, artifacts, out, progress, jobs, force, on_plan,
                                  complete=not targets and not shard and not paper,
                                  planned=(root, targets, paper, variant))
            if all(outcome.ok for outcome in ordered):
                state = State(out)
                state.noop = make_record(before, out, [o.entry.path for o in ordered],
                                         warnings)
                state.save()
        except OSError as exc:
            raise output_error(out, exc) from exc
    return BuildReport(ordered, time.perf_counter() - started, warnings)


def _build_into(project: Project, artifacts: list[Artifact], out: Path,
                progress: Callable[[Outcome], None] | None, jobs: int, force: bool,
                on_plan: Callable[[list[str], list[str]], None] | None, complete: bool,
                planned: tuple) -> list[Outcome]:
    """Render what is not up to date and publish each artifact as soon as it is written.

    A stop at any moment (Ctrl-C, SIGTERM) says how far the build got, truthfully.
    """
    counts = {"done": 0, "todo": 0}
    try:
        return _render_and_publish(project, artifacts, out, progress, jobs, force, on_plan,
                                   complete, planned, counts)
    except KeyboardInterrupt:
        raise Interrupted(out, counts["done"], counts["todo"]) from None


def _render_and_publish(project: Project, artifacts: list[Artifact], out: Path,
                        progress: Callable[[Outcome], None] | None, jobs: int, force: bool,
                        on_plan: Callable[[list[str], list[str]], None] | None,
                        complete: bool, planned: tuple, counts: dict[str, int]) -> list[Outcome]:
    """The body of _build_into; `counts` says how many were to render and were published."""
    remove_stale_temporaries(out)
    subsetter = remembered_subsetter(out) or font_subsetter()
    manifest = Manifest(out, read_manifest(out),
                        project.source_date().strftime("%Y-%m-%dT%H:%M:%SZ"), subsetter)
    state = State(out)

    def still_to_render() -> list[Artifact]:
        shared = shared_fingerprint(project, manifest.subsetter)
        for artifact in artifacts:
            artifact.inputs = fingerprint(project, artifact, shared)
            artifact.layout_base = hashlib.sha256(
                f"{shared}\0{artifact.paper}\0{artifact.variant}".encode()).hexdigest()
        return [a for a in artifacts if force or not _up_to_date(a, out, manifest, state)]

    if complete:
        _remove_orphans(out, project, manifest, {a.filename for a in artifacts})
    manifest.prune()
    todo = still_to_render()
    if todo and manifest.subsetter != font_subsetter():
        # The subsetter the last build used is not this machine's: everything depends on it.
        manifest.subsetter = font_subsetter()
        todo = still_to_render()
    for artifact in todo:
        artifact.remembered = state.layout(artifact.filename)
    counts["todo"] = len(todo)
    if on_plan:
        on_plan([a.filename for a in artifacts], [a.filename for a in todo])
    rendered = _render_all(project, todo, out, jobs, planned)
    ordered = []
    try:
        for artifact in artifacts:
            if artifact in todo:
                outcome = next(rendered)
                outcome.artifact = artifact
                if outcome.ok:
                    _publish(outcome, manifest, state)
                    counts["done"] += 1
            else:
                outcome = Outcome(artifact, entry=manifest.entries[artifact.filename],
                                  skipped=True)
            ordered.append(outcome)
            if progress:
                progress(outcome)
        for _ in rendered:  # nothing is left: this lets the workers finish cleanly
            pass
    finally:
        rendered.close()  # after a stop, ends the workers before anything else is said
    manifest.save()
    state.keep_only(set(manifest.entries))
    write_downloads_page(out, project, list(manifest.entries.values()))
    return ordered


def font_subsetter() -> str:
    """Which library subsets the fonts, as WeasyPrint decides it (loading WeasyPrint)."""
    from .render import font_subsetter as decided

    return decided()


def remembered_subsetter(out: Path) -> str:
    """The subsetter the output folder's manifest names, when WeasyPrint is not loaded yet
    (a build with nothing to render never loads it); "" to ask WeasyPrint."""
    if "weasyprint" in sys.modules:
        return ""
    value = (read_manifest_document(out) or {}).get("font_subsetter")
    return value if value in ("harfbuzz", "fonttools") else ""


def _publish(outcome: Outcome, manifest: Manifest, state: State) -> None:
    """Write an artifact's cover and PDF, then its manifest entry and its state record."""
    artifact, entry = outcome.artifact, outcome.entry
    assert entry is not None
    # The old state record goes first: a stop after the new entry is back but before the new
    # record is written would otherwise pair the new file with the old inputs, and a build
    # of those old inputs would keep the new file as up to date (test_faults' kill -9).
    state.forget(artifact.filename)
    files = {entry.cover: outcome.cover} if outcome.cover is not None else {}
    manifest.publish(entry, {**files, entry.path: outcome.data})
    state.record(artifact.filename, artifact.inputs, outcome.reads, outcome.layout)
    outcome.data = outcome.cover = b""


def _remove_orphans(out: Path, project: Project, manifest: Manifest, planned: set[str]) -> None:
    """A full build removes what earlier builds made from sources that are gone."""
    orphans = [e for path, e in manifest.entries.items() if path not in planned]
    if not orphans:
        return
    for entry in orphans:
        del manifest.entries[entry.path]
    manifest.save()
    write_downloads_page(out, project, list(manifest.entries.values()))
    covers = {e.cover for e in manifest.entries.values()}
    for entry in orphans:
        for name in (entry.path, *([entry.cover] if entry.cover not in covers else [])):
            (out / name).unlink(missing_ok=True)


def _up_to_date(artifact: Artifact, out: Path, manifest: Manifest, state: State) -> bool:
    """True when the artifact's PDF was made from exactly these inputs and is unchanged."""
    entry = manifest.entries.get(artifact.filename)
    if entry is None or not state.current(artifact.filename, artifact.inputs):
        return False
    if artifact.makes_cover and not (out / entry.cover).is_file():
        return False
    return sha256_of(out / artifact.filename) == entry.sha256


# What a worker process of a parallel build renders from: its own plan of the same sources.
_WORK: dict = {}


def _render_all(project: Project, artifacts: list[Artifact], out: Path, jobs: int,
                planned: tuple) -> Iterator[Outcome]:
    """Render artifacts, in `jobs` processes when more than one; yield in build order.

    Workers are forked from this process where the platform allows it, and otherwise
    started fresh ("spawn") to plan the same sources again, since an artifact's HTML makers
    cannot be sent to them. They write nothing: the parent publishes what they render. Closing this generator early (an
    interruption) stops them at once; a worker whose parent dies stops within a second.
    """
    if not artifacts:
        return
    from .render import Renderer
    from .typeset import stylesheets_for

    if jobs <= 1 or len(artifacts) <= 1:
        renderer = Renderer(project.allowed_folders, project.tokens)
        for artifact in artifacts:
            yield render_one(artifact, renderer, stylesheets_for(project, artifact))
        return
    # Where the platform can fork, workers start as copies of this planned process, its
    # libraries loaded; elsewhere they start fresh ("spawn") and plan the same sources again.
    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else "spawn")
    if forking:
        _WORK.update(project=project, artifacts={a.filename: a for a in artifacts})
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(artifacts)), mp_context=context,
                               initializer=_start_worker,
                               initargs=(None if forking else planned, os.getpid()))
    finished = False
    try:
        # Workers are born with Ctrl-C blocked (the mask survives their exec) and ignore it
        # from their first line on: only the parent hears it, and it stops them.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            futures = [pool.submit(_render_in_worker, a.filename, a.remembered, a.layout_base)
                       for a in artifacts]
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        for artifact, future in zip(artifacts, futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield Outcome(artifact, problems=[Problem(
                    artifact.sources[0][0], None, None, "rendering stopped: the process "
                    "rendering it died (out of memory?); build it alone to see why")])
        finished = True
    finally:
        if not finished:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=not finished)
        _WORK.clear()


def _start_worker(planned: tuple | None, parent: int) -> None:
    """Start a worker process, which leaves Ctrl-C and its end to the parent: forked, it
    has the parent's plan already; spawned, it plans the build from `planned` (root,
    targets, paper, variant) again."""
    from .render import Renderer

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked copy has the command's handler
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    if planned is not None:
        root, targets, paper, variant = planned
        project, artifacts, _ = plan(root, targets, paper, variant=variant)
        _WORK.update(project=project, artifacts={a.filename: a for a in artifacts})
    project = _WORK["project"]
    _WORK["renderer"] = Renderer(project.allowed_folders, project.tokens)


def _exit_with_parent(parent: int) -> None:
    """End this worker as soon as the build that started it is gone (even after kill -9)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _render_in_worker(filename: str, remembered: dict | None, layout_base: str) -> Outcome:
    """Render one artifact in a worker process; return its outcome without the artifact."""
    from .typeset import stylesheets_for

    project, artifact = _WORK["project"], _WORK["artifacts"][filename]
    artifact.remembered, artifact.layout_base = remembered, layout_base
    outcome = render_one(artifact, _WORK["renderer"], stylesheets_for(project, artifact))
    outcome.artifact = None  # its HTML makers cannot cross processes; the parent has it
    return outcome


def render_one(artifact: Artifact, renderer: Renderer, stylesheets: list[Stylesheet]) -> Outcome:
    """Render one artifact (its PDF and cover bytes, written later by the parent); report
    problems instead of raising."""
    from .covers import cover_png
    from .typeset import render_pdf

    started = time.perf_counter()
    outcome = Outcome(artifact)
    renderer.epoch = int(dt.datetime.combine(artifact.updated, dt.time(),
                                             tzinfo=dt.timezone.utc).timestamp())
    try:
        data, pages, log = render_pdf(artifact, renderer, stylesheets)
        outcome.cover = cover_png(data) if artifact.makes_cover else None
        outcome.data = data
        outcome.reads = dict(renderer.fetcher.reads)
        outcome.entry = entry_for(artifact, data, pages)
        outcome.warnings = log.warnings
        outcome.note = log.note
        outcome.layout = log.decisions
        outcome.passes, outcome.part_passes = log.passes, log.part_passes
    except RenderError as exc:
        outcome.problems = exc.problems
    except RecursionError:
        outcome.problems = [Problem(artifact.sources[0][0], None, None,
                                    "rendering failed: the document nests too deeply; "
                                    "flatten its lists, quotes or tables")]
    except Exception as exc:  # noqa: BLE001 - one artifact's crash must not stop the rest
        outcome.problems = [Problem(artifact.sources[0][0], None, None,
                                    f"rendering failed unexpectedly ({type(exc).__name__}: "
                                    f"{exc}); build it with -v and report this")]
    outcome.seconds = time.perf_counter() - started
    return outcome


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
