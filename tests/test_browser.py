"""The web UI in a real browser: Debian's chromium driven by Playwright against `agora serve`.

Screenshots of every page go to test-artifacts/screenshots/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

CHROMIUM = Path("/usr/bin/chromium")
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None
if sync_playwright is None or not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install -y chromium) and the "
                "playwright package (pip install -e '.[test]')", allow_module_level=True)

from tests.conftest import REALDATA, SEED, require_shared  # noqa: E402
from tests.test_webui import XSS_AUTHOR, XSS_COMMENTER, build_web_index  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
SHOTS = PROJECT / "test-artifacts" / "screenshots"
BUDGET_THREAD = "b067d92c257a6a5d"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PWNED = "() => window.__pwned === undefined"
EXPECTED_STATUS = re.compile(r"Failed to load resource: the server responded with a status of 40[04]")


@contextmanager
def serving(index: Path):
    """`agora serve` over ``index`` on a free port of 127.0.0.1; yields its URL and stops it afterwards."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "serve", "--index", str(index), "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=PROJECT, env=env,
    )
    lines = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=60)
    found = re.search(r"http://127\.0\.0\.1:\d+", lines[0] if lines else "")
    if not found:
        process.kill()
        process.wait()
        reader.join(timeout=10)
        process.stdout.close()
        pytest.fail(f"agora serve did not print its URL: {lines!r}")
    # keep draining the server's output so that it never blocks on a full pipe
    drain = threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True)
    drain.start()
    try:
        yield found.group(0)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        drain.join(timeout=10)
        process.stdout.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`agora serve` on a free port of 127.0.0.1 over the sample corpus, the seed thread and the XSS thread."""
    with serving(build_web_index(tmp_path_factory.mktemp("browser"))) as url:
        yield url


@pytest.fixture(scope="module")
def realdata_server(tmp_path_factory):
    """`agora serve` over ../shared/realdata (read in place) plus the seed thread under ianwelsh.net/."""
    from indexer.reindex import corpus_files, reindex

    realdata, seed = require_shared(REALDATA), require_shared(SEED)
    root = tmp_path_factory.mktemp("realdata")
    corpus = root / "corpus"
    # a symlink per file, in the same subfolders: os.walk (corpus_files) does not enter symlinked folders
    linked = 0
    for source in sorted(realdata.rglob("*")):
        if source.is_file():
            target = corpus / source.relative_to(realdata)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(source)
            linked += 1
    (corpus / "ianwelsh.net").mkdir(parents=True)
    shutil.copy(seed, corpus / "ianwelsh.net" / "deepseek.txt")
    found = corpus_files(corpus)
    # every realdata file but the ignored PROVENANCE.tsv, plus the seed thread
    assert len(found) == linked - (realdata / "PROVENANCE.tsv").exists() + 1
    report = reindex(corpus, root / "index", workers=2)
    assert report.files_parsed == len(found) and report.threads > 100
    with serving(root / "index") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextmanager
def opened_page(browser, base_url: str):
    """A fresh page on ``base_url`` that fails the test if the page logs an error or throws."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    problems = []

    def console(message):
        # the 400 and 404 pages that a test asks for are expected; anything else is a problem
        if message.type == "error" and not EXPECTED_STATUS.match(message.text):
            problems.append(message.text)

    opened.on("console", console)
    opened.on("pageerror", lambda exc: problems.append(str(exc)))
    opened.problems = problems
    try:
        yield opened
    finally:
        context.close()
    assert [] == problems, "the pages ran into errors (a blocked inline script or style would show here)"


@pytest.fixture
def page(browser, server):
    with opened_page(browser, server) as opened:
        yield opened


def shoot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def hit_ids(page) -> list[str]:
    return [href.split("#", 1)[1] for href in page.eval_on_selector_all(".hit-title a", "els => els.map(e => e.href)")]


def test_search_and_toggle_a_facet(page):
    page.goto("/")
    page.keyboard.press("/")  # app.js: "/" focuses the search box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("budget")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q=budget"))
    assert page.locator("h1#results-heading").inner_text().startswith("5 hits")
    assert page.locator(".snippet mark").count() >= 5
    shoot(page, "search-results")
    page.locator(".facet a.facet-value", has_text="Priti Shah").click()
    page.wait_for_url(re.compile(r"author=Priti\+Shah"))
    assert page.locator("h1#results-heading").inner_text().startswith("1 hit")
    assert page.locator("a.chip.removable", has_text="Priti Shah").is_visible()
    shoot(page, "search-facet-selected")
    page.locator("a.chip.removable", has_text="Priti Shah").click()
    page.wait_for_url(re.compile(r"^(?!.*author=)"))
    assert page.locator("h1#results-heading").inner_text().startswith("5 hits")


