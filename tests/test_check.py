"""`build-pdfs check`: every bad input gets one exact line `path:line[:col]: message`, exit 1."""

from __future__ import annotations

import pytest

from conftest import GLOSSARY, GUIDE, make_project, run

# A whole 1 x 1 PNG: the check opens every image.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00"
       b"\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00"
       b"\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")

CASES = {
    "malformed YAML, with YAML's line and column": (
        {"glossary/terms.yaml": GLOSSARY + "- slug: [oops\n"},
        ["glossary/terms.yaml:16:1: invalid YAML: expected ',' or ']', but got '<stream end>'"]),
    "malformed front matter": (
        {"guides/alpha.md": GUIDE.replace("lang: en", "lang: [en")},
        ["guides/alpha.md:8:10: invalid YAML: expected ',' or ']', but got '<stream end>'"]),
    "missing front-matter key": (
        {"guides/alpha.md": GUIDE.replace("audience: Testers\n", "")},
        ["guides/alpha.md:2: missing front-matter key 'audience'"]),
    "unknown front-matter key": (
        {"guides/alpha.md": GUIDE.replace("lang: en\n", "lang: en\nauthor: Me\n")},
        ["guides/alpha.md:9: unknown front-matter key 'author' (expected one of: audience, "
         "keywords, lang, reviewed, subtitle, summary, title, updated, version)"]),
    "bad date": (
        {"guides/alpha.md": GUIDE.replace("2026-11-01", "someday")},
        ["guides/alpha.md:6: front-matter key 'updated' must be a date like 2026-11-30, "
         "not 'someday'"]),
    "no front matter": (
        {"guides/alpha.md": "# Just a heading\n"},
        ["guides/alpha.md:1: missing front matter: the file must start with a line '---'"]),
    "duplicate slug": (
        {"guides/alpha/index.md": GUIDE},
        ["guides/alpha.md:1: duplicate guide slug 'alpha' (also guides/alpha)"]),
    "unknown glossary term, with a suggestion": (
        {"guides/alpha.md": GUIDE + "\nA [[tokn]] here.\n"},
        ["guides/alpha.md:24:3: unknown glossary term 'tokn' (did you mean 'token'?); a new term goes in a file in glossary/"]),
    "glossary entry missing a required field": (
        {"glossary/more.yaml": "- slug: bias\n  term: Bias\n  definition: x\n  category: basics\n"},
        ["glossary/more.yaml:1: missing glossary key 'short'"]),
    "duplicate glossary alias": (
        {"glossary/more.yaml": "- slug: bias\n  term: Bias\n  short: s.\n  definition: x\n"
                               "  category: basics\n  aliases: [tokens]\n"},
        # Files are read in name order, so the later file is the one blamed.
        ["glossary/terms.yaml:5: glossary name 'tokens' is already used by 'bias' "
         "(glossary/more.yaml:6)"]),
    "related term that does not exist": (
        {"glossary/more.yaml": "- slug: bias\n  term: Bias\n  short: s.\n  definition: x\n"
                               "  category: basics\n  related:\n    - tokn\n    - zzzz\n"},
        ["glossary/more.yaml:7: related term 'tokn' does not exist (did you mean 'token'?)",
         "glossary/more.yaml:8: related term 'zzzz' does not exist"]),
    "missing image": (
        {"guides/alpha.md": GUIDE + "\n![A picture](images/none.png)\n"},
        ["guides/alpha.md:24:12: image 'images/none.png' does not exist"]),
    "image without alt text": (
        {"guides/alpha.md": GUIDE + "\n![](images/pic.png)\n",
         "guides/images/pic.png": PNG.decode("utf-8", "surrogateescape")},
        ["guides/alpha.md:24:3: image 'images/pic.png' has no alt text: describe it in ![...]"]),
    "the same image with and without alt text": (
        {"guides/alpha.md": GUIDE + "\n![A red box](images/pic.png)\n\n![ ](images/pic.png)\n",
         "guides/images/pic.png": PNG.decode("utf-8", "surrogateescape")},
        ["guides/alpha.md:26:4: image 'images/pic.png' has no alt text: describe it in ![...]"]),
    "remote image": (
        {"guides/alpha.md": GUIDE + "\n![Logo](https://cdn.example/x.png)\n"},
        ["guides/alpha.md:24:7: image 'https://cdn.example/x.png' is not a file in the content "
         "root; download it into the guide's folder"]),
    "broken internal links": (
        {"guides/alpha.md": GUIDE + "\nSee [there](#nowhere) and [that](beta.md).\n"},
        ["guides/alpha.md:24:12: broken link '#nowhere': no heading has that id",
         "guides/alpha.md:24:33: broken link 'beta.md': there is no guide 'beta'"]),
    "unknown callout kind": (
        {"guides/alpha.md": GUIDE + "\n!!! danger\n    Careful.\n"},
        ["guides/alpha.md:24: unknown callout kind 'danger' (expected one of: note, tip, "
         "warning, takeaways, example, prompt, glance)"]),
    "template syntax error, at the template's line": (
        {"templates/guide.html": "{% extends 'base.html' %}\n{% block content %}\n"
                                 "{{ doc.title }\n{% endblock %}\n"},
        ["templates/guide.html:3: template error: unexpected '}'"]),
    "template undefined variable, at the template's line": (
        {"templates/guide.html": "{% extends 'base.html' %}\n{% block content %}\n"
                                 "{{ doc.nothing_here }}\n{% endblock %}\n"},
        ["templates/guide.html:3: template error: 'dict object' has no attribute "
         "'nothing_here'"]),
    "a file that is not UTF-8": (
        {"guides/alpha.md": GUIDE.replace("More about", "Caf\udce9 and more about")},
        ["guides/alpha.md:22:4: not UTF-8 text (byte 0xe9); save the file as UTF-8"]),
    "site.yaml with a bad url": (
        {"site.yaml": "name: B\ntagline: t\nurl: testbrand.org\npublisher: B\nabout: a\n"
                      "more: m\n"},
        ["site.yaml:3: site.yaml key 'url' must be a web address starting with https://, "
         "not 'testbrand.org'"]),
}


