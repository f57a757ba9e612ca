"""Translations: guides/<slug>.<lang>.md and cheatsheets/<slug>.<lang>.yaml name their source
and the version they were made from; check warns when the source has changed since; glossary
translations in glossary/<lang>/ give a translated guide its links and its appendix, and a term
with no translation yet falls back to English with a warning."""

from __future__ import annotations

import pytest
import yaml

from conftest import GUIDE, SHEET, make_project, run
from guidepress.errors import Collector
from guidepress.glossary import split_name
from guidepress.glossary import load_glossary
from guidepress.project import PROJECT_DIR, load_project
from pdfcheck import open_pdf, text

PROJECT_GLOSSARY = load_glossary(PROJECT_DIR, Collector())
SPANISH = GUIDE.replace("lang: en\n", 'lang: es\ntranslation_of: alpha\nsource_version: "1.0"\n') \
    .replace("Alpha Guide", "Guía Alfa") \
    .replace("A [[prompt]] is made of [[token|tokens]].",
             "Una [[instrucción]] se hace con [[token|tokens]].") \
    .replace("More about [[prompts|prompts]]", "Más sobre las [[instrucciones]]")
ES_GLOSSARY = """\
- slug: prompt
  term: Instrucción
  short: Lo que escribes para pedirle algo a un modelo de IA.
  definition: Una instrucción es la petición o la pregunta que le das al modelo.
  aliases: [instrucciones]
- slug: token
  term: Token
  short: Un trozo pequeño de texto que un modelo lee y escribe.
  definition: Un token es un trozo de texto, a menudo parte de una palabra.
"""
ES_SHEET = SHEET.replace("title: Test Sheet\n", 'title: Hoja de prueba\nlang: es\n'
                         'translation_of: test-sheet\nsource_version: "2.1"\n')
STALE = ("guides/alpha.es.md:10: warning: guides/alpha.es.md may be out of date: its original, "
         "guides/alpha.md, has changed since it was translated (it is now version 1.1, and this "
         "translation was made from version 1.0). Bring guides/alpha.es.md up to date with "
         "guides/alpha.md, then set its source_version to \"1.1\" and its updated date to the "
         "day you finish")


def translated(tmp_path, **files):
    """A project with the Spanish translation of alpha and the Spanish glossary."""
    return make_project(tmp_path / "site", {"guides/alpha.es.md": SPANISH,
                                            "glossary/es/terms.yaml": ES_GLOSSARY, **files})


@pytest.mark.parametrize("name, parts", [
    ("chatgpt", ("chatgpt", None)), ("chatgpt.es", ("chatgpt", "es")),
    ("ai-cheat-sheet.pt-BR", ("ai-cheat-sheet", "pt-BR")), ("a.zh-Hans", ("a", "zh-Hans")),
    ("a.es-419", ("a", "es-419")), ("a.es.fr", None), ("a.ES", None), ("a.", None),
    ("Chatgpt.es", None), ("a.e", None), (".es", None), ("a.pt-br", None)])
def test_a_name_is_a_slug_and_at_most_one_language(name, parts):
    assert split_name(name) == parts


def test_a_translation_checks_cleanly_and_is_an_artifact(tmp_path, capsys):
    root = translated(tmp_path)
    code, out, err = run(capsys, "check", "--root", str(root))
    assert (code, err) == (0, "")
    project = load_project(root, Collector())
    assert project.artifact_slugs() == ["alpha", "alpha.es"]


def test_the_stale_warning_names_both_files_and_what_to_do(tmp_path, capsys):
    root = translated(tmp_path, **{"guides/alpha.md": GUIDE.replace('"1.0"', '"1.1"')})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 0
    assert err.splitlines() == [STALE]
    assert "1 warning" in out
    code, _, err = run(capsys, "build", "alpha", "--strict", "--root", str(root))
    assert code == 1 and STALE in err.splitlines()


def test_a_source_updated_after_its_translation_is_stale_too(tmp_path, capsys):
    root = translated(tmp_path, **{"guides/alpha.md": GUIDE.replace("2026-11-01", "2026-11-20")})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 0
    assert err.splitlines() == [
        "guides/alpha.es.md:10: warning: guides/alpha.es.md may be out of date: its original, "
        "guides/alpha.md, has changed since it was translated (it was updated on 2026-11-20, "
        "after this translation (2026-11-01)). Bring guides/alpha.es.md up to date with "
        "guides/alpha.md, then set its source_version to \"1.0\" and its updated date to the "
        "day you finish"]


