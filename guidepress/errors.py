"""The exception hierarchy and the located problem every stage reports."""

from __future__ import annotations

import errno
import math
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

#: The largest source file read (a 300-page guide is about 1 MB of Markdown).
MAX_SOURCE_BYTES = 2_000_000


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a source, located as precisely as we can."""

    path: str
    line: int | None = None
    col: int | None = None
    message: str = ""

    def __str__(self) -> str:
        # A problem with a whole file (a duplicate slug, say) is reported at its first line.
        where = f"{self.path}:{self.line or 1}"
        if self.col is not None:
            where += f":{self.col}"
        return visible(f"{where}: {self.message}")


def visible(text: str) -> str:
    """`text` with every control, format and line-separator character escaped (\\x1b,
    \\r, \\u202e), so that a source can never move the cursor, recolour the terminal,
    reorder a line or start a new one; ordinary letters in any script are kept."""
    if text.isprintable():
        return text
    return "".join(_escape(c) for c in text)


def _escape(char: str) -> str:
    if char.isprintable() or char == " ":
        return char
    if unicodedata.category(char) == "Zs":  # a space such as U+00A0 looks like one
        return char
    code = ord(char)
    if char in "\t\n\r":
        return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


class GuidepressError(Exception):
    """Base class of every error the command line reports without a traceback."""


class SourceErrors(GuidepressError):
    """The sources have problems; nothing may be rendered."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_problem_key)
        super().__init__("\n".join(str(p) for p in self.problems))


class RenderError(GuidepressError):
    """Rendering one artifact failed; the others may still succeed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UnknownTarget(GuidepressError):
    """A slug named on the command line that no source defines (a usage error)."""

    def __init__(self, unknown: list[str], known: list[str]):
        super().__init__(f"unknown target {', '.join(repr(u) for u in unknown)} "
                         f"(known: {', '.join(known) or 'none'})")


class Interrupted(GuidepressError):
    """Ctrl-C (or a stop signal) during a build; what is in the output folder is true."""

    def __init__(self, out, done: int, todo: int):
        super().__init__(f"Interrupted: {done} of {todo} artifacts were rebuilt before the stop. "
                         f"{out / 'manifest.json'} lists only complete files; build again to "
                         "finish.")


class SetupError(GuidepressError):
    """The machine lacks something the build needs (a system library, say)."""


def _problem_key(problem: Problem) -> tuple:
    return (problem.path, problem.line or 0, problem.col or 0, problem.message)


class Collector:
    """Gathers problems from a stage so that all of them are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        #: What is printed sensibly but may not be what the author meant (a label that falls
        #: back to English, a translation older than its source): shown, and with --strict
        #: fatal. Each message starts "warning: ".
        self.warnings: list[Problem] = []

    def add(self, path: str, line: int | None, message: str, col: int | None = None) -> None:
        """Record one problem."""
        self.problems.append(Problem(path, line, col, message))

    def warn(self, path: str, line: int | None, message: str, col: int | None = None) -> None:
        """Record one warning: the build goes on."""
        self.warnings.append(Problem(path, line, col, f"warning: {message}"))

    def extend(self, problems: list[Problem]) -> None:
        """Record problems found elsewhere."""
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        """Stop the build when anything was recorded."""
        if self.problems:
            raise SourceErrors(self.problems)


def read_source(path: Path, rel: str, problems: Collector, root: Path) -> str | None:
    """Read a UTF-8 source file inside `root`; record why it cannot be read and return None.

    The file must resolve (links followed) to a regular file inside the content root and be
    at most MAX_SOURCE_BYTES long. A leading byte-order mark is dropped, and Windows (CRLF)
    and old Mac (CR) line endings are read as LF, so that lines are counted as editors do.
    """
    data = _read_bytes(Path(path), rel, problems, Path(root))
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(rel, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                "save the file as UTF-8", col)
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _read_bytes(path: Path, rel: str, problems: Collector, root: Path) -> bytes | None:
    """The bytes of `path`, or None with the reason recorded (outside the root, a folder,
    a pipe, too big, unreadable, gone)."""
    try:
        target = path.resolve()
        inside = target.is_relative_to(root.resolve())
    except (OSError, RuntimeError) as exc:
        if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
            problems.add(rel, None, "is a link that leads back to itself; replace it with the "
                                    "file")
        else:
            problems.add(rel, None, f"cannot be read ({exc.strerror or exc}); check the file")
        return None
    if not inside:
        problems.add(rel, None, "is a link to a file outside the content root; copy the file "
                                "into the content root instead")
        return None
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer that never comes.
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        what = "is a link to a file that does not exist" if path.is_symlink() else \
            "has disappeared while it was being read"
        problems.add(rel, None, f"{what}; put the file there, or delete the link")
        return None
    except IsADirectoryError:
        problems.add(rel, None, "is a folder, not a file; rename the folder or move it away")
        return None
    except PermissionError:
        problems.add(rel, None, "cannot be read (permission denied); make the file readable")
        return None
    except OSError as exc:
        problems.add(rel, None, f"cannot be read ({exc.strerror or exc}); check the file")
        return None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            problems.add(rel, None, "is a folder, not a file; rename the folder or move it away")
            return None
        if not stat.S_ISREG(info.st_mode):
            problems.add(rel, None, "is not an ordinary file (a pipe or a device); replace it "
                                    "with a text file")
            return None
        if info.st_size > MAX_SOURCE_BYTES:
            problems.add(rel, None, _too_big(info.st_size, rel))
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)  # a file that grows is still bounded
        if len(data) > MAX_SOURCE_BYTES:
            problems.add(rel, None, _too_big(len(data), rel))
            return None
        return data
    except OSError as exc:
        problems.add(rel, None, f"cannot be read ({exc.strerror or exc}); check the file")
        return None
    finally:
        os.close(fd)


def _too_big(size: int, rel: str) -> str:
    megabytes = math.ceil(size / 100_000) / 10  # rounded up: just over the limit shows as over
    hint = " (a guide can be a folder of chapter files)" if rel.endswith(".md") else ""
    return (f"is {megabytes:.1f} MB, more than the {MAX_SOURCE_BYTES // 1_000_000} MB a "
            f"source file may have; split it into smaller files{hint}")
