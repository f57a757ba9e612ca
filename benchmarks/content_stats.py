#!/usr/bin/env python3
"""Per guide: pages, words, glossary terms linked, prompts and the readability of the body.

    .venv/bin/python benchmarks/content_stats.py [DIST]

Reads the sources, and the page counts of the PDFs built in DIST (default dist/; run
`make pdfs` first). Readability is Flesch reading ease (textstat) of the prose: paragraphs,
lists and callouts, without prompts, code and tables; 60 and above reads as plain English.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from guidepress.errors import Collector
from guidepress.project import PROJECT_DIR, load_project
from guidepress.stats import guide_stats


def main() -> int:
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_DIR / "dist"
    project = load_project(PROJECT_DIR, Collector())
    manifest = json.loads((dist / "manifest.json").read_text())
    pages = {a["path"]: a["pages"] for a in manifest["artifacts"]}
    print(f"{'guide':10} {'pages':>5} {'words':>6} {'terms':>5} {'prompts':>7} {'Flesch':>6}")
    for guide in project.guides:
        stats = guide_stats(project, guide)
        print(f"{stats.slug:10} {pages.get(guide.slug + '.pdf', 0):>5} {stats.words:>6} "
              f"{stats.terms:>5} {stats.prompts:>7} {stats.reading_ease:>6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
