"""Incremental builds: a fingerprint of everything an artifact is made from.

An artifact whose fingerprint matches the one recorded when its PDF was written, and whose
PDF is still the one the manifest describes, is not rendered again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .artifacts import Artifact
from .output import write_atomic
from .project import PROJECT_DIR, Project

STATE = ".guidepress-state.json"


def _hash_tree(folder: Path, digest) -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())


def shared_fingerprint(project: Project) -> str:
    """What every artifact depends on: the tool, templates, styles, fonts and site.yaml."""
    digest = hashlib.sha256(__version__.encode())
    _hash_tree(PROJECT_DIR / "guidepress", digest)
    folders = (*project.templates.folders, PROJECT_DIR / "styles", project.root / "styles")
    for folder in dict.fromkeys(f.resolve() for f in folders):  # the project's root is ours
        _hash_tree(folder, digest)
    digest.update((project.root / "site.yaml").read_bytes())
    return digest.hexdigest()


def terms_used(project: Project, artifact: Artifact) -> list[str]:
    """The glossary terms an artifact prints."""
    if artifact.kind == "guide":
        return sorted(artifact.refs)
    if artifact.kind == "cheatsheet" and artifact.sheet is not None:
        return sorted({t.slug for s in artifact.sheet.sections for t in s.terms})
    return sorted(project.glossary.terms)


def fingerprint(project: Project, artifact: Artifact, shared: str) -> str:
    """Everything one artifact is made from, and how, as one hash."""
    digest = hashlib.sha256(shared.encode())
    digest.update(json.dumps([artifact.kind, artifact.paper, artifact.filename]).encode())
    for path, text in artifact.sources:
        digest.update(path.encode())
        digest.update(text.encode())
    for slug in terms_used(project, artifact):
        term = asdict(project.glossary.terms[slug])
        for where in ("path", "line", "related_lines"):
            term.pop(where)
        digest.update(json.dumps(term, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def read_state(out: Path) -> dict[str, str]:
    """Output file name -> fingerprint it was made from."""
    try:
        return json.loads((out / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_state(out: Path, state: dict[str, str]) -> None:
    """Record the fingerprints of what is in the output folder."""
    write_atomic(out / STATE, (json.dumps(state, indent=1, sort_keys=True) + "\n").encode())


def sha256_of(path: Path) -> str | None:
    """The hash of a file, or None when it is missing."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
