"""The downloads page in a real browser (Debian's Chromium, driven by Playwright): every link
resolves to a file that exists, every image loads, no console errors, no request leaves dist/,
on a phone and on a desktop, opened from disk and served."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import CHROMIUM, FLAGS, GUIDE, SHEET, SITE, make_project, require_chromium

playwright_api = require_chromium()


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("downloads") / "site", {
        "site.yaml": SITE.replace("paper: a4\n", "paper: a4\npapers: [a4, letter]\n") + (
            "glossary:\n  slug: words\n  title: Words\n  subtitle: All of them\n"
            "  summary: The words.\n  version: '1'\n  updated: 2026-10-01\n"),
        "guides/beta.md": GUIDE.replace("Alpha Guide", "Beta Guide"),
        "cheatsheets/sheet.yaml": SHEET})
    from guidepress.cli import main
    assert main(["build", "--root", str(root), "-q"]) == 0
    return root / "dist"


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(dist):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(dist))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def visit(browser, url: str, width: int, height: int, shot: Path | None = None) -> dict:
    """Open the page; return its requests, console errors, links, images and overflow."""
    page = browser.new_page(viewport={"width": width, "height": height})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load")
    facts = page.evaluate("""() => ({
        links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
        images: Array.from(document.images).map(i => [i.getAttribute('src'),
                                                     i.complete && i.naturalWidth > 0]),
        overflow: document.documentElement.scrollWidth > window.innerWidth,
        cards: document.querySelectorAll('.card').length})""")
    if shot:
        page.screenshot(path=str(shot), full_page=True)
    page.close()
    return {**facts, "requests": requests, "errors": errors}


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
def test_opened_from_disk(dist, browser, width, height, tmp_path):
    facts = visit(browser, (dist / "index.html").as_uri(), width, height,
                  tmp_path / f"downloads-{width}.png")
    assert facts["errors"] == []
    assert facts["cards"] == 4  # two guides, the sheet, the glossary
    local = [href for href in facts["links"] if not href.startswith("https://")]
    assert len(local) == 8 and all((dist / href).is_file() for href in local)
    assert facts["links"][-1] == "https://testbrand.org"
    assert facts["images"] and all(loaded for _, loaded in facts["images"])
    assert all(unquote(urlsplit(url).path).startswith(str(dist)) for url in facts["requests"])
    assert not facts["overflow"]


def test_served(dist, browser, server):
    facts = visit(browser, server, 1280, 800)
    assert facts["errors"] == []
    assert all(url.startswith(server) for url in facts["requests"])
    assert facts["images"] and all(loaded for _, loaded in facts["images"])


def test_the_page_lists_papers_sizes_and_pages(dist):
    html = (dist / "index.html").read_text()
    assert 'href="alpha.pdf" download>A4 PDF' in html
    assert 'href="alpha-letter.pdf" download>Letter PDF' in html
    assert "6 pages" in html and "1 page<" in html


@pytest.fixture(scope="module")
def languages(tmp_path_factory):
    """A guide in English, one in Spanish, a cheat sheet in Japanese, and (written into the
    page from the manifest) a Spanish translation of the English guide."""
    import dataclasses
    import json

    from guidepress.cli import main
    from guidepress.downloads import write_downloads_page
    from guidepress.errors import Collector
    from guidepress.output import read_manifest
    from guidepress.project import load_project

    root = make_project(tmp_path_factory.mktemp("languages") / "site", {
        "guides/beta.md": GUIDE.replace("Alpha Guide", "Beta Guide").replace("lang: en", "lang: es"),
        "cheatsheets/sheet.yaml": SHEET + "lang: ja\n"})
    assert main(["build", "--root", str(root), "-q"]) == 0
    dist = root / "dist"
    entries = list(read_manifest(dist).values())
    alpha = next(e for e in entries if e.slug == "alpha")
    translation = dataclasses.replace(alpha, slug="alpha.es", lang="es", title="Guía Alfa",
                                      path="alpha.es.pdf", cover="alpha.es.png")
    for name in ("pdf", "png"):
        shutil.copy(dist / f"alpha.{name}", dist / f"alpha.es.{name}")
    project = load_project(root, Collector())
    write_downloads_page(dist, project, entries + [translation])
    assert json.loads((dist / "manifest.json").read_text())["artifacts"][0]["lang"] == "en"
    return dist


def test_the_language_switcher_and_every_link_work(languages, browser, tmp_path):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto((languages / "index.html").as_uri(), wait_until="load")
    switcher = page.evaluate("""() => Array.from(document.querySelectorAll('nav.languages a'))
        .map(a => [a.getAttribute('href'), a.getAttribute('hreflang'), a.textContent])""")
    assert switcher == [["#gp--lang-en", "en", "English"], ["#gp--lang-es", "es", "Español"],
                        ["#gp--lang-ja", "ja", "日本語"]]
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("document.scripts.length") == 0
    for href, lang, name in switcher:
        page.click(f"nav.languages a[href='{href}']")
        section = page.locator(f"section{href}")
        assert page.evaluate("location.hash") == href
        assert section.get_attribute("lang") == lang
        assert section.locator("h2.language-name").inner_text() == name
        top = page.evaluate(f"document.getElementById('{href[1:]}').getBoundingClientRect().top")
        assert abs(top) < 2  # scrolled to the group
    groups = page.evaluate("""() => Array.from(document.querySelectorAll('section.language'))
        .map(s => [s.lang, Array.from(s.querySelectorAll('.card h3')).map(h => h.textContent)])""")
    assert groups == [["en", ["Alpha Guide"]], ["es", ["Beta Guide", "Guía Alfa"]],
                      ["ja", ["Test Sheet"]]]
    # The translation links: each card names the other languages of the same guide.
    also = page.evaluate("""() => Array.from(document.querySelectorAll('.translations a'))
        .map(a => [a.closest('.card').id, a.getAttribute('href'), a.getAttribute('hreflang')])""")
    assert also == [["alpha", "#alpha.es", "es"], ["alpha.es", "#alpha", "en"]]
    page.click(".card#alpha .translations a")
    assert page.evaluate("location.hash") == "#alpha.es"
    # Every link: a file beside the page, an element of the page, or the brand's site.
    links = page.evaluate("() => Array.from(document.querySelectorAll('a[href]'))"
                          ".map(a => a.getAttribute('href'))")
    for href in links:
        if href.startswith("#"):
            assert page.evaluate(f"!!document.getElementById({href[1:]!r})"), href
        elif not href.startswith("https://"):
            assert (languages / href).is_file(), href
    downloads = page.evaluate("""() => Array.from(document.querySelectorAll('.downloads a'))
        .map(a => [a.getAttribute('href'), a.getAttribute('hreflang'), a.textContent])""")
    beta = next(text for href, lang, text in downloads if href == "beta.pdf" and lang == "es")
    assert beta.startswith("PDF A4 · ") and beta.endswith(" KB")  # in Spanish word order
    assert ["sheet.pdf", "ja"] in [[h, l] for h, l, _ in downloads]
    assert errors == []
    assert all(unquote(urlsplit(url).path).startswith(str(languages)) for url in requests)
    assert page.evaluate("document.documentElement.scrollWidth > window.innerWidth") is False
    page.screenshot(path=str(tmp_path / "languages.png"), full_page=True)
    page.close()
