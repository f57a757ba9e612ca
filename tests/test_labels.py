"""Labels: every word the templates print comes from the artifact's language.

The shipped catalogues are complete; a content root may override or add labels in
labels/<lang>.yaml; a missing label prints in English with a warning naming it and the file
to add it to; dates, numbers and "Page X of Y" follow the language.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import GUIDE, SHEET, SITE, make_project, run
from guidepress.artifacts import Artifact
from guidepress.build import plan
from guidepress.downloads import cards
from guidepress.layout import (LABELS, LABELS_DIR, PATTERNS, SHIPPED_LANGUAGES, Labels,
                               catalogue_code, language_name, longdate, shipped_labels)
from guidepress.output import Entry
from guidepress.yamlio import load_yaml

from pdfcheck import open_pdf, text

NOVEMBER_FIRST = dt.date(2026, 11, 1)
_WORD_RE = re.compile(r"\{([^{}]*)\}")


def guide(lang: str, title: str = "Alpha Guide") -> str:
    return GUIDE.replace("lang: en", f"lang: {lang}").replace("Alpha Guide", title)


def test_every_shipped_catalogue_has_every_label():
    english = set(LABELS)
    missing = {}
    extra = {}
    for code in SHIPPED_LANGUAGES:
        data, problems = load_yaml((LABELS_DIR / f"{code}.yaml").read_text("utf-8"), code)
        assert problems == [] and isinstance(data, dict), code
        missing[code] = sorted(english - set(data))
        extra[code] = sorted(set(data) - english)
    assert missing == {code: [] for code in SHIPPED_LANGUAGES}
    assert extra == {code: [] for code in SHIPPED_LANGUAGES}
    assert sorted(p.stem for p in LABELS_DIR.glob("*.yaml")) == sorted(SHIPPED_LANGUAGES)


def test_every_label_is_text_with_the_words_its_pattern_fills():
    for code, labels in shipped_labels().items():
        for key, value in labels.items():
            assert isinstance(value, str) and value.strip(), (code, key)
            words = set(_WORD_RE.findall(value))
            # A pattern keeps all its words, in the language's order; no other label has any.
            assert words == PATTERNS.get(key, set()), (code, key, value)


def test_the_catalogues_are_not_english_where_a_word_must_differ():
    for code in SHIPPED_LANGUAGES[1:]:
        labels = shipped_labels()[code]
        for key in ("contents", "glossary_intro", "used_on_pages", "page_of", "more_free"):
            assert labels[key] != LABELS[key], (code, key)


def test_dates_in_each_language_and_english_as_before():
    assert longdate(dt.date(2026, 11, 30)) == "30 November 2026"
    assert longdate(NOVEMBER_FIRST, "en") == "1 November 2026"
    assert longdate(NOVEMBER_FIRST, "en-US") == "November 1, 2026"
    assert longdate(NOVEMBER_FIRST, "es") == "1 de noviembre de 2026"
    assert longdate(NOVEMBER_FIRST, "fr") == "1 novembre 2026"
    assert longdate(NOVEMBER_FIRST, "de") == "1. November 2026"
    assert longdate(NOVEMBER_FIRST, "pt-BR") == "1 de novembro de 2026"
    assert longdate(NOVEMBER_FIRST, "ja") == "2026年11月1日"
    assert longdate(NOVEMBER_FIRST, "zh-Hans") == "2026年11月1日"
    assert longdate(NOVEMBER_FIRST, "ko") == "2026년 11월 1일"
    assert longdate(NOVEMBER_FIRST, "xx") == "1 November 2026"  # unknown: English


def test_catalogue_codes_and_language_names():
    assert [catalogue_code(c) for c in ("es-MX", "PT_br", "zh-Hans", "zh-CN", "zh-TW",
                                        "zh-Hant-HK", "en")] == \
        ["es", "pt", "zh", "zh", "zh-Hant", "zh-Hant", "en"]
    assert [language_name(c) for c in ("es", "fr", "de", "pt", "ja", "zh", "ko", "xx")] == \
        ["Español", "Français", "Deutsch", "Português", "日本語", "中文", "한국어", "xx"]


@pytest.mark.parametrize("lang, footer", [
    ("en", '"Page " counter(page) " of " counter(pages)'),
    ("es", '"Página " counter(page) " de " counter(pages)'),
    ("ja", 'counter(page) " / " counter(pages) " ページ"'),
    ("zh", '"第 " counter(page) " 页，共 " counter(pages) " 页"'),
])
def test_the_page_footer_is_built_from_the_label(lang, footer):
    artifact = Artifact("a", "guide", "A", "a4", "a.pdf", "", [], lambda **_: "")
    artifact.page_label = Labels(Path("/nonexistent")).for_lang(lang)["page_of"]
    assert artifact.page_footer() == footer
    assert f"--page-footer: {footer};" in artifact.paper_css()
    assert artifact.page_footer(12).count('"12"') == 1


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Guides in Spanish and Japanese, a French cheat sheet, a German site and glossary."""
    root = make_project(tmp_path_factory.mktemp("labels") / "site", {
        "site.yaml": SITE.replace("lang: en", "lang: de") + (
            "glossary:\n  slug: words\n  title: Wörter\n  subtitle: Alle\n"
            "  summary: Die Wörter.\n  version: '1'\n  updated: 2026-10-01\n"),
        "guides/alpha.md": guide("es"),
        "guides/beta.md": guide("ja", "Beta Guide"),
        "cheatsheets/sheet.yaml": SHEET + "lang: fr\n"})
    from guidepress.cli import main
    assert main(["build", "--root", str(root), "-q"]) == 0
    return root / "dist"


