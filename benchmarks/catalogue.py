#!/usr/bin/env python3
"""Benchmark the catalogue build, in one run on this machine, and print ratios.

    .venv/bin/python benchmarks/catalogue.py [--pages 30 300] [--guides 40] [--skip-pandoc]

1. overhead: the full build (every artifact, every paper, one process) against the sum of
   plain WeasyPrint renders of the very HTML and stylesheets the build ended with, from
   nothing (a fresh output folder) and again with --force (the layout choices remembered),
   with the layout passes each artifact took;
2. --jobs 2 against --jobs 1;
3. a no-op rebuild of the whole catalogue (nothing changed), in process and as a command;
4. pandoc --pdf-engine=weasyprint on the same guides, when pandoc is installed;
5. a generated long guide against a short one: time per page and peak memory;
6. what `check`, `--help` and a no-op build import (python -X importtime);
7. a generated catalogue of `--guides` guides in two papers against the shipped one: time
   per artifact and per page, peak memory of a worker, and the layout passes of a rebuild
   after one glossary definition every guide prints has changed.

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


def child(argv: list[str], env: dict | None = None,
          cwd: Path | None = None) -> tuple[float, float]:
    """Run a command in a fresh helper process; return (seconds, peak RSS in MiB)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *argv], check=True, text=True,
                         capture_output=True, env=env, cwd=cwd).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def build_cli(out: Path, *options: str, root: Path = PROJECT) -> list[str]:
    return [str(BIN / "build-pdfs"), "build", "-q", "--root", str(root), "--out", str(out),
            *options]


def passes(report) -> str:
    """The layout passes per artifact, counted: "1 x26, 1+1 x4" (+ a part alone)."""
    if not hasattr(report.outcomes[0], "passes"):
        return "not counted by this version"
    return count_passes([(o.passes, o.part_passes) for o in report.outcomes])


def count_passes(pairs: list[tuple[int, int]]) -> str:
    """(passes, of them of a part alone) per artifact, as "whole+part xN" counts."""
    counts: dict[str, int] = {}
    for total, part in pairs:
        key = f"{total - part}" + (f"+{part}" if part else "")
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{k} x{n}" for k, n in sorted(counts.items()))


def overhead(tmp: Path) -> None:
    """Our build against plain WeasyPrint on the same final HTML, cold and warm."""
    from guidepress import render
    from guidepress.build import build

    finals: dict[str, tuple] = {}
    layout = render.Renderer.layout

    def recording(self, html, base_url, stylesheets, log, fetcher):
        # A guide's appendix laid out alone is not a whole document: keep the last whole one.
        # Nor is a chapter laid out alone (its <main> numbers its footnotes on).
        if '<main class="chapters">' in html or ('class="glossary-appendix"' not in html
                                                  and "<main " not in html):
            finals[id(fetcher)] = (html, base_url, stylesheets)
        return layout(self, html, base_url, stylesheets, log, fetcher)

    render.Renderer.layout = recording
    runs = []
    for label in ("from nothing", "again with --force (choices remembered)"):
        finals.clear()
        started = time.perf_counter()
        report = build(PROJECT, tmp / "overhead", force=True, jobs=1)
        runs.append((label, time.perf_counter() - started, report, list(finals.values())))
    render.Renderer.layout = layout

    raw = plain_weasyprint(runs[-1][3])
    for label, ours, report, _ in runs:
        pages = sum(o.entry.pages for o in report.outcomes)
        print(f"1. full build {label}: {len(report.outcomes)} artifacts, {pages} pages in "
              f"{ours:.2f} s ({pages / ours:.1f} pages/s); plain WeasyPrint on the same final "
              f"HTML: {raw:.2f} s; overhead {ours / raw - 1:+.0%}; layout passes per "
              f"artifact: {passes(report)}")


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
    # Run in the guides' folder, so that WeasyPrint finds the figures there too.
    theirs = sum(child([executable, g.name, "--standalone", "--pdf-engine=weasyprint", "-o",
                        str(tmp / f"{g.stem}-pandoc.pdf")], env, cwd=g.parent)[0]
                 for g in guides)
    ours, _ = child(build_cli(tmp / "pandoc-ours", "--force", "--jobs", "1", "--paper", "a4",
                              *[g.stem for g in guides]))
    print(f"4. the {len(guides)} guides, A4: guidepress {ours:.2f} s, pandoc "
          f"--pdf-engine=weasyprint {theirs:.2f} s, ratio {ours / theirs:.2f}x (guidepress adds "
          "the contents, glossary appendix, callouts, covers and checks)")
    floor = 0.0
    for guide in guides:  # the floor: plain WeasyPrint on the HTML our build ended with
        floor += warm_and_floor(PROJECT, guide.stem, tmp / "pandoc-floor")[1]
    print(f"   plain WeasyPrint on our final HTML of the same guides: {floor:.2f} s, "
          f"{floor / theirs:.2f}x pandoc's (our stylesheet, fonts, figures and two-column "
          "glossary appendix, laid out once)")


