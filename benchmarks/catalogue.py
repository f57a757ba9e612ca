#!/usr/bin/env python3
"""Benchmark the catalogue build, in one run on this machine, and print ratios.

    .venv/bin/python benchmarks/catalogue.py [--pages 30 300] [--skip-pandoc]

1. overhead: the full build (every artifact, every paper, one process) against the sum of
   plain WeasyPrint renders of the very HTML and stylesheets the build ended with;
2. --jobs 2 against --jobs 1;
3. a no-op rebuild of the whole catalogue (nothing changed), in process and as a command;
4. pandoc --pdf-engine=weasyprint on the same guides, when pandoc is installed;
5. a generated long guide against a short one: time per page and peak memory.

Machines are noisy: compare the ratios printed here, within one run. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def child(argv: list[str], env: dict | None = None) -> tuple[float, float]:
    """Run a command in a fresh helper process; return (seconds, peak RSS in MiB)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *argv], check=True, text=True,
                         capture_output=True, env=env).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def build_cli(out: Path, *options: str, root: Path = PROJECT) -> list[str]:
    return [str(BIN / "build-pdfs"), "build", "-q", "--root", str(root), "--out", str(out),
            *options]


def overhead(tmp: Path) -> None:
    """Our build against plain WeasyPrint on the same final HTML."""
    import weasyprint
    from guidepress import render, typeset
    from guidepress.build import build

    finals: dict[str, tuple] = {}
    layout = render.Renderer.layout

    def recording(self, html, base_url, stylesheets, log, fetcher):
        # A guide's appendix laid out alone is not a whole document: keep the last whole one.
        if '<main class="chapters">' in html or 'class="glossary-appendix"' not in html:
            finals[id(fetcher)] = (html, base_url, stylesheets)
        return layout(self, html, base_url, stylesheets, log, fetcher)

    render.Renderer.layout = recording
    started = time.perf_counter()
    report = build(PROJECT, tmp / "overhead", force=True, jobs=1)
    ours = time.perf_counter() - started
    render.Renderer.layout = layout
    pages = sum(o.entry.pages for o in report.outcomes)

    started = time.perf_counter()
    for html, base_url, stylesheets in finals.values():
        fonts = weasyprint.text.fonts.FontConfiguration()
        css = [weasyprint.CSS(filename=str(s.path), font_config=fonts) if s.path else
               weasyprint.CSS(string=s.text, font_config=fonts, base_url=base_url)
               for s in stylesheets]
        weasyprint.HTML(string=html, base_url=base_url).write_pdf(stylesheets=css,
                                                                  font_config=fonts)
    raw = time.perf_counter() - started
    print(f"1. full build: {len(report.outcomes)} artifacts, {pages} pages in {ours:.2f} s "
          f"({pages / ours:.1f} pages/s); plain WeasyPrint on the same final HTML: {raw:.2f} s; "
          f"overhead {ours / raw - 1:+.0%}")
    del typeset


def jobs(tmp: Path) -> None:
    one, _ = child(build_cli(tmp / "j1", "--force", "--jobs", "1"))
    two, _ = child(build_cli(tmp / "j2", "--force", "--jobs", "2"))
    print(f"2. --jobs 1: {one:.2f} s, --jobs 2: {two:.2f} s, speed-up {one / two:.2f}x "
          f"on {os.cpu_count()} cores")
    started = time.perf_counter()
    from guidepress.build import build
    build(PROJECT, tmp / "j2", jobs=2)
    in_process = time.perf_counter() - started
    noop, _ = child(build_cli(tmp / "j2"))
    print(f"3. no-op rebuild of the whole catalogue: {in_process:.2f} s in process, "
          f"{noop:.2f} s as a command (Python start-up and imports included)")


def pandoc(tmp: Path) -> None:
    executable = shutil.which("pandoc")
    if not executable:
        print("4. pandoc is not installed (apt-get install pandoc): skipped")
        return
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    guides = sorted((PROJECT / "guides").glob("*.md"))
    theirs = sum(child([executable, str(g), "--standalone", "--pdf-engine=weasyprint", "-o",
                        str(tmp / f"{g.stem}-pandoc.pdf")], env)[0] for g in guides)
    ours, _ = child(build_cli(tmp / "pandoc-ours", "--force", "--jobs", "1", "--paper", "a4",
                              *[g.stem for g in guides]))
    print(f"4. the {len(guides)} guides, A4: guidepress {ours:.2f} s, pandoc "
          f"--pdf-engine=weasyprint {theirs:.2f} s, ratio {ours / theirs:.2f}x (guidepress adds "
          "the contents, glossary appendix, callouts, covers and checks)")


def long_guides(tmp: Path, sizes: list[int]) -> None:
    """Generate guides of about `sizes` pages from the shipped chapters; time and memory."""
    source = (PROJECT / "guides" / "chatgpt.md").read_text(encoding="utf-8")
    front, body = source.split("\n---\n", 1)[0] + "\n---\n", source.split("\n---\n", 1)[1]
    chapters = body.split("\n# ")[1:-1]  # not the quick reference
    results = []
    for pages in sizes:
        root = tmp / f"long{pages}"
        shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns(
            "dist", ".venv", ".git", "guides", "cheatsheets", "tests", "__pycache__"))
        (root / "guides").mkdir()
        copies = max(1, round(pages / 15))
        text = "".join(f"\n# {c.split(chr(10), 1)[0]} {n + 1}\n{c.split(chr(10), 1)[1]}"
                       for n in range(copies) for c in chapters)
        # Links to headings and other guides would not resolve in the copy: keep their text.
        text = re.sub(r"\[([^\]]+)\]\((?:#[^)]*|[a-z-]+\.md[^)]*)\)", r"\1", text)
        (root / "guides" / "long.md").write_text(front + text, encoding="utf-8")
        check = subprocess.run([str(BIN / "build-pdfs"), "check", "--root", str(root)],
                               capture_output=True, text=True)
        if check.returncode:
            print(f"5. the generated guide does not check:\n{check.stderr}")
            return
        seconds, memory = child(build_cli(root / "dist", "--force", "--jobs", "1", "--paper",
                                          "a4", "long", root=root))
        made = json.loads((root / "dist" / "manifest.json").read_text())["artifacts"][0]["pages"]
        results.append((made, seconds, memory))
        print(f"5. a {made}-page guide: {seconds:.2f} s, {seconds / made * 1000:.0f} ms/page, "
              f"peak RSS {memory:.0f} MiB")
    if len(results) == 2:
        (p1, s1, m1), (p2, s2, m2) = results
        print(f"   time per page, long against short: {(s2 / p2) / (s1 / p1):.2f}x; "
              f"memory {m2:.0f} MiB against {m1:.0f} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs=2, default=[30, 300],
                        help="the sizes of the generated guides")
    parser.add_argument("--skip-pandoc", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="guidepress-bench-") as folder:
        tmp = Path(folder)
        overhead(tmp)
        jobs(tmp)
        if not args.skip_pandoc:
            pandoc(tmp)
        long_guides(tmp, args.pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
