"""The Substack parser on hand-written fixtures, each named after the quirk it covers.

The fixtures use invented publications, people and ids, so passing here shows the parser keys
on the shapes of Substack's JSON and markup and not on the saved files in ../shared/realdata.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.parsers import PARSERS, parse_file, parser_for
from indexer.parsers.base import ParseError, SourceFile
from indexer.parsers.generic import GenericHtmlParser
from indexer.parsers.plaintext import PlainTextParser
from indexer.parsers.substack import SubstackParser
from tests.conftest import FIXTURES, REALDATA, parents, require_shared

SUBSTACK = FIXTURES / "substack"
POST_URL = "https://fieldnotes.substack.com/p/why-we-walk"


def source_of(data: str | bytes, name: str = "saved.json") -> SourceFile:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return SourceFile(path=Path(name), relpath=name, data=raw)


def parse(name: str):
    threads = parse_file(SUBSTACK / name)
    assert 1 == len(threads)
    return threads[0]



# -- recognising Substack files ---------------------------------------------------------------------


def test_platform_description_and_place_in_the_registry():
    assert "substack" == SubstackParser.PLATFORM
    assert SubstackParser.DESCRIPTION and "\n" not in SubstackParser.DESCRIPTION
    order = list(PARSERS)
    assert order.index(SubstackParser) < order.index(PlainTextParser) < order.index(GenericHtmlParser)


@pytest.mark.parametrize("name", sorted(p.name for p in SUBSTACK.iterdir()))
def test_every_fixture_is_claimed_by_substack(name):
    assert SubstackParser is parser_for(SourceFile.read(SUBSTACK / name))


@pytest.mark.parametrize(
    "path", sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.parent.name != "substack"), ids=str
)
def test_other_platforms_fixtures_are_not_claimed(path):
    assert not SubstackParser.suitable(SourceFile.read(path))


def test_a_page_that_only_embeds_substack_is_not_claimed():
    html = ('<html><body><p>Read <a href="https://fieldnotes.substack.com/p/why-we-walk">this</a>.</p>'
            '<img src="https://substackcdn.com/image/fetch/x.jpg"></body></html>')
    assert not SubstackParser.suitable(source_of(html, "page.html"))


# -- posts ----------------------------------------------------------------------------------------


def test_post_json_without_its_comments():
    thread = parse("substack-post-no-comments.json")
    assert ("substack", "fieldnotes.substack.com", POST_URL) == (thread.platform, thread.site, thread.url)
    # the first byline is the author
    assert ("Why we walk", "Ada Walker", "2024-09-10T08:00:00Z") == (thread.title, thread.author, thread.date)
    (post,) = thread.posts
    assert ("post", "Ada Walker", "2024-09-10T08:00:00Z", POST_URL) == (post.kind, post.author, post.date,
                                                                        post.permalink)
    # pictures' full-size links, footnote anchors, subscribe and share buttons are chrome
    assert ["https://en.wikipedia.org/wiki/Solvitur_ambulando"] == post.links
    assert post.text.startswith("Walking is thinking.\n\n> Solvitur ambulando.\n\nThe road north.\n\nSee the phrase.")
    assert "Subscribe" not in post.text and "Share" not in post.text
    assert (3, 3) == (thread.declared_comments, thread.not_loaded)
    assert [] == thread.comments


def test_comments_json_joins_its_post():
    post = parse("substack-post-no-comments.json")
    thread = parse("post-comments-without-post.json")
    assert post.id == thread.id
    assert ["comment", "comment", "deleted", "comment"] == [p.kind for p in thread.posts]
    # the name shown, without its decoration; a deleted comment shows no name
    assert ["Cleo Marsh", "Ada Walker", None, "Dev Patel"] == [p.author for p in thread.posts]
    assert [None, 0, None, 2] == parents(thread)
    assert ["2024-09-10T09:00:00Z", "2024-09-10T10:30:00Z", "2024-09-11T07:00:00Z", "2024-09-11T08:15:00Z"] == [
        p.date for p in thread.posts]
    assert ["https://trails.example.org/canal"] == thread.posts[0].links
    assert "Thank you Cleo!\n> every day\nThat is the secret." == thread.posts[1].text
    assert (None, None) == (thread.url, thread.title)


def test_post_and_comments_in_one_file():
    data = json.loads((SUBSTACK / "substack-post-no-comments.json").read_text())
    data["comments"] = json.loads((SUBSTACK / "post-comments-without-post.json").read_text())["comments"]
    (thread,) = SubstackParser().parse(source_of(json.dumps(data)))
    assert ["post", "comment", "comment", "deleted", "comment"] == [p.kind for p in thread.posts]
    assert [None, None, 1, None, 3] == parents(thread)
    assert f"{POST_URL}/comment/9002" == thread.posts[2].permalink
    # three comments and a deleted one hold more than the declared three: nothing is missing
    assert (3, 0) == (thread.declared_comments, thread.not_loaded)


def test_saved_post_page_with_comments():
    thread = parse("post-page-with-comments.html")
    # the page names the post's id, so the page, the post JSON and its comments are one thread
    assert parse("substack-post-no-comments.json").id == thread.id
    assert (POST_URL, "Why we walk", "Ada Walker", "2024-09-10T08:00:00Z") == (
        thread.url, thread.title, thread.author, thread.date)
    assert ["post", "comment", "comment", "comment", "deleted", "comment"] == [p.kind for p in thread.posts]
    assert ["Ada Walker", "Cleo Marsh", "Ada Walker", "Cleo Marsh", None, "Dev Patel"] == [
        p.author for p in thread.posts]
    assert [None, None, 1, 2, None, 4] == parents(thread)
    assert ["2024-09-10T08:00:00Z", "2024-09-10T09:00:00Z", "2024-09-10T10:30:00Z", "2024-09-10T11:00:00Z",
            "2024-09-11T07:00:00Z", "2024-09-11T08:15:00Z"] == [p.date for p in thread.posts]
    post, cleo, ada, *_ = thread.posts
    assert "Walking is thinking.\n\n> Solvitur ambulando.\n\nSee the phrase." == post.text
    assert ["https://en.wikipedia.org/wiki/Solvitur_ambulando"] == post.links
    assert "Lovely. I walk the canal path every day." == cleo.text
    assert ["https://trails.example.org/canal"] == cleo.links
    assert "> every day\n\nThat is the secret." == ada.text
    assert f"{POST_URL}/comment/5002" == ada.permalink
    # the reader who saved the page (avatar in the comment box) is nobody's author
    assert "A Reader" not in {p.author for p in thread.posts}
    assert (5, 0) == (thread.declared_comments, thread.not_loaded)


def test_saved_post_page_with_only_the_comment_box():
    thread = parse("comment-box-only-page.html")
    assert ["post"] == [p.kind for p in thread.posts]
    assert ("Maps I love", "Rosa Lind", "2023-11-05T16:20:00Z") == (thread.title, thread.author, thread.date)
    assert "https://www.rosalind-maps.example.com/p/maps-i-love" == thread.url
    assert "rosalind-maps.example.com" == thread.site
    assert ["https://www.davidrumsey.example.com/luna/42"] == thread.posts[0].links
    assert (0, 0) == (thread.declared_comments, thread.not_loaded)


# -- Notes ----------------------------------------------------------------------------------------


def test_note_reply_with_its_parents():
    thread = parse("note-reply-with-parents.json")
    assert ("substack.com", "https://substack.com/@adawalker/note/c-7001") == (thread.site, thread.url)
    # a Note has no title: its opening sentence stands in
    assert ("Walked 20 km today.", "Ada Walker", "2025-02-01T08:00:00Z") == (thread.title, thread.author, thread.date)
    assert ["post", "comment", "comment"] == [p.kind for p in thread.posts]
    assert ["Ada Walker", "Ben Ortiz", "Rosa Lind"] == [p.author for p in thread.posts]
    # a reply to the root Note has no parent, a reply to a reply names it
    assert [None, None, 1] == parents(thread)
    assert ["2025-02-01T08:00:00Z", "2025-02-01T09:30:00Z", "2025-02-02T10:00:00Z"] == [p.date for p in thread.posts]
    _, ben, rosa = thread.posts
    # a quoted Note is someone else's words
    assert "Which route?\n\n> Route 12 is the best.\n> Trust me." == ben.text
    assert ["https://rosalind.substack.com/p/walk-notes", "https://maps.example.org/route/12"] == rosa.links
    assert "https://substack.com/@rosalind/note/c-7003" == rosa.permalink
    # 4 more replies to the root, 2 to Rosa's Note
    assert (None, 6) == (thread.declared_comments, thread.not_loaded)


def test_notes_feed_grouped_into_conversations():
    threads = parse_file(SUBSTACK / "notes-feed-thread.json")
    post, rain, first_note, orphan = threads
    # the feed's post teaser is the post's thread
    assert parse("substack-post-no-comments.json").id == post.id
    assert (["post"], "Walking is thinking.", 3) == ([p.kind for p in post.posts], post.posts[0].text,
                                                     post.declared_comments)
    assert "https://substack.com/@adawalker/note/c-8001" == rain.url
    assert ["post", "comment", "comment"] == [p.kind for p in rain.posts]
    assert ["Ada Walker", "Ben Ortiz", "Cleo Marsh"] == [p.author for p in rain.posts]
    assert [None, None, 1] == parents(rain)
    assert ["2025-03-01T08:00:00Z", "2025-03-01T08:30:00Z", "2025-03-01T09:00:00Z"] == [p.date for p in rain.posts]
    assert 1 == rain.not_loaded  # one more reply to the root Note
    assert (["post"], "Dev Patel") == ([p.kind for p in first_note.posts], first_note.author)
    # a reply whose conversation's root the feed does not hold: a thread of that reply alone
    assert (["comment"], None, None) == ([p.kind for p in orphan.posts], orphan.url, orphan.posts[0].parent_id)
    assert ("Eli Stone", "2025-02-27T12:00:00Z") == (orphan.posts[0].author, orphan.posts[0].date)


def test_a_note_seen_alone_and_in_a_feed_is_one_conversation():
    data = json.loads((SUBSTACK / "notes-feed-thread.json").read_text())
    item = data["items"][3]  # Cleo's reply, with its parents
    (alone,) = SubstackParser().parse(source_of(json.dumps({"item": item})))
    assert parse_file(SUBSTACK / "notes-feed-thread.json")[1].id == alone.id
    assert ["Ada Walker", "Ben Ortiz", "Cleo Marsh"] == [p.author for p in alone.posts]


# -- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in SUBSTACK.glob("*.json")))
def test_truncated_json_raises_parse_error(name):
    data = (SUBSTACK / name).read_bytes()
    for end in [0, 1, 2, 40, *range(100, len(data), 131), len(data) - 1]:
        with pytest.raises(ParseError) as caught:
            SubstackParser().parse(source_of(data[:end], "cut.json"))
        assert caught.value.path == "cut.json"


@pytest.mark.parametrize("name", sorted(p.name for p in SUBSTACK.glob("*.html")))
def test_any_cut_of_a_page_parses_or_fails_with_parse_error(name):
    data = (SUBSTACK / name).read_bytes()
    for end in range(150, len(data), 97):
        try:
            threads = SubstackParser().parse(source_of(data[:end], "cut.html"))
        except ParseError:
            continue
        assert 1 == len(threads) and threads[0].posts


@pytest.mark.parametrize(
    "data",
    [
        '{"item": "x"}',
        '{"item": {"comment": 5}}',
        '{"item": {"comment": {"body": "no id"}}}',
        '{"item": {"comment": {"id": 1}, "parentComments": "x"}}',
        '{"items": "x"}',
        '{"items": [1]}',
        '{"items": [], "nextCursor": null}',
        '{"comments": "x"}',
        '{"comments": []}',
        '{"comments": [1, 2]}',
        '{"publishedBylines": []}',
        '{"entity_key": "c-1"}',
        '[{"title": 1}]',
        "[1, 2]",
        '"publishedBylines"',
        '{"post": {"title": "x", "body_html": "<p>x</p>"}} trailing',
    ],
)
def test_wrong_shapes_raise_parse_error(data):
    with pytest.raises(ParseError, match=r"^saved\.json: substack"):
        SubstackParser().parse(source_of(data))


@pytest.mark.parametrize(
    "data",
    [
        '{"post": {"title": "x", "body_html": 5, "comment_count": "many", "publishedBylines": "x"}}',
        '{"comments": [{"id": 1, "post_id": 2, "children": "x", "name": ["x"]}]}',
        '{"item": {"comment": {"id": 1, "ancestor_path": 7, "attachments": [{"type": "comment", "comment": 3}]}}}',
        '{"item": {"comment": ' * 2000 + "1" + "}}" * 2000 + "}",
        b'<html><body><div class="pencraft available-content">' + b"<div class='comment'>" * 3000 + b"x",
        b'<html><head><script type="application/ld+json">{"@type": "NewsArticle", "author": 5, '
        b'"interactionStatistic": {"x": 1}}</script></head><body class="pencraft available-content">\xff</body></html>',
    ],
    ids=["odd-post-fields", "odd-comment-fields", "odd-note-fields", "deep-json", "deep-html", "odd-json-ld"],
)
def test_odd_input_parses_or_raises_only_parse_error(data):
    try:
        threads = SubstackParser().parse(source_of(data))
    except ParseError as exc:
        assert exc.path == "saved.json"
    else:
        assert threads and threads[0].posts


# -- the real saved files --------------------------------------------------------------------------------


def test_real_note_with_a_decorated_name():
    path = require_shared(REALDATA / "substack" / "substack-api-reader-comment-131648795.json")
    (thread,) = parse_file(path, REALDATA)
    # "Jakub Slys 🎖️" in the file: the name without its medal
    assert ("Jakub Slys", 1) == (thread.author, thread.not_loaded)


def test_real_post_json_declares_a_comment_it_does_not_hold():
    path = require_shared(REALDATA / "substack" / "substack-api-post-by-id-167180194.json")
    (thread,) = parse_file(path, REALDATA)
    assert ["post"] == [p.kind for p in thread.posts]
    assert (1, 1) == (thread.declared_comments, thread.not_loaded)