def long_guides(tmp: Path, sizes: list[int]) -> None:
    """Generate guides of about `sizes` pages from the shipped chapters; time and memory."""
    source = (PROJECT / "guides" / "chatgpt.md").read_text(encoding="utf-8")
    front, body = source.split("\n---\n", 1)[0] + "\n---\n", source.split("\n---\n", 1)[1]
    chapters = body.split("\n# ")[1:-1]  # not the quick reference
    results = []
    for pages in sizes:
        root = tmp / f"long{pages}"
        shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns(
            "dist", ".venv", ".git", "cheatsheets", "tests", "__pycache__", "*.egg-info"))
        for guide in (root / "guides").glob("*.md"):  # their figures stay
            guide.unlink()
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
        argv = build_cli(root / "dist", "--force", "--jobs", "1", "--paper", "a4", "long",
                         root=root)
        seconds, memory = child(argv)  # from nothing
        again, raw = warm_and_floor(root)  # its layout choices remembered; the floor
        made = json.loads((root / "dist" / "manifest.json").read_text())["artifacts"][0]["pages"]
        results.append((made, seconds, memory, again, raw))
        print(f"5. a {made}-page guide: {seconds:.2f} s, {seconds / made * 1000:.0f} ms/page, "
              f"peak RSS {memory:.0f} MiB; again with --force: {again:.2f} s, "
              f"{again / made * 1000:.0f} ms/page; plain WeasyPrint on its final HTML "
              f"{raw:.2f} s, {raw / made * 1000:.0f} ms/page")
    if len(results) == 2:
        (p1, s1, m1, a1, r1), (p2, s2, m2, a2, r2) = results
        print(f"   time per page, long against short: {(s2 / p2) / (s1 / p1):.2f}x from "
              f"nothing, {(a2 / p2) / (a1 / p1):.2f}x again, {(r2 / p2) / (r1 / p1):.2f}x for "
              f"plain WeasyPrint (the floor); memory {m2:.0f} MiB against {m1:.0f} MiB")


def warm_and_floor(root: Path, slug: str = "long", out: Path | None = None) \
        -> tuple[float, float]:
    """A --force rebuild of guide `slug` in this process (into `out`, by default the root's
    dist/, where its choices are remembered) and one plain WeasyPrint render and write of
    the HTML it ended with."""
    from guidepress import render
    from guidepress.build import build

    finals: list[tuple] = []
    layout = render.Renderer.layout

    def recording(self, html, base_url, stylesheets, log, fetcher):
        if '<main class="chapters">' in html:
            finals[:] = [(html, base_url, stylesheets)]
        return layout(self, html, base_url, stylesheets, log, fetcher)

    render.Renderer.layout = recording
    started = time.perf_counter()
    build(root, out or root / "dist", [slug], paper="a4", force=True)
    again = time.perf_counter() - started
    render.Renderer.layout = layout
    return again, plain_weasyprint(finals)


