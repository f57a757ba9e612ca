"""Every major script prints: a test guide in each of Japanese, Simplified and Traditional
Chinese, Korean, Russian, Greek, Vietnamese and German builds with no missing glyph, gets the
font of its region, breaks its lines by its language's rules and passes the layout checks;
a script with no installed font is a check problem that names the package to install."""

from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from conftest import GLOSSARY, SITE, make_project, run
from guidepress import glyphs
from layoutcheck import headings_at_page_end, nearly_empty_pages, text_outside_the_content_box

pytestmark = pytest.mark.skipif(not glyphs.cjk_installed(),
                                reason="the CJK fonts are not installed: run 'make test'")

#: One paragraph per language, written here, with 直 and 骨 (whose forms differ by region)
#: in the Chinese-character ones.
TEXT = {
    "ja": "人工知能は、文章を読んで答えを書く道具です。質問を短く、はっきり書くと、よい答えが"
          "返ってきます。「直す」や「骨」のような字も、日本の形で表示されます。小さな「っ」や"
          "「ゃ」、長音の「ー」も行の頭に来ません。",
    "zh-Hans": "人工智能是一种能阅读文字并写出回答的工具。问题写得简短、清楚，得到的回答就更好。"
               "“直”和“骨”这样的字，会用简体中文的字形显示。",
    "zh-Hant": "人工智慧是一種能閱讀文字並寫出回答的工具。問題寫得簡短、清楚，得到的回答就更好。"
               "「直」和「骨」這樣的字，會用繁體中文的字形顯示。",
    "ko": "인공지능은 글을 읽고 답을 쓰는 도구입니다. 질문을 짧고 분명하게 쓰면 더 좋은 답을 "
          "얻습니다. 한국어 문장은 낱말 사이에서 줄이 바뀝니다.",
    "ru": "Искусственный интеллект читает текст и пишет ответ. Чем короче и яснее вопрос, тем "
          "лучше ответ. Съешь же ещё этих мягких французских булок да выпей чаю.",
    "el": "Η τεχνητή νοημοσύνη διαβάζει κείμενο και γράφει απάντηση. Όσο πιο σύντομη και σαφής "
          "είναι η ερώτηση, τόσο καλύτερη η απάντηση. Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
    "vi": "Trí tuệ nhân tạo đọc văn bản và viết câu trả lời. Câu hỏi càng ngắn gọn, rõ ràng thì "
          "câu trả lời càng tốt. Tiếng Việt có nhiều dấu: ă, â, đ, ê, ô, ơ, ư, ạ, ả, ấ, ữ, ỹ.",
    "de": "Künstliche Intelligenz liest Text und schreibt eine Antwort. Je kürzer und klarer die "
          "Frage, desto besser die Antwort. Die Straßenverkehrsordnung und die "
          "Donaudampfschifffahrtsgesellschaft sind lange Wörter.",
}
#: The face each language's Chinese characters come from (the font name in the PDF).
REGION = {"ja": "Guide-JP", "zh-Hans": "Guide-SC", "zh-Hant": "Guide-TC", "ko": "Guide-KR"}
#: Characters no line may start with (closing punctuation, small kana, the long-vowel mark).
NO_LINE_START = "、。，．・：；？！」』）〕］｝〉》”ーっゃゅょぁぃぅぇぉッャュョァィゥェォ"


