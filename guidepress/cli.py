"""The command line: `build-pdfs [build|check] ...`; errors as `path:line: message`."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import traceback
from pathlib import Path

from . import __version__
from .errors import GuidepressError, Interrupted, SourceErrors, UnknownTarget
from .progress import Reporter, print_problems

EPILOG = """examples:
  build-pdfs                         build everything into dist/ (what changed)
  build-pdfs new guide my-guide --title "My Guide"   start a guide from a template
  build-pdfs serve                   preview in the browser, reloaded on every save
  build-pdfs build chatgpt --paper letter
  build-pdfs check                   validate every source, render nothing
  build-pdfs build --root ../other-site --out /tmp/site-pdfs
  build-pdfs build --force --jobs 2  render everything, two at a time
  build-pdfs build --shard 1/3 --out part1   one third of the catalogue
  build-pdfs build --strict          a release build: any problem or warning fails it
  build-pdfs build --pdf-variant pdf/a-3u   archival PDF/A-3u files (accessible too)
  build-pdfs merge part1 part2 part3 --out dist
  build-pdfs verify                  prove dist/ comes from these sources
  build-pdfs watch                   rebuild on every save

exit codes: 0 success, 1 a source or build error (all of them are listed), 2 a usage error
"""

EXIT_CODES = ("exit codes: 0 success, 1 a source or build error (all of them are listed), "
              "2 a usage error")


def examples(*lines: str) -> str:
    """A command's --help ending: its examples, then the exit codes."""
    return "examples:\n" + "".join(f"  {line}\n" for line in lines) + "\n" + EXIT_CODES + "\n"


BUILD_EXAMPLES = examples(
    "build-pdfs build                    build what changed into dist/",
    "build-pdfs build chatgpt --paper letter   one guide, on Letter paper",
    "build-pdfs build --strict           a release build: any problem or warning fails it",
    "build-pdfs build --pdf-variant pdf/a-3u   archival PDF/A-3u files (accessible too)")
VERIFY_EXAMPLES = examples(
    "build-pdfs verify                   rebuild everything elsewhere, compare with dist/",
    "build-pdfs verify --out public      check another output folder")
MERGE_EXAMPLES = examples(
    "build-pdfs build --shard 1/2 --out part1 && build-pdfs build --shard 2/2 --out part2",
    "build-pdfs merge part1 part2 --out dist   one dist/ with one downloads page")
WATCH_EXAMPLES = examples(
    "build-pdfs watch                    rebuild on every save; open dist/index.html",
    "build-pdfs watch --root ../site -q  another content root, printing only errors",
    "build-pdfs serve                    the same, with the browser page reloading itself")
SERVE_EXAMPLES = examples(
    "build-pdfs serve                    preview at http://127.0.0.1:8000/",
    "build-pdfs serve --port 0           any free port (it prints which)",
    "build-pdfs serve --root ../site     preview another content root")
NEW_EXAMPLES = examples(
    'build-pdfs new guide perplexity --title "Perplexity for Beginners"',
    'build-pdfs new cheatsheet prompt-card --title "Prompt Card"',
    'build-pdfs new term context-window --title "Context window"')
