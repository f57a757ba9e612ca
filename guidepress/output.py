"""Writing artifacts: atomic file replacement, the manifest, and the output folder's lock.

The manifest always tells the truth: an artifact's entry is taken out before its files are
replaced and put back, with the new hash, once they are written. An interruption at any
moment (Ctrl-C, kill -9, a full disk) so leaves every entry naming a file that is there with
that hash; the next build puts back what is missing.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .errors import GuidepressError

MANIFEST = "manifest.json"
LOCK = ".guidepress.lock"
#: What a manifest may name: a plain file in the output folder, nothing with a folder in it.
_PLAIN_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class OutputError(GuidepressError):
    """The output folder cannot be written (a file in its place, read-only, full...)."""


@dataclass(frozen=True)
class Entry:
    """One artifact in the manifest."""

    slug: str
    kind: str
    lang: str      # the artifact's language, a BCP 47 code (en, es, pt-BR)
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
    variant: str = "pdf"  # pdf/ua-1 or pdf/a-3u (a manifest written before these: "pdf")
    reviewed: str = ""    # when an editor last read it for accuracy (ISO date), "" if never


def plain_name(name: object) -> bool:
    """True for a file name with no folder in it (no '/', '\\', '..' or leading dot)."""
    return isinstance(name, str) and bool(_PLAIN_NAME_RE.match(name)) and ".." not in name


#: Entry fields a manifest from an earlier version may lack.
OPTIONAL = ("variant", "reviewed")


def entry_from(item: dict) -> Entry:
    """The Entry of a valid manifest item (see entry_problem)."""
    return Entry(**{k: item[k] for k in Entry.__dataclass_fields__ if k in item})


def entry_problem(item: object) -> str | None:
    """Why a manifest item is not a valid entry, or None when it is."""
    if not isinstance(item, dict):
        return "an entry is not a mapping"
    fields = Entry.__dataclass_fields__
    missing = [name for name in fields if name not in item and name not in OPTIONAL]
    if missing:
        return f"an entry lacks '{missing[0]}'"
    for name in ("path", "cover"):
        if not plain_name(item[name]):
            return f"entry path {item[name]!r} is not a plain file name in the folder"
    for name in ("pages", "bytes"):
        if not isinstance(item[name], int) or isinstance(item[name], bool) or item[name] < 0:
            return f"entry {item['path']}: '{name}' is not a whole number"
    if not isinstance(item["sha256"], str) or not _SHA256_RE.match(item["sha256"]):
        return f"entry {item['path']}: 'sha256' is not a SHA-256 hash"
    text = [name for name in fields if name not in ("pages", "bytes") and name in item
            and not isinstance(item[name], str)]
    if text:
        return f"entry {item['path']}: '{text[0]}' is not text"
    return None


def output_error(out: Path, exc: OSError) -> OutputError:
    """A one-line explanation of why the output folder cannot be written, with the fix."""
    reasons = {
        errno.ENOSPC: "the disk is full; free some space and build again",
        errno.EDQUOT: "the disk quota is used up; free some space and build again",
        errno.EROFS: "it is on a read-only file system; choose another folder with --out",
        errno.EACCES: "you may not write there; choose another folder with --out",
        errno.EPERM: "you may not write there; choose another folder with --out",
        errno.ENOTDIR: "part of that path is a file, not a folder; choose another --out",
        errno.EEXIST: "a file of that name is in the way; choose another --out",
    }
    reason = reasons.get(exc.errno, f"{exc.strerror or exc}; check the folder and build again")
    return OutputError(f"cannot write to {out}: {reason}")


def prepare_out(out: Path) -> None:
    """Make the output folder; a file in its place or an unwritable place is one clear line."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"cannot write to {out}: it is a file, not a folder; "
                          "choose another folder with --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(out, exc) from exc


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
    return Entry(artifact.slug, artifact.kind, artifact.lang, artifact.title, artifact.summary,
                 artifact.version, artifact.updated.isoformat(), artifact.paper,
                 artifact.filename, pages, len(data), hashlib.sha256(data).hexdigest(),
                 f"{artifact.slug}.png", artifact.variant,
                 artifact.reviewed.isoformat() if artifact.reviewed else "")


def read_manifest_document(out: Path) -> dict[str, Any] | None:
    """The manifest as JSON, or None when there is none or it is unreadable."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def read_manifest(out: Path) -> dict[str, Entry]:
    """The valid entries of an existing manifest by path; empty when there is none."""
    data = read_manifest_document(out) or {}
    items = data.get("artifacts")
    entries = {}
    for item in items if isinstance(items, list) else []:
        if entry_problem(item) is None:
            entries[item["path"]] = entry_from(item)
    return entries


def write_manifest(out: Path, entries: list[Entry], source_date: str,
                   subsetter: str = "") -> None:
    """Write manifest.json: reproducible, sorted, no wall-clock time."""
    document: dict[str, Any] = {
        "generator": f"guidepress {__version__}",
        "version": __version__,
        "source_date": source_date,
    }
    if subsetter:
        document["font_subsetter"] = subsetter
    document["artifacts"] = [asdict(e) for e in sorted(entries, key=lambda e: e.path)]
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    write_atomic(out / MANIFEST, text.encode("utf-8"))


class Manifest:
    """The output folder's manifest, rewritten (atomically) at every change."""

    def __init__(self, out: Path, entries: dict[str, Entry], source_date: str,
                 subsetter: str = ""):
        self.out = out
        self.entries = dict(entries)
        self.source_date = source_date
        self.subsetter = subsetter

    def save(self) -> None:
        """Write what is recorded now."""
        write_manifest(self.out, list(self.entries.values()), self.source_date, self.subsetter)

    def publish(self, entry: Entry, files: dict[str, bytes]) -> None:
        """Replace an artifact's files and its entry so that the manifest never lies."""
        if entry.path in self.entries:
            del self.entries[entry.path]
            self.save()  # the old entry goes before its file is replaced
        for name, data in files.items():
            write_atomic(self.out / name, data)
        self.entries[entry.path] = entry
        self.save()

    def prune(self) -> None:
        """Drop every entry whose file is missing."""
        kept = {p: e for p, e in self.entries.items() if (self.out / p).is_file()}
        if kept.keys() != self.entries.keys():
            self.entries = kept
            self.save()


class OutputLock:
    """An exclusive lock on an output folder, so that two builds never write one at once.

    The second build says whose build it waits for; the lock goes with the process (an
    interrupted or killed build never leaves a stale lock behind).
    """

    def __init__(self, out: Path, stream: TextIO | None = None):
        self.out = out
        self.stream = stream
        self.handle = None

    def __enter__(self) -> "OutputLock":
        try:
            self.handle = open(self.out / LOCK, "a+", encoding="utf-8")
        except OSError as exc:
            raise output_error(self.out, exc) from exc
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "unknown"
            print(f"Waiting for another build into {self.out} to finish (pid {holder})...",
                  file=self.stream or sys.stderr, flush=True)
            fcntl.flock(self.handle, fcntl.LOCK_EX)
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"{os.getpid()}\n")
        self.handle.flush()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


_TEMPORARY_RE = re.compile(r"^\..+\.(\d+)\.tmp$")


def remove_stale_temporaries(out: Path) -> None:
    """Delete half-written files that a killed build left (the caller holds the lock)."""
    for path in out.iterdir():
        if _TEMPORARY_RE.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
