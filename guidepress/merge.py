"""`build-pdfs merge`: join the output folders of several shards into one, trusting nothing
a shard says."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .downloads import write_downloads_page
from .errors import Collector, GuidepressError
from .output import (MANIFEST, Entry, Manifest, OutputLock, entry_from, entry_problem,
                     output_error, prepare_out, read_manifest, read_manifest_document,
                     remove_stale_temporaries)
from .project import load_project
from .render import font_subsetter


def merge(root: Path, folders: list[Path], out: Path) -> int:
    """Join the artifacts and manifests of several output folders (shards) into `out`.

    Nothing a shard says is trusted: every path must be a plain file name in the shard's
    folder, and every file's size and sha256 must match its entry. All shards are checked
    before anything is written; a shard that fails any check changes nothing.
    """
    problems = Collector()
    project = load_project(root, problems)
    problems.raise_if_any()
    assert project is not None
    entries: dict[str, Entry] = {}
    files: dict[str, bytes] = {}
    dates = []
    for folder in folders:
        dates.append(_read_shard(folder, entries, files))
    prepare_out(out)
    with OutputLock(out):
        try:
            remove_stale_temporaries(out)
            manifest = Manifest(out, read_manifest(out), max(dates), font_subsetter())
            for entry in entries.values():
                names = [entry.cover] if entry.cover in files else []
                manifest.publish(entry, {name: files[name] for name in (*names, entry.path)})
            manifest.prune()
            write_downloads_page(out, project, list(manifest.entries.values()))
        except OSError as exc:
            raise output_error(out, exc) from exc
    return len(entries)


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
#: The largest file merge copies from a shard.
MAX_SHARD_FILE = 512 * 1024 * 1024


def _read_shard(folder: Path, entries: dict[str, Entry], files: dict[str, bytes]) -> str:
    """Check one shard's manifest and files; add them to `entries` and `files`; return its
    source date. Raises on the first thing that is not exactly as the manifest says."""
    where = folder / MANIFEST
    document = read_manifest_document(folder)
    redo = "build that shard again"
    if document is None or not isinstance(document.get("artifacts"), list):
        raise GuidepressError(f"{where} is missing or is not a guidepress manifest; {redo}")
    date = document.get("source_date")
    if not isinstance(date, str) or not _DATE_RE.match(date):
        raise GuidepressError(f"{where}: 'source_date' is not a date like "
                              f"2026-11-30T00:00:00Z; {redo}")
    for item in document["artifacts"]:
        why = entry_problem(item)
        if why:
            raise GuidepressError(f"{where}: {why}; {redo}")
        entry = entry_from(item)
        if entry.path in entries and entries[entry.path] != entry:
            raise GuidepressError(f"{entry.path} differs between the folders: build every "
                                  "shard from the same sources")
        data = _shard_file(folder, entry.path, redo)
        if data is None:
            raise GuidepressError(f"{folder / entry.path} is missing; {redo}")
        if len(data) != entry.bytes or hashlib.sha256(data).hexdigest() != entry.sha256:
            raise GuidepressError(f"{folder / entry.path} is not the file its manifest entry "
                                  f"describes (size or sha256 differ); {redo}")
        entries[entry.path] = entry
        files[entry.path] = data
        # A cover comes with its default-paper PDF, which may be in another shard.
        cover = _shard_file(folder, entry.cover, redo)
        if cover is not None:
            if not cover.startswith(b"\x89PNG\r\n\x1a\n"):
                raise GuidepressError(f"{folder / entry.cover} is not a PNG image; {redo}")
            if files.get(entry.cover, cover) != cover:
                raise GuidepressError(f"{entry.cover} differs between the folders: build "
                                      "every shard from the same sources")
            files[entry.cover] = cover
    return date


def _shard_file(folder: Path, name: str, redo: str) -> bytes | None:
    """The bytes of a plain file in a shard folder (no links), or None when it is absent."""
    path = folder / name
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise GuidepressError(f"{path} is a link or not a regular file; {redo}")
    if not path.exists():
        return None
    if path.stat().st_size > MAX_SHARD_FILE:
        raise GuidepressError(f"{path} is larger than {MAX_SHARD_FILE >> 20} MiB; {redo}")
    return path.read_bytes()
