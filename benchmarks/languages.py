#!/usr/bin/env python3
"""PDF size and build time per language, against English, in one run on this machine.

    .venv/bin/python benchmarks/languages.py [--repeat 3]

1. The same test guide (two chapters, the paragraphs of tests/test_scripts.py) in each
   script the catalogue prints, plus an English one of the same shape: bytes, pages, the
   best of --repeat forced builds of that one guide (A4), and the time as a ratio to English.
2. The shipped translations beside their English sources (chatgpt, ai-cheat-sheet): bytes,
   pages and build time, the same way.

Machines are noisy: compare the ratios, within one run. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "tests"))

from conftest import GLOSSARY, SITE, make_project  # noqa: E402
import test_scripts  # noqa: E402
from guidepress.cli import main as cli  # noqa: E402

ENGLISH = ("Artificial intelligence reads text and writes an answer. The shorter and clearer "
           "the question, the better the answer. Pack my box with five dozen liquor jugs, and "
           "the quick brown fox jumps over the lazy dog.")


def timed_build(root: Path, slug: str, repeat: int) -> float:
    """Best wall time of `repeat` forced one-guide builds, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = cli(["build", slug, "--root", str(root), "--paper", "a4", "--force", "-q",
                        "-j", "1"])
        best = min(best, time.perf_counter() - started)
        if code != 0:
            raise SystemExit(f"building {slug} failed (exit {code})")
    return best


def row(name: str, path: Path, seconds: float, english: float) -> str:
    pages = len(PdfReader(path).pages)
    return (f"| {name} | {path.stat().st_size:,} | {pages} | {seconds:.2f} | "
            f"{seconds / english:.2f}x |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="builds of each (best is kept)")
    args = parser.parse_args()
    texts = {"en": ENGLISH, **test_scripts.TEXT}
    test_scripts.TEXT["en"] = ENGLISH
    with tempfile.TemporaryDirectory() as scratch:
        root = make_project(Path(scratch) / "site", {
            "site.yaml": SITE, "glossary/terms.yaml": GLOSSARY, "guides/alpha.md": None,
            **{f"guides/{test_scripts.slug(lang)}.md": test_scripts.guide(lang)
               for lang in texts}})
        times = {lang: timed_build(root, test_scripts.slug(lang), args.repeat) for lang in texts}
        print("Test guide, one per language (A4):\n")
        print("| lang | bytes | pages | build s | vs en |\n| --- | ---: | ---: | ---: | ---: |")
        for lang in texts:
            print(row(lang, root / "dist" / f"{test_scripts.slug(lang)}.pdf", times[lang],
                      times["en"]))

        shipped = Path(scratch) / "shipped"
        shipped.mkdir()
        for name in ("site.yaml", "frameworks.yaml", "guides", "glossary", "cheatsheets"):
            source = PROJECT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, shipped / name)
        print("\nShipped translations against their English sources (A4):\n")
        print("| artifact | bytes | pages | build s | vs en |\n| --- | ---: | ---: | ---: | ---: |")
        for english, others in (("chatgpt", ["chatgpt.es"]),
                                ("ai-cheat-sheet", ["ai-cheat-sheet.es", "ai-cheat-sheet.ja"])):
            base = timed_build(shipped, english, args.repeat)
            print(row(english, shipped / "dist" / f"{english}.pdf", base, base))
            for other in others:
                print(row(other, shipped / "dist" / f"{other}.pdf",
                          timed_build(shipped, other, args.repeat), base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