def test_follow_a_hit_into_its_thread_then_a_commenter_and_a_domain(page):
    page.goto("/?q=budget")
    first = page.locator(".hit-title a").first
    target = first.get_attribute("href").split("#", 1)[1]
    first.click()
    page.wait_for_url(re.compile(r"/t/[0-9a-f]+\?q=budget#"))
    assert page.evaluate("location.hash") == f"#{target}"
    assert page.locator(f"article[id='{target}']").is_visible()
    assert page.locator(".post .text mark").count() >= 1
    shoot(page, "thread")
    page.goto(f"/t/{BUDGET_THREAD}")
    page.locator(".post-head a.author", has_text="Rosalind Achterberg").first.click()
    page.wait_for_url(re.compile(r"/a/Rosalind%20Achterberg$"))
    assert page.locator("h1").inner_text() == "Rosalind Achterberg"
    assert page.locator("svg.bars rect.fill").count() >= 1
    shoot(page, "commenter")
    page.locator("a.chip.domain", has_text="youtube.com").first.click()
    page.wait_for_url(re.compile(r"/d/youtube\.com$"))
    assert page.locator("h1").inner_text() == "youtube.com"
    shoot(page, "domain")


def test_the_date_chart_filters_when_clicked(page):
    page.goto("/")
    page.locator("svg.bars a[aria-label^='2023']").click()
    page.wait_for_url(re.compile(r"year=2023"))
    assert page.locator("figure.chart figcaption").text_content().strip().startswith("Posts per month")
    shoot(page, "search-year")
    page.locator("svg.bars a[aria-label^='2023-06']").click()
    page.wait_for_url(re.compile(r"month=2023-06"))
    assert page.locator("a.chip.removable", has_text="2023-06").is_visible()


def test_page_deep_with_cursors_then_back_and_forward(page):
    page.goto("/?per_page=4")
    total = int(re.match(r"[\d,]+", page.locator("h1#results-heading").inner_text()).group(0).replace(",", ""))
    seen, urls = hit_ids(page), [page.url]
    while page.locator("a[rel=next]").count():
        page.locator("a[rel=next]").click()
        page.wait_for_url(lambda url, before=urls[-1]: url != before)
        assert "cursor=" in page.url
        urls.append(page.url)
        seen += hit_ids(page)
    assert len(seen) == total == len(set(seen))
    assert len(urls) >= 4
    shoot(page, "search-last-page")
    last_hits = hit_ids(page)
    page.go_back()
    page.wait_for_url(urls[-2])
    assert hit_ids(page) == seen[-len(last_hits) - 4:-len(last_hits)]
    page.go_forward()
    page.wait_for_url(urls[-1])
    assert hit_ids(page) == last_hits
    page.locator("a[rel=prev]").click()
    page.wait_for_url(re.compile(r"page=\d+"))
    assert hit_ids(page) == seen[-len(last_hits) - 4:-len(last_hits)]


def test_export_downloads_every_hit(page, tmp_path):
    page.goto("/?q=has:link")
    total = int(re.match(r"[\d,]+", page.locator("h1#results-heading").inner_text()).group(0).replace(",", ""))
    with page.expect_download() as download:
        page.locator(".exports a", has_text="CSV").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert saved.name == "agora-export.csv" and len(rows) == total > 4
    with page.expect_download() as download:
        page.locator(".exports a", has_text="JSON Lines").click()
    download.value.save_as(tmp_path / "export.jsonl")
    assert len((tmp_path / "export.jsonl").read_text(encoding="utf-8").splitlines()) == total


def test_planted_payloads_do_not_run(page):
    page.goto("/?q=title:evil")
    assert page.evaluate(PWNED)
    shoot(page, "xss-search")
    page.locator(".hit-title a").first.click()
    page.wait_for_url(re.compile(r"/t/"))
    for link in page.locator("a.author").all():
        link.hover()
    page.locator(".post .text").first.hover()
    assert page.evaluate(PWNED)
    title = page.locator("h1").inner_text()
    assert "<script>window.__pwned=1</script>" in title  # shown as text
    assert page.evaluate("document.querySelectorAll('[onerror],[onload],[onmouseover]').length") == 0
    assert page.evaluate("[...document.scripts].every(s => s.src)")
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.locator("dl.facts .unlinked").inner_text().startswith("javascript:")
    shoot(page, "xss-thread")
    for path in ("/a/" + quote(XSS_AUTHOR, safe=""), "/a/" + quote(XSS_COMMENTER, safe=""), "/d/evil.example",
                 "/facets/author", "/stats", "/?author=" + quote(XSS_AUTHOR, safe="")):
        page.goto(path)
        assert page.evaluate(PWNED), path
        assert page.evaluate("document.querySelectorAll('[onerror],[onload],[onmouseover]').length") == 0, path
    shoot(page, "xss-commenter-search")


def test_overview_facet_list_filter_errors_and_api(page):
    page.goto("/stats")
    assert page.locator("h1").inner_text() == "What the archive holds"
    assert "no parser recognises this file" in page.locator("ul.skipped").inner_text()
    shoot(page, "overview")
    page.goto("/")
    page.locator("a.more", has_text="more").first.click()
    page.wait_for_url(re.compile(r"/facets/author"))
    box = page.locator("input.facet-filter")  # added by app.js to long lists
    box.fill("ros")
    visible = page.locator("ul.facet-values li:visible").all_inner_texts()
    assert visible and all("ros" in text.lower() for text in visible)
    shoot(page, "facet-values")
    response = page.goto("/?q=(budget")
    assert response.status == 400
    assert "never closed" in page.locator(".error-box").inner_text()
    shoot(page, "bad-query")
    response = page.goto("/t/0000000000000000")
    assert response.status == 404
    shoot(page, "not-found")
    response = page.goto("/api/search?q=budget")
    assert response.headers["content-type"].startswith("application/json")