def test_a_stale_cheat_sheet_is_warned_of(tmp_path, capsys):
    root = make_project(tmp_path / "site", {
        "cheatsheets/test-sheet.yaml": SHEET,
        "cheatsheets/test-sheet.es.yaml": ES_SHEET.replace('source_version: "2.1"',
                                                           'source_version: "2.0"'),
        "glossary/es/terms.yaml": ES_GLOSSARY})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 0
    assert err.splitlines() == [
        "cheatsheets/test-sheet.es.yaml:4: warning: cheatsheets/test-sheet.es.yaml may be out "
        "of date: its original, cheatsheets/test-sheet.yaml, has changed since it was "
        "translated (it is now version 2.1, and this translation was made from version 2.0). "
        "Bring cheatsheets/test-sheet.es.yaml up to date with cheatsheets/test-sheet.yaml, "
        "then set its source_version to \"2.1\" and its updated date to the day you finish"]


@pytest.mark.parametrize("files, expected", [
    ({"guides/alpha.es.md": SPANISH.replace("translation_of: alpha\n", "")},
     "guides/alpha.es.md:2: missing front-matter key 'translation_of'"),
    ({"guides/alpha.es.md": SPANISH.replace('source_version: "1.0"\n', "")},
     "guides/alpha.es.md:2: missing front-matter key 'source_version'"),
    ({"guides/alpha.es.md": SPANISH.replace("lang: es", "lang: fr")},
     "guides/alpha.es.md:8: this translation's name ends in '.es' but it says lang: fr; "
     "write lang: es"),
    ({"guides/alpha.es.md": SPANISH.replace("translation_of: alpha", "translation_of: alpah")},
     "guides/alpha.es.md:9: translation_of names 'alpah', but there is no guide 'alpah' (did "
     "you mean 'alpha'?)"),
    ({"guides/alpha.md": GUIDE.replace("lang: en\n", "lang: en\ntranslation_of: beta\n")},
     "guides/alpha.md:9: 'translation_of' is only for a translation, whose file name ends in "
     "its language code (like alpha.es); remove it here"),
    ({"guides/alpha.es.fr.md": SPANISH},
     "guides/alpha.es.fr.md:1: guide name 'alpha.es.fr' must be lowercase letters, digits and "
     "hyphens, then for a translation one language code after a dot (chatgpt.es, "
     "chatgpt.pt-BR)"),
    ({"cheatsheets/test-sheet.yaml": SHEET,
      "cheatsheets/test-sheet.es.yaml": ES_SHEET.replace("lang: es\n", "")},
     "cheatsheets/test-sheet.es.yaml:1: this translation's name ends in '.es' but it has no "
     "lang; write lang: es"),
    ({"cheatsheets/test-sheet.es.yaml": ES_SHEET},
     "cheatsheets/test-sheet.es.yaml:3: translation_of names 'test-sheet', but there is no "
     "cheat sheet 'test-sheet'"),
    ({"cheatsheets/test-sheet.yaml": SHEET.replace("title: Test Sheet\n",
                                                   'title: Test Sheet\nsource_version: "1"\n')},
     "cheatsheets/test-sheet.yaml:2: 'source_version' is only for a translation, whose file "
     "name ends in its language code (like test-sheet.es); remove it here"),
    ({"glossary/es/terms.yaml": ES_GLOSSARY.replace("slug: token", "slug: tokn")},
     "glossary/es/terms.yaml:6: there is no English glossary entry 'tokn' to translate (did "
     "you mean 'token'?); a translation is keyed by the English entry's slug"),
    ({"glossary/es/terms.yaml": ES_GLOSSARY + "  category: basics\n"},
     "glossary/es/terms.yaml:10: 'category' is not translated: it comes from the English "
     "entry; remove it here"),
    ({"glossary/es/terms.yaml": ES_GLOSSARY.replace("  definition: Un token", "  defnition: Un token")},
     "glossary/es/terms.yaml:9: unknown glossary translation key 'defnition' (did you mean "
     "'definition'?)"),
    ({"glossary/es/terms.yaml": ES_GLOSSARY.replace("[instrucciones]", "[tokens]")},
     "glossary/es/terms.yaml:5: the name 'tokens' already means 'token'; give this "
     "translation of 'prompt' another name"),
    ({"glossary/Spanish/terms.yaml": ES_GLOSSARY},
     "glossary/Spanish:1: a folder in glossary/ holds translations and is named by their "
     "language code, such as es, pt-BR or zh-Hans, not 'Spanish'"),
])
def test_translation_sources_are_checked(tmp_path, capsys, files, expected):
    root = translated(tmp_path, **files)
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert expected in err.splitlines(), err