def part(lang: str, start: int, end: int) -> str:
    """Some of a language's text: characters for Chinese and Japanese, else whole words."""
    if lang in ("ja", "zh-Hans", "zh-Hant"):
        return TEXT[lang][start:end]
    return " ".join(TEXT[lang].split()[start // 5:end // 5])


def guide(lang: str, chapters: int = 2, paragraphs: int = 9) -> str:
    body = "\n\n".join(
        f"# {n} {part(lang, 0, 12)}\n\n" + "\n\n".join([TEXT[lang] * 2] * paragraphs) +
        f"\n\n## {part(lang, 0, 8)}\n\n**{part(lang, 0, 20)}** {TEXT[lang]}"
        for n in range(1, chapters + 1))
    return (f"---\ntitle: {part(lang, 0, 14)}\nsubtitle: {part(lang, 14, 30)}\n"
            f"summary: {part(lang, 0, 40)}\nversion: \"1.0\"\nupdated: 2026-11-01\n"
            f"audience: {part(lang, 0, 6)}\nlang: {lang}\n---\n{body}\n")


def slug(lang: str) -> str:
    return "test-" + lang.lower()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One content root with a guide per language, built once."""
    root = make_project(tmp_path_factory.mktemp("scripts"), {
        "site.yaml": SITE, "glossary/terms.yaml": GLOSSARY, "guides/alpha.md": None,
        **{f"guides/{slug(lang)}.md": guide(lang) for lang in TEXT}})
    from guidepress.cli import main
    assert main(["build", "--root", str(root), "-q", "--paper", "a4"]) == 0
    return root


def pdf(root, lang):
    return root / "dist" / f"{slug(lang)}.pdf"


def font_names(path) -> set[str]:
    """The fonts a PDF embeds, without their subset tags."""
    reader = PdfReader(path)
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1].lstrip("/"))
    return names


def pdftotext(path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.parametrize("lang", list(TEXT))
def test_every_language_prints_every_character(built, lang):
    """The build refuses a missing glyph, so a built PDF has none; its text reads back."""
    text = re.sub(r"\s+", "", pdftotext(pdf(built, lang)))
    assert re.sub(r"\s+", "", TEXT[lang][:40]) in text


@pytest.mark.parametrize("lang", list(REGION))
def test_chinese_characters_come_from_the_face_of_the_language_s_region(built, lang):
    names = font_names(pdf(built, lang))
    cjk = {name for name in names if name.startswith("Guide-") and name.split("-")[1] in
           ("JP", "KR", "SC", "TC", "HK", "CJK")}
    assert {name.removesuffix("-Bold") for name in cjk} == {REGION[lang]}, names
    assert "Guide-Text" in names  # Latin letters and digits stay in the brand's font


@pytest.mark.parametrize("lang", ["ru", "el", "vi", "de"])
def test_cyrillic_greek_and_vietnamese_stay_in_the_bundled_fonts(built, lang):
    names = font_names(pdf(built, lang))
    assert not any(re.match(r"Guide-(JP|KR|SC|TC|HK|CJK)", name) for name in names), names


def test_regional_forms_differ_where_the_regions_write_a_character_differently(tmp_path):
    """直 drawn as Japanese, Simplified and Traditional Chinese gives three pictures."""
    from guidepress.render import bundled_fonts_only
    import weasyprint

    sheets = [glyphs.CJK_STYLESHEET, glyphs.PROJECT_DIR / "styles" / "fonts.css",
              glyphs.PROJECT_DIR / "styles" / "tokens.css"]
    pictures = {}
    for lang in ("ja", "zh-Hans", "zh-Hant"):
        with bundled_fonts_only():
            fonts = weasyprint.text.fonts.FontConfiguration()
            css = [weasyprint.CSS(filename=str(s), font_config=fonts) for s in sheets]
        html = (f'<html lang="{lang}"><body style="font-family: var(--font-text); '
                f'font-size: 60pt">直骨</body></html>')
        out = tmp_path / f"{lang}.pdf"
        weasyprint.HTML(string=html).write_pdf(out, stylesheets=css, font_config=fonts)
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", str(out),
                        str(tmp_path / lang)], check=True)
        pictures[lang] = (tmp_path / f"{lang}.png").read_bytes()
    assert len(set(pictures.values())) == 3


@pytest.mark.parametrize("lang", ["ja", "zh-Hans", "zh-Hant"])
def test_cjk_lines_break_between_characters_but_never_before_closing_punctuation(built, lang):
    lines = [line.strip() for line in pdftotext(pdf(built, lang)).splitlines() if line.strip()]
    body = [line for line in lines if len(line) > 15]
    assert len(body) > 20  # long lines: the text wrapped between characters, with no spaces
    assert [line for line in lines if line[0] in NO_LINE_START] == []
    assert [line for line in lines if line[-1] in "「『（“"] == []


def test_hyphenation_when_a_root_turns_it_on_follows_lang(tmp_path, capsys):
    """Off by default (no word is split, above); with hyphens: auto, German words are split
    by German rules, with a hyphen at the line's end."""
    long = ("Die Donaudampfschifffahrtsgesellschaft und die Straßenverkehrsordnung "
            "verlangen Rücksichtnahme und Aufmerksamkeit. ") * 40
    text = guide("de", 1, 1).replace(TEXT["de"] * 2, long, 1)
    root = make_project(tmp_path / "site", {"guides/alpha.md": text,
                                            "styles/tokens.css": "p { hyphens: auto; }\n"})
    assert run(capsys, "build", "--root", str(root), "-q", "--paper", "a4")[0] == 0
    ends = [line.split()[-1] for line in pdftotext(root / "dist" / "alpha.pdf").splitlines()
            if line.strip()]
    assert any(end[-1] in "-\u2010" and len(end) > 3 for end in ends), ends


@pytest.mark.parametrize("lang", ["ru", "de", "el", "vi"])
def test_latin_cyrillic_and_greek_never_break_inside_a_word(built, lang):
    words = set(re.findall(r"\w+", TEXT[lang]))
    lines = [line.split() for line in pdftotext(pdf(built, lang)).splitlines() if line.strip()]
    assert len(lines) > 50
    split = [(this[-1], after[0]) for this, after in zip(lines, lines[1:])
             if re.sub(r"\W", "", this[-1] + after[0]) in words
             and re.sub(r"\W", "", this[-1]) not in words]
    assert split == []


@pytest.mark.parametrize("lang", ["ja", "ko", "de", "ru"])
def test_the_layout_checks_pass_in_every_script(built, lang):
    path = pdf(built, lang)
    assert headings_at_page_end(path) == []
    assert text_outside_the_content_box(path) == []
    assert nearly_empty_pages(path) == []


def test_two_builds_of_a_japanese_guide_are_byte_identical(built, tmp_path, capsys):
    assert run(capsys, "build", "--root", str(built), "-q", "--paper", "a4", "--force",
               "--out", str(tmp_path), slug("ja"))[0] == 0
    assert (tmp_path / f"{slug('ja')}.pdf").read_bytes() == pdf(built, "ja").read_bytes()


def test_english_documents_do_not_load_the_cjk_fonts():
    from guidepress.render import Stylesheet, with_cjk_fonts
    sheets = [Stylesheet(text="p {}")]
    assert with_cjk_fonts("<p>Plain English — “quoted” → arrows ✓</p>", sheets) == sheets
    assert with_cjk_fonts("<p>日本語</p>", sheets)[0].path == glyphs.CJK_STYLESHEET


@pytest.mark.parametrize("text, script", [("あ", "Japanese text"), ("한", "Korean text"),
                                          ("直", "Chinese, Japanese or Korean text")])
def test_without_the_cjk_fonts_check_names_the_package_and_the_command(
        tmp_path, capsys, monkeypatch, text, script):
    monkeypatch.setattr(glyphs, "CJK_FOLDER", tmp_path / "nothing-here")
    root = make_project(tmp_path / "site", {"guides/alpha.md": guide("ja").replace(
        part("ja", 0, 12), text + "です", 1)})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    char = text[0]
    assert (f"no font here can draw '{char}' (U+{ord(char):04X}): {script} needs the Noto Sans "
            "CJK fonts of the fonts-noto-cjk package: run 'make pdfs' (as root it installs "
            "them; otherwise 'sudo apt-get install -y fonts-noto-cjk', then 'bash "
            "scripts/setup.sh pdfs')") in out + err


def test_right_to_left_text_is_refused_clearly(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/alpha.md": guide("de").replace(
        "Künstliche", "مرحبا Künstliche", 1)})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert ("no font here can draw 'م' (U+0645): right-to-left scripts (Arabic, Hebrew and "
            "others) are not supported yet (see README 'Fonts')") in out + err


@pytest.mark.parametrize("lang", ["ar", "he", "fa", "ur"])
def test_a_right_to_left_lang_is_refused(tmp_path, capsys, lang):
    root = make_project(tmp_path / "site", {
        "guides/alpha.md": guide("de").replace("lang: de", f"lang: {lang}")})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert (f"guides/alpha.md:8: lang '{lang}' is written right to left, which guidepress does "
            "not lay out yet (see README 'Fonts')") in out + err
