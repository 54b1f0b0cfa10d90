"""`agora save`: capturing live threads from a local HTTP server that serves real saved pages.

No test touches the internet: every page comes from http.server on 127.0.0.1, the unreachable
host is a closed local port and the unresolvable one is under ``.invalid``.
"""

from __future__ import annotations

import copy
import gzip
import html
import json
import os
import socket
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from indexer.capture import CaptureError, capture, decode_body, file_name
from indexer.cli import cli
from indexer.parsers import PARSERS, parse_file
from indexer.search import Archive
from tests.conftest import REALDATA, require_shared

PLATFORMS = [p.PLATFORM for p in PARSERS]
TOPIC_JSON = REALDATA / "discourse" / "perceval-discourse-mozilla-ublock-topic-1148.json"
HN_SMALL = REALDATA / "hackernews" / "hn-item-larry-page-future-small.html"
HN_HIRING = [REALDATA / "hackernews" / f"hn-item-who-is-hiring-jan-2012-{part}.html"
             for part in ("page1", "page2-more", "page3-last")]
WORDPRESS = REALDATA / "wordpress" / "dragnet-models-testing-wp-45-comments.html"
NOW = datetime(2026, 11, 29, 15, 30, tzinfo=timezone.utc)
STAMP = "20261129T153000Z"

CRAWLER_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Support uBlock Origin - Mozilla Discourse</title>
<meta name="generator" content="Discourse 3.2.0 - https://github.com/discourse/discourse version 0123456789abcdef">
<link rel="canonical" href="https://discourse.mozilla-community.org/t/support-ublock-origin/1148" />
</head><body>
<div id="main-outlet" class="wrap">
<h1 class="crawler-topic-title"><a href="/t/support-ublock-origin/1148">Support uBlock Origin</a></h1>
<div itemscope itemtype='http://schema.org/DiscussionForumPosting' class='topic-body crawler-post'>
  <div class='crawler-post-meta'>
    <span class="creator" itemprop="author" itemscope itemtype="http://schema.org/Person">
      <a itemprop="url" href='/u/gorhill'><span itemprop='name'>gorhill</span></a></span>
    <span class="crawler-post-infos">
      <time itemprop='datePublished' datetime='2016-01-26T20:07:49Z' class='post-time'>January 26, 2016</time>
      <span itemprop='position'>#1</span></span>
  </div>
  <div class='post' itemprop='articleBody'><p>Please read <a href="https://example.org/elsewhere">the wiki</a>.</p></div>
</div>
</div></body></html>
"""
NOT_A_DISCUSSION = b"""<!DOCTYPE html><html><head><title>About us</title></head>
<body><h1>About us</h1><p>We make <a href="/t/1/2">widgets</a>. See <a href="/item?id=1">our items</a>.</p></body></html>
"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.requests.append((self.path, dict(self.headers)))
        route = self.server.routes.get(self.path) or self.server.routes.get(urlsplit(self.path).path)
        status, headers, body = route(self) if callable(route) else route or (404, {}, b"no such page")
        if status is None:  # the route answered by itself
            return
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


def _html(data: bytes) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "text/html; charset=utf-8"}, data


def _json(data) -> tuple[int, dict, bytes]:
    body = data if isinstance(data, bytes) else json.dumps(data).encode("utf-8")
    return 200, {"Content-Type": "application/json"}, body


def _redirect(location: str, status: int = 302) -> tuple[int, dict, bytes]:
    return status, {"Location": location}, b""


def _topic() -> dict:
    """The topic as a live forum serves it: 20 posts loaded, the stream listing all 22 post ids.

    The saved copy was anonymised (its stream reads 1…22, not the posts' ids), so the stream is
    rebuilt: the loaded posts' ids, then two later ones.
    """
    topic = json.loads(TOPIC_JSON.read_text(encoding="utf-8"))
    loaded = [p["id"] for p in topic["post_stream"]["posts"]]
    topic["post_stream"]["stream"] = loaded + [30001, 30002]
    return topic