CHECK_EXAMPLES = examples(
    "build-pdfs check                    every problem in every source, as path:line: message",
    "build-pdfs check --root ../site     another content root")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build-pdfs", description="Build beautiful, reproducible PDF guides from "
        "Markdown guides and YAML glossary data.", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"guidepress {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser(
        "build", help="build PDFs (the default command)", epilog=BUILD_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build the named guides (all when none are named) into the output folder.")
    build.add_argument("targets", nargs="*", metavar="SLUG", help="guide slugs to build")
    _common(build)
    build.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="output folder (default: ROOT/dist)")
    build.add_argument("--paper", choices=("a4", "letter"), default=None,
                       help="paper size (default: site.yaml's paper)")
    build.add_argument("--pdf-variant", choices=("pdf/ua-1", "pdf/a-3u"), default=None,
                       help="pdf/ua-1 (accessible), or pdf/a-3u (archival, and accessible "
                            "too); default: site.yaml's pdf_variant, else pdf/ua-1")
    build.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    _jobs(build)
    build.add_argument("--force", action="store_true",
                       help="render everything, even artifacts whose inputs did not change")
    build.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                       help="build only the K-th of N deterministic parts (for a CI matrix)")
    build.add_argument("--strict", action="store_true",
                       help="fail on any problem anywhere and on any warning (release builds)")
    build.add_argument("--allow-placeholder-address", action="store_true",
                       help="do not warn of a placeholder brand address in site.yaml (a "
                            "release candidate built before the real address is known)")

    verify = commands.add_parser(
        "verify", help="rebuild into a temporary folder and compare with the manifest",
        epilog=VERIFY_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Prove that the PDFs in the output folder come from these sources: "
                    "rebuild everything elsewhere and name every artifact whose bytes differ.")
    _common(verify)
    verify.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="the folder to check (default: ROOT/dist)")
    _jobs(verify)

    merge = commands.add_parser(
        "merge", help="join the output folders of several shards into one",
        epilog=MERGE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Copy the artifacts of each folder, join their manifests and write one "
                    "downloads page.")
    merge.add_argument("folders", nargs="+", type=Path, metavar="DIR", help="shard outputs")
    _common(merge)
    merge.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="output folder (default: ROOT/dist)")

    watch = commands.add_parser(
        "watch", help="rebuild what changed on every save", epilog=WATCH_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build, then rebuild what changed whenever a source is saved. Errors are "
                    "reported and watching goes on; stop with Ctrl-C.")
    _common(watch)
    watch.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="output folder (default: ROOT/dist)")
    watch.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    _jobs(watch)

    new = commands.add_parser(
        "new", help="start a guide, cheat sheet or glossary term from a template",
        epilog=NEW_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write a new source that builds at once: a guide with its chapters "
                    "sketched, a cheat sheet, or a glossary term. Never overwrites a file.")
    new.add_argument("kind", choices=("guide", "cheatsheet", "term"), help="what to start")
    new.add_argument("slug", metavar="SLUG",
                     help="its name: lower-case letters, digits and hyphens (my-guide)")
    new.add_argument("--title", default=None,
                     help="its title (a term's name); default: made from the slug")
    new.add_argument("--lang", default=None, help="its language (default: site.yaml's lang)")
    _common(new)

    serve = commands.add_parser(
        "serve", help="preview in the browser, rebuilt and reloaded on every save",
        epilog=SERVE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build, serve the output folder with its downloads page on this computer "
                    "only (127.0.0.1), rebuild what changed on every save and reload the open "
                    "browser page. Stop with Ctrl-C.")
    _common(serve)
    serve.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="output folder (default: ROOT/dist)")
    serve.add_argument("--port", type=_port, default=8000, metavar="N",
                       help="port to serve on (default: 8000; 0 picks a free one)")
    serve.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    _jobs(serve)

    check = commands.add_parser(
        "check", help="validate every source without rendering", epilog=CHECK_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Report every problem in the sources as path:line: message.")
    _common(check)
    return parser


def _jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1,
                        metavar="N", help="render N artifacts at once (default: the number "
                                          "of cores)")


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not '{value}'")
    return number


def _port(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, not "
                                         f"'{value}'")
    return number


def _new(args: argparse.Namespace) -> int:
    from .scaffold import new
    return new(args)


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve
    return serve(args)