@pytest.mark.parametrize("name", CASES)
def test_check_reports_each_bad_input(tmp_path, capsys, name):
    files, expected = CASES[name]
    root = make_project(tmp_path / "site", files)
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    count = len(expected)
    assert err.splitlines() == expected + [f"{count} problem{'s' if count > 1 else ''} found."]
    assert out == ""


def test_check_reports_every_problem_at_once(tmp_path, capsys):
    root = make_project(tmp_path / "site", {
        "guides/alpha.md": GUIDE + "\n[[tokn]] and ![](x.png)\n",
        "glossary/more.yaml": "- slug: bias\n  term: Bias\n  definition: x\n  category: basics\n",
    })
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert err.splitlines() == [
        "glossary/more.yaml:1: missing glossary key 'short'",
        "guides/alpha.md:24:1: unknown glossary term 'tokn' (did you mean 'token'?); a new term goes in a file in glossary/",
        "guides/alpha.md:24:16: image 'x.png' does not exist",
        "guides/alpha.md:24:16: image 'x.png' has no alt text: describe it in ![...]",
        "4 problems found."]


def test_check_of_a_valid_project(project, capsys):
    assert run(capsys, "check", "--root", str(project)) == (0, "All sources are valid.\n", "")


def test_check_of_the_shipped_sources(capsys):
    code, out, err = run(capsys, "check")
    # Nothing but the release guard's warning, while site.yaml's address is a placeholder.
    assert code == 0 and [line for line in err.splitlines()
                          if "is a placeholder" not in line] == [], err


def test_build_validates_first_and_writes_nothing(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + "\n[[tokn]]\n"})
    code, out, err = run(capsys, "build", "--root", str(root))
    assert code == 1
    assert err.splitlines() == [
        "guides/alpha.md:24:1: unknown glossary term 'tokn' (did you mean 'token'?); a new term goes in a file in glossary/",
        "1 problem found; nothing was built."]
    assert not (root / "dist").exists()


def test_usage_errors_exit_2(project, capsys):
    assert run(capsys, "build", "--paper", "a3", "--root", str(project))[0] == 2
    code, _, err = run(capsys, "build", "nosuch", "--root", str(project))
    assert code == 2
    assert err == "Error: unknown target 'nosuch' (known: alpha)\n"


def test_help_has_examples(capsys):
    code, out, _ = run(capsys, "build", "--help")
    assert code == 0
    assert "examples:" in out and "build-pdfs build --strict" in out
