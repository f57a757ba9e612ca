"""What a build did: each artifact's outcome, in build order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import Problem
from .output import Entry

if TYPE_CHECKING:
    from .artifacts import Artifact


@dataclass
class Outcome:
    """What happened to one artifact."""

    artifact: Artifact
    entry: Entry | None = None
    problems: list[Problem] = field(default_factory=list)
    data: bytes = b""                     # the PDF, until the parent has published it
    cover: bytes | None = None            # the cover image of a default-paper PDF
    reads: dict[str, str] = field(default_factory=dict)  # files the render read -> sha256
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    note: str = ""
    skipped: bool = False  # up to date: kept from an earlier build
    layout: dict = field(default_factory=dict)  # the layout's choices, remembered in the state
    passes: int = 0       # layout passes it took (whole documents and parts)
    part_passes: int = 0  # of those, of a part alone (a guide's appendix)

    @property
    def ok(self) -> bool:
        """True when the artifact was written."""
        return self.entry is not None


@dataclass
class BuildReport:
    """The outcome of every artifact, in build order."""

    outcomes: list[Outcome]
    seconds: float
    #: Problems in sources this build did not make (a build of named targets goes ahead).
    warnings: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        """The artifacts that were not written."""
        return [o for o in self.outcomes if not o.ok]
