"""The generic HTML fallback: one hand-written page per quirk, plus pages it must refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.parsers import parse_source
from indexer.parsers.base import ParseError, SourceFile
from indexer.parsers.generic import GenericHtmlParser
from tests.conftest import FIXTURES, PROJECT

GENERIC = FIXTURES / "generic"
PAGES = sorted(p.name for p in GENERIC.glob("*.html"))
DISCUSSIONS = [name for name in PAGES if name != "no-discussion-at-all.html"]


def source(name: str) -> SourceFile:
    return SourceFile.read(GENERIC / name, FIXTURES)


def parse(name: str):
    threads = GenericHtmlParser().parse(source(name))
    assert len(threads) == 1
    return threads[0]


def shape(thread) -> list[tuple]:
    """(kind, author, date, parent position) of every post, in page order."""
    positions = {p.id: p.position for p in thread.posts}
    return [(p.kind, p.author, p.date, positions.get(p.parent_id)) for p in thread.posts]


def from_bytes(data: bytes, name: str = "page.html") -> SourceFile:
    return SourceFile(path=Path(name), relpath=name, data=data)


@pytest.mark.parametrize("name", DISCUSSIONS)
def test_suitable_for_every_page_with_a_discussion(name):
    assert GenericHtmlParser.suitable(source(name))


def test_schema_org_comment_microdata():
    thread = parse("schema-org-comment-microdata.html")
    assert {
        "platform": "generic",
        "url": "https://tinkerers.example.org/2021/03/moving-to-meson/",
        "site": "tinkerers.example.org",
        "title": "Why we moved our build to Meson",
        "author": "Ruth Okafor",
        "date": "2021-03-02T09:00:00Z",
    } == {k: thread.metadata()[k] for k in ("platform", "url", "site", "title", "author", "date")}
    assert [
        ("post", "Ruth Okafor", "2021-03-02T09:00:00Z", None),
        ("comment", "Kenji Watanabe", "2021-03-02T11:30:00Z", None),
        ("comment", "Ruth Okafor", "2021-03-02T12:05:00Z", 1),  # itemprop="comment" inside Kenji's
        ("comment", "anonymous coward", "2021-03-03T07:00:00Z", None),
    ] == shape(thread)
    post, kenji, reply, anonymous = thread.posts
    assert ["https://mesonbuild.com/", "https://github.com/tinkerers/gadget/pull/212"] == post.links
    assert "Makefiles we switched to Meson" in post.text and "Kenji" not in post.text
    # the author's homepage, the avatar and the reply link are not links the commenter wrote
    assert "https://kenji.example.net/" == kenji.author_url
    assert ["https://wiki.debian.org/Meson"] == kenji.links
    assert ["wiki.debian.org"] == kenji.domains
    assert "https://tinkerers.example.org/2021/03/moving-to-meson/#comment-101" == kenji.permalink
    assert kenji.text.startswith("Did you keep the old Makefile") and "Reply" not in kenji.text
    assert "We kept a tiny wrapper Makefile that just calls meson. Packagers seem happy." == reply.text
    assert ["https://cmake.org/cmake/help/latest/"] == anonymous.links
    assert [f"{thread.id}-c101", f"{thread.id}-c102", f"{thread.id}-c103"] == [p.id for p in thread.comments]


def test_json_ld_comments():
    thread = parse("json-ld-comments.html")
    assert "Is a 2012 ThinkPad still worth it?" == thread.title
    assert "https://forum.retrolaptops.example/t/is-a-2012-thinkpad-still-worth-it/881" == thread.url
    assert [
        ("post", "marta_k", "2023-11-05T18:20:00Z", None),
        ("comment", "oldiron", "2023-11-05T19:02:00Z", None),
        ("comment", "marta_k", "2023-11-05T19:40:00Z", 1),  # nested "comment": [...]
        ("comment", "Tomás Ferreira", "2023-11-06T07:15:00Z", None),
    ] == shape(thread)
    post, oldiron, marta, tomas = thread.posts
    assert "I found an X230 for 90 euros. Worth it in 2023, or a money pit?" == post.text
    assert "https://forum.retrolaptops.example/u/marta_k" == post.author_url
    # HTML inside the JSON text is read as HTML: its text, and its links
    assert "Absolutely. Flash thinkpad-ec for the classic keyboard." == oldiron.text
    assert ["https://github.com/hamishcoleman/thinkpad-ec"] == oldiron.links
    assert [] == marta.links
    assert "https://x.com/tferreira" == tomas.author_url
    assert ["https://www.notebookcheck.net/X230.html"] == tomas.links
    assert ["2", "3", "4"] == [p.id.rsplit("-c", 1)[1] for p in thread.comments]


def test_h_entry_with_h_cite_replies():
    thread = parse("h-entry-with-h-cite-replies.html")
    assert "Notes on self-hosting mail" == thread.title
    assert [
        ("post", "Ana Lima", "2022-08-14T11:00:00Z", None),
        ("comment", "Pedro", "2022-08-14T13:00:00Z", None),
        ("comment", "Ana Lima", "2022-08-14T14:30:00Z", 1),  # u-in-reply-to names Pedro's u-url
        ("comment", "Jules", "2022-08-15T09:00:00Z", None),
        ("comment", "Ana Lima", "2022-08-15T09:45:00Z", 3),  # an h-cite inside Jules's
    ] == shape(thread)
    post, pedro, ana, jules, ana_again = thread.posts
    assert "https://ana.example.com/" == post.author_url
    assert ["https://github.com/mail-in-a-box/mailinabox"] == post.links
    assert "https://pedro.example.net/" == pedro.author_url
    assert [] == pedro.links  # neither his avatar nor his homepage
    assert "Which blocklists hit you first?" == pedro.text
    assert ["https://postmaster.bigmail.example/"] == ana.links
    assert "Did you try a relay for outgoing mail?" == jules.text
    assert ["https://twitter.com/ana_lima/status/1559"] == ana_again.links
    assert ["x.com"] == ana_again.domains


def test_drupal_style_comments():
    thread = parse("drupal-style-comments.html")
    # a relative canonical link resolved against og:url
    assert "https://neustadt-blog.example.de/node/4711" == thread.url
    assert "Radweg an der Elbe gesperrt" == thread.title
    # German page: "12.03.2016" is the 12th of March, not the 3rd of December
    assert [
        ("post", "Redaktion Neustadt", "2016-03-11T08:00:00Z", None),
        ("comment", "Jörg M.", "2016-03-12T14:31:00", None),
        ("comment", "Redaktion Neustadt", "2016-03-12T16:05:00", 1),  # div.indented after its parent
        ("comment", "Jörg M.", "2016-03-13T08:10:00", 2),
        ("comment", "Anwohnerin", "2016-04-01T07:45:00", None),
    ] == shape(thread)
    post, first, answer, again, last = thread.posts
    assert ["https://www.stadt.example.de/umleitung"] == post.links
    assert "Kommentare" not in post.text and "Schilder" not in post.text
    assert "Die Umleitung ist schlecht ausgeschildert. Fotos: flickr" == first.text
    assert ["https://www.flickr.com/photos/neustadt/123"] == first.links
    assert "https://neustadt-blog.example.de/user/2" == answer.author_url
    assert [] == answer.links  # no "antworten" link
    assert ["301", "302", "305", "303"] == [p.id.rsplit("-c", 1)[1] for p in thread.comments]


def test_deeply_nested_divs_count_each_comment_once():
    thread = parse("deeply-nested-divs.html")
    assert [
        ("post", None, None, None),
        ("comment", "Lena Fischer", "2020-01-05T10:00:00Z", None),
        ("comment", "Desk Notes", "2020-01-05T12:30:00Z", 1),
        ("comment", "Lena Fischer", "2020-01-06T08:15:00Z", 2),
        ("comment", "Sam", "2020-02-01T18:00:00Z", None),
    ] == shape(thread)
    post, lena, desk, lena_again, sam = thread.posts
    assert "My wrists stopped hurting and my colleagues started complaining about the noise." == post.text
    assert "Which switches? I keep going back and forth. The QMK firmware made mine bearable." == lena.text
    assert ["https://github.com/qmk/qmk_firmware"] == lena.links
    assert "https://lena.example.org/" == lena.author_url
    assert "https://desknotes.example.com/three-years-mechanical-keyboard/#comment-11" == lena.permalink
    assert "Brown ones. Quiet enough for the office." == desk.text
    assert [] == desk.links
    assert "Ordered a set, thanks!" == lena_again.text
    assert ["https://www.reddit.com/r/MechanicalKeyboards/wiki/"] == sam.links
    assert ["11", "12", "13", "14"] == [p.id.rsplit("-c", 1)[1] for p in thread.comments]


def test_no_discussion_at_all_is_refused_with_the_reason():
    page = source("no-discussion-at-all.html")
    assert not GenericHtmlParser.suitable(page)
    with pytest.raises(ParseError) as caught:
        GenericHtmlParser().parse(page)
    assert "generic/no-discussion-at-all.html" == caught.value.path
    assert caught.value.reason.startswith("no comments or post found: ")
    assert "no comment markup" in caught.value.reason


def test_registry_refuses_a_page_without_discussion():
    with pytest.raises(ParseError, match="no parser recognises this file"):
        parse_source(source("no-discussion-at-all.html"))


@pytest.mark.parametrize(
    "html",
    [
        b"<html><body><div class='comment'></div><li id='comment-1'>   </li></body></html>",
        b"<html><body><div itemscope itemtype='https://schema.org/Comment'></div></body></html>",
        b"<html><head><script type='application/ld+json'>{\"comment\": [{}]}</script></head><body></body></html>",
    ],
    ids=["empty-comment-markup", "empty-microdata", "empty-json-ld"],
)
def test_markup_without_any_text_is_refused(html):
    page = from_bytes(html)
    assert GenericHtmlParser.suitable(page)
    with pytest.raises(ParseError, match="no comments or post found"):
        GenericHtmlParser().parse(page)


def test_not_html_is_not_suitable():
    assert not GenericHtmlParser.suitable(from_bytes(b"Title: a note\n\nJust text, no markup.\n", "note.txt"))


@pytest.mark.parametrize("name", PAGES)
def test_truncated_or_garbled_pages_raise_only_parse_error(name):
    data = (GENERIC / name).read_bytes()
    for cut in range(0, len(data), max(1, len(data) // 12)):
        for variant in (data[:cut], data[cut:], data[:cut] + b"\x00\xff<</div>>\x8f" * 3 + data[cut + 30:]):
            page = from_bytes(variant)
            try:
                if GenericHtmlParser.suitable(page):
                    GenericHtmlParser().parse(page)
            except ParseError:
                pass


def test_markup_nested_too_deeply_is_a_parse_error():
    depth = 3000
    page = from_bytes(b"<html><body>" + b"<div class='comment'>" * depth + b"<p>hi</p>" + b"</div>" * depth)
    with pytest.raises(ParseError, match="nested too deeply"):
        GenericHtmlParser().parse(page)


def test_xhtml_with_an_xml_declaration_parses_without_warnings():
    page = from_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        b'<ul class="comments"><li id="comment-7"><div><span class="metadata">geschrieben von anna_b am '
        b"3. Feb. 2015, 10:20</span></div><p>Sehr gut erkl\xc3\xa4rt.</p></li></ul></body></html>"
    )
    assert GenericHtmlParser.suitable(page)
    thread = GenericHtmlParser().parse(page)[0]
    assert [("comment", "anna_b", "2015-02-03T10:20:00", None)] == shape(thread)
    assert "Sehr gut erklärt." == thread.posts[0].text


def test_corpus_sample_goes_to_the_generic_parser():
    corpus = PROJECT / "corpus"
    threads = parse_source(SourceFile.read(corpus / "forum.example.net" / "microdata-discussion.html", corpus))
    thread = threads[0]
    assert ("generic", "forum.example.net") == (thread.platform, thread.site)
    assert [
        ("post", "pgreer", "2024-02-11T19:42:00Z", None),
        ("comment", "Nadia Voss", "2024-02-11T20:15:00Z", None),
        ("comment", "pgreer", "2024-02-11T21:03:00Z", 1),
        ("comment", "Ole Brandt", "2024-02-11T20:48:00Z", None),
        ("comment", "Kwame A.", "2024-02-12T07:30:00Z", None),
        ("comment", "Lin Mei", "2024-02-13T16:05:00Z", None),
    ] == shape(thread)
    assert [["github.com"], [], ["x.com"], ["github.com"], ["x.com"]] == [p.domains for p in thread.comments]