def _posts_page(handler) -> tuple[int, dict, bytes]:
    """/t/1148/posts.json?post_ids[]=…: the posts the topic's first chunk left out, made from its last post."""
    topic = _topic()
    last = topic["post_stream"]["posts"][-1]
    wanted = [int(i) for i in parse_qs(urlsplit(handler.path).query).get("post_ids[]", [])]
    posts = []
    for offset, post_id in enumerate(wanted, start=1):
        post = copy.deepcopy(last)
        user = f"late_poster_{offset}"
        # a live forum's avatar paths name its host, as the saved topic's links do
        post.update(id=post_id, post_number=last["post_number"] + offset, username=user,
                    avatar_template=f"/user_avatar/discourse.mozilla-community.org/{user}/{{size}}/1_2.png",
                    cooked=f"<p>A late reply number {offset} about filter lists.</p>", reply_to_post_number=None)
        posts.append(post)
    return _json({"post_stream": {"posts": posts}, "id": 1148})


def _preloaded_page() -> bytes:
    preloaded = html.escape(json.dumps({"topic_1148": json.dumps(_topic())}), quote=True)
    return CRAWLER_PAGE.replace("<body>", f'<body><div class="hidden" id="data-preloaded" '
                                          f'data-preloaded="{preloaded}"></div>').encode("utf-8")


def _slow(handler) -> tuple[None, None, None]:
    time.sleep(1.5)
    return 200, {}, b"<html><body>late</body></html>"


