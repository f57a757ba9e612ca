"""The hostile-input corpus, build and release side: templates that try to run code or read
files, links out of the root, addresses that are not web addresses, a bad SOURCE_DATE_EPOCH,
an output folder that cannot be written, and shards that lie to `merge`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import SITE
from hostile import (Case, good_dist, link,  # noqa: F401 - good_dist is a fixture
                     run_case)
from guidepress.project import PROJECT_DIR

GUIDE_TEMPLATE = (PROJECT_DIR / "templates" / "guide.html").read_text(encoding="utf-8")


def with_template(expression: str) -> dict[str, str]:
    """A root whose own guide template evaluates `expression` on its first line."""
    return {"templates/guide.html": expression + "\n" + GUIDE_TEMPLATE}




def outside_folder(root: Path) -> Path:
    folder = root.parent / "elsewhere"
    folder.mkdir(exist_ok=True)
    for name in ("guide.css", "tokens.css"):
        (folder / name).write_text("body { color: black; }\n")
    return folder


def half_a_png() -> bytes:
    """The first half of a real PNG, as an interrupted download leaves it."""
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (200, 50, 50)).save(buffer, "PNG")
    return buffer.getvalue()[:len(buffer.getvalue()) // 2]


def huge_png() -> bytes:
    """A small file that claims 20,000 x 20,000 pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 60001)) + chunk(b"IEND", b""))


def tamper(change):
    """A setup that edits the copied dist/manifest.json (the shard that merge is given)."""
    def setup(root: Path) -> None:
        path = root / "dist" / "manifest.json"
        data = json.loads(path.read_text())
        change(data, root / "dist")
        path.write_text(json.dumps(data))
    return setup


def first_entry(key, value):
    def change(data, _dist):
        data["artifacts"][0][key] = value
    return change


def nothing_merged(root: Path) -> None:
    assert not (root / "merged").exists() or not any((root / "merged").iterdir())


MERGE = ("merge", "{out}", "--root", "{root}", "--out", "{root}/merged")
BUILD = ("build", "--root", "{root}", "-q")
SANDBOX = (" (templates run in a sandbox: use only the values they are given)")
REFUSED = ("guides/alpha.md:1: refused to read '{url}': only files inside the content root, "
           "templates/ and styles/ may be read")

