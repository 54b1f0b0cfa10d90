"""The web UI in a real browser: Debian's chromium driven by Playwright against `agora serve`.

Screenshots of every page go to test-artifacts/screenshots/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import threading
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

from tests.test_webui import XSS_AUTHOR, XSS_COMMENTER, build_web_index  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
SHOTS = PROJECT / "test-artifacts" / "screenshots"
BUDGET_THREAD = "b067d92c257a6a5d"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PWNED = "() => window.__pwned === undefined"
EXPECTED_STATUS = re.compile(r"Failed to load resource: the server responded with a status of 40[04]")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`agora serve` on a free port of 127.0.0.1 over the sample corpus, the seed thread and the XSS thread."""
    index = build_web_index(tmp_path_factory.mktemp("browser"))
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
    yield found.group(0)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    drain.join(timeout=10)
    process.stdout.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, accept_downloads=True)
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
    yield opened
    context.close()
    assert [] == problems, "the pages ran into errors (a blocked inline script or style would show here)"


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
