"""`build-pdfs serve` in a real browser: the page reloads itself after a save, PDFs open in a
viewer page that reloads too, a broken source shows its problems on the page until fixed, the
files on disk never hold the reload script, nothing outside the output folder is served, and a
port in use is one clear line."""

from __future__ import annotations

import argparse
import http.client
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import CHROMIUM, FLAGS, GUIDE, make_project, require_chromium

playwright_api = require_chromium()

from guidepress.serve import changed_targets, live_html, serve  # noqa: E402


def options(root: Path, port: int = 0) -> argparse.Namespace:
    return argparse.Namespace(root=root, out=None, port=port, quiet=True, verbose=False, jobs=1)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A served content root: (root, address); stopped at the end of the module."""
    root = make_project(tmp_path_factory.mktemp("serve") / "site")
    (root / "outside.txt").write_text("not to be served\n")
    ready, stop, address = threading.Event(), threading.Event(), []
    codes = []

    def started(url: str) -> None:
        address.append(url)
        ready.set()

    thread = threading.Thread(target=lambda: codes.append(serve(options(root), stop, started)),
                              daemon=True)
    thread.start()
    assert ready.wait(120), "serve did not start"
    yield root, address[0]
    stop.set()
    thread.join(timeout=20)
    assert not thread.is_alive() and codes == [0]


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_a_save_reloads_the_downloads_page_and_the_pdf_viewer(site, browser):
    root, url = site
    page, viewer = browser.new_page(), browser.new_page()
    page.goto(url, wait_until="load")
    link = page.get_attribute("a[type], .downloads a", "href")
    assert link == "/__guidepress/view/alpha.pdf"
    viewer.goto(url + link.lstrip("/"), wait_until="load")
    assert viewer.get_attribute("iframe", "src").startswith("/alpha.pdf?build=")
    for each in (page, viewer):
        each.evaluate("window.beforeTheSave = true")
    with page.expect_event("load", timeout=30000), viewer.expect_event("load", timeout=30000):
        (root / "guides/alpha.md").write_text(GUIDE.replace("Some text with a footnote.",
                                                            "Freshly edited words."))
    for each in (page, viewer):
        assert each.evaluate("window.beforeTheSave") is None  # a new page, reloaded by itself
    assert "Freshly edited words." in pdf_text(root / "dist/alpha.pdf")
    page.close()
    viewer.close()


def test_the_reload_script_is_only_in_what_is_served(site):
    root, url = site
    on_disk = (root / "dist/index.html").read_text()
    assert "__guidepress" not in on_disk and "EventSource" not in on_disk
    assert 'href="alpha.pdf"' in on_disk
    served = request(url, "/")
    assert served.status == 200 and served.getheader("Cache-Control") == "no-store"
    body = served.body.decode()
    assert "/__guidepress/events" in body and 'href="/__guidepress/view/alpha.pdf"' in body
    assert request(url, "/alpha.pdf").getheader("Cache-Control") == "no-store"


def test_a_broken_source_shows_its_problems_on_the_page_until_fixed(site, browser):
    root, url = site
    page = browser.new_page()
    page.goto(url, wait_until="load")
    source = root / "guides/alpha.md"
    good = source.read_text()
    try:
        source.write_text(good.replace("[[token|tokens]]", "[[tokn]] <b>bold</b>"))
        box = page.wait_for_selector("#guidepress-problems", timeout=30000)
        text = box.text_content()
        assert "guides/alpha.md:12:" in text and "tokn" in text
        assert page.query_selector("#guidepress-problems b") is None  # shown as text
    finally:
        source.write_text(good)
    page.wait_for_selector("#guidepress-problems", state="detached", timeout=30000)
    page.close()


def request(url: str, path: str, method: str = "GET") -> http.client.HTTPResponse:
    port = int(url.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    response.body = response.read()
    return response


@pytest.mark.parametrize("path", ["/../outside.txt", "/%2e%2e/outside.txt", "/..%2foutside.txt",
                                  "/..%5coutside.txt", "//etc/passwd", "/%2fetc/passwd",
                                  "http://127.0.0.1/../outside.txt",
                                  "/__guidepress/view/..%2foutside.txt", "/a%00.pdf",
                                  "/.guidepress-state.json", "/.guidepress.lock"])
def test_nothing_outside_the_output_folder_is_served(site, path):
    _, url = site
    assert request(url, path).status in (403, 404)


def test_only_get_and_head(site):
    _, url = site
    assert request(url, "/index.html", "HEAD").status == 200
    assert request(url, "/index.html", "POST").status == 405
    assert request(url, "/index.html", "DELETE").status == 405


def test_a_port_in_use_is_one_clear_line(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve(options(make_project(tmp_path / "site"), port)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"port {port}" in err and "--port 0" in err
    assert not (tmp_path / "site/dist").exists()  # it said so before building anything


def test_an_edit_to_one_guide_builds_that_guide_first(tmp_path):
    root = make_project(tmp_path / "site", {"guides/beta/01.md": "# One\n"})
    assert changed_targets(root, [root / "guides/alpha.md"]) == ["alpha"]
    assert changed_targets(root, [root / "guides/beta/01.md"]) == ["beta"]
    assert changed_targets(root, [root / "guides/alpha.md", root / "site.yaml"]) is None
    assert changed_targets(root, [root / "glossary/terms.yaml"]) is None
    assert changed_targets(root, [root / "guides/gone.md"]) is None  # deleted: a full build
    assert changed_targets(root, [root / "guides/alpha.md", root / "guides/sedX1b2"]) == [
        "alpha"]  # an editor's temporary file, already gone, changes nothing
    assert changed_targets(root, [root / "guides/sedX1b2"]) is None


def test_served_html_gets_the_script_before_the_end_of_the_body():
    page = live_html('<body><a class="x" type="application/pdf" href="a b.pdf" download>A</a>'
                     '<a href="https://x.org/y.pdf">Y</a></body>', "index.html", 3)
    assert '<a class="x" href="/__guidepress/view/a b.pdf">' in page
    assert 'href="https://x.org/y.pdf"' in page
    assert page.index("EventSource") < page.index("</body>")


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    import signal
    import sys
    root = make_project(tmp_path / "site")
    # Started from a script, a process may be born ignoring Ctrl-C: hear it as a terminal would.
    code = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "from guidepress.cli import main; sys.exit(main(sys.argv[1:]))")
    process = subprocess.Popen([sys.executable, "-c", code, "serve", "--root", str(root),
                                "--port", "0", "-j", "1", "-q"], stderr=subprocess.PIPE,
                               text=True)
    lines = []
    for line in process.stderr:
        lines.append(line)
        if line.startswith("Serving http://127.0.0.1:"):
            break
    port = int(lines[-1].split(":")[2].split("/")[0])
    assert request(f"http://127.0.0.1:{port}/", "/").status == 200
    process.send_signal(signal.SIGINT)
    rest = process.stderr.read()
    assert process.wait(timeout=20) == 0
    assert rest == "Stopped serving.\n" and "Traceback" not in "".join(lines)
    with pytest.raises(OSError):
        request(f"http://127.0.0.1:{port}/", "/")
