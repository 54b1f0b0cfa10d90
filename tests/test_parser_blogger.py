"""The Blogger parser on hand-written fixtures, each named after the quirk it covers.

The fixtures use invented blogs on invented hosts, so passing here shows the parser keys on
Blogger's markup and not on the saved pages in ../shared/realdata.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from indexer.dates import iso_date
from indexer.parsers import PARSERS, parse_file, parse_source, parser_for
from indexer.parsers.base import ParseError, SourceFile
from indexer.parsers.blogger import BloggerParser
from tests.conftest import FIXTURES, PROJECT, REALDATA, parents, require_shared

BLOGGER = FIXTURES / "blogger"
CORPUS_SAMPLE = PROJECT / "corpus" / "notebook.blogspot.com" / "blogger-sample-post.html"


def source_of(data: str | bytes, name: str = "page.html") -> SourceFile:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return SourceFile(path=Path(name), relpath=name, data=raw)


def parse(name: str):
    threads = parse_file(BLOGGER / name)
    assert 1 == len(threads)
    return threads[0]



# -- recognising Blogger markup -----------------------------------------------------------------


def test_platform_and_description():
    assert "blogger" == BloggerParser.PLATFORM
    assert BloggerParser.DESCRIPTION and "\n" not in BloggerParser.DESCRIPTION
    assert BloggerParser in PARSERS


@pytest.mark.parametrize("name", sorted(p.name for p in BLOGGER.glob("*.html")))
def test_every_fixture_is_claimed_by_blogger(name):
    assert BloggerParser is parser_for(SourceFile.read(BLOGGER / name))


def test_recognised_without_the_generator_meta():
    html = (BLOGGER / "threaded-comments-with-replies.html").read_text()
    stripped = html.replace("<meta content='blogger' name='generator'/>", "")
    assert "generator" not in stripped
    assert BloggerParser.suitable(source_of(stripped))


def test_file_name_does_not_matter():
    html = (BLOGGER / "threaded-comments-with-replies.html").read_bytes()
    assert BloggerParser.suitable(source_of(html, "wordpress-export-2016.html"))
    other = "<html><body><article class='post'><p>My blogspot.com days are over.</p></article></body></html>"
    assert not BloggerParser.suitable(source_of(other, "someone.blogspot.com.html"))


def test_one_blogger_link_on_another_platform_is_not_blogger():
    html = """<!DOCTYPE html><html><head><meta name="generator" content="WordPress 6.1"></head><body>
    <article><div class="entry-content"><p>I used to write on Blogger.</p></div></article>
    <ol class="commentlist"><li class="comment" id="comment-7"><div class="comment-author vcard">
    <cite class="fn"><a href="https://www.blogger.com/profile/123456789">Ann</a></cite></div>
    <div class="comment-body"><p>Me too.</p></div></li></ol></body></html>"""
    assert not BloggerParser.suitable(source_of(html))


def test_plain_text_is_not_blogger():
    assert not BloggerParser.suitable(source_of("Title: x\n\nblogger.com/profile/1 and id='comments-block'\n"))


# -- threaded comments ----------------------------------------------------------------------------


def test_threaded_comments_with_replies():
    thread = parse("threaded-comments-with-replies.html")
    assert {
        "platform": "blogger",
        "url": "https://bookish-owl.blogspot.com/2016/03/reading-slump.html",
        "site": "bookish-owl.blogspot.com",
        "title": "How I got out of my reading slump",
        "author": "Owl Reader",
        "date": "2016-03-15T16:30:00Z",
        "declared_comments": None,
        "not_loaded": 0,
        "captured": None,
        "continues": None,
        "continued_at": None,
    } == {k: v for k, v in thread.metadata().items() if k not in ("id", "source")}
    assert ["post", "comment", "comment", "comment", "comment"] == [p.kind for p in thread.posts]
    assert [None, None, 1, 1, None] == parents(thread)
    # whitespace inside the name is collapsed, nothing else about it changes
    assert ["Owl Reader", "Maggie the Reader", "Owl Reader", "Tom", "Priya"] == [p.author for p in thread.posts]
    assert [
        "2016-03-15T16:30:00Z",
        "2016-03-15T17:00:00Z",  # "March 15, 2016 at 10:00 AM" in the blog's UTC-7
        "2016-03-15T18:00:00Z",
        "2016-03-16T18:00:00Z",
        "2016-03-17T18:00:00Z",
    ] == [p.date for p in thread.posts]


def test_threaded_comment_fields():
    thread = parse("threaded-comments-with-replies.html")
    post, maggie, reply, tom, deleted = thread.posts
    # the editor's link to the full-size picture is not a link the author wrote
    assert ["https://www.goodreads.com/book/show/12345-short-stories"] == post.links
    assert "https://www.blogger.com/profile/01234567890123456789" == post.author_url
    assert "Short stories saved me too!\n\nThis one helped: a video about reading habits" == maggie.text
    assert ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"] == maggie.links
    assert ["youtube.com"] == maggie.domains
    assert "https://www.blogger.com/profile/09876543210987654321" == maggie.author_url
    assert (
        "https://bookish-owl.blogspot.com/2016/03/reading-slump.html?showComment=1458061200000#c1111111111111111111"
        == maggie.permalink
    )
    assert maggie.id.endswith("-c1111111111111111111")
    assert maggie.id == reply.parent_id == tom.parent_id
    # the homepage link is the author's, not one of the comment's links
    assert "http://tomsbooknook.example.org/" == tom.author_url
    assert ["http://www.theguardian.com/books"] == tom.links
    assert "This comment has been removed by the author." == deleted.text
    for comment in thread.comments:
        assert not re.search(r"\b(Reply|Replies|Delete|Add comment)\b", comment.text)
        assert comment.author not in comment.text


def test_ids_survive_a_resave_with_more_comments():
    full = parse("threaded-comments-with-replies.html")
    cut = parse("truncated-page.html")
    assert [p.id for p in cut.posts] == [p.id for p in full.posts[: len(cut.posts)]]


def test_anonymous_commenter():
    thread = parse("anonymous-commenter.html")
    post, anonymous, reply = thread.posts
    assert ("Anonym", None) == (anonymous.author, anonymous.author_url)
    assert ("Liesel", "https://www.blogger.com/profile/12121212121212121212") == (reply.author, reply.author_url)
    assert anonymous.id == reply.parent_id
    # "23. Juni 2015 um 14:31" and "um 17:30" in summer time; the permalink holds the exact instant
    assert ["2015-06-22T00:00:00", "2015-06-23T12:31:00Z", "2015-06-23T15:30:00Z"] == [p.date for p in thread.posts]
    assert "2,5 mm, liebe Anonym :)" == reply.text
    assert "Liesel" == post.author  # "Eingestellt von" is chrome


def test_german_dates_without_permalinks_are_read_day_first():
    thread = parse("dates-without-permalinks.html")
    assert ["Oma Hilde", "Jens", "Mia"] == [p.author for p in thread.comments]
    assert [
        "2015-06-21T00:00:00",
        "2015-06-23T14:31:00",  # 23. Juni 2015 um 14:31
        "2015-08-07T09:05:00",  # 07.08.2015: the 7th of August, not the 8th of July
        None,  # a time alone names no date
    ] == [p.date for p in thread.posts]
    # without a permalink on the page, the comment's anchor on the post stands in
    assert (
        "https://kuechenfenster.blogspot.com/2015/06/rhabarber.html#c8100000000000000011" == thread.posts[2].permalink
    )


def test_newer_theme_and_mobile_url():
    thread = parse("contempo-theme-mobile-url.html")
    assert "https://transit-notes.blogspot.de/2019/03/bus-lanes.html" == thread.url
    assert "transit-notes.blogspot.com" == thread.site
    assert ("Dana K.", "2019-03-02T16:15:00Z") == (thread.author, thread.date)
    (comment,) = thread.comments
    assert ("Rider 42", "2019-03-02T18:45:00Z") == (comment.author, comment.date)
    assert (
        "https://transit-notes.blogspot.com/2019/03/bus-lanes.html?showComment=1551552300000#c6000000000000000042"
        == comment.permalink
    )


def test_a_malformed_link_costs_only_that_link():
    html = (BLOGGER / "threaded-comments-with-replies.html").read_text()
    html = html.replace(
        ">a video about reading habits</a>", ">a video about reading habits</a> <a href='http://[oops/x'>x</a>"
    )
    (thread,) = BloggerParser().parse(source_of(html))
    assert 4 == len(thread.comments)
    assert ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"] == thread.comments[0].links


# -- the classic comment block --------------------------------------------------------------------


def test_old_dl_comments_block():
    thread = parse("old-dl-comments-block.html")
    # no canonical link on pages this old: the post's permanent link is its URL
    assert "http://allotment-diary.blogspot.com/2008/08/blight-again.html" == thread.url
    assert ("Blight again", "Jim", "2008-08-10T17:12:00Z") == (thread.title, thread.author, thread.date)
    assert ["Sue", "Anonymous", "Jim"] == [p.author for p in thread.comments]  # "said..." is chrome
    assert [
        "http://www.blogger.com/profile/11112222333344445555",
        None,
        "http://www.blogger.com/profile/99998888777766665555",
    ] == [p.author_url for p in thread.comments]
    # 19:00Z is 8:00 PM in British summer time; "11/08/2008" on an en-GB blog is the 11th of August
    assert ["2008-08-10T19:00:00Z", "2008-08-11T07:45:00", "2008-08-11T18:40:00Z"] == [p.date for p in thread.comments]
    assert [None] * 4 == parents(thread)
    assert [["http://www.bbc.co.uk/gardening/plants/tomatoes"], [], []] == [p.links for p in thread.comments]
    assert ["Same here. Try 'Ferline', see the BBC list.", "Copper spray works if you start early."] == [
        p.text for p in thread.comments[:2]
    ]
    assert [p.id.rsplit("-", 1)[1] for p in thread.comments] == ["c8880001", "c8880002", "c8880003"]
    assert "http://allotment-diary.blogspot.com/2008/08/blight-again.html#c8880002" == thread.comments[1].permalink


def test_classic_block_beside_threaded_counts_each_comment_once():
    html = (BLOGGER / "threaded-comments-with-replies.html").read_text()
    classic = """<dl id='comments-block'><dt class='comment-author' id='c2222222222222222222'>
    <a href='https://www.blogger.com/profile/01234567890123456789'>Owl Reader</a> said...</dt>
    <dd class='comment-body'><p>Thanks Maggie, watching it now.</p></dd></dl>"""
    html = html.replace("<div id='comment-holder'>", classic + "<div id='comment-holder'>")
    (thread,) = BloggerParser().parse(source_of(html))
    assert 4 == len(thread.comments)


# -- pages with nothing, or not enough -------------------------------------------------------------


def test_no_comments_is_a_thread_with_just_the_post():
    thread = parse("no-comments.html")
    assert ["post"] == [p.kind for p in thread.posts]
    assert ("Snow at the junction", "Ed", "2014-02-08T08:05:00Z") == (thread.title, thread.author, thread.date)
    assert "Two photos from this morning. More on Flickr." == thread.posts[0].text
    assert ["https://www.flickr.com/photos/railwaysnaps/"] == thread.posts[0].links


def test_truncated_page_keeps_what_was_saved():
    thread = parse("truncated-page.html")
    assert ["Maggie the Reader", "Owl Reader", "Tom"] == [p.author for p in thread.comments]
    assert [None, None, 1, 1] == parents(thread)
    assert "Same here. See al" == thread.comments[-1].text


def test_any_cut_of_a_page_parses_or_fails_with_parse_error():
    data = (BLOGGER / "threaded-comments-with-replies.html").read_bytes()
    for end in range(200, len(data), 97):
        source = source_of(data[:end])
        if not BloggerParser.suitable(source):
            continue
        try:
            threads = BloggerParser().parse(source)
        except ParseError:
            continue
        assert 1 == len(threads) and "post" == threads[0].posts[0].kind


@pytest.mark.parametrize(
    "data",
    [
        b"<html><head><meta content='blogger' name='generator'/></head><body></body></html>",
        b"<html><meta content='blogger' name='generator'/>\x00\xff\xfe<<<div class='post-bo",
        b"<html><meta content='blogger' name='generator'/><body><div class='post-body'>" + b"<div>" * 3000 + b"x",
        b"\x89PNG\r\n\x1a\n<body><meta content='blogger' name='generator'/>\xde\xad\xbe\xef",
    ],
    ids=["empty-body", "garbage-tail", "deep-nesting", "binary"],
)
def test_bad_input_raises_only_parse_error(data):
    source = source_of(data)
    try:
        threads = BloggerParser().parse(source)
    except ParseError as exc:
        assert exc.path == "page.html"
    else:
        assert threads and "post" == threads[0].posts[0].kind


def test_registry_reports_a_blogger_page_without_a_post():
    html = "<html><head><meta content='blogger' name='generator'/></head><body><p>Loading…</p></body></html>"
    with pytest.raises(ParseError, match="blogger: no post body"):
        parse_source(source_of(html))


# -- the corpus sample and the real pages -----------------------------------------------------------


def test_corpus_sample():
    threads = parse_file(CORPUS_SAMPLE, PROJECT / "corpus")
    (thread,) = threads
    assert ("blogger", "notebook.blogspot.com", "Martha Kowalski") == (thread.platform, thread.site, thread.author)
    assert 6 == len(thread.comments)
    assert [None, None, 1, None, None, 4, None] == parents(thread)
    assert ["youtube.com", "valleyherald.com"] == sorted({d for p in thread.posts for d in p.domains}, reverse=True)


@pytest.mark.parametrize(
    ("name", "offset_hours"),
    [("blogger/derpapierplanet-de-2015-booking-glass.html", 2), ("blogger/weinlachgummis-blogspot-2017-rezi.html", 2)],
)
def test_permalink_dates_agree_with_the_dates_the_page_shows(name, offset_hours):
    """The exact instant in showComment= is the date shown beside the comment, in the blog's time zone."""
    path = require_shared(REALDATA / name)
    thread = parse_file(path, REALDATA)[0]
    soup = BeautifulSoup(path.read_bytes(), "lxml")
    shown = [a.get_text() for a in soup.select("#comments li.comment .datetime a")]
    assert len(shown) == len(thread.comments)
    for text, comment in zip(shown, thread.comments, strict=True):
        local = datetime.fromisoformat(comment.date.replace("Z", "+00:00")) + timedelta(hours=offset_hours)
        assert iso_date(text, dayfirst=True) == local.replace(second=0, tzinfo=None).isoformat()
