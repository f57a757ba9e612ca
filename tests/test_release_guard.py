"""The release guard: a brand address in site.yaml that is still a placeholder (a reserved
domain such as .example or .test, or nothing) fails a release build (--strict) and is a
warning, said once, in a normal build and in check."""

from __future__ import annotations

import pytest

from conftest import SITE, make_project, run

REAL = "url: https://testbrand.org\n"


def site(url_line: str, extra: str = "") -> str:
    assert REAL in SITE
    return SITE.replace(REAL, url_line) + extra


@pytest.mark.parametrize("url, reserved", [
    ("https://brand.example", ".example"), ("https://guides.brand.test/", ".test"),
    ("https://www.example.com", "example.com"), ("http://localhost", ".localhost"),
    ("https://x.invalid", ".invalid")])
def test_a_strict_build_fails_on_a_placeholder_address(tmp_path, capsys, url, reserved):
    root = make_project(tmp_path / "site", {"site.yaml": site(f"url: {url}\n")})
    code, out, err = run(capsys, "build", "--root", str(root), "--strict", "-q")
    assert code == 1 and not (root / "dist" / "alpha.pdf").exists()
    assert err.splitlines() == [
        f"site.yaml:3: warning: the brand's address '{url.rstrip('/')}' is a placeholder "
        f"({reserved} is a reserved domain that leads nowhere): every link and the QR code in "
        f"the PDFs would point there; put the real address in site.yaml's url before a "
        f"release", "1 problem found; nothing was built."]


def test_a_normal_build_warns_once_and_builds(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"site.yaml": site("url: https://brand.example\n")})
    code, out, err = run(capsys, "build", "--root", str(root))
    assert code == 0 and (root / "dist" / "alpha.pdf").is_file()
    assert err.count("is a placeholder") == 1, err
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 0 and err.count("is a placeholder") == 1
    assert out == "All sources are valid, with 1 warning (above).\n"


def test_a_placeholder_guide_url_is_caught_too(tmp_path, capsys):
    root = make_project(tmp_path / "site", {
        "site.yaml": site(REAL, "guide_url: https://pdfs.example/{slug}.pdf\n")})
    code, out, err = run(capsys, "build", "--root", str(root), "--strict", "-q")
    assert code == 1 and "site.yaml's guide_url" in err and "site.yaml:9: warning: the address of the guides" in err, err


def test_a_real_address_passes_and_a_candidate_build_may_keep_the_placeholder(tmp_path,
                                                                               capsys):
    root = make_project(tmp_path / "site")
    assert run(capsys, "build", "--root", str(root), "--strict", "-q")[0] == 0
    root = make_project(tmp_path / "other", {"site.yaml": site("url: https://brand.example\n")})
    code, out, err = run(capsys, "build", "--root", str(root), "--strict", "-q",
                         "--allow-placeholder-address")
    assert (code, err) == (0, "")


def test_the_shipped_site_is_flagged_until_its_address_is_known(capsys):
    code, out, err = run(capsys, "check")
    assert code == 0
    assert "is a placeholder (.example is a reserved domain" in err