def pdf_text(path: Path) -> str:
    reader = open_pdf(path)
    return "\n".join(text(reader, n) for n in range(1, len(reader.pages) + 1))


def test_a_spanish_guide_prints_spanish_labels_and_date(built):
    words = " ".join(pdf_text(built / "alpha.pdf").split())
    for expected in ("GUÍA GRATUITA", "Versión 1.0", "Actualizado el 1 de noviembre de 2026",
                     "Para testers", "Índice", "Glosario", "Página 2 de 6", "Página 5 de 6",
                     "Los términos que usa esta guía", "Aparece en las páginas 3, 4",
                     "Aparece en la página 3", "Acerca de Test Brand", "Más guías gratuitas"):
        assert expected in words, expected
    for english in ("Contents", "Page ", "Updated", "Used on", "About", "November"):
        assert english not in words, english


def test_a_japanese_guide_prints_japanese_labels_and_date(built):
    words = pdf_text(built / "beta.pdf")
    for expected in ("無料ガイド", "バージョン 1.0", "更新日 2026年11月1日", "対象：testers", "目次",
                     "用語集", "2 / 6 ページ", "掲載ページ", "Test Brandについて", "ほかの無料ガイド"):
        assert expected in words, expected
    for english in ("Contents", "Page ", "Updated", "Used on", "About"):
        assert english not in words, english


def test_a_french_sheet_and_a_german_glossary(built):
    sheet = " ".join(pdf_text(built / "sheet.pdf").split())
    for expected in ("À faire", "À éviter", "Mis à jour le 2 novembre 2026",
                     "D’autres guides gratuits et le glossaire complet sur notre site"):
        assert expected in sheet, expected
    book = " ".join(pdf_text(built / "words.pdf").split())
    for expected in ("KOSTENLOSES NACHSCHLAGEWERK", "Stand 1. Oktober 2026",
                     "Für alle, die mit KI anfangen", "Begriffe von A bis Z", "Auch genannt",
                     "Siehe auch", "Seite 2 von", "Über Test Brand"):
        assert expected.casefold() in book.casefold(), expected  # some are in capitals


