"""Incremental builds: a fingerprint of everything an artifact is made from.

An artifact is kept when its fingerprint (sources, glossary terms, templates, styles,
site.yaml, the tool, the options and SOURCE_DATE_EPOCH) matches the one recorded when its
PDF was written, every file its render read (images, fonts, stylesheets: the fetcher saw
each one) still has the hash it had then, and its PDF is still the one the manifest
describes.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .artifacts import Artifact
from .output import write_atomic
from .project import PROJECT_DIR, Project
from .quick import KEY

STATE = ".guidepress-state.json"


def _hash_tree(folder: Path, digest) -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())


def shared_fingerprint(project: Project, subsetter: str = "") -> str:
    """What every artifact depends on: the tool, templates, styles, fonts, site.yaml, the
    date that stands for "now" and the font subsetter."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(json.dumps([os.environ.get("SOURCE_DATE_EPOCH", ""), subsetter]).encode())
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
    digest.update(json.dumps([artifact.kind, artifact.paper, artifact.filename,
                              artifact.variant]).encode())
    for path, text in artifact.sources:
        digest.update(path.encode())
        digest.update(text.encode())
    for slug in terms_used(project, artifact):
        term = asdict(project.glossary.terms[slug])
        for where in ("path", "line", "related_lines"):
            term.pop(where)
        digest.update(json.dumps(term, sort_keys=True, default=str).encode())
    return digest.hexdigest()


class State:
    """What each output file was made from: its fingerprint and the files its render read."""

    def __init__(self, out: Path):
        self.out = out
        self.records: dict[str, dict] = {}
        self._hashes: dict[str, str | None] = {}  # path -> sha256, each file hashed once
        try:
            data = json.loads((out / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        #: how things stood at the last complete build (quick.py), kept as it is
        self.noop = data.get(KEY) if isinstance(data, dict) else None
        if isinstance(data, dict):
            self.records = {name: record for name, record in data.items()
                            if isinstance(record, dict) and isinstance(record.get("inputs"), str)
                            and isinstance(record.get("reads"), dict)}

    def current(self, filename: str, inputs: str) -> bool:
        """True when `filename` was made from `inputs` and every file it read is unchanged."""
        record = self.records.get(filename)
        if record is None or record["inputs"] != inputs:
            return False
        return all(self.hash(path) == sha for path, sha in record["reads"].items())

    def hash(self, path: str) -> str | None:
        """The sha256 of a file (None when it is gone), computed once per build."""
        if path not in self._hashes:
            self._hashes[path] = sha256_of(Path(path))
        return self._hashes[path]

    def record(self, filename: str, inputs: str, reads: dict[str, str],
               layout: dict | None = None) -> None:
        """Remember what `filename` was made from, and how it was laid out; save at once."""
        self.records[filename] = {"inputs": inputs, "reads": dict(sorted(reads.items()))}
        if layout:
            self.records[filename]["layout"] = layout
        self.save()

    def layout(self, filename: str) -> dict | None:
        """The layout choices `filename` was last made with, while every file that render
        read is unchanged (a picture of another size would lay out differently)."""
        record = self.records.get(filename)
        layout = record.get("layout") if record else None
        if not isinstance(layout, dict):
            return None
        if not all(self.hash(path) == sha for path, sha in record["reads"].items()):
            return None
        return layout

    def forget(self, filename: str) -> None:
        """Drop the record of `filename` before it is replaced, and save at once."""
        if self.records.pop(filename, None) is not None:
            self.save()

    def keep_only(self, names: set[str]) -> None:
        """Drop the records of files that are gone."""
        kept = {n: r for n, r in self.records.items() if n in names}
        if kept.keys() != self.records.keys():
            self.records = kept
            self.save()

    def save(self) -> None:
        """Write the records."""
        records = {**self.records, KEY: self.noop} if self.noop else self.records
        text = json.dumps(records, indent=1, sort_keys=True) + "\n"
        write_atomic(self.out / STATE, text.encode())


def sha256_of(path: Path) -> str | None:
    """The hash of a file, or None when it is missing."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
