"""The exception hierarchy and the located problem every stage reports."""

from __future__ import annotations

from dataclasses import dataclass


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
        return f"{where}: {self.message}"


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


class SetupError(GuidepressError):
    """The machine lacks something the build needs (a system library, say)."""


def _problem_key(problem: Problem) -> tuple:
    return (problem.path, problem.line or 0, problem.col or 0, problem.message)


class Collector:
    """Gathers problems from a stage so that all of them are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, line: int | None, message: str, col: int | None = None) -> None:
        """Record one problem."""
        self.problems.append(Problem(path, line, col, message))

    def extend(self, problems: list[Problem]) -> None:
        """Record problems found elsewhere."""
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        """Stop the build when anything was recorded."""
        if self.problems:
            raise SourceErrors(self.problems)


def read_source(path, rel: str, problems: Collector) -> str | None:
    """Read a UTF-8 source file; record where it is not UTF-8 and return None."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.add(rel, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                                "save the file as UTF-8", col)
        return None
