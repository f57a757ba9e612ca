"""`build-pdfs serve`: build, serve the output folder on 127.0.0.1, rebuild what changed on
every save and reload the open browser page (the mkdocs `serve` way).

The live-reload script lives only in what the server sends: the files in the output folder
never hold it. A PDF is shown through a small viewer page (/__guidepress/view/<file>) that
can hear the reloads, since Chromium's PDF viewer runs no script of ours.
"""

from __future__ import annotations

import errno
import html
import json
import logging
import re
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from .config import load_site
from .errors import Collector, Interrupted
from .progress import Reporter
from .watch import attempt, saves, watched_paths

HOST = "127.0.0.1"
PRIVATE = "/__guidepress/"
EVENTS = PRIVATE + "events"
VIEW = PRIVATE + "view/"
TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".png": "image/png",
         ".json": "application/json", ".css": "text/css", ".svg": "image/svg+xml",
         ".txt": "text/plain; charset=utf-8"}


class Live:
    """What the open pages hear: a build number, when each file last changed, the problems."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.generation = 0
        self.changed_at: dict[str, int] = {}
        self.problems: list[str] = []
        self.closed = False

    def publish(self, files: list[str], problems: list[str]) -> None:
        """A build finished: `files` are the ones it wrote, `problems` its errors."""
        with self.changed:
            if not files and problems == self.problems:
                return
            self.generation += 1
            for name in files:
                self.changed_at[name] = self.generation
            self.problems = list(problems)
            self.changed.notify_all()

    def close(self) -> None:
        """Let every waiting page go: the server is stopping."""
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def state(self, path: str, seen: int) -> dict:
        """What a page showing `path`, as of build `seen`, must do now."""
        return {"generation": self.generation, "problems": self.problems,
                "reload": self.changed_at.get(path, 0) > seen}

    def wait(self, generation: int, timeout: float) -> bool:
        """Wait for a build after `generation`; False when the server is stopping."""
        with self.changed:
            self.changed.wait_for(lambda: self.closed or self.generation != generation, timeout)
            return not self.closed


RELOAD_SCRIPT = """<script>(() => {
  const path = %(path)s, seen = %(seen)d;
  let box = null;
  function show(problems) {
    if (!problems.length) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "guidepress-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:50vh;" +
        "overflow:auto;margin:0;padding:1rem 1.25rem;background:#7f1d1d;color:#fff;" +
        "font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 -4px 16px #0006";
      document.body.appendChild(box);
    }
    box.textContent = "The last build failed; the files shown are from the build before.\\n\\n"
      + problems.join("\\n");
  }
  const events = new EventSource("%(events)s?path=" + encodeURIComponent(path) + "&seen=" + seen);
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    if (state.reload) { events.close(); location.reload(); return; }
    show(state.problems);
  };
})();</script>
"""

VIEWER = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>%(name)s</title>
<style>html, body { margin: 0; height: 100%%; } iframe { border: 0; width: 100%%; height: 100%%;
display: block; }</style></head>
<body><iframe src="/%(quoted)s?build=%(seen)d" title="%(name)s"></iframe>
</body></html>
"""

PDF_LINK = re.compile(r'<a\b[^>]*\bhref="([^"/:?#][^":?#]*\.pdf)"[^>]*>')


def live_html(text: str, path: str, seen: int) -> str:
    """The page as served: PDF links open the viewer, and the reload script is in."""
    def to_viewer(match: re.Match) -> str:
        tag = match.group(0).replace(f'href="{match.group(1)}"',
                                     f'href="{VIEW}{match.group(1)}"')
        return re.sub(r"\s(download|type=\"application/pdf\")(?=[\s>])", "", tag)

    text = PDF_LINK.sub(to_viewer, text)
    script = RELOAD_SCRIPT % {"path": json.dumps(path).replace("<", "\\u003c"), "seen": seen,
                              "events": EVENTS}
    at = text.rfind("</body>")
    return text[:at] + script + text[at:] if at >= 0 else text + script


