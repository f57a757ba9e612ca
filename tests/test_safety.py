"""Nothing outside the content root, templates/ and styles/ is read; nothing is fetched."""

from __future__ import annotations

import http.server
import threading

import pytest

from conftest import GUIDE, make_project, run

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00"
       b"\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00"
       b"\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def server():
    """A local HTTP server on 127.0.0.1 that counts the requests it receives."""
    hits: list[str] = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


def attempts(url: str, outside: str) -> dict[str, dict[str, str]]:
    """Sources that each try to read something they must not."""
    return {
        "http image in raw HTML": {"guides/alpha.md": GUIDE + f'\n<img src="{url}/a.png" alt="a">\n'},
        "https image in raw HTML": {"guides/alpha.md": GUIDE + f'\n<img src="{url.replace("http", "https")}/b.png" alt="b">\n'},
        "stylesheet import over http": {"styles/guide.css": f'@import url("{url}/c.css");\n'},
        "css background over http": {"styles/tokens.css": f'body {{ background: url("{url}/d.png"); }}\n'},
        "file: URL outside the root": {"guides/alpha.md": GUIDE + f'\n<img src="file://{outside}" alt="e">\n'},
        "../ escape": {"guides/alpha.md": GUIDE + '\n<img src="../../secret.png" alt="f">\n'},
        "symlink out of the root": {"guides/alpha.md": GUIDE + '\n<img src="images/link.png" alt="g">\n'},
    }


@pytest.mark.parametrize("name", list(attempts("http://x", "/x")))
def test_reads_outside_the_root_are_refused(tmp_path, capsys, server, name):
    url, hits = server
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    root = make_project(tmp_path / "site" / "root", attempts(url, str(secret))[name])
    (root / "guides" / "images").mkdir(exist_ok=True)
    (root / "guides" / "images" / "link.png").symlink_to(secret)
    code, _, err = run(capsys, "build", "--root", str(root))
    assert code == 1
    lines = err.splitlines()
    if "raw HTML" in name or name in ("../ escape", "symlink out of the root",
                                      "file: URL outside the root"):
        # An image in the guide itself is refused by the check, at its line, before rendering.
        assert lines[0].startswith("guides/alpha.md:24:6: image '")
        assert lines[0].endswith(("is outside the content root", "is not a file in the content "
                                  "root; download it into the guide's folder"))
    else:  # one that a stylesheet names is refused as the renderer reads it
        assert lines[0] == f"failed {root / 'dist' / 'alpha.pdf'}"
        assert lines[1].startswith("guides/alpha.md:1: refused to read '")
        assert lines[1].endswith("': only files inside the content root, templates/ and "
                                 "styles/ may be read")
    assert not (root / "dist" / "alpha.pdf").exists()
    assert hits == []


def test_markdown_images_outside_the_root_fail_the_check(tmp_path, capsys, server):
    url, hits = server
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + (
        f"\n![remote]({url}/x.png)\n\n![escape](../../x.png)\n")})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert err.splitlines() == [
        f"guides/alpha.md:24:9: image '{url}/x.png' is not a file in the content root; "
        "download it into the guide's folder",
        "guides/alpha.md:26:9: image '../../x.png' is outside the content root",
        "2 problems found."]
    assert hits == []


def test_front_matter_cannot_inject_markup(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE.replace(
        "title: Alpha Guide", 'title: "<img src=x> <b>Bold</b>"')})
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    from pdfcheck import open_pdf, text
    reader = open_pdf(root / "dist" / "alpha.pdf")
    assert "<img src=x> <b>Bold</b>" in " ".join(text(reader, 1).split())
