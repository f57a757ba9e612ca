"""An incremental build is never stale: after any sequence of edits to what a guide is made
from, each followed by a plain (incremental) build, dist/ holds the very bytes that a
--force build from scratch into a fresh folder makes.

The edits: a guide's text, a glossary term it prints, the bytes of an image it shows, a
template of the root's own, a brand token in the root's own tokens.css, site.yaml and
SOURCE_DATE_EPOCH. Each has three values (0 is the project as first built); an edit moves
one of them to another value.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import GLOSSARY, GUIDE, SITE, make_project
from guidepress.cli import main
from guidepress.project import PROJECT_DIR

pytestmark = pytest.mark.slow


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid RGB PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


FIGURE = '\n![A coloured dot](images/dot.png "Figure 1: a dot")\n'
ALPHA = GUIDE + FIGURE
BETA = GUIDE.replace("Alpha Guide", "Beta Guide").replace(
    "A [[prompt]] is made of [[token|tokens]].", "Write a [[prompt]].").replace(
    "More about [[prompts|prompts]]", "More about asking")
SHORT = "  short: A small chunk of text a model reads and writes.\n"
BACK_PAGE = (PROJECT_DIR / "templates" / "partials" / "back_page.html").read_text()
ABOUT = "{{ labels.about }}"
ACCENT = re.search(r"--accent:\s*[^;]+;", (PROJECT_DIR / "styles" / "tokens.css").read_text())
TAGLINE = "tagline: Guides for testing.\n"
assert SHORT in GLOSSARY and ABOUT in BACK_PAGE and ACCENT and TAGLINE in SITE

#: What each edit writes, by its value: a file's text (None: no such file), or for the
#: epoch the value of SOURCE_DATE_EPOCH (None: unset).
VALUES: dict[str, tuple[str, tuple]] = {
    "guide text": ("guides/alpha.md", (
        ALPHA,
        ALPHA.replace("Some text with a footnote.", "Some other words with a footnote."),
        ALPHA + "\nOne more paragraph about [[token|tokens]].\n")),
    "glossary term": ("glossary/terms.yaml", (
        GLOSSARY,
        GLOSSARY.replace(SHORT, "  short: A piece of a word that a model reads.\n"),
        GLOSSARY.replace(SHORT, "  short: The unit of text a model counts.\n").replace(
            "definition: A token is a piece of text", "definition: A token is a bit of text"))),
    "image": ("guides/images/dot.png", (
        png(1, 1, (220, 30, 30)), png(2, 1, (30, 30, 220)), png(1, 2, (30, 160, 60)))),
    "template": ("templates/partials/back_page.html", (
        None, BACK_PAGE.replace(ABOUT, "All about"), BACK_PAGE.replace(ABOUT, "Meet"))),
    "token colour": ("styles/tokens.css", (
        None, ":root {\n  --accent: #9d174d;\n}\n", ":root {\n  --accent: #115e59;\n}\n")),
    "site.yaml": ("site.yaml", (
        SITE, SITE.replace(TAGLINE, "tagline: Other words.\n"),
        SITE.replace(TAGLINE, "tagline: Plain guides for plain people.\n"))),
    "SOURCE_DATE_EPOCH": ("", (None, "1764460800", "1767225600")),
}
KINDS = list(VALUES)
EPOCH = "SOURCE_DATE_EPOCH"

class Workspace:
    """One content root and one output folder for every example (so that the root's path
    never changes), the clean builds made so far and the first build, copied each time."""

    def __init__(self, base: Path):
        self.base = base
        self.root, self.out, self.first = base / "site", base / "dist", base / "first"
        #: The state (a value per kind) -> what a clean build of it published.
        self.clean_builds: dict[tuple[int, ...], dict[str, bytes]] = {}

    def apply(self, kind: str, value: int) -> None:
        """Write one kind's value into the root (or the environment)."""
        path, values = VALUES[kind]
        content = values[value]
        if kind == EPOCH:
            if content is None:
                os.environ.pop(EPOCH, None)
            else:
                os.environ[EPOCH] = content
            return
        target = self.root / path
        if content is None:
            target.unlink(missing_ok=True)
            top = self.root / Path(path).parts[0]
            if top.is_dir() and not any(p.is_file() for p in top.rglob("*")):
                shutil.rmtree(top)  # a root without its own templates/ or styles/ at all
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())

    def build(self, out: Path, *extra: str) -> str:
        """Build the root into `out` in this process, one artifact at a time; return what
        it printed."""
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            code = main(["build", "--root", str(self.root), "--out", str(out), "-j", "1",
                         *extra])
        assert code == 0, stdout.getvalue()
        return stdout.getvalue()

    def clean(self, state: tuple[int, ...]) -> dict[str, bytes]:
        """What a --force build of the root as it is now makes in a fresh folder."""
        if state not in self.clean_builds:
            fresh = self.base / f"clean-{len(self.clean_builds)}"
            self.build(fresh, "--force", "-q")
            self.clean_builds[state] = published(fresh)
            shutil.rmtree(fresh)
        return self.clean_builds[state]

    def start(self) -> None:
        """The project at state 0, and its first build in the output folder."""
        for folder in (self.root, self.out):
            shutil.rmtree(folder, ignore_errors=True)
        make_project(self.root, {"guides/beta.md": BETA})
        for kind in KINDS:
            self.apply(kind, 0)
        if not self.first.exists():
            self.build(self.first, "-q")
        shutil.copytree(self.first, self.out)


def published(out: Path) -> dict[str, bytes]:
    """What a reader sees in `out`: the PDFs, covers, manifest and downloads page."""
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())
            if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("incremental"))


edits = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 2)), min_size=1, max_size=4)


@settings(max_examples=7, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits)
# Every kind at least once, whatever the random examples draw; a root's own tokens.css, its
# own template and SOURCE_DATE_EPOCH each also go away again (value back to 0).
@example([("image", 1), ("glossary term", 2), ("token colour", 1), ("token colour", 2)])
@example([("template", 1), ("template", 2), ("SOURCE_DATE_EPOCH", 1), ("image", 2)])
@example([("site.yaml", 2), ("guide text", 1), ("SOURCE_DATE_EPOCH", 2), ("SOURCE_DATE_EPOCH", 1)])
def test_an_incremental_build_after_any_edits_is_a_clean_build(workspace, sequence):
    saved = os.environ.get(EPOCH)
    try:
        os.environ.pop(EPOCH, None)
        workspace.start()
        state = [0] * len(KINDS)
        for kind, step in sequence:
            index = KINDS.index(kind)
            state[index] = (state[index] + step) % 3
            workspace.apply(kind, state[index])
            workspace.build(workspace.out, "-q")
            expected = workspace.clean(tuple(state))
            got = published(workspace.out)
            stale = sorted(n for n in got.keys() | expected.keys()
                           if got.get(n) != expected.get(n))
            assert stale == [], (f"after {kind} -> value {state[index]} (state {state}): "
                                 f"{stale} differ from a clean build")
        # And nothing is rendered again when nothing changed.
        summary = workspace.build(workspace.out).strip().splitlines()[-1]
        assert summary.startswith("0 built, 2 up to date, 0 failed"), summary
    finally:
        if saved is None:
            os.environ.pop(EPOCH, None)
        else:
            os.environ[EPOCH] = saved