def _shard(value: str) -> tuple[int, int]:
    try:
        part, count = (int(x) for x in value.split("/"))
    except ValueError:
        part = count = 0
    if not 1 <= part <= count:
        raise argparse.ArgumentTypeError(f"must be K/N with 1 <= K <= N, not '{value}'")
    return part, count


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
    verbose = getattr(args, "verbose", False)
    previous = _stop_on_terminate()
    try:
        command = {"check": _check, "verify": _verify, "merge": _merge, "watch": _watch,
                   "new": _new, "serve": _serve}
        return command.get(args.command, _build)(args)
    except SourceErrors as exc:
        print_problems(exc.problems, "; nothing was built")
        return 1
    except GuidepressError as exc:
        print(exc if isinstance(exc, Interrupted) else f"Error: {exc}", file=sys.stderr)
        if verbose:
            traceback.print_exc()
        if isinstance(exc, Interrupted):
            return 130
        return 2 if isinstance(exc, UnknownTarget) else 1
    except KeyboardInterrupt:
        print("Interrupted: the output folder's manifest.json lists only complete files; "
              "run the command again to finish.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`build-pdfs | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:  # noqa: BLE001 - no input may end in a traceback
        print(f"Error: guidepress stopped unexpectedly ({type(exc).__name__}: {exc}); run "
              "the same command with -v and report what it prints", file=sys.stderr)
        if verbose:
            traceback.print_exc()
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop_on_terminate():
    """Let `kill` (SIGTERM) stop a build the way Ctrl-C does; return the old handler."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def _check(args: argparse.Namespace) -> int:
    from .build import check

    problems, warnings = check(args.root)
    if problems:
        print_problems(problems)
        return 1
    for warning in warnings:
        print(warning, file=sys.stderr)
    count = len(warnings)
    print("All sources are valid" + (f", with {count} warning{'s' if count != 1 else ''} "
                                     "(above)." if count else "."))
    return 0


def _build(args: argparse.Namespace) -> int:
    from .quick import build_options, noop_report

    out = args.out or args.root / "dist"
    reporter = Reporter(out, quiet=args.quiet, verbose=args.verbose)
    options = build_options(args.root, out, args.targets or None, args.paper, args.shard,
                            args.strict, args.pdf_variant, args.allow_placeholder_address)
    # Nothing changed: known before the sources (and the libraries that read them) load.
    report = None if args.force else noop_report(args.root, out, options, reporter.outcome,
                                                 reporter.plan)
    if report is None:
        from .build import build

        report = build(args.root, out, args.targets or None, args.paper, reporter.outcome,
                       jobs=args.jobs, force=args.force, shard=args.shard,
                       on_plan=reporter.plan, strict=args.strict, variant=args.pdf_variant,
                       allow_placeholder=args.allow_placeholder_address, quick=False)
    elsewhere = [p for p in report.warnings if not p.message.startswith("warning: ")]
    for problem in report.warnings:
        print(problem, file=sys.stderr)
    if elsewhere:
        count = len(elsewhere)
        print(f"warning: {count} problem{'s' if count != 1 else ''} in sources this build "
              "did not make (above); fix them before a full build", file=sys.stderr)
    reporter.summary(report)
    render_warnings = list(dict.fromkeys(w for o in report.outcomes for w in o.warnings))
    if args.strict and render_warnings:
        for warning in render_warnings:
            print(f"warning: {warning}", file=sys.stderr)
        count = len(render_warnings)
        print(f"{count} warning{'s' if count != 1 else ''}: --strict makes "
              f"{'them' if count != 1 else 'it'} fail the build", file=sys.stderr)
        return 1
    return 1 if report.failed else 0


def _verify(args: argparse.Namespace) -> int:
    from .build import verify

    out = args.out or args.root / "dist"
    differences, count = verify(args.root, out, jobs=args.jobs)
    for line in differences:
        print(line, file=sys.stderr)
    if differences:
        print(f"{len(differences)} of {count} artifacts differ from {out / 'manifest.json'}",
              file=sys.stderr)
        return 1
    print(f"All {count} artifacts match {out / 'manifest.json'}.")
    return 0


def _merge(args: argparse.Namespace) -> int:
    from .merge import merge

    count = merge(args.root, args.folders, args.out or args.root / "dist")
    print(f"Merged {count} artifacts from {len(args.folders)} folders into "
          f"{args.out or args.root / 'dist'}.")
    return 0


def _watch(args: argparse.Namespace) -> int:
    from .watch import watch

    out = args.out or args.root / "dist"
    return watch(args.root, out, jobs=args.jobs, reporter=Reporter(out, quiet=args.quiet,
                                                                     verbose=args.verbose))
