"""The web UI through Flask's test client: every page and API route, errors, headers, escaping."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from jsonschema import Draft202012Validator

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUDGET_THREAD = "b067d92c257a6a5d"

# Payloads planted in a thread's title, URL, author lines and text: each must come out as text.
XSS_TITLE = 'Evil <script>window.__pwned=1</script> thread "quotes" & ampersands'
XSS_URL = "javascript:window.__pwned=1//https://evil.example/"
XSS_AUTHOR = "<b onmouseover=window.__pwned=1>Mallory</b>"
XSS_COMMENTER = "<img src=x onerror=window.__pwned=1>"
XSS_FILE = f"""Title: {XSS_TITLE}
URL: {XSS_URL}
Author: {XSS_AUTHOR}
Date: 2025-01-20

The opening post links https://evil.example/page?x="><script>window.__pwned=1</script> and <style>body{{display:none}}</style> too.
{XSS_COMMENTER}
A plain reply with <script>window.__pwned=1</script> in it and a link https://good.example.org/a"onmouseover="window.__pwned=1
Trent
</style><svg onload=window.__pwned=1> css payload: expression(alert(1)) url(javascript:window.__pwned=1)
"""
RAW_PAYLOADS = ("<script>window.__pwned", "<img src=x onerror", "<b onmouseover", "<svg onload", "<style>body",
                "</style><svg")


def build_web_corpus(root: Path) -> Path:
    """The sample corpus (with the seed thread), the night-bus fixture, a thread of XSS payloads and a
    file no parser reads."""
    corpus = root / "corpus"
    shutil.copytree(PROJECT / "corpus", corpus)
    shutil.copy(FIXTURES / "plaintext" / "headers-and-signatures.txt", corpus / "night-bus.txt")
    (corpus / "evil.txt").write_text(XSS_FILE, encoding="utf-8")
    (corpus / "broken.html").write_text("<html><body><p>nothing to see</p></body></html>", encoding="utf-8")
    return corpus


def build_web_index(root: Path) -> Path:
    from indexer.reindex import reindex

    reindex(build_web_corpus(root), root / "index", workers=1)
    return root / "index"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    return build_web_index(tmp_path_factory.mktemp("webui"))


@pytest.fixture(scope="module")
def app(index_dir):
    from webui import create_app

    return create_app({"TESTING": True, "INDEX_DIR": index_dir, "PAGE_SIZE": 5})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def openapi(app):
    return app.test_client().get("/api/openapi.json").get_json()


def evil_thread_id(client) -> str:
    return client.get("/api/search", query_string={"q": "title:evil"}).get_json()["hits"][0]["thread_id"]


def html(response) -> str:
    return response.get_data(as_text=True)


def links(page: str, pattern: str = "") -> list[str]:
    """Every href on a page (HTML-unescaped), those containing ``pattern``."""
    found = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', page)]
    return [h for h in found if pattern in h]


def query_of(href: str) -> dict:
    return parse_qs(urlsplit(href).query)


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would read them."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def unsafe_markup(page: str) -> list[str]:
    """What a page holds that could run script or inline style: script without src, style elements or
    attributes, event handlers, javascript: URLs."""
    problems = []
    for tag, attrs in Tags(page).tags:
        if tag == "script" and not attrs.get("src"):
            problems.append("inline <script>")
        if tag == "style" or "style" in attrs:
            problems.append(f"inline style on <{tag}>")
        problems += [f"{name} on <{tag}>" for name in attrs if name.startswith("on")]
        problems += [f"{name}={value} on <{tag}>" for name, value in attrs.items()
                     if name in ("href", "src", "action", "formaction", "xlink:href")
                     and (value or "").strip().lower().startswith(("javascript:", "data:text", "vbscript:"))]
    return problems


# -- every page -----------------------------------------------------------------------------------


PAGES = [
    "/", "/?q=budget", "/?q=budget&sort=newest", "/?group=1", "/?author=KT+Chong", "/?year=2023",
    "/?year=2023&month=2023-06", "/?q=quantz", f"/t/{BUDGET_THREAD}", f"/t/{BUDGET_THREAD}?q=budget",
    "/a/Rosalind%20Achterberg", "/a/Dee%20(Elm%20St.%20Parents)", "/d/youtube.com", "/d/substack.com", "/stats",
    "/facets/author", "/facets/domain?prefix=sub", "/facets/kind", "/facets/month?q=budget",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_html_and_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = html(response)
    # no inline script or style: the CSP would block them, so the pages must not need them
    assert [] == unsafe_markup(page)
    assert '<main id="main"' in page and '<a class="skip-link" href="#main">' in page
    assert "Traceback" not in page


@pytest.mark.parametrize("path", ["/static/style.css", "/static/app.js", "/api/stats", "/feed.atom"])
def test_static_files_and_api_have_the_security_headers_too(client, path):
    with client.get(path) as response:
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# -- the search page ------------------------------------------------------------------------------


def test_search_results_link_authors_threads_domains_and_originals(client):
    page = html(client.get("/?q=budget"))
    assert "5 hits" in page
    assert "<mark>budget</mark>" in page
    assert links(page, "/a/Priti%20Shah")
    thread_links = links(page, f"/t/{BUDGET_THREAD}?q=budget#")
    assert any(href.endswith(f"#{BUDGET_THREAD}-c5121") for href in thread_links)
    assert links(page, "/d/ukpolitics.substack.com")
    assert re.search(r'<a class="original" href="https://blog\.example\.org/[^"]*" rel="nofollow noopener ugc"', page)
    assert '<time datetime="2023-06-16T13:50:00Z">16 Jun 2023, 13:50</time>' in page
    assert links(page, "/?site=blog.example.org")


def test_query_help_and_the_query_box_keep_the_query(client):
    page = html(client.get('/?q=author:"KT+Chong"+quants'))
    assert 'value="author:&#34;KT Chong&#34; quants"' in page
    assert "Query syntax" in page and "<code>domain:youtube.com</code>" in page


def test_facet_values_toggle_on_and_off_and_or_within_a_facet(client):
    page = html(client.get("/"))
    kt = [h for h in links(page, "author=KT+Chong") if h.startswith("/?")]
    assert kt, "the commenters facet links each value"
    selected = html(client.get(kt[0]))
    assert "3 hits" in selected
    assert 'aria-label="Remove filter: by KT Chong"' in selected
    # the selected value's own link switches it off again
    off = [h for h in links(selected, "/?") if "author=" not in h and "KT" not in h]
    assert off
    # a second commenter is OR-ed with the first
    z_on = [h for h in links(selected, "author=Z") if "author=KT+Chong" in h]
    both = html(client.get(z_on[0]))
    assert "6 hits" in both
    assert both.count('class="facet-value selected"') == 2


def test_selected_filters_are_removable_chips(client):
    page = html(client.get("/?q=budget&author=Priti+Shah&domain=github.com&after=2020"))
    chips = re.findall(r'<a class="chip removable" href="([^"]*)"', page)
    assert len(chips) == 3
    for href in chips:
        rest = client.get(href.replace("&amp;", "&"))
        assert rest.status_code == 200
    removed = query_of(chips[0].replace("&amp;", "&"))
    assert "author" not in removed and removed["domain"] == ["github.com"] and removed["q"] == ["budget"]
    assert "Clear all filters" in page


def test_counts_are_formatted_for_people(client):
    from webui import format_count, human_date, plural

    assert (format_count(1204), format_count(0), format_count(None)) == ("1,204", "0", "")
    assert plural(1, "hit") == "1 hit" and plural(1204, "reply", "replies") == "1,204 replies"
    assert human_date("2025-01-27T14:05:00Z") == "27 Jan 2025, 14:05"
    assert human_date("2024-06-03T00:00:00") == "3 Jun 2024"
    assert human_date(None) == "undated"


def test_sort_and_group_by_thread_are_links_in_the_url(client):
    page = html(client.get("/?q=budget"))
    newest = [h for h in links(page, "sort=newest") if h.startswith("/?")][0]
    dates = re.findall(r'<time datetime="([^"]+)"', html(client.get(newest)))
    assert dates == sorted(dates, reverse=True)
    grouped = [h for h in links(page, "group=1") if h.startswith("/?")][0]
    page = html(client.get(grouped))
    assert re.search(r"5 hits in 2 threads\s*</h1>", page)
    assert "more hit" in page
    more = [h for h in links(page, "thread=") if "more" not in h][0]
    assert client.get(more).status_code == 200


def test_did_you_mean_links_the_respelled_query(client):
    page = html(client.get("/?q=quantz"))
    assert "Did you mean" in page
    assert links(page, "/?q=quant")


def test_paging_follows_cursors_and_sees_every_hit_once(client):
    total = client.get("/api/search", query_string={"q": "", "per_page": 1}).get_json()["total"]
    seen, href, pages = [], "/", 0
    while href:
        page = html(client.get(href))
        seen += re.findall(r'href="/t/[0-9a-f]+#([^"]+)"', page)
        nxt = re.search(r'<a href="([^"]+)" rel="next">', page)
        href = nxt.group(1).replace("&amp;", "&") if nxt else None
        if href:
            assert "cursor=" in href and f"page={pages + 2}" in href
        pages += 1
    assert len(seen) == total == len(set(seen))
    assert pages == -(-total // 5)


def test_previous_page_link_and_deep_offsets_agree_with_cursors(client):
    first = html(client.get("/"))
    second_href = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    second = html(client.get(second_href))
    prev = re.search(r'<a href="([^"]+)" rel="prev">', second).group(1).replace("&amp;", "&")
    assert "cursor" not in prev
    by_offset = html(client.get("/?page=2"))
    hits = re.compile(r'href="/t/[0-9a-f]+#([^"]+)"')
    assert hits.findall(second) == hits.findall(by_offset)
    assert "Page 2" in second


def test_date_histogram_drills_from_years_into_months(client):
    page = html(client.get("/"))
    assert "Posts per year" in page and '<svg class="bars"' in page
    year = [h for h in links(page, "year=2023") if h.startswith("/?")]
    assert year
    months = html(client.get(year[0]))
    assert "Posts per month" in months
    june = [h for h in links(months, "month=2023-06") if h.startswith("/?")]
    assert june and "year=2023" in june[0]
    assert "all years" in months
    assert "undated post" in page  # the seed thread has no dates


def test_more_links_to_a_searchable_list_of_values(client):
    page = html(client.get("/"))
    more = links(page, "/facets/author")
    assert more
    listing = html(client.get(more[0]))
    assert "KT Chong" in listing and 'id="prefix"' in listing
    found = html(client.get("/facets/author?prefix=kt"))
    assert "KT Chong" in found and "Rosalind" not in found
    toggles = links(found, "author=KT+Chong")
    assert toggles and toggles[0].startswith("/?")


def test_facet_values_page_keeps_the_search(client):
    page = html(client.get("/facets/author?q=budget&site=blog.example.org"))
    assert "Priti Shah" in page and "KT Chong" not in page
    assert '<input type="hidden" name="q" value="budget">' in page
    assert '<input type="hidden" name="site" value="blog.example.org">' in page


# -- threads, commenters, domains, overview ---------------------------------------------------------


def test_thread_page_shows_posts_in_order_with_replies_indented(client):
    page = html(client.get(f"/t/{BUDGET_THREAD}"))
    ids = re.findall(r'<article id="([^"]+)"', page)
    assert ids[0] == f"{BUDGET_THREAD}-p0" and len(ids) == 10
    assert 'class="post depth-2 kind-comment"' in page
    assert f'href="#{BUDGET_THREAD}-c5101">in reply to Dev Okonkwo</a>' in page
    assert "https://blog.example.org/2023/06/open-budget-meetings/" in page
    assert "blog.example.org/wordpress-sample-post.html" in page
    assert links(page, "/d/instituteforgovernment.org.uk")
    assert re.search(r'href="https://www\.youtube\.com/watch\?v=Xq3b7Lm0ZPk" rel="nofollow noopener ugc"', page)


def test_thread_page_highlights_the_words_of_the_search(client):
    page = html(client.get(f"/t/{BUDGET_THREAD}?q=budget"))
    assert "every <mark>budget</mark> session" in page
    assert "Back to the results" in page
    assert "<mark>" not in html(client.get(f"/t/{BUDGET_THREAD}")).split("<ol class=\"posts\">")[1]


def test_commenter_page_has_counts_chart_threads_domains_and_replies(client):
    page = html(client.get("/a/Rosalind%20Achterberg"))
    assert "<h1>Rosalind Achterberg</h1>" in page
    assert "3 posts" in page and '<svg class="bars"' in page
    assert links(page, f"/t/{BUDGET_THREAD}")
    assert links(page, "/d/youtube.com")
    assert "They reply to" in page and links(page, "/a/Hannah%20Pryce")
    assert links(page, "/?author=Rosalind+Achterberg&month=2023-06")


def test_domain_page_has_who_when_which_urls_and_threads(client):
    page = html(client.get("/d/substack.com"))
    assert "<h1>substack.com</h1>" in page
    assert links(page, "/a/Priti%20Shah")
    assert "https://ukpolitics.substack.com/p/spreadsheets-not-pdfs" in page
    assert links(page, f"/t/{BUDGET_THREAD}")
    assert links(page, "/d/thelocalbrief.substack.com")
    search = links(page, "q=domain")[0]
    assert html(client.get(search)).count('class="hit ') == 3


def test_overview_has_totals_busiest_chart_and_index_facts(client):
    page = html(client.get("/stats"))
    assert "Busiest commenters" in page and "Most linked domains" in page and "Busiest sites" in page
    assert "Comments per month" in page and "whoosh" in page
    assert "broken.html" in page and "no parser recognises this file" in page
    assert "Last reindex" in page


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "message"), [
    ("/?q=(budget", "a &#39;(&#39; in the query is never closed"),
    ("/?q=author:", "author: needs a value"),
    ("/?q=after:2024-13", "is not a real date"),
    ("/?page=two", "page must be a whole number, not &#39;two&#39;"),
    ("/?page=0", "page must be 1 or more"),
    ("/?per_page=100000", "per page must be from 1 to 500"),
    ("/?sort=sideways", "sort must be one of relevance, newest, oldest"),
    ("/?kind=bogus", "kind must be one of"),
    ("/?cursor=not-a-cursor", "the cursor is not one Agora gave out"),
    ("/?group=maybe", "group must be 1 or 0"),
    ("/?after=last+week", "is not a date"),
    ("/export.csv?q=(budget", "never closed"),
    ("/feed.atom?sort=sideways", "sort must be one of"),
])
def test_malformed_parameters_get_a_400_page_saying_what_is_wrong(client, path, message):
    response = client.get(path)
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert "Traceback" not in page


@pytest.mark.parametrize("path", ["/api/search?q=(", "/api/search?page=x", "/api/facets/author?size=0",
                                  "/api/search?facet=colour"])
def test_malformed_api_parameters_get_a_json_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    body = response.get_json()
    assert body["status"] == 400 and body["error"]


@pytest.mark.parametrize("path", ["/t/0000000000000000", "/a/Nobody%20At%20All", "/d/nowhere.example",
                                  "/facets/colour", "/no/such/page", "/d/a%20b"])
def test_unknown_things_are_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in html(response) and "Go to the search page" in html(response)


@pytest.mark.parametrize("path", ["/api/threads/0000000000000000", "/api/authors/Nobody", "/api/domains/nowhere.example",
                                  "/api/facets/colour", "/api/nothing"])
def test_unknown_things_in_the_api_are_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_an_unexpected_failure_is_a_plain_500_page(index_dir, monkeypatch):
    from webui import create_app, views

    app = create_app({"INDEX_DIR": index_dir})  # not TESTING: errors are handled as in production

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "author_profile", broken)
    response = app.test_client().get("/a/Z")
    assert response.status_code == 500
    page = html(response)
    assert "Something went wrong" in page and "secret internals" not in page and "Traceback" not in page


def test_no_index_is_a_503_saying_what_to_do(tmp_path):
    from webui import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": tmp_path / "nothing"}).test_client()
    response = client.get("/")
    assert response.status_code == 503
    assert "agora reindex" in html(response)
    assert client.get("/api/stats").get_json()["status"] == 503


# -- escaping -----------------------------------------------------------------------------------


def test_planted_payloads_come_out_escaped_on_every_page(client):
    thread = evil_thread_id(client)
    pages = [
        "/", "/?q=evil", "/?q=window", "/?q=pwned", f"/t/{thread}", f"/t/{thread}?q=script",
        "/a/" + quote(XSS_AUTHOR, safe=""), "/a/" + quote(XSS_COMMENTER, safe=""), "/d/evil.example",
        "/d/good.example.org", "/facets/author", "/facets/author?prefix=%3C", "/stats",
        "/?author=" + quote(XSS_AUTHOR, safe=""), "/?q=" + quote('"><script>window.__pwned=1</script>', safe=""),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == (400 if "pwned%3D1%3C" in path else 200), path  # an unclosed quote
        page = html(response)
        for payload in RAW_PAYLOADS:
            assert payload not in page, (path, payload)
        assert [] == unsafe_markup(page), path


def test_payloads_are_shown_as_text(client):
    thread = evil_thread_id(client)
    page = html(client.get(f"/t/{thread}"))
    assert "Evil &lt;script&gt;window.__pwned=1&lt;/script&gt; thread &#34;quotes&#34; &amp; ampersands" in page
    assert "&lt;b onmouseover=window.__pwned=1&gt;Mallory&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in page
    # the javascript: URL of the thread is named but never linked
    assert '<span class="unlinked">javascript:window.__pwned=1//https://evil.example/</span>' in page
    author_href = links(page, "/a/%3Cb")[0]
    assert client.get(author_href).status_code == 200


def test_snippets_pass_only_mark_through(client):
    from webui import marked

    assert str(marked('<mark>a</mark><script>x</script><mark onclick="y">b</mark>&lt;i&gt;')) == (
        "<mark>a</mark><mark>b</mark>&lt;i&gt;")
    page = html(client.get("/?q=script"))
    assert "&lt;<mark>script</mark>&gt;" in page


def test_api_json_and_exports_carry_the_payloads_as_data(client):
    thread = evil_thread_id(client)
    data = client.get(f"/api/threads/{thread}").get_json()
    assert data["thread"]["title"] == XSS_TITLE and data["thread"]["author"] == XSS_AUTHOR
    response = client.get("/api/search?q=evil")
    assert response.mimetype == "application/json"
    rows = list(csv.DictReader(io.StringIO(html(client.get("/export.csv?q=title:evil")))))
    assert {r["author"] for r in rows} == {XSS_AUTHOR, XSS_COMMENTER, "Trent"}
    feed = ET.fromstring(client.get("/feed.atom?q=title:evil").data)  # well-formed despite the payloads
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed.iter("{http://www.w3.org/2005/Atom}entry")]
    assert f"{XSS_AUTHOR} in {XSS_TITLE}" in titles


# -- the API ------------------------------------------------------------------------------------


def validate(openapi, name: str, instance) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": openapi["components"]}
    Draft202012Validator(schema).validate(instance)


def test_openapi_describes_every_api_route(app, openapi):
    assert openapi["openapi"].startswith("3.")
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") or rule.rule.startswith(("/export", "/feed"))}
    routes.discard("/api/openapi.json")
    assert routes == set(openapi["paths"])
    for schema in openapi["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("query", [
    {"q": "budget"}, {"q": "", "per_page": 2}, {"q": "budget", "group": "1"}, {"q": "quantz"},
    {"author": ["KT Chong", "Z"], "facet": ["author", "month", "kind"], "facet_size": 3},
    {"q": "domain:youtube.com", "sort": "oldest"}, {"q": "nothing-matches-this"},
])
def test_search_api_answers_match_the_openapi_schema(client, openapi, query):
    response = client.get("/api/search", query_string=query)
    assert response.status_code == 200
    validate(openapi, "SearchResult", response.get_json())


def test_search_api_is_the_core_json_and_pages_by_cursor(client, index_dir):
    from indexer.search import Archive

    api = client.get("/api/search", query_string={"q": "budget", "per_page": 2}).get_json()
    with Archive(index_dir) as archive:
        core = archive.search("budget", per_page=2)
    assert core == api
    following = client.get("/api/search", query_string={"q": "budget", "per_page": 2,
                                                          "cursor": api["next_cursor"]}).get_json()
    assert following["page"] is None and following["hits"][0]["id"] not in {h["id"] for h in api["hits"]}


def test_other_api_answers_match_the_openapi_schema(client, openapi):
    validate(openapi, "Thread", client.get(f"/api/threads/{BUDGET_THREAD}").get_json())
    validate(openapi, "Thread", client.get(f"/api/threads/{evil_thread_id(client)}").get_json())
    for name in ("Rosalind Achterberg", "KT Chong", XSS_AUTHOR):
        response = client.get("/api/authors/" + quote(name, safe=""))
        assert response.status_code == 200, name
        validate(openapi, "AuthorProfile", response.get_json())
    for domain in ("substack.com", "youtube.com", "evil.example"):
        validate(openapi, "DomainProfile", client.get(f"/api/domains/{domain}").get_json())
    stats = client.get("/api/stats").get_json()
    validate(openapi, "Stats", stats)
    assert "index" not in stats  # the server's folders stay private
    validate(openapi, "FacetValues", client.get("/api/facets/author?prefix=kt").get_json())
    validate(openapi, "Error", client.get("/api/threads/nope").get_json())
    validate(openapi, "Error", client.get("/api/search?q=(").get_json())


def test_exports_stream_every_hit_of_any_search(client):
    total = client.get("/api/search?q=has:link").get_json()["total"]
    response = client.get("/export.csv?q=has:link")
    assert response.is_streamed and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="agora-export.csv"'
    rows = list(csv.DictReader(io.StringIO(html(response))))
    assert len(rows) == total > 5  # more than a page
    assert all(r["links"] for r in rows)
    lines = html(client.get("/export.jsonl?q=has:link&sort=oldest")).splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == total and set(records[0]) >= {"id", "author", "date", "text", "links", "domains"}
    dated = [r["date"] for r in records if r["date"]]
    assert dated == sorted(dated)
    only = list(csv.DictReader(io.StringIO(html(client.get("/export.csv?author=KT+Chong&author=Z")))))
    assert {r["author"] for r in only} == {"KT Chong", "Z"} and len(only) == 6


def test_atom_feed_lists_a_search_newest_first(client):
    response = client.get("/feed.atom?q=budget")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = list(feed.iter(f"{atom}entry"))
    assert len(entries) == 5
    updated = [e.findtext(f"{atom}updated") for e in entries[:-1]]  # the last is the undated pingback
    assert updated == sorted(updated, reverse=True)
    link = entries[0].find(f"{atom}link").get("href")
    assert link.startswith("http://localhost/t/") and "#" in link
    assert feed.find(f"{atom}link[@rel='self']").get("href").startswith("http://localhost/feed.atom?q=budget")
    page = html(client.get("/?q=budget"))
    assert 'type="application/atom+xml"' in page


# -- state in the URL, charts, the live index -------------------------------------------------------


def test_search_state_round_trips_through_the_url():
    from werkzeug.datastructures import MultiDict

    from webui.state import SearchState

    args = MultiDict([("q", "budget"), ("author", "A"), ("author", "B"), ("year", "2023"), ("sort", "oldest"),
                      ("group", "1"), ("after", "2020"), ("page", "3"), ("cursor", "abc")])
    state = SearchState.from_args(args).with_page_size(20)
    again = SearchState.from_args(MultiDict([(k, str(v)) for k, vs in state.params(paging=True).items()
                                             for v in (vs if isinstance(vs, list) else [vs])])).with_page_size(20)
    assert state == again
    assert state.toggled("author", "A").selections == {"author": ("B",), "year": ("2023",)}
    assert state.toggled("author", "C").page == 1 and state.toggled("author", "C").cursor is None
    assert SearchState().effective_sort == "newest" and SearchState(q="x").effective_sort == "relevance"


def test_charts_fill_gaps_and_label_sparingly():
    from webui.charts import bar_chart, month_series, year_series

    assert [m["value"] for m in month_series([{"value": "2023-11", "count": 3}, {"value": "2024-02", "count": 1}])] == [
        "2023-11", "2023-12", "2024-01", "2024-02"]
    assert [y["count"] for y in year_series([{"value": "2018", "count": 2}, {"value": "2020", "count": 5}])] == [2, 0, 5]
    long = month_series([{"value": "2001-01", "count": 1}, {"value": "2024-12", "count": 1}])
    assert len(long) == 24 and long[0]["value"] == "2001"  # more than 20 years: whole years
    chart = bar_chart([{"value": "2024", "count": 4, "href": "/?year=2024"}, {"value": "2025", "count": 0}],
                      title="Posts per year")
    assert [b["h"] > 0 for b in chart["bars"]] == [True, False]
    assert chart["bars"][0]["tip"] == "2024: 4 posts"
    assert bar_chart([], title="nothing") is None


def test_a_new_index_generation_is_picked_up_without_a_restart(tmp_path):
    from indexer.reindex import reindex
    from webui import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURES / "plaintext" / "headers-and-signatures.txt", corpus / "night-bus.txt")
    reindex(corpus, tmp_path / "index", workers=1)
    client = create_app({"TESTING": True, "INDEX_DIR": tmp_path / "index"}).test_client()
    before = client.get("/api/stats").get_json()["documents"]
    shutil.copytree(PROJECT / "corpus" / "blog.example.org", corpus / "blog.example.org")
    reindex(corpus, tmp_path / "index", full=True, workers=1)  # a new generation
    after = client.get("/api/stats").get_json()["documents"]
    assert after == before + 10
    assert "open budget meetings" in html(client.get("/?q=budget"))
    shutil.copytree(PROJECT / "corpus" / "forum.example.net", corpus / "forum.example.net")
    reindex(corpus, tmp_path / "index", workers=1)  # incremental: the same generation, committed into
    assert client.get("/api/stats").get_json()["documents"] == after + 6


def test_serve_command_starts_waitress_on_the_index_and_prints_the_url(index_dir, monkeypatch):
    import waitress
    from click.testing import CliRunner

    from indexer.cli import cli

    started = {}

    class FakeServer:
        effective_port = 54321

        def run(self):
            started["ran"] = True

        def close(self):
            started["closed"] = True

    def create_server(app, **options):
        started.update(options, app=app)
        return FakeServer()

    monkeypatch.setattr(waitress, "create_server", create_server)
    result = CliRunner().invoke(cli, ["serve", "--index", str(index_dir), "--port", "0"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:54321/" in result.output
    assert started["host"] == "127.0.0.1" and started["port"] == 0 and started["ran"] and started["closed"]
    assert started["app"].config["INDEX_DIR"] == str(index_dir.resolve())
