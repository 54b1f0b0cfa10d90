"""The Reddit parser on hand-written fixtures, each named after the quirk it covers.

The fixtures use invented subreddits, users and ids, so passing here shows the parser keys on
the shapes of Reddit's JSON and markup and not on the saved threads in ../shared/realdata.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.parsers import PARSERS, parse_file, parser_for
from indexer.parsers.base import ParseError, SourceFile
from indexer.parsers.generic import GenericHtmlParser
from indexer.parsers.plaintext import PlainTextParser
from indexer.parsers.reddit import RedditParser
from tests.conftest import FIXTURES, REALDATA, parents, require_shared

REDDIT = FIXTURES / "reddit"
THREAD = "https://www.reddit.com/r/urbanbirding/comments/1a2b3c/peregrines_nesting_on_the_old_grain_silo/"


def source_of(data: str | bytes, name: str = "thread.json") -> SourceFile:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return SourceFile(path=Path(name), relpath=name, data=raw)


def parse(name: str):
    threads = parse_file(REDDIT / name)
    assert 1 == len(threads)
    return threads[0]



# -- recognising Reddit files -----------------------------------------------------------------------


def test_platform_description_and_place_in_the_registry():
    assert "reddit" == RedditParser.PLATFORM
    assert RedditParser.DESCRIPTION and "\n" not in RedditParser.DESCRIPTION
    order = list(PARSERS)
    assert order.index(RedditParser) < order.index(PlainTextParser) < order.index(GenericHtmlParser)


@pytest.mark.parametrize("name", sorted(p.name for p in REDDIT.iterdir()))
def test_every_fixture_is_claimed_by_reddit(name):
    assert RedditParser is parser_for(SourceFile.read(REDDIT / name))


@pytest.mark.parametrize(
    "path", sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.parent.name != "reddit"), ids=str
)
def test_other_platforms_fixtures_are_not_claimed(path):
    assert not RedditParser.suitable(SourceFile.read(path))


def test_recognised_by_shape_not_by_name():
    data = (REDDIT / "link-post.json").read_bytes()
    assert RedditParser.suitable(source_of(data, "saved.txt"))
    assert not RedditParser.suitable(source_of(b'{"kind": "Deployment", "items": []}', "listing.json"))
    assert not RedditParser.suitable(source_of("<html><body><p>reddit.com/r/books is great</p></body></html>"))


# -- the comments endpoint ------------------------------------------------------------------------


def test_nested_replies_and_more_stubs():
    thread = parse("nested-replies-with-more-stub.json")
    assert ("reddit", "reddit.com", THREAD) == (thread.platform, thread.site, thread.url)
    assert ("Peregrines nesting on the old grain silo", "kestrel_kate", "2024-01-01T12:00:00Z") == (
        thread.title, thread.author, thread.date)
    assert ["post", "comment", "comment", "comment", "comment"] == [p.kind for p in thread.posts]
    assert ["kestrel_kate", "owl_at_noon", "kestrel_kate", "owl_at_noon", "SiloWatcher"] == [
        p.author for p in thread.posts]
    assert [None, None, 1, 2, None] == parents(thread)
    assert [
        "2024-01-01T12:00:00Z", "2024-01-01T13:00:00Z", "2024-01-01T14:00:00Z", "2024-01-01T15:00:00Z",
        "2024-01-01T16:00:00Z",
    ] == [p.date for p in thread.posts]
    # the stubs are not comments: 5 (count) + 1 ("continue this thread") + 7 (count) comments not in the file
    assert 17 == thread.declared_comments
    assert 13 == thread.not_loaded
    assert 4 == len(thread.comments)


def test_bodies_links_and_permalinks():
    post, first, reply, quote, last = parse("nested-replies-with-more-stub.json").posts
    assert "Spotted two adults today.\n\n> they came back every spring\n\nLive cam: https://silocam.example.org/live" \
        == post.text
    assert ["https://silocam.example.org/live"] == post.links
    assert THREAD == post.permalink
    # r/birding and u/kestrel_kate are Reddit's own mention links, not links the commenter wrote
    assert "Great spot! See r/birding and u/kestrel_kate's older post.\n\nAlso this guide." == first.text
    assert ["https://www.audubon.org/peregrine"] == first.links
    assert ["audubon.org"] == first.domains
    assert f"{THREAD}k1aaaa1/" == first.permalink
    # a quote inside a quote
    assert "> > Thanks!\n> you said\n\nwelcome" == quote.text
    assert post.id.endswith("-c1a2b3c") and first.id.endswith("-ck1aaaa1")
    assert first.id == reply.parent_id and reply.id == quote.parent_id
    assert last.parent_id is None


def test_deleted_and_removed_are_kept_apart():
    thread = parse("deleted-and-removed.json")
    assert ["post", "deleted", "comment", "deleted", "comment"] == [p.kind for p in thread.posts]
    assert ["loft_life", "[deleted]", "nail_gun_nancy", "[deleted]", "[deleted]"] == [p.author for p in thread.posts]
    assert ["Was offline for a week.", "[deleted]", "What did they say?", "[removed]",
            "I deleted my account but this comment stays."] == [p.text for p in thread.posts]
    # a reply to a deleted comment still hangs under it
    assert [None, None, 1, None, None] == parents(thread)
    assert ["nail_gun_nancy", "[deleted]"] == [p.author for p in thread.comments]
    assert (4, 0) == (thread.declared_comments, thread.not_loaded)


def test_link_post_and_markdown_only_comment():
    thread = parse("link-post.json")
    post, comment = thread.posts
    # the post's link is the link it was submitted with, without its tracking parameter
    assert ["https://news.example.com/2024/05/bike-lanes"] == post.links
    assert ["news.example.com"] == post.domains
    assert "" == post.text
    # no body_html in the file: the markdown, quote lines as they are
    assert "> the city says the lanes cut crashes\n\nSource? The report is at https://data.example.org/crashes.csv." \
        == comment.text
    assert ["https://data.example.org/crashes.csv"] == comment.links
    assert ("chain_lube", "2024-05-20T19:00:00Z") == (comment.author, comment.date)


def test_escaped_html_without_raw_json():
    post, comment = parse("escaped-html-without-raw-json.json").posts
    assert "Asking for a friend & me." == post.text
    assert "> before or after\n\nBefore, always & generously. why" == comment.text
    assert ["https://www.seriouseats.example.com/salt?a=1&b=2"] == comment.links


# -- api/morechildren ---------------------------------------------------------------------------------


def test_morechildren_belongs_to_the_thread_it_completes():
    thread = parse("nested-replies-with-more-stub.json")
    more = parse("morechildren-for-thread.json")
    assert thread.id == more.id
    assert "https://www.reddit.com/r/urbanbirding/comments/1a2b3c/" == more.url
    assert (None, None, None, None) == (more.title, more.author, more.date, more.declared_comments)
    assert ["comment", "comment", "deleted"] == [p.kind for p in more.posts]
    assert ["dawn_chorus", "hawk_eyed", "[deleted]"] == [p.author for p in more.posts]
    assert ["2024-01-01T17:00:00Z", "2024-01-01T18:00:00Z", "2024-01-01T19:00:00Z"] == [p.date for p in more.posts]
    top, reply, removed = more.posts
    # a reply to the post has no parent; a reply to a comment in the thread's own file names that comment
    assert top.parent_id is None
    silo_watcher = thread.posts[4]
    assert silo_watcher.parent_id is None and reply.parent_id == silo_watcher.id
    assert removed.parent_id == reply.id
    # no post id collides across the two files
    assert not {p.id for p in thread.posts} & {p.id for p in more.posts}
    assert "https://www.reddit.com/r/urbanbirding/comments/1a2b3c/comment/k1bbbb1/" == top.permalink
    # a stub without a count stands for the ids it lists
    assert 2 == more.not_loaded


# -- old.reddit and new reddit pages --------------------------------------------------------------


def test_old_reddit_nested_page():
    thread = parse("old-reddit-nested.html")
    assert "https://www.reddit.com/r/books/comments/5q6r7s/slow_reading_is_a_skill/" == thread.url
    assert ("Slow reading is a skill", "quiet_reader", "2024-03-02T10:00:00Z") == (
        thread.title, thread.author, thread.date)
    assert ["post", "comment", "comment", "deleted", "comment"] == [p.kind for p in thread.posts]
    assert ["quiet_reader", "first_commenter", "quiet_reader", "[deleted]", "late_arrival"] == [
        p.author for p in thread.posts]
    assert [None, None, 1, 2, None] == parents(thread)
    # the edit time is not the comment's date
    assert ["2024-03-02T10:00:00Z", "2024-03-02T11:00:00Z", "2024-03-02T12:30:00Z", "2024-03-02T13:00:00Z",
            "2024-03-03T09:15:00Z"] == [p.date for p in thread.posts]
    post, first, _, removed, _ = thread.posts
    assert ["https://www.example.com/essays/slow-reading"] == post.links
    assert "> reading is a skill you train\n\nAgreed, /u/quiet_reader. The Wikipedia page is a start." == first.text
    assert ["https://en.wikipedia.org/wiki/Slow_reading"] == first.links
    assert "[removed]" == removed.text
    assert "https://www.reddit.com/r/books/comments/5q6r7s/slow_reading_is_a_skill/c0001/" == first.permalink
    # "load more comments (4 replies)" and one "continue this thread"
    assert (9, 5) == (thread.declared_comments, thread.not_loaded)


def test_old_reddit_and_json_of_one_thread_share_its_id():
    html = parse("old-reddit-nested.html")
    assert html.id == parse_file(REDDIT / "old-reddit-nested.html")[0].id
    data = json.loads((REDDIT / "link-post.json").read_text())
    data[0]["data"]["children"][0]["data"]["id"] = "5q6r7s"
    (from_json,) = RedditParser().parse(source_of(json.dumps(data)))
    assert html.id == from_json.id


def test_shreddit_page_without_its_lazy_comments():
    thread = parse("shreddit-post-comments-lazy.html")
    assert ["post"] == [p.kind for p in thread.posts]
    assert ("Bread proofing times in a cold kitchen", "cold_kitchen_cook", "2024-06-01T08:00:00Z") == (
        thread.title, thread.author, thread.date)
    assert "My kitchen is 16 °C. How long should the bulk ferment take?\n\nI followed this guide." == \
        thread.posts[0].text
    assert ["https://breadtopia.example.com/cold-proof"] == thread.posts[0].links
    assert (5, 5) == (thread.declared_comments, thread.not_loaded)


def test_shreddit_page_saved_after_the_comments_loaded():
    thread = parse("shreddit-comments-loaded.html")
    assert thread.id == parse("shreddit-post-comments-lazy.html").id
    assert ["post", "comment", "comment", "deleted"] == [p.kind for p in thread.posts]
    assert ["cold_kitchen_cook", "bread_baker", "crumb_shot", "[deleted]"] == [p.author for p in thread.posts]
    assert [None, None, 1, None] == parents(thread)
    assert ["2024-06-01T08:00:00Z", "2024-06-01T09:30:00Z", "2024-06-01T10:05:00Z", None] == [
        p.date for p in thread.posts]
    first = thread.posts[1]
    assert "> How long should the bulk ferment take?\n\nTry a longer autolyse, and see this table." == first.text
    assert ["https://www.theperfectloaf.example.com/temperature"] == first.links
    assert "https://www.reddit.com/r/sourdough/comments/7t8u9v/comment/s001/" == first.permalink
    assert (5, 2) == (thread.declared_comments, thread.not_loaded)


# -- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in REDDIT.glob("*.json")))
def test_truncated_json_raises_parse_error(name):
    data = (REDDIT / name).read_bytes()
    for end in [0, 1, 2, 40, *range(100, len(data), 131), len(data) - 1]:
        with pytest.raises(ParseError) as caught:
            RedditParser().parse(source_of(data[:end], "cut.json"))
        assert caught.value.path == "cut.json"


@pytest.mark.parametrize("name", sorted(p.name for p in REDDIT.glob("*.html")))
def test_any_cut_of_a_page_parses_or_fails_with_parse_error(name):
    data = (REDDIT / name).read_bytes()
    for end in range(150, len(data), 97):
        try:
            threads = RedditParser().parse(source_of(data[:end], "cut.html"))
        except ParseError:
            continue
        assert 1 == len(threads) and threads[0].posts


@pytest.mark.parametrize(
    "data",
    [
        '[{"kind": "Listing", "data": {"children": []}}]',
        '[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": "oops"}]}}]',
        '[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "a1"}}]}},'
        ' {"kind": "Listing", "data": {"children": "none"}}]',
        '[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "a1"}}]}},'
        ' {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {"body": "no id"}}]}}]',
        '[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {}}]}}]',
        '[1, 2]',
        '{"json": {"errors": [["RATELIMIT", "you are doing that too much", "ratelimit"]]}}',
        '{"json": {"errors": [], "data": {"things": [{"kind": "t1", "data": {"id": "x", "body": "hi"}}]}}}',
        '{"json": {"errors": [], "data": {"things": []}}}',
        '{"json": "nope"}',
        '{"kind": "t1", "data": []}',
        '{"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {"id": "x"}}]}}',
        '{"kind": "wiki", "data": {}}',
        '"kind: Listing"',
        "[{\"kind\": \"Listing\", \"data\": {\"children\": [{\"kind\": \"t3\", \"data\": {\"id\": \"a1\"}}]}}] trailing",
    ],
)
def test_wrong_shapes_raise_parse_error(data):
    with pytest.raises(ParseError, match=r"^thread\.json: reddit"):
        RedditParser().parse(source_of(data))


@pytest.mark.parametrize(
    "data",
    [
        # replies nested far deeper than any page shows
        '[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "a1"}}]}}, '
        + '{"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {"id": "x", "replies": ' * 3000
        + '""' + "}}]}}" * 3000 + "]",
        b"<html><body>" + b"<div class='thing comment' data-fullname='t1_x'>" * 3000 + b"x",
        b'<html><body><shreddit-post id="t3_q" comment-count="many"></shreddit-post>\xff\xfe\x00</body></html>',
        b'<html><body><div class="thing link" data-fullname="t3_q"></div></body></html>',
    ],
    ids=["deep-json", "deep-html", "binary-shreddit", "empty-post"],
)
def test_odd_input_parses_or_raises_only_parse_error(data):
    try:
        threads = RedditParser().parse(source_of(data))
    except ParseError as exc:
        assert exc.path == "thread.json"
    else:
        assert threads and threads[0].posts


# -- the real saved threads -----------------------------------------------------------------------------


def test_real_thread_and_its_morechildren_merge():
    thread = parse_file(require_shared(REALDATA / "reddit" / "praw-3hahrw-funny-ba-dum-tsss-thread.json"), REALDATA)[0]
    more = parse_file(require_shared(REALDATA / "reddit" / "praw-3hahrw-morechildren-response.json"), REALDATA)[0]
    assert thread.id == more.id
    by_id = {p.id.rsplit("-c", 1)[1]: p for p in thread.posts}
    # cu5rnda answers cu5qhfy, a comment of the thread's own file
    assert more.posts[0].id.endswith("-ccu5rnda") and more.posts[0].parent_id == by_id["cu5qhfy"].id
    assert (543, 67) == (thread.declared_comments, thread.not_loaded)
