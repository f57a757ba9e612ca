"""Writing artifacts: atomic file replacement and the manifest."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import __version__

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Entry:
    """One artifact in the manifest."""

    slug: str
    kind: str
    title: str
    summary: str
    version: str
    updated: str
    paper: str
    path: str
    pages: int
    bytes: int
    sha256: str
    cover: str


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def entry_for(artifact, data: bytes, pages: int) -> Entry:
    """Describe an artifact whose PDF bytes are `data`."""
    return Entry(artifact.slug, artifact.kind, artifact.title, artifact.summary,
                 artifact.version, artifact.updated.isoformat(), artifact.paper,
                 artifact.filename, pages, len(data), hashlib.sha256(data).hexdigest(),
                 f"{artifact.slug}.png")


def read_manifest(out: Path) -> dict[str, Entry]:
    """The entries of an existing manifest by path; empty when there is none or it is unreadable."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {item["path"]: Entry(**{k: item[k] for k in Entry.__dataclass_fields__})
                for item in data.get("artifacts", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(out: Path, entries: list[Entry], source_date: str) -> None:
    """Write manifest.json: reproducible, sorted, no wall-clock time."""
    document: dict[str, Any] = {
        "generator": f"guidepress {__version__}",
        "version": __version__,
        "source_date": source_date,
        "artifacts": [asdict(e) for e in sorted(entries, key=lambda e: e.path)],
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    write_atomic(out / MANIFEST, text.encode("utf-8"))
