#!/usr/bin/env python3
"""Time the cheat-sheet fit against one plain render of the same sheet, in one run.

    .venv/bin/python benchmarks/cheatsheet_fit.py [--repeat 3]

For each cheat sheet and paper size: the size the fit chose, its layout passes, the time of
the whole fit, and the time of one layout of the final HTML (what the sheet would cost if its
size were known in advance). Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import sys
import time

from guidepress.build import plan
from guidepress.typeset import layout_sheet, stylesheets_for
from guidepress.project import PROJECT_DIR
from guidepress.render import Renderer, RenderLog


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (best is kept)")
    args = parser.parse_args()
    for paper in ("a4", "letter"):
        project, artifacts = plan(PROJECT_DIR, paper=paper)
        renderer = Renderer(project.allowed_folders)
        for artifact in (a for a in artifacts if a.kind == "cheatsheet"):
            sheets = stylesheets_for(project, artifact)
            fits, plains = [], []
            for _ in range(args.repeat):
                started = time.perf_counter()
                document, chosen = layout_sheet(artifact, renderer, sheets, RenderLog(),
                                                renderer.new_fetcher())
                fits.append(time.perf_counter() - started)
                columns = [{"sections": g, "gap": gap, "stretch": s}
                           for g, gap, s in zip(chosen.columns, chosen.gaps, chosen.stretch)]
                html = artifact.make_html(measure=False, size=chosen.size, columns=columns,
                                          available=chosen.available)
                started = time.perf_counter()
                renderer.layout(html, artifact.base_url, sheets, RenderLog(),
                                renderer.new_fetcher())
                plains.append(time.perf_counter() - started)
            fit_s, plain_s = min(fits), min(plains)
            print(f"{artifact.filename}: {chosen.size:.2f} pt, {chosen.passes} layout passes, "
                  f"{len(document.pages)} page; fit {fit_s:.2f} s, one plain render "
                  f"{plain_s:.2f} s, ratio {fit_s / plain_s:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
