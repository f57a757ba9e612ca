"""The command line: `build-pdfs [build|check] ...`; errors as `path:line: message`."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import GuidepressError, SourceErrors

EPILOG = """examples:
  build-pdfs                         build every guide into dist/
  build-pdfs build chatgpt --paper letter
  build-pdfs check                   validate every source, render nothing
  build-pdfs build --root ../other-site --out /tmp/site-pdfs

exit codes: 0 success, 1 a source or build error (all of them are listed), 2 a usage error
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build-pdfs", description="Build beautiful, reproducible PDF guides from "
        "Markdown guides and YAML glossary data.", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"guidepress {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser(
        "build", help="build PDFs (the default command)", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build the named guides (all when none are named) into the output folder.")
    build.add_argument("targets", nargs="*", metavar="SLUG", help="guide slugs to build")
    _common(build)
    build.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="output folder (default: ROOT/dist)")
    build.add_argument("--paper", choices=("a4", "letter"), default=None,
                       help="paper size (default: site.yaml's paper)")
    build.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    check = commands.add_parser(
        "check", help="validate every source without rendering", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Report every problem in the sources as path:line: message.")
    _common(check)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                        help="content root with site.yaml, guides/, glossary/ (default: .)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show WeasyPrint warnings and tracebacks")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "build")
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage error
        return int(exc.code or 0)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    try:
        if args.command == "check":
            return _check(args)
        return _build(args)
    except SourceErrors as exc:
        _print_problems(exc.problems)
        return 1
    except GuidepressError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        if getattr(args, "verbose", False):
            traceback.print_exc()
        return 2 if type(exc).__name__ == "UnknownTarget" else 1
    except KeyboardInterrupt:
        print("Interrupted: the PDFs in the output folder are the ones from before.",
              file=sys.stderr)
        return 130


def _print_problems(problems: list) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was built.", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from .build import check

    problems = check(args.root)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.",
              file=sys.stderr)
        return 1
    print("All sources are valid.")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .build import build

    out = args.out or args.root / "dist"
    shown: set[str] = set()

    def progress(outcome) -> None:
        if outcome.ok:
            entry = outcome.entry
            if not args.quiet:
                note = f", {outcome.note}" if outcome.note else ""
                pages = f"{entry.pages} page{'s' if entry.pages != 1 else ''}"
                print(f"built  {out / entry.path}  {pages}, {entry.bytes / 1024:.0f} KiB, "
                      f"{outcome.seconds:.1f} s{note}")
            for warning in outcome.warnings:
                # Setup warnings matter on every run; WeasyPrint's CSS notes only with -v.
                if args.verbose or (warning.startswith("slow font subsetting")
                                    and warning not in shown):
                    shown.add(warning)
                    print(f"warning: {warning}", file=sys.stderr)
        else:
            print(f"failed {out / outcome.artifact.filename}", file=sys.stderr)
            for problem in outcome.problems:
                print(problem, file=sys.stderr)

    report = build(args.root, out, args.targets or None, args.paper, progress)
    built = len(report.outcomes) - len(report.failed)
    if not args.quiet or report.failed:
        print(f"{built} built, {len(report.failed)} failed in {report.seconds:.1f} s",
              file=sys.stderr if report.failed else sys.stdout)
    return 1 if report.failed else 0