def test_html_lang_and_the_manifest_record_each_artifacts_language(built):
    import json
    manifest = json.loads((built / "manifest.json").read_text())
    assert {a["path"]: a["lang"] for a in manifest["artifacts"]} == {
        "alpha.pdf": "es", "beta.pdf": "ja", "sheet.pdf": "fr", "words.pdf": "de"}


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["<html lang=\"zh\">", "目录", "2026年11月1日", "更新于", "术语表", "关于Test Brand",
            "出现页码", "免费指南"]),
    ("ko", ["<html lang=\"ko\">", "목차", "2026년 11월 1일", "업데이트", "용어집", "Test Brand 소개",
            "나오는 페이지", "무료 가이드"]),
    ("pt-BR", ["<html lang=\"pt-BR\">", "Sumário", "1 de novembro de 2026", "Sobre Test Brand",
               "Aparece nas páginas"]),
])
def test_the_html_of_a_guide_in_each_language(tmp_path, lang, expected):
    root = make_project(tmp_path / "site", {"guides/alpha.md": guide(lang)})
    _, artifacts, warnings = plan(root)
    assert [w for w in warnings if "label" in w.message] == []
    html = artifacts[0].make_html(refs=artifacts[0].refs)
    for word in expected:
        assert word in html, word


def test_a_root_overrides_a_label_and_adds_a_language(tmp_path, capsys):
    root = make_project(tmp_path / "site", {
        "guides/alpha.md": guide("xx"),
        "labels/en.yaml": "contents: What is inside\n",
        "labels/xx.yaml": "contents: Xontents\npage_of: \"{page}/{pages}\"\n"})
    project, artifacts, warnings = plan(root)
    html = artifacts[0].make_html(refs=artifacts[0].refs)
    assert "Xontents" in html and "Free guide" in html  # the missing label is English
    assert artifacts[0].page_footer() == 'counter(page) "/" counter(pages)'
    assert ("labels/xx.yaml", "contents: Xontents\npage_of: \"{page}/{pages}\"\n") in \
        artifacts[0].sources  # an edit to it rebuilds the guide
    english = make_project(tmp_path / "other", {"labels/en.yaml": "contents: What is inside\n"})
    _, artifacts, warnings = plan(english)
    assert "What is inside" in artifacts[0].make_html(refs=artifacts[0].refs)
    assert warnings == []


def test_a_missing_label_is_english_with_a_warning_naming_it_and_the_file(tmp_path, capsys):
    labels = "\n".join(f"{key}: '{value}'" for key, value in LABELS.items()
                       if key != "dont") + "\n"
    root = make_project(tmp_path / "site", {
        "guides/alpha.md": guide("xx"), "cheatsheets/sheet.yaml": SHEET + "lang: xx\n",
        "labels/xx.yaml": labels})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 0
    assert [line for line in err.splitlines() if line.startswith("labels/")] == [
        "labels/xx.yaml:1: warning: label 'dont' has no 'xx' words (guides/alpha.md is in "
        "'xx'), so it prints in English (\"Don't\"); add 'dont: ...' to labels/xx.yaml"]
    assert "warnings" in out
    code, out, err = run(capsys, "build", "--root", str(root), "--strict", "-q")
    assert code != 0 and "label 'dont'" in out + err


def test_a_language_with_no_labels_warns_once(tmp_path, capsys):
    root = make_project(tmp_path / "site", {
        "guides/alpha.md": guide("zh-Hant"), "guides/beta.md": guide("zh-TW", "Beta Guide")})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 0
    assert [line for line in err.splitlines() if line.startswith("labels/")] == [
        "labels/zh-Hant.yaml:1: warning: there are no labels in language 'zh-Hant' "
        "(guides/alpha.md is in 'zh-Hant'), so every label prints in English; add "
        "labels/zh-Hant.yaml with the labels of guidepress/data/labels/en.yaml in that language"]