def test_a_term_with_no_translation_falls_back_to_english_with_a_warning(tmp_path, capsys):
    only_prompt = ES_GLOSSARY[:ES_GLOSSARY.index("- slug: token")]
    root = translated(tmp_path, **{"glossary/es/terms.yaml": only_prompt})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 0
    assert err.splitlines() == [
        "guides/alpha.es.md:14: warning: the glossary term 'token' has no Spanish translation "
        "yet, so it appears in English; add 'token' to a file in glossary/es/"]


def test_a_language_with_no_glossary_folder_falls_back_for_every_term(tmp_path, capsys):
    french = GUIDE.replace("lang: en\n", 'lang: fr\ntranslation_of: alpha\nsource_version: "1.0"\n')
    root = make_project(tmp_path / "site", {"guides/alpha.fr.md": french})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 0
    assert [line.split(": warning: ")[1] for line in err.splitlines()] == [
        f"the glossary term '{slug}' has no French translation yet, so it appears in English; "
        f"add '{slug}' to a file in glossary/fr/" for slug in ("prompt", "token")]


def test_an_english_guide_never_warns_of_translations(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE.replace("lang: en", "lang: en-GB")})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert (code, err) == (0, "")


def test_the_translated_guide_links_and_lists_its_languages_entries(tmp_path, capsys):
    root = translated(tmp_path)
    code, out, err = run(capsys, "build", "alpha.es", "--root", str(root), "--paper", "a4")
    assert code == 0, err
    assert out.splitlines()[-1].startswith("1 built, 0 up to date, 0 failed")
    dist = root / "dist"
    assert sorted(p.name for p in dist.iterdir() if p.suffix in (".pdf", ".png")) == \
        ["alpha.es.pdf", "alpha.es.png"]
    reader = open_pdf(dist / "alpha.es.pdf")
    pages = [text(reader, n) for n in range(1, len(reader.pages) + 1)]
    appendix = next(page for page in pages if "Lo que escribes para pedirle" in page)
    assert "Instrucción" in appendix and "Un trozo pequeño de texto" in appendix
    assert "What you type to ask" not in "".join(pages)
    assert "3, 4" in appendix  # the pages of both links to prompt


def test_translated_links_resolve_english_and_translated_names(tmp_path):
    from guidepress.build import plan
    from guidepress.mdext.ids import term_id, use_id
    _, artifacts, _ = plan(translated(tmp_path), ["alpha.es"], "a4")
    artifact = artifacts[0]
    assert artifact.refs == {"prompt": [use_id("prompt", 1), use_id("prompt", 2)],
                             "token": [use_id("token", 1)]}
    html = artifact.make_html(refs=artifact.refs)
    assert f'href="#{term_id("prompt")}" id="{use_id("prompt", 1)}">instrucción</a>' in html
    assert f'id="{term_id("prompt")}"' in html and "Instrucción" in html
    assert "glossary/es/terms.yaml" in [path for path, _ in artifact.sources]


def test_the_english_guide_keeps_its_english_entries(tmp_path, capsys):
    root = translated(tmp_path)
    code, _, err = run(capsys, "build", "alpha", "--root", str(root), "--paper", "a4")
    assert code == 0, err
    printed = "".join(text(open_pdf(root / "dist" / "alpha.pdf"), n) for n in range(1, 7))
    assert "What you type to ask an AI model" in printed and "Instrucción" not in printed