def plain_weasyprint(finals: list[tuple]) -> float:
    """Seconds for plain WeasyPrint to render and write each (html, base_url, stylesheets):
    the floor. The stylesheet files, and the fonts they load, are parsed once for all of
    them (as the build does), so that the floor is layout and drawing, not decoding the
    emoji font's WOFF2 again for every document (about 1.1 s each)."""
    import weasyprint
    from guidepress.render import bundled_fonts_only

    started = time.perf_counter()
    with bundled_fonts_only():
        fonts = weasyprint.text.fonts.FontConfiguration()
    parsed: dict = {}
    for html, base_url, stylesheets in finals:
        css = []
        for sheet in stylesheets:
            if sheet.path is None:
                css.append(weasyprint.CSS(string=sheet.text, font_config=fonts,
                                          base_url=base_url))
                continue
            if sheet.path not in parsed:
                parsed[sheet.path] = weasyprint.CSS(filename=str(sheet.path), font_config=fonts)
            css.append(parsed[sheet.path])
        weasyprint.HTML(string=html, base_url=base_url).write_pdf(stylesheets=css,
                                                                  font_config=fonts)
    return time.perf_counter() - started


#: The modules that only rendering needs, and those that only reading the sources needs.
RENDERING = ("weasyprint", "pypdfium2", "pikepdf", "pygments.formatters.html", "pygments.lexer")
READING = ("markdown", "yaml", "jinja2", "babel")


def imports(tmp: Path) -> None:
    """What each quick command loads, by python -X importtime, and how long the loading takes."""
    out = tmp / "j2"  # built by jobs(): a no-op
    for label, argv in (("check", ["check"]), ("--help", ["--help"]),
                        ("no-op build", ["build", "-q", "--out", str(out)])):
        result = subprocess.run([sys.executable, "-X", "importtime",
                                 str(PROJECT / "build_pdfs.py"), *argv],
                                capture_output=True, text=True, cwd=PROJECT)
        rows = [line.split("|") for line in result.stderr.splitlines()
                if line.startswith("import time:") and line.split("|")[1].strip().isdigit()]
        modules = {row[-1].strip() for row in rows}
        # top-level imports (no indentation in the module column) add up to the total
        total = sum(int(row[1]) for row in rows if not row[-1].startswith("  ")) / 1000
        heavy = [m for m in (*RENDERING, *READING) if m in modules]
        print(f"6. {label}: imports {total:.0f} ms, {len(modules)} modules; of WeasyPrint, "
              f"pypdfium2, pikepdf, Pygments' formatter and lexer, Markdown, PyYAML, Jinja2 and "
              f"Babel: {', '.join(heavy) or 'none'}")


BUILD_CHILD = """
import json, resource, sys, time
from pathlib import Path
from guidepress.build import build
started = time.perf_counter()
report = build(Path(sys.argv[1]), Path(sys.argv[2]), jobs=int(sys.argv[3]),
               force=sys.argv[4] == "force")
print(json.dumps({"seconds": time.perf_counter() - started,
                  "workers_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "parent_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "failed": len(report.failed),
                  "outcomes": [{"kind": o.artifact.kind if o.artifact else "", "skipped": o.skipped,
                                "pages": o.entry.pages if o.entry else 0, "seconds": o.seconds,
                                "passes": getattr(o, "passes", 0),
                                "part": getattr(o, "part_passes", 0)}
                               for o in report.outcomes]}))
"""