def test_phone_and_dark_mode(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, color_scheme="dark",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto("/?q=budget")
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(251, 250, 247)"  # the dark palette, not the light one
    page.screenshot(path=str(SHOTS / "phone-dark-search.png"), full_page=True)
    page.goto(f"/t/{BUDGET_THREAD}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "phone-dark-thread.png"), full_page=True)
    context.close()


def test_realdata_commenter_domain_and_thread_are_one_click_from_the_results(browser, realdata_server):
    """The issue's "must show", over ../shared/realdata and the seed thread: from the results page one click
    reaches a commenter, filters by a linked domain or opens a hit's thread at the hit; a reload keeps the state."""
    query, domain = "deepseek OR quants OR youtube", "youtube.com"
    with opened_page(browser, realdata_server) as page:
        page.goto("/?q=" + quote(query))
        results_url = page.url
        heading = page.locator("h1#results-heading").inner_text()
        assert re.match(r"\d+ hits", heading) and page.input_value("input#q") == query
        sites = page.locator("#facet-site ~ ul .name").all_inner_texts()
        assert "ianwelsh.net" in sites and len(sites) > 1  # the seed thread and realdata's sites
        shown = hit_ids(page)
        assert len(shown) > 1
        shoot(page, "realdata-search")

        # (1) a hit's commenter: one click on the author link gives that commenter's page
        author_link = page.locator(".hit .meta a.author").first
        author = author_link.inner_text()
        hit = page.locator(".hit").filter(has=page.locator("a.author", has_text=author)).first
        hit_thread = hit.locator(".hit-title a").get_attribute("href").split("?", 1)[0].split("#", 1)[0]
        author_link.click()
        page.wait_for_url(re.compile(r"/a/[^/?#]+$"))
        assert page.locator("h1").inner_text() == author
        assert page.locator(".profile .kicker").text_content().strip() == "Commenter"
        # the profile counts exactly the author's posts and lists the thread the hit came from
        everything = page.request.get("/api/search?" + f"author={quote(author)}&per_page=1").json()
        summary = page.locator(".profile .summary a").first
        assert summary.inner_text() == f"{everything['total']:,} post" + ("" if everything["total"] == 1 else "s")
        assert f"author={quote(author).replace('%20', '+')}" in summary.get_attribute("href")
        assert page.locator(f"section[aria-labelledby='h-threads'] a[href='{hit_thread}']").count() == 1
        shoot(page, "realdata-commenter")
        page.go_back()
        page.wait_for_url(results_url)
        assert hit_ids(page) == shown

        # (2) a linked domain: one click on the facet value filters the results
        value = page.locator("#facet-domain ~ ul a.facet-value").filter(has=page.get_by_text(domain, exact=True))
        expected = int(value.locator(".count").inner_text().replace(",", ""))
        assert 1 <= expected < int(re.match(r"\d+", heading).group(0))  # a real narrowing
        value.click()
        page.wait_for_url(re.compile(r"[?&]domain=youtube\.com(&|$)"))
        facet_url = page.url
        assert "q=deepseek+OR+quants+OR+youtube" in facet_url

        def shows_the_selection():
            assert page.input_value("input#q") == query
            assert page.locator("h1#results-heading").inner_text().startswith(f"{expected} hit")
            assert page.locator("a.chip.removable", has_text=domain).is_visible()
            selected = page.locator("#facet-domain ~ ul a.facet-value.selected")
            assert selected.count() == 1 and selected.get_attribute("aria-current") == "true"
            hits = page.locator(".hits .hit")
            assert hits.count() == expected
            for n in range(expected):
                assert domain in hits.nth(n).locator("a.chip.domain").all_inner_texts(), n
            return hit_ids(page)

        filtered = shows_the_selection()
        shoot(page, "realdata-facet")
        # the state lives in the URL: a reload shows the same query, selection and hits
        page.reload()
        assert page.url == facet_url
        assert shows_the_selection() == filtered

        # (3) a hit's thread: one click on its title opens the thread at that post
        first = page.locator(".hit-title a").first
        title, target = first.inner_text(), first.get_attribute("href").split("#", 1)[1]
        first.click()
        page.wait_for_url(re.compile(r"/t/[0-9a-f]+\?q=deepseek\+OR\+quants\+OR\+youtube#"))
        assert page.evaluate("location.hash") == f"#{target}"
        assert page.locator("article.thread > header h1").inner_text() == title
        post = page.locator(f"article[id='{target}']")
        assert post.is_visible()
        assert domain in post.locator("a.chip.domain").all_inner_texts()
        assert page.evaluate("id => { const r = document.getElementById(id).getBoundingClientRect();"
                             " return r.top < innerHeight && r.bottom > 0; }", target)
        shoot(page, "realdata-thread")