CASES = [
    # Templates run in the sandbox: no Python internals, no mutation, at check time too.
    Case("template reaches os through lipsum",
         with_template("{{ lipsum.__globals__['os'].popen('id').read() }}"),
         first="templates/guide.html:1: template error: access to attribute '__globals__' of "
               "'function' object is unsafe." + SANDBOX),
    Case("template reaches os through cycler",
         with_template("{{ cycler.__init__.__globals__.os.system('id') }}"),
         first="templates/guide.html:1: template error: access to attribute '__init__' of "
               "'type' object is unsafe." + SANDBOX),
    Case("template walks the class hierarchy",
         with_template("{{ ''.__class__.__mro__[1].__subclasses__() }}"),
         first="templates/guide.html:1: template error: access to attribute '__class__' of "
               "'str' object is unsafe." + SANDBOX),
    Case("template calls format on a string",
         with_template("{{ '{0.__class__}'.format(site) }}"),
         first="templates/guide.html:1: template error: access to attribute '__class__' of "
               "'Site' object is unsafe." + SANDBOX),
    Case("template changes a list it is given",
         with_template("{{ doc.keywords.append('x') }}"),
         first="templates/guide.html:1: template error: access to attribute 'append' of "
               "'list' object is unsafe." + SANDBOX),
    Case("template runs in a build too",
         with_template("{{ lipsum.__globals__['os'].popen('id').read() }}"), argv=BUILD,
         first="templates/guide.html:1: template error: access to attribute '__globals__' of "
               "'function' object is unsafe." + SANDBOX),
    # Links out of the root: templates, includes, stylesheets, whole folders.
    Case("template is a link to a file outside", setup=link("templates/guide.html"),
         first="templates/guide.html:1: template 'guide.html' is a link to a file outside the "
               "content root; copy the file into templates/ instead"),
    Case("included partial is a link outside", {"templates/guide.html": GUIDE_TEMPLATE},
         setup=link("templates/partials/cover.html"),
         first="templates/partials/cover.html:1: template 'partials/cover.html' is a link to a "
               "file outside the content root; copy the file into templates/ instead"),
    Case("stylesheet is a link outside", setup=link("styles/guide.css"), argv=BUILD,
         first="failed {out}/alpha.pdf"),
    Case("styles folder is a link outside", setup=link("styles", outside_folder), argv=BUILD,
         first="failed {out}/alpha.pdf"),
    Case("stylesheet imports a file outside by path",
         {"styles/guide.css": '@import url("/etc/passwd");\n'}, argv=BUILD,
         first="failed {out}/alpha.pdf"),
    Case("stylesheet climbs out with ../",
         {"styles/guide.css": 'body { background: url("../../secret.png"); }\n'}, argv=BUILD,
         first="failed {out}/alpha.pdf"),
    # Images that only a stylesheet names are checked as they are read.
    Case("stylesheet names a damaged image",
         {"styles/guide.css": 'body { background: url("../guides/bad.png"); }\n',
          "guides/bad.png": half_a_png()}, argv=BUILD, first="failed {out}/alpha.pdf"),
    Case("stylesheet names a 400-megapixel image",
         {"styles/guide.css": 'body { background: url("../guides/huge.png"); }\n',
          "guides/huge.png": huge_png()}, argv=BUILD, first="failed {out}/alpha.pdf"),
    # Addresses in site.yaml: web addresses only.
    Case("guide_url is javascript",
         {"site.yaml": SITE + 'guide_url: "javascript:alert(1)//{slug}"\n'},
         first="site.yaml:9: site.yaml key 'guide_url' must be a web address starting with "
               "https://, not 'javascript:alert(1)//{slug}'"),
    Case("guide_url is a file URL", {"site.yaml": SITE + 'guide_url: "file:///{slug}.pdf"\n'},
         first="site.yaml:9: site.yaml key 'guide_url' must be a web address starting with "
               "https://, not 'file:///{slug}.pdf'"),
    Case("guide_url breaks out of an attribute",
         {"site.yaml": SITE + "guide_url: 'https://x.example/{slug}\" onclick=\"x'\n"},
         first="site.yaml:9: site.yaml key 'guide_url' must be a web address starting with "
               "https://, not 'https://x.example/{slug}\" onclick=\"x'"),
    Case("url is javascript",
         {"site.yaml": SITE.replace("https://testbrand.org", "javascript:alert(1)")},
         first="site.yaml:3: site.yaml key 'url' must be a web address starting with "
               "https://, not 'javascript:alert(1)'"),
    Case("url is a data URL",
         {"site.yaml": SITE.replace("https://testbrand.org", "data:text/html,hi")},
         first="site.yaml:3: site.yaml key 'url' must be a web address starting with "
               "https://, not 'data:text/html,hi'"),
    # The environment and the command line.
    Case("SOURCE_DATE_EPOCH is not a number", argv=BUILD, env={"SOURCE_DATE_EPOCH": "abc"},
         first="Error: SOURCE_DATE_EPOCH is 'abc', not a number of seconds since 1970 (for "
               "example 1764460800); set it to a whole number or unset it"),
    Case("SOURCE_DATE_EPOCH is past the year 9999", argv=BUILD,
         env={"SOURCE_DATE_EPOCH": "99999999999999999999"},
         first="Error: SOURCE_DATE_EPOCH is '99999999999999999999', not a number of seconds "
               "since 1970 (for example 1764460800); set it to a whole number or unset it"),
    Case("SOURCE_DATE_EPOCH is negative", argv=BUILD, env={"SOURCE_DATE_EPOCH": "-1"},
         first="Error: SOURCE_DATE_EPOCH is '-1', not a number of seconds since 1970 (for "
               "example 1764460800); set it to a whole number or unset it"),
    Case("SOURCE_DATE_EPOCH in check", env={"SOURCE_DATE_EPOCH": "1e9"},
         first="Error: SOURCE_DATE_EPOCH is '1e9', not a number of seconds since 1970 (for "
               "example 1764460800); set it to a whole number or unset it"),
    Case("--out is a file", {"notes.txt": "not a folder"},
         argv=("build", "--root", "{root}", "--out", "{root}/notes.txt"),
         first="Error: cannot write to {root}/notes.txt: it is a file, not a folder; choose "
               "another folder with --out"),
    Case("--out lies under a file", {"notes.txt": "not a folder"},
         argv=("build", "--root", "{root}", "--out", "{root}/notes.txt/pdfs"),
         first="Error: cannot write to {root}/notes.txt/pdfs: part of that path is a file, not "
               "a folder; choose another --out"),
    Case("unknown target", argv=("build", "nope", "--root", "{root}"), code=2,
         first="Error: unknown target 'nope' (known: alpha)"),
    Case("verify without a manifest", argv=("verify", "--root", "{root}", "--out",
                                            "{root}/empty"),
         first="Error: {root}/empty/manifest.json is missing or unreadable: nothing to verify"),
    # merge trusts nothing a shard says.
    Case("merge: a path that climbs out", argv=MERGE, after=nothing_merged,
         setup=tamper(first_entry("path", "../../escaped.pdf")),
         first="Error: {out}/manifest.json: entry path '../../escaped.pdf' is not a plain file "
               "name in the folder; build that shard again"),
    Case("merge: an absolute path", argv=MERGE, after=nothing_merged,
         setup=tamper(first_entry("path", "/etc/passwd")),
         first="Error: {out}/manifest.json: entry path '/etc/passwd' is not a plain file name "
               "in the folder; build that shard again"),
    Case("merge: a cover path that climbs out", argv=MERGE, after=nothing_merged,
         setup=tamper(first_entry("cover", "../cover.png")),
         first="Error: {out}/manifest.json: entry path '../cover.png' is not a plain file name "
               "in the folder; build that shard again"),
    Case("merge: a hidden file name", argv=MERGE, after=nothing_merged,
         setup=tamper(first_entry("path", ".guidepress-state.json")),
         first="Error: {out}/manifest.json: entry path '.guidepress-state.json' is not a plain "
               "file name in the folder; build that shard again"),
    Case("merge: the wrong sha256", argv=MERGE, after=nothing_merged,
         setup=tamper(first_entry("sha256", "0" * 64)),
         first="Error: {out}/alpha.pdf is not the file its manifest entry describes (size or "
               "sha256 differ); build that shard again"),
    Case("merge: the wrong size", argv=MERGE, after=nothing_merged,
         setup=tamper(first_entry("bytes", 12)),
         first="Error: {out}/alpha.pdf is not the file its manifest entry describes (size or "
               "sha256 differ); build that shard again"),
    Case("merge: pages as text", argv=MERGE, after=nothing_merged,
         setup=tamper(first_entry("pages", "7")),
         first="Error: {out}/manifest.json: entry alpha.pdf: 'pages' is not a whole number; "
               "build that shard again"),
    Case("merge: an entry without a hash", argv=MERGE, after=nothing_merged,
         setup=tamper(lambda data, _: data["artifacts"][0].pop("sha256")),
         first="Error: {out}/manifest.json: an entry lacks 'sha256'; build that shard again"),
    Case("merge: a bad source date", argv=MERGE, after=nothing_merged,
         setup=tamper(lambda data, _: data.update(source_date="tomorrow")),
         first="Error: {out}/manifest.json: 'source_date' is not a date like "
               "2026-11-30T00:00:00Z; build that shard again"),
    Case("merge: a PDF that is a link", argv=MERGE, after=nothing_merged,
         setup=lambda root: (os.replace(root / "dist" / "alpha.pdf", root / "real.pdf"),
                             (root / "dist" / "alpha.pdf").symlink_to(root / "real.pdf")),
         first="Error: {out}/alpha.pdf is a link or not a regular file; build that shard again"),
    Case("merge: a missing PDF", argv=MERGE, after=nothing_merged,
         setup=lambda root: os.replace(root / "dist" / "alpha.pdf", root / "gone.pdf"),
         first="Error: {out}/alpha.pdf is missing; build that shard again"),
    Case("merge: a cover that is not a PNG", argv=MERGE, after=nothing_merged,
         setup=lambda root: (root / "dist" / "alpha.png").write_bytes(b"<script>"),
         first="Error: {out}/alpha.png is not a PNG image; build that shard again"),
    Case("merge: a manifest that is not JSON", argv=MERGE, after=nothing_merged,
         setup=lambda root: (root / "dist" / "manifest.json").write_text("{nope"),
         first="Error: {out}/manifest.json is missing or is not a guidepress manifest; build "
               "that shard again"),
    Case("merge: a folder with no manifest", argv=("merge", "{root}/guides", "--root",
                                                   "{root}", "--out", "{root}/merged"),
         after=nothing_merged,
         first="Error: {root}/guides/manifest.json is missing or is not a guidepress manifest; "
               "build that shard again"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_build(case, tmp_path, good_dist, capsys, monkeypatch):
    run_case(case, tmp_path, good_dist, capsys, monkeypatch)


def test_a_refused_stylesheet_names_the_file_and_the_rule(tmp_path, good_dist, capsys,
                                                         monkeypatch):
    case = next(c for c in CASES if c.name == "stylesheet is a link outside")
    _, _, err = run_case(case, tmp_path, good_dist, capsys, monkeypatch)
    line = err.splitlines()[1]
    assert line.startswith("guides/alpha.md:1: refused to read 'file://")
    assert line.endswith("/styles/guide.css': only files inside the content root, templates/ "
                         "and styles/ may be read")
    assert "root:x:0:0" not in err


def test_nothing_a_refused_template_reads_reaches_the_output(tmp_path, capsys):
    from conftest import make_project, run
    root = make_project(tmp_path / "site", with_template("{{ site.name }}"))
    code, _, _ = run(capsys, "build", "--root", str(root), "-q")
    assert code == 0  # the sandbox still lets a template print the values it is given


@pytest.mark.parametrize("name, message", [
    ("stylesheet names a damaged image", "guides/alpha.md:1: image 'guides/bad.png' is damaged "
     "or not a complete image: export or download it again"),
    ("stylesheet names a 400-megapixel image", "guides/alpha.md:1: image 'guides/huge.png' is "
     "20,000 x 20,000 pixels (400 megapixels), more than the limit of 40 megapixels: save a "
     "smaller copy (a full A4 page at print quality needs about 9 megapixels)"),
])
def test_an_image_a_stylesheet_names_is_checked(tmp_path, good_dist, capsys, monkeypatch,
                                                name, message):
    case = next(c for c in CASES if c.name == name)
    _, _, err = run_case(case, tmp_path, good_dist, capsys, monkeypatch)
    assert err.splitlines()[1:] == [message, "0 built, 0 up to date, 1 failed in " +
                                    err.splitlines()[-1].rsplit(" in ", 1)[1]]
