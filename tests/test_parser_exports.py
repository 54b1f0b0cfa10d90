"""The Disqus and WXR parsers on hand-written fixtures named after their quirks, and on the real exports.

The fixtures use invented sites and reserved addresses (example.org, 192.0.2.0/24); the real
exports in ../shared/realdata hold commenters' addresses, which are only ever read at run time
to check that none reaches a record.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from indexer.parsers import PARSERS, parse_file, parse_source, parser_for
from indexer.parsers.base import ParseError, SourceFile
from indexer.parsers.disqus import DisqusParser
from indexer.parsers.generic import GenericHtmlParser
from indexer.parsers.plaintext import PlainTextParser
from indexer.parsers.wxr import WxrParser, parents_first
from tests.conftest import FIXTURES, REALDATA, parents, require_shared
from tests.golden import EMAIL

DISQUS = FIXTURES / "disqus"
WXR = FIXTURES / "wxr"
EXPORTS = REALDATA / "comment_exports"
IP_ELEMENT = re.compile(r"<(?:ipAddress|wp:comment_author_IP)>\s*(?:<!\[CDATA\[)?\s*(?:::ffff:)?([0-9a-fA-F.:]+)")


def source_of(data: bytes, name: str = "export.xml") -> SourceFile:
    return SourceFile(path=Path(name), relpath=name, data=data)



def records_text(threads) -> str:
    return json.dumps([t.as_dict() for t in threads], ensure_ascii=False)


def leaks(threads, raw: str | None = None) -> int:
    """How many e-mail addresses, and IPs the export records for its commenters, the records hold.

    Only a count, so a failing test never prints an address. IPs that the export's own text
    also mentions (a comment writing "127.0.0.1") are content, not commenters' addresses.
    """
    text = records_text(threads)
    count = len(EMAIL.findall(text))
    if raw is not None:
        count += sum(1 for address in set(EMAIL.findall(raw)) if address in text)
        recorded = set(IP_ELEMENT.findall(raw))
        elsewhere = IP_ELEMENT.sub(" ", raw)
        count += sum(1 for ip in recorded if ip not in elsewhere and ip in text)
    return count


# -- the registry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("parser", [DisqusParser, WxrParser])
def test_platform_and_description(parser):
    assert parser in PARSERS
    assert parser.DESCRIPTION and "\n" not in parser.DESCRIPTION
    assert PARSERS.index(parser) < PARSERS.index(PlainTextParser) < PARSERS.index(GenericHtmlParser)


@pytest.mark.parametrize(
    "path, parser",
    [(p, DisqusParser) for p in sorted(DISQUS.glob("*.xml"))] + [(p, WxrParser) for p in sorted(WXR.glob("*.xml"))],
    ids=lambda v: v.name if isinstance(v, Path) else v.PLATFORM,
)
def test_every_fixture_is_claimed_by_its_parser(path, parser):
    assert parser is parser_for(SourceFile.read(path))


@pytest.mark.parametrize(
    "name, platform",
    [
        ("disqus-export-radio-t-excerpt-remark42-MALFORMED.xml", "disqus"),
        ("disqus-export-tanglei-name-2693-posts.xml", "disqus"),
        ("disqus-import-wxr-from-duoshuo-hippo-jessy.xml", "wxr"),
        ("wxr-isso-fixture-derived-from-real-blog.xml", "wxr"),
        ("wxr-wordpress-theme-unit-test-data.xml", "wxr"),
    ],
)
def test_every_real_export_is_claimed_by_its_parser(name, platform):
    path = require_shared(EXPORTS / name)
    assert platform == parser_for(SourceFile.read(path, REALDATA)).PLATFORM


# -- Disqus ---------------------------------------------------------------------------------------


def test_disqus_deleted_and_spam_are_left_out():
    threads = parse_file(DISQUS / "disqus-deleted-and-spam.xml")
    # the thread whose only post was deleted and the thread nobody commented on give nothing
    assert ["Night ferries of the Baltic"] == [t.title for t in threads]
    thread = threads[0]
    assert "https://lantern-notes.example.net/2019/04/night-ferries/" == thread.url
    assert "lantern-notes.example.net" == thread.site
    assert "2019-04-02T08:00:00Z" == thread.date
    assert thread.author is None  # a Disqus thread's creator is not the article's author
    assert ["comment"] * 4 == [p.kind for p in thread.posts]
    # a guest who typed an address as their name has no name at all
    assert ["Tomas Berg", "Ingrid Solberg", "Ingrid Solberg", None] == [p.author for p in thread.posts]
    assert ["2019-04-02T19:40:00Z", "2019-04-03T10:15:00Z", "2019-04-03T12:30:00Z", "2019-04-04T07:05:09Z"] == [
        p.date for p in thread.posts
    ]
    # the reply listed before its parent comes after it; the reply to a deleted post has no parent
    assert [None, 0, None, None] == parents(thread)
    assert "Pill Shop" not in records_text(threads) and "I regret" not in records_text(threads)


def test_disqus_message_html_quotes_links_and_addresses():
    thread = parse_file(DISQUS / "disqus-deleted-and-spam.xml")[0]
    first, reply = thread.posts[0], thread.posts[1]
    assert "Write to me at [address hidden] if you want the old timetable." in first.text
    assert reply.text.startswith("> the Helsinki boat leaves at five\n\nIt left at half past five")
    # the href counts (without its tracking parameter); the shortened label does not
    assert ["https://timetables.example.com/helsinki"] == reply.links
    assert ["timetables.example.com"] == reply.domains
    assert "https://lantern-notes.example.net/2019/04/night-ferries/#comment-3003" == reply.permalink


def test_disqus_never_keeps_addresses_or_ips():
    threads = parse_file(DISQUS / "disqus-deleted-and-spam.xml")
    assert 0 == leaks(threads, (DISQUS / "disqus-deleted-and-spam.xml").read_text())


def test_disqus_malformed_file_is_recovered_and_the_loss_reported(caplog):
    with caplog.at_level(logging.WARNING, logger="indexer.parsers.disqus"):
        threads = parse_file(DISQUS / "disqus-malformed-leading-junk.xml")
    assert 1 == len(threads)
    thread = threads[0]
    assert "Эпизод 12" == thread.title
    assert ["Слушатель", "No Id"] == [p.author for p in thread.posts]
    assert ["Отличный выпуск, спасибо!", "A post without an id"] == [p.text for p in thread.posts]
    assert 2 == len({p.id for p in thread.posts})
    assert "Broken Reference" not in records_text(threads)
    message = caplog.text
    assert "stray byte(s) before the XML skipped" in message
    assert "1 posts could not be placed in a thread" in message


@pytest.mark.parametrize(
    "data",
    [
        b'`<?xml version="1.0"?>\n<disqus xmlns="http://disqus.com"><<<\x00\x01 garbage',
        b'<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals"></disqus>',
        b'<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
        b'<post dsq:id="1"><message>orphan</message><thread dsq:id="9"/></post></disqus>',
    ],
    ids=["nothing-recoverable", "no-threads", "posts-without-their-thread"],
)
def test_disqus_unreadable_files_raise_parse_error(data, caplog):
    with caplog.at_level(logging.CRITICAL):
        with pytest.raises(ParseError) as raised:
            parse_source(source_of(data))
    assert raised.value.reason.startswith("disqus")


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
@pytest.mark.parametrize("path", [DISQUS / "disqus-deleted-and-spam.xml", WXR / "wxr-pingback-and-threaded-replies.xml"],
                         ids=lambda p: p.name)
def test_truncated_exports_give_threads_or_parse_error(path, fraction, caplog):
    data = path.read_bytes()
    with caplog.at_level(logging.CRITICAL):
        try:
            threads = parse_source(source_of(data[: int(len(data) * fraction)]))
        except ParseError:
            return
    assert threads and all(t.posts for t in threads)
    assert 0 == leaks(threads, data.decode("utf-8", errors="replace"))


# -- WXR ------------------------------------------------------------------------------------------


def test_wxr_pingbacks_and_threaded_replies():
    threads = parse_file(WXR / "wxr-pingback-and-threaded-replies.xml")
    # the draft, the attachment and the published post with neither text nor comments give nothing
    assert ["Slugs & beer traps", "About"] == [t.title for t in threads]
    thread = threads[0]
    assert "https://allotment.example.org/2023/06/slugs-and-beer-traps/" == thread.url
    assert "Margaret Green" == thread.author  # dc:creator "mgreen" shown by its display name
    assert "2023-06-10T09:30:00Z" == thread.date
    assert ["post", "comment", "comment", "comment", "pingback", "pingback"] == [p.kind for p in thread.posts]
    assert [
        "Margaret Green",
        "Raj “Compost” Patel",
        "Lena Vogt",
        "Margaret Green",
        "Garden Gazette » Links of the week",
        "Old Tracker",
    ] == [p.author for p in thread.posts]
    # comment 10 answers comment 9, which the export lists after it
    assert [None, None, 1, 2, None, None] == parents(thread)
    assert [
        "2023-06-10T09:30:00Z",
        "2023-06-10T11:00:00Z",
        "2023-06-10T20:15:00",  # comment_date_gmt 0000-00-00: the blog's local time, without an offset
        "2023-06-11T08:00:00Z",
        "2023-06-12T06:00:00Z",
        "2023-06-12T07:00:00Z",
    ] == [p.date for p in thread.posts]
    texts = records_text(threads)
    for left_out in ("Not approved yet", "buy now", "Order status changed", "Half-written thoughts"):
        assert left_out not in texts


def test_wxr_texts_links_and_permalinks():
    thread = parse_file(WXR / "wxr-pingback-and-threaded-replies.xml")[0]
    post, raj, _lena, reply, ping, _track = thread.posts
    assert "Every June the slugs arrive. This year I tried beer traps." == post.text
    assert ["https://garden-forum.example.com/t/beer-traps"] == post.links
    assert "Beer works, but so do copper rings.\nMine came from" in raj.text
    assert ["https://tools.example.com/copper-rings"] == raj.links
    assert "https://compost-raj.example.net" == raj.author_url
    assert "> Do you empty them every day?\n\nEvery other day, Lena. Mail me at [address hidden] for the recipe." == reply.text
    assert "[…] Margaret tests beer traps against slugs […]" == ping.text
    assert "https://allotment.example.org/2023/06/slugs-and-beer-traps/#comment-10" == reply.permalink


def test_wxr_page_without_text_keeps_its_comments():
    about = parse_file(WXR / "wxr-pingback-and-threaded-replies.xml")[1]
    assert ["comment"] == [p.kind for p in about.posts]  # no root: the reindexer adds an empty one
    assert ["Visitor"] == [p.author for p in about.posts]
    assert "Margaret Green" == about.author and "2023-01-02T08:00:00Z" == about.date


def test_wxr_never_keeps_addresses_or_ips():
    path = WXR / "wxr-pingback-and-threaded-replies.xml"
    assert 0 == leaks(parse_file(path), path.read_text())


def test_wxr_disqus_import_flavour():
    threads = parse_file(WXR / "wxr-disqus-import-flavour.xml")
    assert 1 == len(threads)  # "Hello World" has neither text nor comments
    thread = threads[0]
    assert "读书笔记：算法导论" == thread.title and "notes.example.cn" == thread.site
    assert ["小明", "博主"] == [p.author for p in thread.posts]
    assert [None, 0] == parents(thread)
    assert ["2017-02-03T22:47:42Z", "2017-02-04T00:38:01Z"] == [p.date for p in thread.posts]
    assert [None, None] == [p.permalink for p in thread.posts]  # no WordPress #comment- anchors here
    assert 0 == leaks(threads, (WXR / "wxr-disqus-import-flavour.xml").read_text())


def test_wxr_unreadable_file_raises_parse_error():
    data = b'<rss xmlns:wp="http://wordpress.org/export/1.2/"><item><title>no channel</title></item></rss>'
    with pytest.raises(ParseError, match="wxr: no <channel>"):
        parse_source(source_of(data))


def test_parents_first_breaks_cycles_and_drops_missing_parents():
    entries = [("a", "b", 0), ("b", "a", 1), ("c", "zz", 2), ("d", "c", 3), ("e", "e", 4)]
    result = parents_first(entries)
    assert [("a", None, 0), ("b", "a", 1), ("c", None, 2), ("d", "c", 3), ("e", None, 4)] == result


# -- the real exports -----------------------------------------------------------------------------


def test_real_malformed_disqus_export_is_recovered(caplog):
    path = require_shared(EXPORTS / "disqus-export-radio-t-excerpt-remark42-MALFORMED.xml")
    with caplog.at_level(logging.CRITICAL):
        threads = parse_file(path, REALDATA)
    assert 2 == len(threads)
    assert ["No Username", "Blah Noname", "Alexander Blah", "mikhail"] == [p.author for t in threads for p in t.posts]
    assert 0 == leaks(threads, path.read_text(errors="replace"))


def test_real_disqus_export_counts_and_privacy():
    path = require_shared(EXPORTS / "disqus-export-tanglei-name-2693-posts.xml")
    threads = parse_file(path, REALDATA)
    posts = [p for t in threads for p in t.posts]
    assert 340 == len(threads)
    assert 2687 == len(posts) == sum(1 for p in posts if p.kind == "comment")  # 2,693 minus 6 deleted
    assert 439 == sum(1 for p in posts if p.parent_id)  # every <parent> names a post the file keeps
    assert 0 == leaks(threads, path.read_text())


@pytest.mark.parametrize(
    "name",
    ["disqus-import-wxr-from-duoshuo-hippo-jessy.xml", "wxr-isso-fixture-derived-from-real-blog.xml",
     "wxr-wordpress-theme-unit-test-data.xml"],
)
def test_real_wxr_exports_keep_no_address(name):
    path = require_shared(EXPORTS / name)
    assert 0 == leaks(parse_file(path, REALDATA), path.read_text())