def _endless(handler) -> tuple[None, None, None]:
    """A page with no Content-Length that goes on past the capture limit."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.end_headers()
    block = b"<p>" + b"x" * 65536 + b"</p>\n"
    try:
        for _ in range(400):  # 26 MB, past the 20 MB default
            handler.wfile.write(block)
    except (BrokenPipeError, ConnectionResetError):
        pass
    return None, None, None


@pytest.fixture(scope="module")
def server():
    for path in (TOPIC_JSON, HN_SMALL, WORDPRESS, *HN_HIRING):
        require_shared(path)
    routes = {
        "/t/support-ublock-origin/1148": _html(CRAWLER_PAGE.encode("utf-8")),
        "/t/preloaded/1148": _html(_preloaded_page()),
        "/t/1148.json": _json(_topic()),
        "/t/1148/posts.json": _posts_page,
        "/private/t/some-topic/1148": _html(CRAWLER_PAGE.encode("utf-8")),
        "/private/t/1148.json": (403, {}, b"login required"),
        "/item?id=5002483": _html(HN_SMALL.read_bytes()),
        "/item?id=3412900": _html(HN_HIRING[0].read_bytes()),
        "/x?fnid=L4Utx2mqoS": _html(HN_HIRING[1].read_bytes()),
        "/x?fnid=ym6dUtJLfm": _html(HN_HIRING[2].read_bytes()),
        "/2008/05/breathtaking-movies-photos/": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
                                                 gzip.compress(WORDPRESS.read_bytes())),
        "/old-address": _redirect("/2008/05/breathtaking-movies-photos/", 301),
        "/about": _html(NOT_A_DISCUSSION),
        "/empty": _html(b""),
        "/to-file": _redirect("file:///etc/passwd"),
        "/to-ftp": _redirect("ftp://127.0.0.1/pub/thread.html", 301),
        "/gone": (410, {}, b"gone"),
        "/broken": (500, {}, b"oops"),
        "/huge-declared": (200, {"Content-Length": str(10**9)}, b""),
        "/endless": _endless,
        "/bomb": (200, {"Content-Encoding": "gzip"}, gzip.compress(b"\0" * 25_000_000)),
        "/slow": _slow,
    }
    for hop in range(7):
        routes[f"/hop/{hop}"] = _redirect(f"/hop/{hop + 1}")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.routes, httpd.requests = routes, []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def base(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def save(*args):
    return CliRunner().invoke(cli, ["save", *[str(a) for a in args]])


def stored(corpus) -> list[str]:
    return sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())


def thread_of(path) -> tuple[str, int]:
    (thread,) = parse_file(path)
    return thread.id, len(thread.posts)


def requested(server, start: int) -> list[str]:
    return [path for path, _ in server.requests[start:]]


# -- capturing ---------------------------------------------------------------------------------------


def test_save_a_hacker_news_item_stores_it_under_its_site_and_indexes_it(server, tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    start = len(server.requests)
    result = save(f"{base(server)}/item?id=5002483", "--corpus", corpus, "--index", index)
    assert result.exit_code == 0, result.output
    thread_id, posts = thread_of(HN_SMALL)
    assert f"Saved 1 file of 127.0.0.1 under {corpus.as_posix()}/127.0.0.1/ and indexed {posts} posts.\n" == result.output
    (name,) = stored(corpus)
    assert name.startswith("127.0.0.1/item-id-5002483-") and name.endswith("Z.html")
    # the page links other items and users: none of them is fetched
    assert ["/item?id=5002483"] == requested(server, start)
    headers = server.requests[start][1]
    assert headers["User-Agent"].startswith("Agora/") and "(+archiving a discussion thread for personal search)" in (
        headers["User-Agent"])
    with Archive(index) as archive:
        found = archive.thread(thread_id)
    assert found is not None and posts == len(found["posts"])
    assert "hackernews" == found["thread"]["platform"]


def test_hacker_news_more_pages_are_followed_on_the_same_host_up_to_the_cap(server, tmp_path):
    if "hackernews" not in PLATFORMS:
        pytest.skip("the hackernews parser is not registered yet")
    corpus = tmp_path / "corpus"
    start = len(server.requests)
    result = capture(f"{base(server)}/item?id=3412900", corpus, now=NOW)
    assert ["/item?id=3412900", "/x?fnid=L4Utx2mqoS", "/x?fnid=ym6dUtJLfm"] == requested(server, start)
    assert [f"127.0.0.1/item-id-3412900-{STAMP}.html", f"127.0.0.1/x-fnid-L4Utx2mqoS-{STAMP}.html",
            f"127.0.0.1/x-fnid-ym6dUtJLfm-{STAMP}.html"] == [p.relative_to(corpus).as_posix() for p in result.files]
    assert [] == result.notes
    capped = capture(f"{base(server)}/item?id=3412900", tmp_path / "capped", now=NOW, max_pages=2)
    assert 2 == len(capped.files)
    assert ["further comment pages were not fetched: at most 2 files are saved per thread (max_capture_pages)"] == (
        capped.notes)


def test_save_a_wordpress_post_decodes_gzip_and_follows_a_redirect(server, tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    start = len(server.requests)
    result = save(f"{base(server)}/old-address", "--corpus", corpus, "--index", index)
    assert result.exit_code == 0, result.output
    assert ["/old-address", "/2008/05/breathtaking-movies-photos/"] == requested(server, start)
    assert "gzip, deflate" == server.requests[start][1]["Accept-Encoding"]
    (name,) = stored(corpus)
    assert name.startswith("127.0.0.1/2008-05-breathtaking-movies-photos-")
    # stored decoded, byte for byte what the site sent
    assert WORDPRESS.read_bytes() == (corpus / name).read_bytes()
    thread_id, posts = thread_of(WORDPRESS)
    assert f"and indexed {posts} posts.\n" in result.output
    with Archive(index) as archive:
        assert posts == len(archive.thread(thread_id)["posts"])


def test_save_a_discourse_topic_fetches_its_json_and_the_posts_past_the_first_chunk(server, tmp_path):
    if "discourse" not in PLATFORMS:
        pytest.skip("the discourse parser is not registered yet")
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    start = len(server.requests)
    result = save(f"{base(server)}/t/support-ublock-origin/1148", "--corpus", corpus, "--index", index)
    assert result.exit_code == 0, result.output
    topic = _topic()
    loaded = {p["id"] for p in topic["post_stream"]["posts"]}
    missing = [i for i in topic["post_stream"]["stream"] if i not in loaded]
    assert 2 == len(missing)
    paths = requested(server, start)
    assert ["/t/support-ublock-origin/1148", "/t/1148.json"] == paths[:2]
    assert 3 == len(paths) and paths[2].startswith("/t/1148/posts.json?post_ids%5B%5D=")
    assert "application/json" == server.requests[start + 1][1]["Accept"]
    # the crawler view and the JSON both know posts by their numbers: the page is kept beside
    # the JSON and each post is indexed once
    names = stored(corpus)
    assert 3 == len(names) and sum(n.endswith(".json") for n in names) == 2
    assert f"127.0.0.1/t-1148-{names[0].rsplit('-', 1)[1]}" == names[0]
    assert "Saved 3 files of 127.0.0.1 under" in result.output
    assert "note: the page itself was not kept" not in result.stderr
    (thread_id, posts) = thread_of(TOPIC_JSON)
    with Archive(index) as archive:
        found = archive.thread(thread_id)
    assert posts + 2 == len(found["posts"])
    assert {"late_poster_1", "late_poster_2"} <= {p["author"] for p in found["posts"]}
    assert f"and indexed {posts + 2} posts.\n" in result.stdout


def test_a_discourse_page_with_its_preloaded_topic_is_kept_beside_the_json(server, tmp_path):
    if "discourse" not in PLATFORMS:
        pytest.skip("the discourse parser is not registered yet")
    result = capture(f"{base(server)}/t/preloaded/1148", tmp_path / "corpus", now=NOW)
    assert [f"t-preloaded-1148-{STAMP}.html", f"t-1148-{STAMP}.json"] == [p.name for p in result.files][:2]
    assert 3 == len(result.files) and [] == result.notes
    # the same posts under the same ids: counted once
    assert len(_topic()["post_stream"]["stream"]) == result.posts


def test_a_missing_topic_json_keeps_the_page_and_says_so(server, tmp_path):
    if "discourse" not in PLATFORMS:
        pytest.skip("the discourse parser is not registered yet")
    # a forum under /private/ whose topic JSON is behind a login
    result = capture(f"{base(server)}/private/t/some-topic/1148", tmp_path / "corpus", now=NOW)
    assert [f"private-t-some-topic-1148-{STAMP}.html"] == [p.name for p in result.files]
    assert [f"not saved: {base(server)}/private/t/1148.json (the page answered 403 Forbidden)"] == result.notes


def test_files_carry_the_capture_time_in_name_and_mtime_and_never_overwrite(server, tmp_path):
    corpus = tmp_path / "corpus"
    first = capture(f"{base(server)}/item?id=5002483", corpus, now=NOW)
    second = capture(f"{base(server)}/item?id=5002483", corpus, now=NOW)
    assert f"item-id-5002483-{STAMP}.html" == first.files[0].name
    assert f"item-id-5002483-{STAMP}-2.html" == second.files[0].name
    assert NOW.timestamp() == os.stat(first.files[0]).st_mtime
    assert not [p for p in (corpus / "127.0.0.1").iterdir() if p.name.startswith(".")]


def test_save_without_indexing_leaves_the_index_alone(server, tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    result = save(f"{base(server)}/item?id=5002483", "--corpus", corpus, "--index", index, "--no-index")
    assert result.exit_code == 0, result.output
    assert (f"Saved 1 file of 127.0.0.1 under {corpus.as_posix()}/127.0.0.1/; `agora reindex` indexes them.\n"
            == result.output)
    assert not index.exists()


# -- failures: one line, non-zero exit, nothing stored ------------------------------------------------


@pytest.mark.parametrize(("path", "message"), [
    ("/missing", "the page answered 404 Not Found; check the URL"),
    ("/gone", "the page answered 410 Gone; the page was removed; look for a copy in the Wayback Machine"),
    ("/broken", "the page answered 500 Internal Server Error; the site has a problem; try again later"),
    ("/about", "{url} is not a discussion page Agora can read (no parser recognises its content); nothing was "
               "saved; if its comments load by script, save the page from your browser into the corpus"),
    ("/empty", "{url} is not a discussion page Agora can read (the answer is empty); nothing was saved; "
               "if its comments load by script, save the page from your browser into the corpus"),
    ("/to-file", "the page redirected to file:///etc/passwd, which is not an http(s) address; Agora follows only "
                 "http(s) redirects; open the URL in a browser to see where it leads"),
    ("/to-ftp", "the page redirected to ftp://127.0.0.1/pub/thread.html, which is not an http(s) address; Agora "
                "follows only http(s) redirects; open the URL in a browser to see where it leads"),
    ("/hop/0", "the page redirected more than 5 times; check the URL, or open it in a browser to see where it leads"),
    ("/huge-declared", "the page is larger than the 20,000,000-byte capture limit (max_capture_bytes); "
                       "save it from your browser into the corpus instead"),
    ("/endless", "the page is larger than the 20,000,000-byte capture limit (max_capture_bytes); "
                 "save it from your browser into the corpus instead"),
    ("/bomb", "the page is larger than the 20,000,000-byte capture limit (max_capture_bytes); "
              "save it from your browser into the corpus instead"),
])
def test_a_failed_capture_is_one_line_and_stores_nothing(server, tmp_path, path, message):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    url = f"{base(server)}{path}"
    result = save(url, "--corpus", corpus, "--index", index)
    assert result.exit_code == 1
    assert [f"Error: {message.format(url=url)}"] == result.output.splitlines()
    assert [] == (stored(corpus) if corpus.exists() else [])
    assert not index.exists()


def test_a_closed_port_is_a_refused_connection(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = save(f"http://127.0.0.1:{port}/t/some-topic/1148", "--corpus", tmp_path / "corpus")
    assert result.exit_code == 1
    assert [f"Error: cannot connect to 127.0.0.1:{port}: connection refused; check the address, or try again "
            "later if the site is down"] == result.output.splitlines()


def test_an_unresolvable_host_says_so(tmp_path):
    result = save("https://no-such-host.invalid/item?id=1", "--corpus", tmp_path / "corpus")
    assert result.exit_code == 1
    assert ["Error: cannot resolve host no-such-host.invalid: check the address or your connection"] == (
        result.output.splitlines())


@pytest.mark.parametrize("url", ["ftp://example.org/thread", "file:///etc/passwd", "mailto:someone@example.org"])
def test_only_http_addresses_are_taken(url, tmp_path):
    result = save(url, "--corpus", tmp_path / "corpus")
    assert result.exit_code == 1
    (line,) = result.output.splitlines()
    assert line.startswith("Error: not ") and "give the thread's address" in line


def test_a_site_that_does_not_answer_in_time_is_a_timeout(server, tmp_path):
    with pytest.raises(CaptureError) as failed:
        capture(f"{base(server)}/slow", tmp_path / "corpus", read_timeout=0.3)
    assert "127.0.0.1 did not answer within 0.3 s; try again later or check your connection" == str(failed.value)
    assert not (tmp_path / "corpus").exists()


# -- pieces -------------------------------------------------------------------------------------------


def test_file_names_come_from_the_url_path_and_the_capture_time():
    page, data = b"<html><body></body></html>", b'{"post_stream": {}}'
    assert f"t-some-topic-12483-{STAMP}.html" == file_name("https://meta.discourse.org/t/some-topic/12483", STAMP, page)
    assert f"t-12483-{STAMP}.json" == file_name("https://meta.discourse.org/t/12483.json", STAMP, data)
    assert f"item-id-5002483-p-2-{STAMP}.html" == file_name("https://news.ycombinator.com/item?id=5002483&p=2",
                                                           STAMP, page)
    assert f"index-{STAMP}.html" == file_name("https://example.org/", STAMP, page)
    long = file_name("https://x.org/t/1/posts.json?" + "&".join(f"post_ids[]={i}" for i in range(100, 140)), STAMP, data)
    assert len(long) < 110 and long.startswith("t-1-posts-post_ids-100-")


def test_deflate_raw_and_wrapped_and_gzip_members_decode():
    import zlib

    text = b"<html>" + b"comment " * 1000 + b"</html>"
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert text == decode_body(raw.compress(text) + raw.flush(), "deflate", 10**6)
    assert text == decode_body(zlib.compress(text), "deflate", 10**6)
    assert text + text == decode_body(gzip.compress(text) + gzip.compress(text), "gzip", 10**6)
    with pytest.raises(CaptureError, match="larger than the 100-byte capture limit"):
        decode_body(gzip.compress(text), "gzip", 100)