@pytest.mark.parametrize("text, message", [
    ("contnets: Índice\n", "labels/es.yaml:1: unknown label 'contnets' (did you mean 'contents'?)"),
    ("zzz: 1\n", "labels/es.yaml:1: unknown label 'zzz' (the labels are those of "
                 "guidepress/data/labels/en.yaml)"),
    ("dont: no\n", "labels/es.yaml:1: label 'dont' must be text: put it in quotes, as in "
                   "dont: \"...\""),
    ("page_of: \"{page} of {total}\"\n", "labels/es.yaml:1: label 'page_of' has {total}, which "
                                         "nothing fills in (it may hold: {page}, {pages})"),
    ("- contents\n", "labels/es.yaml:1: labels must be a mapping of label names to words, such "
                     "as 'contents: Contents'"),
])
def test_a_bad_label_file_is_a_problem(tmp_path, capsys, text, message):
    root = make_project(tmp_path / "site", {"labels/es.yaml": text})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert message in (out + err).splitlines()


def test_a_labels_file_is_named_by_its_language(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"labels/es-MX.yaml": "contents: Índice\n"})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert ("labels/es-MX.yaml:1: a labels file is named by its language code alone, such as "
            "es.yaml or zh-Hant.yaml; rename it to es.yaml") in (out + err).splitlines()


def test_a_labels_file_outside_the_root_is_refused(tmp_path, capsys):
    outside = tmp_path / "secret.yaml"
    outside.write_text("contents: Secret\n")
    root = make_project(tmp_path / "site")
    (root / "labels").mkdir()
    (root / "labels" / "en.yaml").symlink_to(outside)
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert "labels/en.yaml:1: is a link to a file outside the content root" in out + err


def test_downloads_cards_speak_their_language_and_link_translations():
    def entry(slug, lang, paper="a4", pages=6, size=31_602):
        return Entry(slug, "guide", lang, slug.title(), "S", "1.0", "2026-11-01", paper,
                     f"{slug}.pdf" if paper == "a4" else f"{slug}-{paper}.pdf", pages, size,
                     "0" * 64, f"{slug}.png")
    found = {c["slug"]: c for c in cards(
        [entry("alpha", "en"), entry("alpha.es", "es", pages=1),
         entry("alpha.es", "es", "letter", size=1_700_000), entry("alpha.ja", "ja")], "a4")}
    assert found["alpha"]["pages_text"] == "6 pages"
    assert found["alpha"]["files"][0]["label"] == "A4 PDF · 31 KB"
    assert found["alpha.es"]["pages_text"] == "1 página"
    assert [f["label"] for f in found["alpha.es"]["files"]] == ["PDF A4 · 31 KB",
                                                                 "PDF Carta · 1,6 MB"]
    assert found["alpha.es"]["updated"] == "1 de noviembre de 2026"
    assert found["alpha.ja"]["pages_text"] == "6ページ"
    assert [(t["slug"], t["lang"], t["name"]) for t in found["alpha"]["translations"]] == [
        ("alpha.es", "es", "Español"), ("alpha.ja", "ja", "日本語")]
    assert [t["slug"] for t in found["alpha.es"]["translations"]] == ["alpha", "alpha.ja"]


def test_callout_titles_are_in_the_guides_language(tmp_path, capsys):
    """A callout with no title of its own, and GitHub's IMPORTANT and CAUTION alerts, print
    their titles in the guide's language (English words only in an English guide)."""
    from conftest import GUIDE, make_project, run
    body = ("\n!!! tip\n    Un consejo.\n\n> [!CAUTION]\n> Cuidado.\n\n"
            "!!! warning \"Mi título\"\n    Texto.\n")
    root = make_project(tmp_path / "site", {
        "guides/alpha.md": GUIDE.replace("lang: en", "lang: es") + body})
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    import pypdf
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(
        root / "dist" / "alpha.pdf").pages)
    assert "Consejo" in text and "Precaución" in text and "Mi título" in text
    assert "Tip" not in text.split() and "Caution" not in text
