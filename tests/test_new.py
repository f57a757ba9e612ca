"""`build-pdfs new`: a guide, cheat sheet or term that checks and builds at once; refusals."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import SITE, make_project, run
from guidepress.layout import shipped_labels
from guidepress.mdext.callouts import KINDS
from guidepress.project import PROJECT_DIR
from layoutcheck import headings_at_page_end, nearly_empty_pages, text_outside_the_content_box


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_a_new_guide_checks_and_builds_with_every_callout(project, capsys):
    code, out, err = run(capsys, "new", "guide", "my-guide", "--title", "My Own Guide",
                         "--root", str(project))
    assert (code, err) == (0, "")
    assert out == (f"Wrote {project.as_posix()}/guides/my-guide.md: edit it, then run "
                   f"'build-pdfs build my-guide --root {project.as_posix()}'\n")
    text = (project / "guides" / "my-guide.md").read_text()
    for kind in KINDS:
        assert f"!!! {kind} " in text
    assert "[[prompt]]" in text
    assert run(capsys, "check", "--root", str(project))[0] == 0
    code, _, err = run(capsys, "build", "my-guide", "--root", str(project), "-q",
                       "--paper", "a4")
    assert code == 0, err
    pdf = project / "dist" / "my-guide.pdf"
    reader = PdfReader(str(pdf))
    assert "My Own Guide" in reader.pages[0].extract_text()
    body = pdf_text(pdf)
    for title in KINDS.values():
        assert title in body, title
    assert len(reader.pages) >= 12


def test_a_new_guide_in_the_shipped_content_builds_strict(tmp_path, capsys):
    root = tmp_path / "shipped"
    root.mkdir()
    for name in ("site.yaml", "frameworks.yaml", "guides", "glossary", "cheatsheets"):
        source = PROJECT_DIR / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    assert run(capsys, "new", "guide", "perplexity", "--root", str(root))[0] == 0
    # The shipped site.yaml's address may be a placeholder: that guard is not this test's.
    code, _, err = run(capsys, "build", "--strict", "--allow-placeholder-address", "perplexity",
                       "--root", str(root), "-q", "--paper", "a4")
    assert code == 0, err
    pdf = root / "dist" / "perplexity.pdf"
    assert "Perplexity" in PdfReader(str(pdf)).pages[0].extract_text()
    assert headings_at_page_end(pdf) == []
    assert text_outside_the_content_box(pdf) == []
    assert nearly_empty_pages(pdf) == []


def test_a_new_spanish_guide_uses_the_spanish_callout_titles(project, capsys):
    assert run(capsys, "new", "guide", "mi-guia", "--lang", "es", "--root", str(project))[0] == 0
    text = (project / "guides" / "mi-guia.md").read_text()
    assert "lang: es" in text
    labels = shipped_labels()["es"]
    assert f'!!! tip "{labels["callout_tip"]}"' in text
    # The test glossary has no Spanish terms: a link would print English with a warning.
    assert "[[" not in text and "has no term this guide could link to" in text
    code, out, err = run(capsys, "check", "--root", str(project))
    assert code == 0 and "warning" not in out + err


def test_an_existing_guide_is_never_overwritten(project, capsys):
    before = (project / "guides" / "alpha.md").read_bytes()
    code, out, err = run(capsys, "new", "guide", "alpha", "--root", str(project))
    assert (code, out) == (1, "")
    assert err == (f"Error: {project.as_posix()}/guides/alpha.md already exists: choose another "
                   "name for the guide, or edit that file\n")
    assert (project / "guides" / "alpha.md").read_bytes() == before
    assert sorted(p.name for p in (project / "guides").iterdir()) == ["alpha.md"]


@pytest.mark.parametrize("existing", ["guides/beta/index.md", "guides/beta.es.md",
                                      "cheatsheets/beta.yaml"])
def test_a_name_another_source_uses_is_refused(project, capsys, existing):
    make_project(project, {existing: "x"})
    code, _, err = run(capsys, "new", "guide", "beta", "--root", str(project))
    assert code == 1 and "choose another name" in err and "beta" in err
    assert not (project / "guides" / "beta.md").exists()


def test_a_name_that_clashes_with_a_letter_pdf_is_refused(project, capsys):
    make_project(project, {"site.yaml": SITE + "papers: [a4, letter]\n"})
    code, _, err = run(capsys, "new", "guide", "alpha-letter", "--root", str(project))
    assert code == 1
    assert "dist/alpha-letter.pdf is the letter PDF of guides/alpha.md" in err


@pytest.mark.parametrize("slug, said", [
    ("My-Guide", "cannot be a name: use lower-case letters, digits and hyphens"),
    ("my guide", "cannot be a name"),
    ("../x", "cannot be a name"),
    ("", "needs a name"),
    ("my--guide", "cannot be a name"),
    ("guide-", "cannot be a name"),
    ("x" * 61, "is 61 characters long; a name may have at most 60"),
    ("chatgpt.es", "is a translation's name"),
])
def test_a_bad_name_is_refused_with_what_to_do(project, capsys, slug, said):
    code, out, err = run(capsys, "new", "guide", slug, "--root", str(project))
    assert (code, out) == (1, "")
    assert err.startswith("Error: ") and said in err and err.count("\n") == 1
    assert "Traceback" not in err and "Error:" in err
    assert sorted(p.name for p in (project / "guides").iterdir()) == ["alpha.md"]


def test_a_root_without_site_yaml_is_refused(tmp_path, capsys):
    code, _, err = run(capsys, "new", "guide", "x", "--root", str(tmp_path))
    assert code == 1
    assert err == (f"Error: there is no site.yaml in {tmp_path.as_posix()}: run this in the "
                   "folder that holds site.yaml, guides/ and glossary/, or name that folder "
                   "with --root DIR\n")
    assert list(tmp_path.iterdir()) == []


def test_a_new_cheat_sheet_builds_on_one_page(project, capsys):
    code, out, _ = run(capsys, "new", "cheatsheet", "card", "--title", "Prompt Card",
                       "--root", str(project))
    assert code == 0 and "cheatsheets/card.yaml" in out
    text = (project / "cheatsheets" / "card.yaml").read_text()
    for kind in ("terms:", "steps:", "prompts:", "pairs:", "items:"):
        assert text.count(kind) == 1, kind
    code, _, err = run(capsys, "build", "card", "--root", str(project), "-q", "--paper", "a4")
    assert code == 0, err
    reader = PdfReader(str(project / "dist" / "card.pdf"))
    assert len(reader.pages) == 1 and "Prompt Card" in reader.pages[0].extract_text()


def test_a_new_term_checks_and_can_be_linked(project, capsys):
    code, out, _ = run(capsys, "new", "term", "context-window", "--title", "Context window",
                       "--root", str(project))
    assert code == 0
    assert out.startswith(f"Wrote {project.as_posix()}/glossary/context-window.yaml")
    assert run(capsys, "check", "--root", str(project))[0] == 0
    guide = (project / "guides" / "alpha.md").read_text()
    (project / "guides" / "alpha.md").write_text(guide + "\nSee [[context-window]].\n")
    code, out, err = run(capsys, "check", "--root", str(project))
    assert code == 0 and "unknown" not in err


@pytest.mark.parametrize("slug, title", [("token", "Something"), ("tokens", "Something"),
                                         ("new-one", "Prompt"), ("new-one", "prompts")])
def test_a_term_the_glossary_has_is_refused(project, capsys, slug, title):
    code, _, err = run(capsys, "new", "term", slug, "--title", title, "--root", str(project))
    assert code == 1 and "the glossary already has" in err
    assert "glossary/terms.yaml" in err
    assert sorted(p.name for p in (project / "glossary").iterdir()) == ["terms.yaml"]


def test_no_temporary_file_is_left_behind(project, capsys):
    assert run(capsys, "new", "term", "agent", "--root", str(project))[0] == 0
    assert sorted(p.name for p in (project / "glossary").iterdir()) == ["agent.yaml",
                                                                        "terms.yaml"]


def test_the_authoring_guide_commands_work(tmp_path, capsys):
    """Every `build-pdfs new` line in docs/authoring.md's "Start a new guide" runs."""
    authoring = (PROJECT_DIR / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = authoring.split("## Start a new guide", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in section.splitlines()
                if line.strip().startswith("build-pdfs new ")]
    assert len(commands) == 3
    root = make_project(tmp_path / "site")
    for command in commands:
        argv = shlex.split(command.split("  #")[0])[1:]
        assert run(capsys, *argv, "--root", str(root))[0] == 0, command
    assert run(capsys, "check", "--root", str(root))[0] == 0