def test_a_translated_sheet_prints_its_languages_terms(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"cheatsheets/test-sheet.yaml": SHEET,
                                            "cheatsheets/test-sheet.es.yaml": ES_SHEET,
                                            "glossary/es/terms.yaml": ES_GLOSSARY})
    code, out, err = run(capsys, "build", "test-sheet.es", "--root", str(root), "--paper", "a4")
    assert (code, err) == (0, "")
    printed = text(open_pdf(root / "dist" / "test-sheet.es.pdf"), 1)
    assert "Hoja de prueba" in printed
    assert "Lo que escribes para pedirle algo" in printed.replace("\n", " ")


def test_a_problem_in_one_languages_glossary_does_not_stop_another_language(tmp_path, capsys):
    root = translated(tmp_path, **{"glossary/fr/terms.yaml": "- slug: tokn\n  term: Jeton\n"
                                   "  short: Un bout de texte.\n  definition: Un bout de texte.\n"})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    project = load_project(root, Collector())
    assert project is not None
    from guidepress.build import plan
    _, artifacts, warnings = plan(root, ["alpha.es"], "a4")
    assert [a.filename for a in artifacts] == ["alpha.es.pdf"]
    assert any("glossary/fr/terms.yaml" in str(w) for w in warnings)


SHIPPED_TRANSLATIONS = sorted(p.name for p in (PROJECT_DIR / "cheatsheets").glob("*.*.yaml"))


@pytest.mark.parametrize("name", SHIPPED_TRANSLATIONS)
def test_a_shipped_translation_says_everything_its_source_says(name):
    """The same sections, terms, STACK letters and numbers of prompts, pairs and items, and
    every term in its own language."""
    translation = yaml.safe_load((PROJECT_DIR / "cheatsheets" / name).read_text())
    source_name = f"{translation['translation_of']}.yaml"
    source = yaml.safe_load((PROJECT_DIR / "cheatsheets" / source_name).read_text())
    assert translation["source_version"] == source["version"]
    assert translation["updated"] >= source["updated"]
    assert len(translation["sections"]) == len(source["sections"])
    # As printed: a framework section (framework: stack) counts as the letters it prints.
    from guidepress.project import load_project
    from guidepress.errors import Collector
    sheets = {s.slug: s for s in load_project(PROJECT_DIR, Collector()).cheatsheets}
    ours_sheet, theirs_sheet = sheets[name[:-len(".yaml")]], sheets[translation["translation_of"]]
    for ours, theirs in zip(ours_sheet.sections, theirs_sheet.sections):
        assert [t.slug for t in ours.terms] == [t.slug for t in theirs.terms]
        for kind in ("items", "prompts", "pairs", "steps"):
            assert len(getattr(ours, kind)) == len(getattr(theirs, kind)), (ours.title, kind)
        assert [s["label"] for s in ours.steps] == [s["label"] for s in theirs.steps]
    glossary = PROJECT_GLOSSARY.for_lang(translation["lang"])
    terms = [t for s in translation["sections"] for t in s.get("terms", [])]
    assert terms and not {glossary.resolve(t) for t in terms} & glossary.missing


def test_every_term_the_guides_link_has_a_spanish_entry():
    from guidepress.mdext.glossary_links import TERM_RE
    spanish = PROJECT_GLOSSARY.for_lang("es")
    for path in (PROJECT_DIR / "guides").glob("*.md"):
        used = {spanish.resolve(m.group(1)) for m in TERM_RE.finditer(path.read_text())}
        assert not used & spanish.missing, path.name


def test_the_shipped_translations_check_without_a_warning(capsys):
    code, _, err = run(capsys, "check", "--root", str(PROJECT_DIR))
    assert code == 0
    assert not [line for line in err.splitlines() if "translation" in line or
                "glossary/" in line], err


def test_translated_terms_sort_alphabetically_ignoring_accents():
    from guidepress.glossary import Term
    words = ["Zona", "Índice", "Ética", "Búsqueda", "Barrera", "jota"]
    terms = [Term(w.lower(), w, "", "", "basics", [], [], None, None) for w in words]
    assert [t.term for t in sorted(terms, key=lambda t: t.sort_key)] == \
        ["Barrera", "Búsqueda", "Ética", "Índice", "jota", "Zona"]