def build_child(root: Path, out: Path, jobs_: int, force: bool) -> dict:
    """Build in a fresh process; its timings, the outcomes and the peak memory of its workers."""
    result = subprocess.run([sys.executable, "-c", BUILD_CHILD, str(root), str(out), str(jobs_),
                             "force" if force else "changed"], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"the build failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def per_artifact(run: dict) -> tuple[float, float, float]:
    """Wall seconds per artifact, per page, and a guide's mean render seconds."""
    done = [o for o in run["outcomes"] if not o["skipped"]]
    pages = sum(o["pages"] for o in done)
    guides = [o["seconds"] for o in done if o["kind"] == "guide"]
    return run["seconds"] / len(done), run["seconds"] / pages, sum(guides) / len(guides)


def scale(tmp: Path, count: int) -> None:
    """A catalogue of `count` guides (copies of the shipped ones) against the shipped one."""
    root = tmp / "scale"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns(
        "dist", ".venv", ".git", "tests", "benchmarks", "docs", "__pycache__", "*.egg-info"))
    guides = sorted((root / "guides").glob("*.md"))
    english = [g for g in guides if "." not in g.stem]
    made = len(guides)
    while made < count:
        source = english[made % len(english)]
        copy = source.with_name(f"{source.stem}-copy{made}.md")
        copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        made += 1
    check = subprocess.run([str(BIN / "build-pdfs"), "check", "--root", str(root)],
                           capture_output=True, text=True)
    if check.returncode:
        print(f"7. the generated catalogue does not check:\n{check.stderr[-2000:]}")
        return
    shipped = build_child(PROJECT, tmp / "scale-shipped", 2, True)
    big = build_child(root, root / "dist", 2, True)
    (a1, p1, g1), (a2, p2, g2) = per_artifact(shipped), per_artifact(big)
    print(f"7. {len(shipped['outcomes'])} artifacts (the shipped catalogue), --jobs 2: "
          f"{shipped['seconds']:.1f} s, {a1:.2f} s/artifact, {p1 * 1000:.0f} ms/page, "
          f"{g1:.2f} s per guide; worker peak {shipped['workers_mib']:.0f} MiB, parent "
          f"{shipped['parent_mib']:.0f} MiB")
    print(f"7. {len(big['outcomes'])} artifacts ({made} guides, two papers), --jobs 2: "
          f"{big['seconds']:.1f} s, {a2:.2f} s/artifact, {p2 * 1000:.0f} ms/page, {g2:.2f} s per "
          f"guide; worker peak {big['workers_mib']:.0f} MiB, parent {big['parent_mib']:.0f} MiB")
    print(f"   against the shipped catalogue: per artifact {a2 / a1:.2f}x (more guides, which are "
          f"the long ones), per page {p2 / p1:.2f}x, per guide {g2 / g1:.2f}x, worker memory "
          f"{big['workers_mib'] / shipped['workers_mib']:.2f}x")
    # One definition every guide prints in its glossary appendix, a little longer.
    term = "hallucination"
    for path in sorted((root / "glossary").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        at = text.find(f"- slug: {term}\n")
        if at >= 0:
            line = text.index("  short: ", at)
            end = text.index("\n", line)
            path.write_text(text[:end] + " Check it." + text[end:], encoding="utf-8")
            break
    edited = build_child(root, root / "dist", 2, False)
    rendered = [o for o in edited["outcomes"] if not o["skipped"]]
    guides = [o for o in rendered if o["kind"] == "guide"]
    print(f"7. after editing the short definition of '{term}': {len(rendered)} re-rendered "
          f"({len(guides)} guides) in {edited['seconds']:.1f} s; layout passes per guide: "
          + count_passes([(o["passes"], o["part"]) for o in guides]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs=2, default=[30, 300],
                        help="the sizes of the generated guides")
    parser.add_argument("--guides", type=int, default=40,
                        help="the guides of the generated catalogue (0: skip it)")
    parser.add_argument("--skip-pandoc", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="guidepress-bench-") as folder:
        tmp = Path(folder)
        overhead(tmp)
        jobs(tmp)
        if not args.skip_pandoc:
            pandoc(tmp)
        long_guides(tmp, args.pages)
        imports(tmp)
        if args.guides:
            scale(tmp, args.guides)
    return 0


if __name__ == "__main__":
    sys.exit(main())
