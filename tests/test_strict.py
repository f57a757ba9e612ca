"""Build what was asked: named targets build when their own and the shared sources are sound;
problems elsewhere are warnings. `--strict` makes any problem and any warning fail."""

from __future__ import annotations

from conftest import GUIDE, make_project, run

BROKEN = GUIDE.replace("Alpha Guide", "Beta Guide") + "\nSee [[tokn]].\n"
BETA_PROBLEM = "guides/beta.md:24:5: unknown glossary term 'tokn' (did you mean 'token'?); a new term goes in a file in glossary/"
WARNING = ("warning: 1 problem in sources this build did not make (above); fix them before a "
           "full build")


def test_a_named_guide_builds_when_another_is_broken(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/beta.md": BROKEN})
    code, out, err = run(capsys, "build", "alpha", "--root", str(root))
    assert code == 0
    assert (root / "dist" / "alpha.pdf").is_file()
    assert not (root / "dist" / "beta.pdf").exists()
    assert err.splitlines() == [BETA_PROBLEM, WARNING]
    assert out.splitlines()[-1].startswith("1 built, 0 up to date, 0 failed")


def test_strict_makes_a_problem_elsewhere_fail(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/beta.md": BROKEN})
    code, _, err = run(capsys, "build", "alpha", "--strict", "--root", str(root))
    assert code == 1
    assert err.splitlines() == [BETA_PROBLEM, "1 problem found; nothing was built."]
    assert not (root / "dist").exists() or not (root / "dist" / "alpha.pdf").exists()


def test_a_problem_in_a_shared_source_stops_a_named_build(tmp_path, capsys):
    from conftest import GLOSSARY
    root = make_project(tmp_path / "site", {"glossary/terms.yaml": GLOSSARY.replace(
        "related: [prompt]", "related: [promt]")})
    code, _, err = run(capsys, "build", "alpha", "--root", str(root))
    assert code == 1
    assert err.splitlines()[0] == ("glossary/terms.yaml:7: related term 'promt' does not exist "
                                   "(did you mean 'prompt'?)")


def test_a_problem_in_the_named_guide_stops_it(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/beta.md": BROKEN})
    code, _, err = run(capsys, "build", "beta", "--root", str(root))
    assert code == 1
    assert err.splitlines() == [BETA_PROBLEM, "1 problem found; nothing was built."]


def test_a_full_build_stops_at_any_problem(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/beta.md": BROKEN})
    code, _, err = run(capsys, "build", "--root", str(root))
    assert code == 1
    assert err.splitlines() == [BETA_PROBLEM, "1 problem found; nothing was built."]


def test_an_unknown_target_is_still_a_usage_error(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/beta.md": BROKEN})
    code, _, err = run(capsys, "build", "gamma", "--root", str(root))
    assert code == 2
    assert err.splitlines() == ["Error: unknown target 'gamma' (known: alpha, beta)"]


def test_strict_makes_a_render_warning_fail(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"styles/guide.css": "p { colour: red; }\n"})
    assert run(capsys, "build", "--root", str(root), "--out", str(tmp_path / "a"))[0] == 0
    code, _, err = run(capsys, "build", "--strict", "--root", str(root), "--out",
                       str(tmp_path / "b"))
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith("warning: Ignored `colour: red`")
    assert lines[-1] == "1 warning: --strict makes it fail the build"
