"""The Discourse parser on hand-written fixtures, each named after the quirk it covers.

The fixtures use invented forums on invented hosts, so passing here shows the parser keys on
Discourse's JSON shapes and markup and not on the saved files in ../shared/realdata.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.parsers import PARSERS, parse_file, parse_source, parser_for
from indexer.parsers.base import ParseError, SourceFile
from indexer.parsers.discourse import DiscourseParser
from indexer.records import stable_id
from tests.conftest import FIXTURES, REALDATA, parents, require_shared

DISCOURSE = FIXTURES / "discourse"
PAGES = DISCOURSE / "two-pages-of-one-topic"
ALL_FIXTURES = sorted(p for p in DISCOURSE.rglob("*") if p.is_file())


def source_of(data: str | bytes, name: str = "topic.json") -> SourceFile:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return SourceFile(path=Path(name), relpath=name, data=raw)


def parse(path: Path):
    threads = parse_file(path)
    assert 1 == len(threads)
    return threads[0]



def native(post) -> str:
    return post.id.rsplit("-", 1)[1]


# -- recognising Discourse files ------------------------------------------------------------------


def test_platform_and_description():
    assert "discourse" == DiscourseParser.PLATFORM
    assert DiscourseParser.DESCRIPTION and "\n" not in DiscourseParser.DESCRIPTION
    assert DiscourseParser in PARSERS
    assert PARSERS.index(DiscourseParser) < [p.PLATFORM for p in PARSERS].index("plaintext")


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.relative_to(DISCOURSE).as_posix())
def test_every_fixture_is_claimed_by_discourse(path):
    assert DiscourseParser is parser_for(SourceFile.read(path))


def test_file_name_does_not_matter():
    data = (DISCOURSE / "reply-to-post-number.json").read_bytes()
    assert DiscourseParser.suitable(source_of(data, "wordpress-export.html"))
    other = b"<html><body><article><p>We moved our forum to Discourse last year.</p></article></body></html>"
    assert not DiscourseParser.suitable(source_of(other, "discourse-topic-12.html"))


def test_other_json_is_not_discourse():
    reddit = json.dumps([{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "x"}}]}}])
    assert not DiscourseParser.suitable(source_of(reddit))
    no_posts = json.dumps({"post_stream": {"stream": [1, 2]}, "id": 5})
    assert not DiscourseParser.suitable(source_of(no_posts))


def test_a_page_with_one_discourse_avatar_is_not_discourse():
    html = """<!DOCTYPE html><html><head><meta name="generator" content="WordPress 6.4"></head><body>
    <article><p>Cross-posted from our forum.</p>
    <img src="https://forum.example.org/user_avatar/forum.example.org/ann/48/1_2.png"></article></body></html>"""
    assert not DiscourseParser.suitable(source_of(html, "page.html"))


def test_an_rss_feed_of_another_platform_is_not_discourse():
    feed = """<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
    <title>Comments on: Bus lanes</title><item><dc:creator>Ann</dc:creator><guid isPermaLink="false">https://blog.example.org/?p=12#comment-3</guid>
    <description>Great post</description></item></channel></rss>"""
    assert not DiscourseParser.suitable(source_of(feed, "feed.rss"))


# -- topic JSON -----------------------------------------------------------------------------------


def test_reply_to_post_number_becomes_the_parent():
    thread = parse(DISCOURSE / "reply-to-post-number.json")
    assert {
        "platform": "discourse",
        "url": "https://forum.birdsong.example/t/dawn-chorus-recordings/42",
        "site": "forum.birdsong.example",
        "title": "Dawn chorus recordings",
        "author": "wren",
        "date": "2021-04-03T14:00:00Z",
        "declared_comments": 5,
        "not_loaded": 1,  # the stream names 6 posts, the file holds 5
        "captured": None,
        "continues": None,
        "continued_at": None,
    } == {k: v for k, v in thread.metadata().items() if k not in ("id", "source")}
    assert stable_id("discourse:forum.birdsong.example:42") == thread.id
    # the small action (post_type 3, "pinned") is a notice, not a post
    assert ["post", "comment", "comment", "comment"] == [p.kind for p in thread.posts]
    assert ["cn1", "cn2", "cn3", "cn4"] == [native(p) for p in thread.posts]  # post numbers, as the feed shows them
    assert [None, None, 1, 0] == parents(thread)
    assert ["wren", "robin", "wren", "finch"] == [p.author for p in thread.posts]
    assert [
        "2021-04-03T14:00:00Z",  # 10:00 at -04:00
        "2021-04-03T15:30:00Z",
        "2021-04-04T08:00:00Z",
        "2021-04-05T19:45:00Z",
    ] == [p.date for p in thread.posts]
    post, robin, reply, finch = thread.posts
    assert ["https://www.xeno-canto.org/123456"] == post.links
    assert "https://forum.birdsong.example/t/dawn-chorus-recordings/42/3" == reply.permalink
    assert "https://forum.birdsong.example/u/robin" == robin.author_url


def test_author_is_the_username_not_the_full_name():
    thread = parse(DISCOURSE / "reply-to-post-number.json")
    assert "Jenny Wren" not in [p.author for p in thread.posts]
    assert "wren" == thread.author


def test_quotes_mentions_oneboxes_and_pictures_in_cooked():
    thread = parse(DISCOURSE / "quote-in-cooked.json")
    post, reply = thread.posts
    # the forum's address comes from an internal link the JSON lists
    assert ("https://fishing.example.net/t/braided-line-knots/310", "fishing.example.net") == (thread.url, thread.site)
    assert "Which knot do you use for braided line? See knot basics and Palomar Knot | How to tie." == post.text
    # a relative link to another topic is resolved; the full-size picture is no link the author wrote
    assert ["https://fishing.example.net/t/knot-basics/7", "https://www.animatedknots.com/palomar-knot"] == post.links
    assert (
        "pike:\n\n"
        "> Which knot do you use for braided line?\n"
        "> > an older quote inside\n\n"
        "The FG knot, as @pike knows. Tagged #tackle.\n\n"
        "https://www.youtube.com/watch?v=abcdEFGH123\n\n"
        "Questions about knots welcome"
    ) == reply.text
    # the mention, the hashtag and the quote header are not links; the onebox is its one link
    assert ["https://www.youtube.com/watch?v=abcdEFGH123"] == reply.links
    assert ["youtube.com"] == reply.domains
    assert post.id == reply.parent_id


def test_email_address_in_a_post_is_hidden():
    data = json.loads((DISCOURSE / "quote-in-cooked.json").read_text())
    address = "carp.diem" + "@" + "mail.example.org"
    data["post_stream"]["posts"][1]["cooked"] = f"<p>Write to {address} or <a href='mailto:{address}'>me</a></p>"
    (thread,) = DiscourseParser().parse(source_of(json.dumps(data)))
    assert "Write to [address hidden] or me" == thread.posts[1].text
    assert [] == thread.posts[1].links


def test_deleted_and_hidden_posts():
    thread = parse(DISCOURSE / "deleted-and-hidden-posts.json")
    assert ["post", "deleted", "deleted", "comment"] == [p.kind for p in thread.posts]
    assert ["moth", "spammy", "lepidoptera", "moth"] == [p.author for p in thread.posts]
    # nothing in the file names the forum: no URL, no site, a thread key made of the topic's id and slug
    assert (None, None) == (thread.url, thread.site)
    assert stable_id("discourse:?:12:garden-moths") == thread.id
    assert 1 == len(thread.comments)


# -- pages of one topic -------------------------------------------------------------------------------


def test_two_pages_of_one_topic_share_the_thread():
    first = parse(PAGES / "posts-page-1.json")
    second = parse(PAGES / "posts-page-2.json")
    assert first.id == second.id == stable_id("discourse:talk.sourdough.example:77")
    assert not {p.id for p in first.posts} & {p.id for p in second.posts}
    assert ["post", "comment", "comment"] == [p.kind for p in first.posts]
    # page 2 lists its posts newest first; the thread is in post-number order
    assert ["cn4", "cn5", "cn6"] == [native(p) for p in second.posts]
    assert ["olu", "kimbakes", "Marta"] == [p.author for p in second.posts]
    # post 4 answers post 3, which is on the other page: no parent; posts 5 and 6 answer posts on this page
    assert [None, 0, 1] == parents(second)
    assert [None, 0, 1] == parents(first)
    assert (5, 5, 3, 2) == (first.declared_comments, second.declared_comments, first.not_loaded, second.not_loaded)
    assert "https://talk.sourdough.example/t/starter-log/77/6" == second.posts[2].permalink


def test_a_page_naming_no_host_takes_the_forum_from_its_folder(tmp_path):
    """A captured posts.json page with letter avatars only: the folder named like the host gives the forum."""
    data = (PAGES / "posts-page-2.json").read_text().replace("/user_avatar/talk.sourdough.example/", "/letter_avatar/")
    folder = tmp_path / "talk.sourdough.example"
    folder.mkdir()
    (folder / "posts.json").write_text(data)
    (thread,) = parse_file(folder / "posts.json", tmp_path)
    assert parse(PAGES / "posts-page-1.json").id == thread.id
    assert "https://talk.sourdough.example/t/starter-log/77/6" == thread.posts[2].permalink


def test_www_or_not_is_one_forum():
    data = json.loads((DISCOURSE / "quote-in-cooked.json").read_text())
    for post in data["post_stream"]["posts"]:
        for link in post.get("link_counts", []):
            link["url"] = link["url"].replace("//fishing.", "//www.fishing.")
    (thread,) = DiscourseParser().parse(source_of(json.dumps(data)))
    assert parse(DISCOURSE / "quote-in-cooked.json").id == thread.id
    assert "fishing.example.net" == thread.site


def test_latest_posts_make_one_thread_per_topic():
    threads = parse_file(DISCOURSE / "latest-posts.json")
    assert ["Starter log", "Rye bread recipes & tips"] == [t.title for t in threads]
    starter, rye = threads
    assert parse(PAGES / "posts-page-1.json").id == starter.id
    assert stable_id("discourse:talk.sourdough.example:80") == rye.id
    assert [("comment", "Marta", None)] == [(p.kind, p.author, p.parent_id) for p in starter.posts]
    assert ["post", "comment"] == [p.kind for p in rye.posts]
    assert ["olu", "kimbakes"] == [p.author for p in rye.posts]
    assert [None, 0] == parents(rye)
    assert ["https://www.kingarthurbaking.com/recipes/rye"] == rye.posts[1].links
    assert "https://talk.sourdough.example/t/rye-bread-recipes/80" == rye.url


def test_topic_feed_is_put_in_post_order_and_joins_the_json_thread():
    thread = parse(DISCOURSE / "topic-feed-newest-first.rss")
    assert parse(PAGES / "posts-page-2.json").id == thread.id
    assert ("Starter log", "https://talk.sourdough.example/t/starter-log/77") == (thread.title, thread.url)
    assert ["kimbakes", "Marta", "Marta"] == [p.author for p in thread.posts]
    assert ["cn5", "cn6", "cn7"] == [native(p) for p in thread.posts]  # the feed gives post numbers, no post ids
    assert ["2022-02-02T18:00:00Z", "2022-02-03T07:30:00Z", "2022-02-04T07:00:00Z"] == [p.date for p in thread.posts]
    assert ["comment"] * 3 == [p.kind for p in thread.posts]
    # "Read full topic" is the feed's footer, not the post
    assert "kimbakes:\n\n> Keep it warm\n\nDay three: it doubled." == thread.posts[1].text
    assert ["https://www.theperfectloaf.com/beginners-sourdough-bread/"] == thread.posts[2].links
    assert "https://talk.sourdough.example/t/starter-log/77/7" == thread.posts[2].permalink


# -- saved pages -----------------------------------------------------------------------------------


def test_saved_page_with_a_damaged_preload_is_read_from_the_crawler_view():
    thread = parse(DISCOURSE / "crawler-view-damaged-preload.html")
    assert ("Tuning a 1978 synth", "https://patchbay.example.org/t/tuning-a-1978-synth/1500") == (
        thread.title, thread.url)
    assert stable_id("discourse:patchbay.example.org:1500") == thread.id
    post, reply = thread.posts
    # "vco_val (Valerie Okafor)": the username is the author
    assert [("post", "vco_val"), ("comment", "solderjoe")] == [(p.kind, p.author) for p in thread.posts]
    # the first post's date is when it was written, not when it was last edited
    assert ["2020-06-01T18:20:00Z", "2020-06-01T19:02:00Z"] == [p.date for p in thread.posts]
    assert ["https://www.synthmanuals.example.com/sm-1978.pdf"] == post.links
    assert (
        "vco_val:\n\n> The oscillators drift after ten minutes.\n\n"
        "Replace the tantalum caps first, @vco_val. See the cap guide."
    ) == reply.text
    assert ["https://patchbay.example.org/t/cap-replacement-guide/88"] == reply.links
    assert "https://patchbay.example.org/u/solderjoe" == reply.author_url


def test_saved_page_prefers_the_preloaded_topic():
    thread = parse(DISCOURSE / "preloaded-topic-page.html")
    assert "https://patchbay.example.org/t/midi-for-old-synths/1501" == thread.url
    assert stable_id("discourse:patchbay.example.org:1501") == thread.id
    # the preloaded JSON gives post ids and reply_to_post_number, the crawler view neither
    assert ["cn1", "cn2", "cn3"] == [native(p) for p in thread.posts]
    assert [None, 0, 1] == parents(thread)
    assert ["vco_val", "solderjoe", "vco_val"] == [p.author for p in thread.posts]
    assert (2, 0) == (thread.declared_comments, thread.not_loaded)


def test_registry_reports_a_discourse_page_without_posts():
    html = """<!DOCTYPE html><html><head><meta name="generator" content="Discourse 3.2.0 - https://github.com/discourse/discourse">
    </head><body><noscript><p>Categories</p></noscript></body></html>"""
    with pytest.raises(ParseError, match="discourse: no posts on the page"):
        parse_source(source_of(html, "latest.html"))


# -- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.relative_to(DISCOURSE).as_posix())
def test_any_cut_of_a_file_parses_or_fails_with_parse_error(path):
    data = path.read_bytes()
    for end in range(1, len(data), max(len(data) // 60, 7)):
        source = source_of(data[:end], path.name)
        try:
            threads = DiscourseParser().parse(source)
        except ParseError as exc:
            assert path.name == exc.path
            continue
        for thread in threads:
            assert all(p.kind in ("post", "comment", "deleted") for p in thread.posts)


@pytest.mark.parametrize(
    "data",
    [
        '{"post_stream": {"posts": [{"post_number": 1, "cooked": "<p>x</p>"}',  # truncated
        '{"post_stream": [], "cooked": "", "post_number": 1}',
        '{"post_stream": {"posts": "none"}, "cooked": "", "post_number": 1}',
        '{"post_stream": {"posts": [1, 2, 3]}, "cooked": "", "post_number": 1}',
        '{"latest_posts": {"post_number": 1, "cooked": ""}}',
        '{"post_stream": {"posts": []}, "id": 4, "post_number": 1, "cooked": ""}',
        '[{"post_stream": {"posts": []}, "post_number": 1, "cooked": ""}]',
        '{"post_stream": {"posts": [{"post_number": "1", "cooked": 5, "created_at": [], "id": {}}]}}',
    ],
    ids=["truncated", "stream-is-list", "posts-is-string", "posts-are-numbers", "latest-is-object", "no-posts",
         "top-level-list", "wrong-field-types"],
)
def test_bad_json_raises_only_parse_error(data):
    try:
        threads = DiscourseParser().parse(source_of(data))
    except ParseError as exc:
        assert "topic.json" == exc.path
    else:
        assert threads


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><dc:creator>a',
        b'<rss><guid>x.example-post-1-2</guid><dc:creator>',
        b"<html><head><meta name='generator' content='Discourse 2.0'></head><body>" + b"<div>" * 3000,
        b"<html><meta name='generator' content='Discourse 2.0'>\x00\xff\xfe<div data-preloaded='{\"topic_1\":\"{'>",
    ],
    ids=["truncated-feed", "feed-without-channel", "deep-nesting", "garbage-preload"],
)
def test_bad_markup_raises_only_parse_error(data):
    try:
        threads = DiscourseParser().parse(source_of(data, "page.html"))
    except ParseError as exc:
        assert "page.html" == exc.path
    else:
        assert threads


# -- the real saved files ---------------------------------------------------------------------------


def test_real_pages_and_feed_of_one_topic_share_a_thread():
    names = ["criticalfallibilism-t2108-posts-page1.json", "criticalfallibilism-t2108-posts-post_number-41.json",
             "criticalfallibilism-t2108-topic-feed.rss"]
    threads = [parse_file(require_shared(REALDATA / "discourse" / name), REALDATA)[0] for name in names]
    assert 1 == len({t.id for t in threads})
    ids = [{p.id for p in t.posts} for t in threads]
    assert not ids[0] & ids[1] and not ids[0] & ids[2] and not ids[1] & ids[2]
    latest = parse_file(require_shared(REALDATA / "discourse" / "criticalfallibilism-latest-posts.json"), REALDATA)
    assert threads[0].id in {t.id for t in latest}
