"""The brand tokens: every text colour at WCAG AA contrast on its background, one file."""

from __future__ import annotations

import pytest

from guidepress.project import PROJECT_DIR
from guidepress.tokens import CALLOUT_TONES, load_tokens
from conftest import GUIDE, make_project, run
from pdfcheck import open_pdf

TOKENS = load_tokens(PROJECT_DIR / "styles" / "tokens.css")


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(TOKENS[foreground]), luminance(TOKENS[background])),
                         reverse=True)
    return (light + 0.05) / (dark + 0.05)


PAIRS = [("ink", "paper"), ("muted", "paper"), ("accent", "paper"), ("ink", "code-bg"),
         ("muted", "code-bg"), ("cover-ink", "accent-dark"), ("cover-muted", "accent-dark"),
         ("cover-accent", "accent-dark"), ("ink", "accent-soft"), ("accent", "accent-soft"),
         ("support", "support-soft"), ("warm", "warm-soft"), ("violet", "violet-soft"),
         ("note", "note-soft"), ("ink", "support-soft"), ("ink", "warm-soft"),
         ("cover-ink", "accent"), ("support", "paper"), ("warm", "paper")]


@pytest.mark.parametrize("foreground, background", PAIRS)
def test_text_colours_meet_wcag_aa(foreground, background):
    assert contrast(foreground, background) >= 4.5


def test_every_callout_kind_has_a_tone():
    from guidepress.mdext.callouts import KINDS
    assert set(CALLOUT_TONES) == set(KINDS)
    assert all(tone in TOKENS for tone in CALLOUT_TONES.values())


def test_a_rebrand_is_one_tokens_file(tmp_path, capsys):
    """A root's own tokens.css, even with one token, recolours the PDF and its SVG art."""
    root = make_project(tmp_path / "site", {
        "styles/tokens.css": ":root { --accent-dark: #7a1f1f; --cover-accent: #ffcc00; }\n",
        "guides/alpha.md": GUIDE + "\n!!! tip\n    A tip.\n"})
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    reader = open_pdf(root / "dist" / "alpha.pdf")
    cover = reader.pages[0].get_contents().get_data()
    assert b"0.478431 0.121569 0.121569" in cover or b".478431 .121569 .121569" in cover
    assert b"1 0.8 0" in cover or b"1 .8 0" in cover