class Handler(BaseHTTPRequestHandler):
    """Serves the output folder (GET and HEAD only), the viewer pages and the events."""

    server: "Server"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet, as a preview
        pass

    def do_HEAD(self) -> None:
        self.respond(head=True)

    def do_GET(self) -> None:
        self.respond(head=False)

    def refuse(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = refuse

    def respond(self, head: bool) -> None:
        url = urlsplit(self.path)
        if self.path.startswith(EVENTS) and not head:
            return self.events(parse_qs(url.query))
        live = self.server.live
        if url.path.startswith(VIEW):
            name = self.safe_name(url.path[len(VIEW):])
            if name is None or not name.endswith(".pdf"):
                return self.fail(HTTPStatus.NOT_FOUND)
            seen = live.generation
            page = VIEWER % {"name": html.escape(name), "quoted": html.escape(name),
                             "seen": seen}
            return self.send(live_html(page, name, seen).encode(), TYPES[".html"], head)
        name = self.safe_name(url.path.lstrip("/") or "index.html")
        if name is None:
            return self.fail(HTTPStatus.FORBIDDEN)
        file = self.server.out / name
        if not file.is_file():
            return self.fail(HTTPStatus.NOT_FOUND)
        seen = live.generation  # read before the file: a build after it reloads the page
        body = file.read_bytes()
        kind = TYPES.get(file.suffix, "application/octet-stream")
        if file.suffix == ".html":
            body = live_html(body.decode("utf-8", "replace"), name, seen).encode()
        self.send(body, kind, head)

    def safe_name(self, raw: str) -> str | None:
        """The file a request names inside the output folder, or None when it points out."""
        name = unquote(raw)
        parts = name.split("/")
        if "\x00" in name or "\\" in name or name.startswith("/") or any(
                p in ("", ".", "..") or p.startswith(".") for p in parts):
            return None  # also the build's own hidden files (its state, its lock)
        out = self.server.out.resolve()
        try:
            if not (out / name).resolve().is_relative_to(out):
                return None
        except (OSError, ValueError):
            return None
        return name

    def send(self, body: bytes, kind: str, head: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def fail(self, status: HTTPStatus) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def events(self, query: dict) -> None:
        """Server-Sent Events: the state now, then after every build, until the page goes."""
        path = query.get("path", ["index.html"])[0]
        try:
            seen = int(query.get("seen", ["0"])[0])
        except ValueError:
            seen = 0
        live = self.server.live
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            while True:
                with live.changed:
                    generation, state = live.generation, live.state(path, seen)
                # Sent again at least every 15 s: the page learns soon when the server is gone.
                self.wfile.write(f"data: {json.dumps(state)}\n\n".encode())
                self.wfile.flush()
                if state["reload"] or not live.wait(generation, timeout=15):
                    return
        except (BrokenPipeError, ConnectionResetError):
            return


class Server(ThreadingHTTPServer):
    """The HTTP server, with the folder it serves and the live state."""

    daemon_threads = True

    def __init__(self, port: int, out: Path, live: Live):
        self.out, self.live = out, live
        super().__init__((HOST, port), Handler)


def changed_targets(root: Path, paths: list[Path]) -> list[str] | None:
    """The guides and cheat sheets whose own sources these are, or None when a shared source
    (or a file that is gone) changed and everything must be considered."""
    targets: list[str] = []
    root = root.resolve()
    for path in paths:
        try:
            parts = path.resolve().relative_to(root).parts
        except ValueError:
            return None
        if len(parts) < 2 or parts[0] not in ("guides", "cheatsheets"):
            return None
        if len(parts) == 2:
            suffix = ".md" if parts[0] == "guides" else ".yaml"
            if not parts[1].endswith(suffix) and not path.exists():
                continue  # an editor's temporary file, come and gone
            if not parts[1].endswith(suffix) or not path.exists():
                return None
            slug = parts[1][:-len(suffix)]
        else:
            slug = parts[1]
            if not (root / parts[0] / slug).is_dir():
                return None
        targets.append(slug)
    return list(dict.fromkeys(targets)) or None


def default_paper(root: Path) -> str | None:
    """site.yaml's default paper, or None when it cannot be read (the build will say why)."""
    site = load_site(root, Collector())
    return site.paper if site else None


def written(report) -> list[str]:
    """The files a build wrote, and the downloads page when it wrote any."""
    if report is None:
        return []
    files = []
    for outcome in report.outcomes:
        if outcome.ok and not outcome.skipped:
            files += [outcome.entry.path] + ([outcome.entry.cover] if outcome.entry.cover else [])
    return files + ["index.html"] if files else files


def rebuild(root: Path, out: Path, jobs: int, reporter: Reporter, live: Live,
            targets: list[str] | None = None) -> None:
    """Build what changed, the edited targets' default paper first, then the rest; tell the
    pages after each step."""
    if targets:
        paper = default_paper(root)
        report, problems = attempt(root, out, jobs, reporter, targets, paper)
        live.publish(written(report), problems)
        if report is None:
            return  # their sources have problems: the full build would only repeat them
    report, problems = attempt(root, out, jobs, reporter)
    live.publish(written(report), problems)


def serve(args, stop: threading.Event | None = None,
          ready: Callable[[str], None] | None = None) -> int:
    """Build, serve on 127.0.0.1 and rebuild on every save until Ctrl-C (or `stop`)."""
    root: Path = args.root
    out: Path = args.out or root / "dist"
    reporter = Reporter(out, quiet=getattr(args, "quiet", False),
                        verbose=getattr(args, "verbose", False))
    live = Live()
    try:
        server = Server(args.port, out, live)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"Error: port {args.port} on {HOST} is in use (another serve?); choose "
                  f"another with --port {args.port + 1 if args.port < 65535 else 8000}, or "
                  "--port 0 for any free one", file=sys.stderr)
        else:
            print(f"Error: cannot serve on {HOST} port {args.port} ({exc.strerror}); choose "
                  "another with --port N, or --port 0 for any free one", file=sys.stderr)
        return 2
    thread = threading.Thread(target=server.serve_forever, name="guidepress-serve",
                              daemon=True)
    thread.start()
    url = f"http://{HOST}:{server.server_address[1]}/"
    out_resolved = out.resolve()
    # watchfiles says "KeyboardInterrupt caught, stopping watch"; "Stopped serving." is ours.
    logging.getLogger("watchfiles.main").setLevel(logging.ERROR)
    try:
        def first_build() -> None:
            rebuild(root, out, args.jobs, reporter, live)
            print(f"Serving {url} (Ctrl-C to stop)", file=sys.stderr)
            if ready:
                ready(url)

        for changes in saves(watched_paths(root), stop, first_build, step=30):
            paths = [Path(p) for _, p in changes]
            # Writing into an output folder inside a watched one must not trigger a rebuild.
            paths = [p for p in paths if not p.resolve().is_relative_to(out_resolved)]
            if paths:
                rebuild(root, out, args.jobs, reporter, live, changed_targets(root, paths))
    except (KeyboardInterrupt, Interrupted):
        pass
    finally:
        live.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    print("Stopped serving.", file=sys.stderr)
    return 0

