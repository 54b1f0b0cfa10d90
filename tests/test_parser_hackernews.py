"""The Hacker News parser on hand-written fixtures, each named after the quirk it covers.

The fixtures are invented discussions with invented item ids, so passing here shows the parser
keys on Hacker News markup and the Algolia JSON shape, not on the saved pages in ../shared/realdata.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.parsers import PARSERS, parse_file, parser_for
from indexer.parsers.base import ParseError, SourceFile
from indexer.parsers.hackernews import HackerNewsParser
from indexer.records import stable_id
from tests.conftest import FIXTURES, REALDATA, parents, require_shared

HN = FIXTURES / "hackernews"
ALL_FIXTURES = sorted(p for p in HN.iterdir() if p.is_file())
ITEM = "https://news.ycombinator.com/item?id="


def source_of(data: str | bytes, name: str = "page.html") -> SourceFile:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return SourceFile(path=Path(name), relpath=name, data=raw)


def parse(name: str):
    threads = parse_file(HN / name)
    assert 1 == len(threads)
    return threads[0]



def native(post) -> str:
    return post.id.rsplit("-", 1)[1]


# -- recognising Hacker News files -------------------------------------------------------------------


def test_platform_and_description():
    assert "hackernews" == HackerNewsParser.PLATFORM
    assert HackerNewsParser.DESCRIPTION and "\n" not in HackerNewsParser.DESCRIPTION
    assert HackerNewsParser in PARSERS
    assert PARSERS.index(HackerNewsParser) < [p.PLATFORM for p in PARSERS].index("plaintext")


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.name)
def test_every_fixture_is_claimed_by_hackernews(path):
    assert HackerNewsParser is parser_for(SourceFile.read(path))


def test_file_name_does_not_matter():
    data = (HN / "current-markup-nested.html").read_bytes()
    assert HackerNewsParser.suitable(source_of(data, "reddit-thread.html"))


def test_a_page_linking_hacker_news_is_not_hacker_news():
    html = """<!DOCTYPE html><html><head><title>My post was on Hacker News</title></head><body><article>
    <p>It reached the front page: <a href="https://news.ycombinator.com/item?id=123">the thread</a>.</p>
    <div class="comments"><div class="comment"><span class="author">Ann</span><p>Congrats!</p></div></div>
    </article></body></html>"""
    assert not HackerNewsParser.suitable(source_of(html, "hn-item-123.html"))
    assert not HackerNewsParser.suitable(source_of('{"id": 1, "children": [], "title": "x"}', "item.json"))


# -- current markup -----------------------------------------------------------------------------------


def test_current_markup_nested():
    thread = parse("current-markup-nested.html")
    assert {
        "platform": "hackernews",
        "url": f"{ITEM}7000001",
        "site": "news.ycombinator.com",
        "title": "Show HN: A tiny tide-table clock",
        "author": "tidewatcher",
        "date": "2024-03-05T09:15:00Z",
        "declared_comments": 7,
        "not_loaded": 2,  # "7 comments", 5 on this page and a More link
        "captured": None,
        "continues": None,
        "continued_at": None,
    } == {k: v for k, v in thread.metadata().items() if k not in ("id", "source")}
    assert stable_id("hackernews:7000001") == thread.id
    assert ["post"] + ["comment"] * 5 == [p.kind for p in thread.posts]
    assert ["tidewatcher", "alice_k", "tidewatcher", "bob_on_boats", "carla", "dmitri"] == [
        p.author for p in thread.posts]
    assert [None, None, 1, 2, 1, None] == parents(thread)
    assert ["c7000001", "c7000010", "c7000011", "c7000012", "c7000013", "c7000014"] == [
        native(p) for p in thread.posts]
    assert [
        "2024-03-05T09:15:00Z",
        "2024-03-05T10:00:00Z",
        "2024-03-05T10:05:00Z",  # the title without its Unix timestamp is UTC too
        "2024-03-05T10:20:00Z",
        "2024-03-05T11:00:00Z",
        "2024-03-05T11:30:00Z",
    ] == [p.date for p in thread.posts]


def test_current_markup_fields():
    thread = parse("current-markup-nested.html")
    story, alice, reply, quote, _carla, dmitri = thread.posts
    # a link story: the post is the page it links to, without tracking parameters
    assert ("https://tideclock.example.com/", ["https://tideclock.example.com/"]) == (story.text, story.links)
    assert f"{ITEM}7000001" == story.permalink
    assert "https://news.ycombinator.com/user?id=alice_k" == alice.author_url
    assert f"{ITEM}7000010" == alice.permalink
    assert "NOAA CO-OPS, see https://tidesandcurrents.noaa.gov/api/\n\nIt is free." == reply.text
    assert ["https://tidesandcurrents.noaa.gov/api/"] == reply.links
    assert "> It is free.\n\nFor the US only, though." == quote.text
    # HN shortens a long link's text ("...#Harmonic_a..."); the text and the links keep the whole address
    assert ["https://en.wikipedia.org/wiki/Theory_of_tides#Harmonic_analysis"] == dmitri.links
    assert dmitri.text.endswith("#Harmonic_analysis")
    for post in thread.comments:
        assert "reply" not in post.text and "[–]" not in post.text


def test_second_page_without_the_header_joins_the_item_thread():
    first = parse("current-markup-nested.html")
    second = parse("more-page-with-parent-links.html")
    assert first.id == second.id
    assert not {p.id for p in first.posts} & {p.id for p in second.posts}
    assert f"{ITEM}7000001" == second.url
    assert ["erin", "frank", "alice_k"] == [p.author for p in second.posts]
    assert ["comment"] * 3 == [p.kind for p in second.posts]
    # erin answers carla, whose comment is on the first page: the parent is named all the same
    carla = first.posts[4]
    assert carla.id == second.posts[0].parent_id
    assert [None, None, 1] == parents(second)


def test_a_comment_page_joins_its_story_thread():
    thread = parse("comment-item-page.html")
    story_page = parse("current-markup-nested.html")
    assert story_page.id == thread.id
    assert "Show HN: A tiny tide-table clock" == thread.title  # from the "on:" link
    carla, erin = thread.posts
    assert [("comment", "carla"), ("comment", "erin")] == [(p.kind, p.author) for p in thread.posts]
    assert carla.id == story_page.posts[4].id
    assert story_page.posts[1].id == carla.parent_id  # its "parent" link names alice_k's comment
    assert carla.id == erin.parent_id  # a reply shown under the comment answers it


def test_dead_flagged_and_deleted_comments():
    thread = parse("dead-comment.html")
    assert ["post", "comment", "deleted", "deleted", "deleted", "comment"] == [p.kind for p in thread.posts]
    assert ["keycap", "typist", "spam4u", "grumpy", None, "typist"] == [p.author for p in thread.posts]
    assert [None, None, 1, 1, None, 4] == parents(thread)
    assert "[deleted]" == thread.posts[4].text
    assert 2 == len(thread.comments)
    # ages written as dates ("on Jan 28, 2009") are dates
    assert ["2009-01-27T00:00:00", "2009-01-28T00:00:00"] == [p.date for p in thread.posts[:2]]
    assert "Curious what people here type on all day." == thread.posts[0].text


# -- the 2012-13 table markup -------------------------------------------------------------------------


def test_table_markup_2012():
    thread = parse("table-markup-2012.html")
    assert ("Ask HN: What do you keep in your go-bag?", "packlight", f"{ITEM}4100000") == (
        thread.title, thread.author, thread.url)
    assert stable_id("hackernews:4100000") == thread.id
    assert (6, 1) == (thread.declared_comments, thread.not_loaded)
    # nesting from the spacer image: 0, 40, 80, 0, 40 pixels
    assert ["packlight", "quinn", "packlight", "quinn", "rafa", "sam_t"] == [p.author for p in thread.posts]
    assert [None, None, 1, 2, None, 4] == parents(thread)
    # "5 hours ago" on a page that does not say when it was saved is no date
    assert [None] * 6 == [p.date for p in thread.posts]
    story, *_, rafa, sam = thread.posts
    assert "Moving to a flood zone. What goes in the bag?\n\nMy list so far: http://www.ready.gov/build-a-kit" == story.text
    assert ["http://www.ready.gov/build-a-kit"] == story.links
    assert "Copies of documents on a USB stick.\n\nEncrypted, of course." == rafa.text
    assert ["http://www.fema.gov/media-library/assets/documents/96123"] == sam.links
    assert all("reply" not in p.text for p in thread.posts)


def test_relative_ages_become_dates_when_the_page_says_when_it_was_saved():
    thread = parse("saved-with-capture-time.html")
    assert parse("table-markup-2012.html").id == thread.id
    assert "2013-01-05T14:30:00Z" == thread.captured
    # archived at 14:30 on 5 January 2013: "6 hours ago", "5 hours ago", ..., "2 hours ago"
    assert [
        "2013-01-05T08:30:00Z",
        "2013-01-05T09:30:00Z",
        "2013-01-05T09:30:00Z",
        "2013-01-05T10:30:00Z",
        "2013-01-05T11:30:00Z",
        "2013-01-05T12:30:00Z",
    ] == [p.date for p in thread.posts]


def test_more_page_without_story_is_a_thread_of_its_own():
    thread = parse("more-page-without-story.html")
    # the page names neither the story nor its title, only the fnid address it was served at
    assert stable_id("hackernews:more:MoRe1111") == thread.id
    assert (None, None, "news.ycombinator.com") == (thread.url, thread.title, thread.site)
    assert ["tess", "uma", "vik"] == [p.author for p in thread.posts]
    assert ["comment"] * 3 == [p.kind for p in thread.posts]
    # tess answers a comment on the previous page, which this page does not name
    assert [None, None, 1] == parents(thread)
    assert ["c4100040", "c4100042", "c4100044"] == [native(p) for p in thread.posts]
    assert ["http://www.openstreetmap.org/"] == thread.posts[1].links
    assert [None] * 3 == [p.date for p in thread.posts]


def test_a_page_without_the_byline_takes_the_story_from_its_title_link():
    html = (HN / "more-page-without-story.html").read_text().replace(
        "<table border=0><tr><td><table border=0>",
        '<table border=0><tr><td class="title"><a href="item?id=4100000">Ask HN: What do you keep in your go-bag?</a>'
        "</td></tr></table><table border=0><tr><td><table border=0>", 1)
    (thread,) = HackerNewsParser().parse(source_of(html))
    assert parse("table-markup-2012.html").id == thread.id
    assert "Ask HN: What do you keep in your go-bag?" == thread.title
    assert ["tess", "uma", "vik"] == [p.author for p in thread.posts]


# -- Algolia JSON ---------------------------------------------------------------------------------


def test_algolia_nested_children():
    thread = parse("algolia-nested.json")
    assert ("Ask HN: Best field guide app for mushrooms?", "moss_rose", "2014-08-01T12:00:00Z") == (
        thread.title, thread.author, thread.date)
    assert stable_id("hackernews:8100000") == thread.id
    assert ["post", "comment", "comment", "deleted", "comment", "comment"] == [p.kind for p in thread.posts]
    assert ["moss_rose", "fungi_fan", "moss_rose", None, "sporeprint", "chanterelle"] == [
        p.author for p in thread.posts]
    assert [None, None, 1, 1, 3, None] == parents(thread)
    assert ["c8100000", "c8100010", "c8100012", "c8100013", "c8100020", "c8100011"] == [
        native(p) for p in thread.posts]
    story, expert, quote = thread.posts[:3]
    assert "Going foraging in the Black Forest. Any apps?" == story.text
    assert ["https://en.wikipedia.org/wiki/Black_Forest"] == story.links
    assert ["http://www.dgfm-ev.de/"] == expert.links
    assert "> Never trust an app alone.\n\nGood advice, thanks." == quote.text
    assert ["2014-08-01T12:00:00Z", "2014-08-01T12:30:00Z"] == [p.date for p in thread.posts[:2]]


def test_algolia_comment_item_joins_its_story():
    item = {"id": 8100010, "created_at_i": 1406896200, "type": "comment", "author": "fungi_fan",
            "text": "<p>Never trust an app alone.</p>", "parent_id": 8100000, "story_id": 8100000,
            "children": [{"id": 8100012, "created_at_i": 1406898000, "type": "comment", "author": "moss_rose",
                          "text": "<p>Thanks.</p>", "parent_id": 8100010, "story_id": 8100000, "children": []}]}
    (thread,) = HackerNewsParser().parse(source_of(json.dumps(item), "item.json"))
    full = parse("algolia-nested.json")
    assert full.id == thread.id
    assert ["comment", "comment"] == [p.kind for p in thread.posts]
    assert [p.id for p in full.posts[1:3]] == [p.id for p in thread.posts]
    assert None is thread.posts[0].parent_id  # it answers the story itself
    assert thread.posts[0].id == thread.posts[1].parent_id
    assert ["2014-08-01T12:30:00Z", "2014-08-01T13:00:00Z"] == [p.date for p in thread.posts]


def test_email_address_in_a_comment_is_hidden():
    address = "forager" + "@" + "mail.example.org"
    item = json.loads((HN / "algolia-nested.json").read_text())
    item["children"][1]["text"] = f"<p>Ask me: {address}</p>"
    (thread,) = HackerNewsParser().parse(source_of(json.dumps(item), "item.json"))
    assert "Ask me: [address hidden]" == thread.posts[-1].text


# -- bad input ------------------------------------------------------------------------------------


def test_a_front_page_is_no_discussion():
    story = ('<tr class="athing" id="{0}"><td class="title"><span class="titleline"><a href="https://x{0}.example.com/">'
             'Story {0}</a></span></td></tr><tr><td class="subtext"><span class="score" id="score_{0}">3 points</span>'
             ' by <a href="user?id=u{0}" class="hnuser">u{0}</a> | <a href="item?id={0}">2&nbsp;comments</a></td></tr>')
    html = ("<html><head><title>Hacker News</title></head><body><span class='pagetop'>new</span><table>"
            + story.format(1) + story.format(2) + "</table></body></html>")
    assert HackerNewsParser.suitable(source_of(html))
    with pytest.raises(ParseError, match="a list of stories"):
        HackerNewsParser().parse(source_of(html))



@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.name)
def test_any_cut_of_a_file_parses_or_fails_with_parse_error(path):
    data = path.read_bytes()
    for end in range(1, len(data), max(len(data) // 60, 7)):
        source = source_of(data[:end], path.name)
        try:
            threads = HackerNewsParser().parse(source)
        except ParseError as exc:
            assert path.name == exc.path
            continue
        (thread,) = threads
        assert all(p.kind in ("post", "comment", "deleted") for p in thread.posts)


@pytest.mark.parametrize(
    "data",
    [
        '{"id": 1, "created_at_i": 5, "type": "story", "children": [{"id": 2, "children": [',
        '{"id": "x", "created_at_i": 5, "type": "story", "children": []}',
        '{"id": 1, "created_at_i": 5, "type": "story", "children": "none"}',
        '{"id": 1, "created_at_i": 5, "type": "story", "children": [1, 2]}',
        '[{"id": 1, "created_at_i": 5, "type": "story", "children": []}]',
        '{"id": 1, "created_at_i": [], "type": "comment", "author": 3, "text": {}, "children": []}',
    ],
    ids=["truncated", "id-not-a-number", "children-not-a-list", "children-not-objects", "top-level-list",
         "wrong-field-types"],
)
def test_bad_json_raises_only_parse_error(data):
    try:
        threads = HackerNewsParser().parse(source_of(data, "item.json"))
    except ParseError as exc:
        assert "item.json" == exc.path
    else:
        assert threads


@pytest.mark.parametrize(
    "data",
    [
        b"<html><head><title>x | Hacker News</title></head><body><span class='comhead'>",
        b"<html><title>x | Hacker News</title><body class='pagetop'><table class='comhead'>" + b"<table>" * 3000,
        b"<html><title>more comments | Hacker News</title>\x00\xff<td class='default'><span class='comhead'>\xfe",
    ],
    ids=["truncated", "deep-nesting", "garbage"],
)
def test_bad_markup_raises_only_parse_error(data):
    try:
        threads = HackerNewsParser().parse(source_of(data))
    except ParseError as exc:
        assert "page.html" == exc.path
    else:
        assert threads


# -- the real saved pages -------------------------------------------------------------------------


def test_real_continuation_pages_are_threads_of_their_own():
    """The 2012 "more comments" pages name no story: each is its own thread, none shares a post id."""
    names = ["hn-item-who-is-hiring-jan-2012-page1.html", "hn-item-who-is-hiring-jan-2012-page2-more.html",
             "hn-item-who-is-hiring-jan-2012-page3-last.html"]
    threads = [parse_file(require_shared(REALDATA / "hackernews" / name), REALDATA)[0] for name in names]
    assert stable_id("hackernews:3412900") == threads[0].id
    assert [stable_id("hackernews:more:L4Utx2mqoS"), stable_id("hackernews:more:ym6dUtJLfm")] == [
        t.id for t in threads[1:]]
    ids = [{native(p) for p in t.posts} for t in threads]
    assert not ids[0] & ids[1] and not ids[1] & ids[2] and not ids[0] & ids[2]
